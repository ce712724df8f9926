"""``graphsvc serve``: the web service."""

import uvicorn
from rich.console import Console

from graphsvc.cli.options import HostOption, PortOption, StoreOption
from graphsvc.config import get_settings
from graphsvc.store import GraphStore, open_store


def run_server(
    store: GraphStore, host: str | None, port: int | None, store_option: str | None = None
) -> None:
    """Serve ``store`` until interrupted, then close it.

    ``store_option`` is the ``--store`` given, which places the account file.

    The app closes the store in its own shutdown: uvicorn re-raises SIGTERM
    once it has shut down, so code after ``uvicorn.run`` may never run.
    """
    from graphsvc.api import create_app

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    try:
        app = create_app(store, settings.accounts_path(store_option), close_store=True)
    except BaseException:
        store.close()  # the embedded database would outlive this process otherwise
        raise
    Console().print(f"Serving on [bold]http://{host}:{port}[/]  (Ctrl+C to stop)")
    # No access log: request paths can carry names typed into a search box.
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
    )


def serve(store: StoreOption = None, host: HostOption = None, port: PortOption = None) -> None:
    """Serve the network's pages and JSON API."""
    run_server(open_store(store), host, port, store)
