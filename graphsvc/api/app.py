"""The FastAPI application."""

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from graphsvc import __version__
from graphsvc.api.errors import install_error_handlers
from graphsvc.api.routes import (
    accounts,
    accounts_pages,
    admin,
    analysis,
    auth,
    buddying,
    charts,
    groups,
    introduction_requests,
    maps,
    my_record,
    my_record_pages,
    pages,
    people,
    stewardship,
    summary,
    tie_pages,
    ties,
)
from graphsvc.api.security import SecurityHeaders
from graphsvc.api.uploads import BodyLimits, UploadFolder
from graphsvc.config import get_settings
from graphsvc.service import Network, open_network

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


def create_app(network: Network | None = None, *, close: bool = False) -> FastAPI:
    """The web service over ``network`` (default: the configured store and accounts).

    The app opens and closes the configured network itself; a network handed
    in stays the caller's unless ``close`` hands it over. Outside development
    it refuses to start without a proper ``GRAPHSVC_SECRET_KEY``.
    """
    settings = get_settings()
    settings.signing_key  # noqa: B018 - raises now, before serving, if the secret is weak
    settings.trusted_proxy_networks  # noqa: B018 - and if a listed proxy is no address
    settings.introduction_weight_values  # noqa: B018 - and if a weight is unknown

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with ExitStack() as owned:
            if network is None:
                app.state.network = owned.enter_context(open_network(background=True))
            else:
                app.state.network = network
                if close:
                    owned.callback(network.close)
            app.state.uploads = owned.enter_context(UploadFolder.opened())
            app.state.network.warm_up()
            yield

    app = FastAPI(
        title="graphsvc",
        version=__version__,
        summary="Relationship and collaboration mapping for civil-society networks",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_error_handlers(app)
    # Added first, so it runs inside SecurityHeaders and its refusals get the headers too.
    app.add_middleware(BodyLimits)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for module in (summary, auth, people, groups, analysis, charts, maps, admin, buddying, pages):
        app.include_router(module.router)
    app.include_router(buddying.page)
    for module in (my_record, my_record_pages):
        app.include_router(module.router)
    for module in (ties, introduction_requests, tie_pages):
        app.include_router(module.router)
    for module in (accounts, stewardship, accounts_pages):
        app.include_router(module.router)
    return app
