"""Pages for people, rendered on the server; signed in by the session cookie."""

import hmac
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from graphsvc.access.policy import Capability
from graphsvc.analysis.gaps import MIN_GROUP_SIZE
from graphsvc.analysis.weaving import nation_of
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
from graphsvc.api.navigation import menu_for, pages_for
from graphsvc.api.present import count_for
from graphsvc.api.return_to import MOST, safe_next, sign_in_for
from graphsvc.api.routes.summary import MembershipPublic
from graphsvc.api.sign_in import check_sign_in, start_session
from graphsvc.service import Network
from importers.attendance import FORMAT_NAMES, FORMATS
from visualisations.painter import unique_labels

# Jinja2Templates autoescapes .html templates: every user string is escaped.
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
router = APIRouter(include_in_schema=False)
FAVICON = Path(__file__).parent.parent / "static" / "favicon.svg"


def _signed_in(request: Request, accounts: AccountsDep) -> SignedIn | None:
    secret = request.cookies.get(SESSION_COOKIE)
    found = accounts.user_for_token(secret, "session") if secret else None
    return SignedIn(found[0], found[1], "session") if found else None


def _page_user(request: Request, accounts: AccountsDep) -> SignedIn:
    """Who is signed in to this page; anyone else is sent to the sign-in page."""
    signed = _signed_in(request, accounts)
    if signed is None:
        where = sign_in_for(request)
        raise ApiError(303, "Sign in first.", "sign_in", headers={"location": where})
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
            "menu": menu_for(signed.viewer, request.url.path),
            "freshness": network.freshness(),
            **(context or {}),
        },
    )


@router.get("/", response_class=HTMLResponse)
def read_home(
    request: Request,
    signed: PageUser,
    store: StoreDep,
    view: ViewDep,
    summary: MembershipSummaryDep,
) -> Response:
    largest = max([c for _, c in summary.by_region] + [1])
    shown = MembershipPublic.of(summary, signed.viewer)
    person = view.person(signed.user.person_id) if signed.user.person_id else None
    admin = signed.viewer.can(Capability.ADMINISTER)
    network: Network = request.app.state.network
    context = {
        # Greeted by the name held for them; an account of no one by its email.
        "greeting": person.name if person else signed.user.email,
        "linked": signed.user.person_id is not None,
        "summary": shown,
        "largest_region": largest,
        # The store's own counts, in words, and the requests waiting: for admins.
        "counts": store.counts() if admin else None,
        "erasure_requests": len(network.erasure_requests()) if admin else 0,
    }
    return _page(request, signed, "index.html", context)


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
            # Numbered where two share a label, as the map's key numbers them.
            sorted(unique_labels(analysis).items(), key=lambda item: item[1]),
        ),
    ]
    return _page(request, signed, "explore.html", {"filters": filters})


@router.get("/my-network", response_class=HTMLResponse)
def read_my_network(request: Request, signed: PageUser) -> Response:
    if signed.user.person_id is None:
        raise ApiError(404, "this account is not linked to a person in the network", "not_found")
    return _page(request, signed, "my_network.html", {"person_id": signed.user.person_id})


@router.get("/introductions", response_class=HTMLResponse)
def read_introductions_page(request: Request, signed: PageUser, view: ViewDep) -> Response:
    _able(signed, Capability.ANY_INTRODUCTIONS, "connectors and admins")
    people = view.profile.people.values()
    regions = sorted({p.region for p in people if p.region})
    # Group names only: not personal, the same for every role.
    filters = [
        ("region", "Region", [(r, r) for r in regions]),
        ("nation", "Nation", [(n, n) for n in sorted({str(nation_of(r)) for r in regions})]),
        ("sector", "Sector", [(s, s) for s in sorted({p.sector for p in people if p.sector})]),
        ("cell", "Cell", [(c, view.name(c)) for c in view.nodes_of_kind("Cell")]),
    ]
    # Pairs among their own contacts: for a viewer who is someone in the network.
    context = {"filters": filters, "own_person": signed.user.person_id}
    return _page(request, signed, "introductions.html", context)


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
    people = view.profile.people.values()
    context = {
        "cells": cells,
        "min_size": MIN_GROUP_SIZE,
        "as_of": analysis.gaps.as_of,
        # Group names only, for the lists' filters: the same for every role.
        "regions": sorted({p.region for p in people if p.region}),
        "sectors": sorted({p.sector for p in people if p.sector}),
    }
    return _page(request, signed, "gaps.html", context)


@router.get("/imports", response_class=HTMLResponse)
def read_imports_page(request: Request, signed: PageUser) -> Response:
    _able(signed, Capability.ADMINISTER, "admins")
    # Every attendance format the importers read, so the page offers each one.
    formats = [(name, FORMAT_NAMES.get(name, name)) for name in FORMATS if name != "auto"]
    return _page(request, signed, "imports.html", {"formats": formats})


@router.get("/favicon.ico")
def read_favicon() -> FileResponse:
    """The service's icon: an SVG, which browsers take at this address too."""
    return FileResponse(FAVICON, media_type="image/svg+xml")


@router.get("/sign-in", response_class=HTMLResponse)
def read_sign_in(
    request: Request,
    token: Annotated[str | None, Query(max_length=200)] = None,
    next: Annotated[str | None, Query(max_length=MOST)] = None,
) -> Response:
    if token:  # an invitation or password-reset link: choose a password
        from graphsvc.api.routes.accounts_pages import set_password_page

        return set_password_page(request, token)
    said = {"error": None, "email": "", "next": safe_next(next)}
    return templates.TemplateResponse(request, "sign_in.html", said)


@router.post("/sign-in", response_class=HTMLResponse)
def create_page_session(
    request: Request,
    accounts: AccountsDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str | None, Form(max_length=MOST)] = None,
) -> Response:
    back_to = safe_next(next)
    try:
        user = check_sign_in(accounts, email, password, request)
    except ApiError as exc:
        page = templates.TemplateResponse(
            request,
            "sign_in.html",
            {"error": exc.message, "email": email, "next": back_to},
            status_code=exc.status,
            headers=exc.headers,
        )
        return page
    response = RedirectResponse(back_to or "/", status_code=303)
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
