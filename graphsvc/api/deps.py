"""Request dependencies: the network (the application layer) and what it answers from,
who is signed in, what they may do."""

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability
from graphsvc.accounts import AccountStore, User
from graphsvc.analysis.membership import MembershipSummary
from graphsvc.analysis.pipeline import Analysis
from graphsvc.api.errors import ApiError
from graphsvc.config import get_settings
from graphsvc.service import Current, Generation, Network, NetworkView
from graphsvc.store import GraphStore

SESSION_COOKIE = "graphsvc_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(auto_error=False, description="A token from POST /api/me/tokens")
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Set by POST /api/sign-in"
)


async def get_network(request: Request) -> Network:
    network: Network = request.app.state.network
    return network


# The dependencies that only look things up are async: FastAPI runs a plain
# function in a worker thread, and a request's handful of thread hops showed
# under load. Those that may wait on the database or compute stay plain.
NetworkDep = Annotated[Network, Depends(get_network)]


async def get_store(network: NetworkDep) -> GraphStore:
    return network.store


async def get_accounts(network: NetworkDep) -> AccountStore:
    return network.accounts


StoreDep = Annotated[GraphStore, Depends(get_store)]
AccountsDep = Annotated[AccountStore, Depends(get_accounts)]


def get_current(network: NetworkDep) -> Current:
    """What this request is answered from: FastAPI asks once per request, so the
    view, the analysis and the rest of one response come from the same version."""
    return network.current()


CurrentDep = Annotated[Current, Depends(get_current)]


async def get_generation(current: CurrentDep) -> Generation:
    return current.generation


GenerationDep = Annotated[Generation, Depends(get_generation)]


async def get_view(current: CurrentDep) -> NetworkView:
    return current.view


ViewDep = Annotated[NetworkView, Depends(get_view)]


def get_analysis(network: NetworkDep, current: CurrentDep) -> Analysis:
    """The last finished analysis (computed here only if the service has none yet)."""
    return network.analysis(current)


AnalysisDep = Annotated[Analysis, Depends(get_analysis)]


def get_membership_summary(current: CurrentDep) -> MembershipSummary:
    """The membership summary of the version answered from."""
    return current.generation.membership()


MembershipSummaryDep = Annotated[MembershipSummary, Depends(get_membership_summary)]


def csrf_token(token_id: str) -> str:
    """The form token for a session: a signature of its id, checked on every change."""
    key = get_settings().signing_key
    return hmac.new(key, f"csrf:{token_id}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    user: User
    token_id: str
    via: Literal["bearer", "session"]

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.user.role, self.user.person_id)


async def get_signed_in(
    request: Request,
    accounts: AccountsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    session: Annotated[str | None, Security(cookie_scheme)],
) -> SignedIn:
    """Who is signed in, by bearer token or session cookie; 401 if nobody.

    A change made through the session cookie must carry the session's form
    token in ``X-CSRF-Token``, so another site cannot make it on a member's
    behalf.
    """
    if bearer is not None:
        found = accounts.user_for_token(bearer.credentials, "bearer")
        if found is None:
            raise ApiError(
                401,
                "the bearer token is unknown, expired or revoked",
                "unauthorised",
                {"WWW-Authenticate": "Bearer"},
            )
        return SignedIn(found[0], found[1], "bearer")
    if session:
        found = accounts.user_for_token(session, "session")
        if found is not None:
            signed = SignedIn(found[0], found[1], "session")
            if request.method not in SAFE_METHODS:
                given = request.headers.get(CSRF_HEADER, "")
                if not hmac.compare_digest(given, csrf_token(signed.token_id)):
                    raise ApiError(
                        403,
                        f"a change through the session cookie needs the {CSRF_HEADER} "
                        "header that sign-in returned",
                        "csrf",
                    )
            return signed
    raise ApiError(
        401,
        "sign in first (POST /api/sign-in) or send a bearer token",
        "unauthorised",
        {"WWW-Authenticate": "Bearer"},
    )


SignedInDep = Annotated[SignedIn, Depends(get_signed_in)]


async def signed_in_before_body(request: Request) -> SignedIn:
    """Who is signed in, found as for :data:`SignedInDep`, for a check that must run
    before FastAPI reads the request's body (it does so before any dependency)."""
    network = await get_network(request)
    bearer = await bearer_scheme(request)
    session = await cookie_scheme(request)
    return await get_signed_in(request, network.accounts, bearer, session)


async def get_viewer(signed: SignedInDep) -> Viewer:
    return signed.viewer


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def require(capability: Capability) -> Any:
    """A dependency that lets through only viewers with ``capability`` (403 otherwise)."""

    async def check(viewer: ViewerDep) -> Viewer:
        return check_capability(viewer, capability)

    return Depends(check)


def check_capability(viewer: Viewer, capability: Capability) -> Viewer:
    """``viewer``, if their role has ``capability``; ApiError 403 otherwise."""
    if not viewer.can(capability):
        raise ApiError(403, f"your role may not use {capability.value}", "forbidden")
    return viewer


# Convenors and admins: constellations in full, gaps, charts and aggregates.
AnalysisViewer = Annotated[Viewer, require(Capability.ANALYSIS)]
