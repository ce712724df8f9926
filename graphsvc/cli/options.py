"""Options shared by every command."""

from typing import Annotated

import typer

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store directory or bolt:// / neo4j:// URL [default: GRAPHSVC_STORE, or ./data].",
        show_default=False,
    ),
]
HostOption = Annotated[
    str | None, typer.Option(help="Address to listen on [default: GRAPHSVC_HOST or 127.0.0.1].")
]
PortOption = Annotated[
    int | None, typer.Option(help="Port to listen on [default: GRAPHSVC_PORT or 8000].")
]
