"""The FastAPI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from graphsvc import __version__
from graphsvc.analysis.pipeline import AnalysisCache
from graphsvc.api import routes_api, routes_pages
from graphsvc.api.security import add_security_headers
from graphsvc.store import GraphStore, open_store


def create_app(store: GraphStore | None = None, *, close_store: bool = False) -> FastAPI:
    """The web service over ``store`` (default: open the configured store).

    The app closes the store when it shuts down if it opened it, or if
    ``close_store`` hands it over; otherwise the store stays the caller's.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None or close_store
        app.state.store = open_store() if store is None else store
        app.state.summary_cache = None
        app.state.analysis_cache = AnalysisCache()
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="graphsvc",
        version=__version__,
        summary="Relationship and collaboration mapping for civil-society networks",
        lifespan=lifespan,
    )
    app.middleware("http")(add_security_headers)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(routes_api.router)
    app.include_router(routes_pages.router)
    return app
