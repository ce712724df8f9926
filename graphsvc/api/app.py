"""The FastAPI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from graphsvc import __version__
from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.api.errors import install_error_handlers
from graphsvc.api.network_view import ViewCache
from graphsvc.api.routes import (
    admin,
    analysis,
    auth,
    charts,
    groups,
    maps,
    pages,
    people,
    summary,
)
from graphsvc.api.security import SecurityHeaders
from graphsvc.config import get_settings
from graphsvc.store import GraphStore, open_store

DESCRIPTION = """
Who works with whom across a civil-society network: people, organisations,
places, cells and events; constellations, bridges, gaps and introductions.

Sign in with `POST /api/sign-in` (a session cookie, for pages; changes made
through it need the `X-CSRF-Token` it returns) or send a bearer token made with
`POST /api/me/tokens`. What each response holds depends on the role signed in
(member, connector, convenor, admin) and on each person's consent: people who
chose not to be named are counted but never named, and contact details are
shown only to the person and to admins. Errors are
`{"error": {"status", "code", "message"}}`; lists are pages
(`offset`, `limit` up to 200).
"""


def create_app(
    store: GraphStore | None = None,
    accounts: AccountStore | Path | None = None,
    *,
    close_store: bool = False,
) -> FastAPI:
    """The web service over ``store`` and ``accounts`` (default: the configured ones).

    ``accounts`` may be the path of the account file to open. The app closes
    what it opened, and the store too if ``close_store`` hands it over;
    otherwise they stay the caller's. Outside development it refuses
    to start without a proper ``GRAPHSVC_SECRET_KEY``.
    """
    settings = get_settings()
    settings.signing_key  # noqa: B018 - raises now, before serving, if the secret is weak

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned_store = store is None or close_store
        app.state.store = open_store() if store is None else store
        owned_accounts = not isinstance(accounts, AccountStore)
        app.state.accounts = (
            accounts
            if isinstance(accounts, AccountStore)
            else open_accounts(accounts or settings.accounts_path())
        )
        app.state.summary_cache = None
        app.state.views = ViewCache()
        try:
            yield
        finally:
            if owned_accounts:
                app.state.accounts.close()
            if owned_store:
                app.state.store.close()

    app = FastAPI(
        title="graphsvc",
        version=__version__,
        summary="Relationship and collaboration mapping for civil-society networks",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for module in (summary, auth, people, groups, analysis, charts, maps, admin, pages):
        app.include_router(module.router)
    return app
