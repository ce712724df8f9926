"""``graphsvc serve``: the web service."""

import uvicorn
from rich.console import Console

from graphsvc.cli.options import HostOption, PortOption, StoreOption
from graphsvc.config import get_settings
from graphsvc.service import Network, network_of
from graphsvc.store import open_store


def run_server(network: Network, host: str | None, port: int | None) -> None:
    """Serve ``network`` until interrupted, then close it.

    The app closes the network in its own shutdown: uvicorn re-raises SIGTERM
    once it has shut down, so code after ``uvicorn.run`` may never run.
    """
    from graphsvc.api import create_app

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    try:
        app = create_app(network, close=True)
    except BaseException:
        network.close()  # the embedded database would outlive this process otherwise
        raise
    Console().print(f"Serving on [bold]http://{host}:{port}[/]  (Ctrl+C to stop)")
    # No access log: request paths can carry names typed into a search box.
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        # uvicorn would believe X-Forwarded-For from any local client; the app
        # believes it only from GRAPHSVC_TRUSTED_PROXIES.
        proxy_headers=False,
    )


def serve(store: StoreOption = None, host: HostOption = None, port: PortOption = None) -> None:
    """Serve the network's pages and JSON API."""
    run_server(network_of(open_store(store), store, background=True), host, port)
