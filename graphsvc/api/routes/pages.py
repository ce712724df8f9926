"""Pages for people, rendered on the server; signed in by the session cookie."""

import hmac
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from graphsvc.access.policy import Capability
from graphsvc.analysis.gaps import MIN_GROUP_SIZE
from graphsvc.api.deps import (
    SESSION_COOKIE,
    AccountsDep,
    AnalysisDep,
    MembershipSummaryDep,
    SignedIn,
    StoreDep,
    ViewDep,
    csrf_token,
)
from graphsvc.api.errors import ApiError
from graphsvc.api.navigation import pages_for
from graphsvc.api.present import count_for
from graphsvc.api.routes.summary import MembershipPublic
from graphsvc.api.sign_in import check_sign_in, start_session
from graphsvc.service import Network
from importers.attendance import FORMAT_NAMES, FORMATS

# Jinja2Templates autoescapes .html templates: every user string is escaped.
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
router = APIRouter(include_in_schema=False)


def _signed_in(request: Request, accounts: AccountsDep) -> SignedIn | None:
    secret = request.cookies.get(SESSION_COOKIE)
    found = accounts.user_for_token(secret, "session") if secret else None
    return SignedIn(found[0], found[1], "session") if found else None


def _page_user(request: Request, accounts: AccountsDep) -> SignedIn:
    """Who is signed in to this page; anyone else is sent to the sign-in page."""
    signed = _signed_in(request, accounts)
    if signed is None:
        raise ApiError(303, "sign in first", "sign_in", headers={"location": "/sign-in"})
    return signed


PageUser = Annotated[SignedIn, Depends(_page_user)]


def _able(signed: SignedIn, capability: Capability, who: str) -> None:
    if not signed.viewer.can(capability):
        raise ApiError(403, f"this page is for {who}", "forbidden")


def _page(
    request: Request, signed: SignedIn, template: str, context: dict[str, Any] | None = None
) -> Response:
    network: Network = request.app.state.network
    return templates.TemplateResponse(
        request,
        template,
        {
            "signed_in": signed,
            "csrf": csrf_token(signed.token_id),
            "pages": pages_for(signed.viewer),
            "freshness": network.freshness(),
            **(context or {}),
        },
    )


@router.get("/", response_class=HTMLResponse)
def read_home(
    request: Request, signed: PageUser, store: StoreDep, summary: MembershipSummaryDep
) -> Response:
    largest = max([c for _, c in summary.by_region] + [1])
    shown = MembershipPublic.of(summary, signed.viewer)
    return _page(
        request,
        signed,
        "index.html",
        {"counts": store.counts(), "summary": shown, "largest_region": largest},
    )


@router.get("/explore", response_class=HTMLResponse)
def read_explore(
    request: Request, signed: PageUser, view: ViewDep, analysis: AnalysisDep
) -> Response:
    people = view.profile.people.values()
    # Group names only: not personal, the same for every role.
    filters = [
        ("cell", "Cell", [(c, view.name(c)) for c in view.nodes_of_kind("Cell")]),
        ("region", "Region", [(r, r) for r in sorted({p.region for p in people if p.region})]),
        ("sector", "Sector", [(s, s) for s in sorted({p.sector for p in people if p.sector})]),
        ("interest", "Theme", [(t, view.name(t)) for t in view.nodes_of_kind("Theme")]),
        (
            "constellation",
            "Constellation",
            [(c.id, c.label) for c in analysis.constellations.constellations],
        ),
    ]
    return _page(request, signed, "explore.html", {"filters": filters})


@router.get("/my-network", response_class=HTMLResponse)
def read_my_network(request: Request, signed: PageUser) -> Response:
    if signed.user.person_id is None:
        raise ApiError(404, "this account is not linked to a person in the network", "not_found")
    return _page(request, signed, "my_network.html", {"person_id": signed.user.person_id})


@router.get("/introductions", response_class=HTMLResponse)
def read_introductions_page(request: Request, signed: PageUser) -> Response:
    _able(signed, Capability.ANY_INTRODUCTIONS, "connectors and admins")
    return _page(request, signed, "introductions.html")


@router.get("/gaps", response_class=HTMLResponse)
def read_gaps_page(
    request: Request, signed: PageUser, view: ViewDep, analysis: AnalysisDep
) -> Response:
    _able(signed, Capability.ANALYSIS, "convenors and admins")
    members = analysis.profile.cells if analysis.profile else {}
    # Cell names and sizes only ("fewer than N" where small, except to admins).
    sizes = {c: len(members.get(c, [])) for c in view.nodes_of_kind("Cell")}
    cells = [
        (c, view.name(c), count_for(signed.viewer, n), n >= MIN_GROUP_SIZE)
        for c, n in sizes.items()
    ]
    context = {"cells": cells, "min_size": MIN_GROUP_SIZE, "as_of": analysis.gaps.as_of}
    return _page(request, signed, "gaps.html", context)


@router.get("/imports", response_class=HTMLResponse)
def read_imports_page(request: Request, signed: PageUser) -> Response:
    _able(signed, Capability.ADMINISTER, "admins")
    # Every attendance format the importers read, so the page offers each one.
    formats = [(name, FORMAT_NAMES.get(name, name)) for name in FORMATS if name != "auto"]
    return _page(request, signed, "imports.html", {"formats": formats})


@router.get("/sign-in", response_class=HTMLResponse)
def read_sign_in(request: Request) -> Response:
    return templates.TemplateResponse(request, "sign_in.html", {"error": None, "email": ""})


@router.post("/sign-in", response_class=HTMLResponse)
def create_page_session(
    request: Request,
    accounts: AccountsDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        user = check_sign_in(accounts, email, password, request)
    except ApiError as exc:
        page = templates.TemplateResponse(
            request,
            "sign_in.html",
            {"error": exc.message, "email": email},
            status_code=exc.status,
            headers=exc.headers,
        )
        return page
    response = RedirectResponse("/", status_code=303)
    start_session(accounts, user, response)
    return response


@router.post("/sign-out")
def delete_page_session(
    request: Request,
    accounts: AccountsDep,
    csrf_token_field: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    signed = _signed_in(request, accounts)
    response = RedirectResponse("/sign-in", status_code=303)
    if signed is not None and hmac.compare_digest(csrf_token_field, csrf_token(signed.token_id)):
        accounts.revoke_token(signed.user.id, signed.token_id)
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response
