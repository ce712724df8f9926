"""The pages for ties and introduction requests: People I know, My introductions,
Requests to pass on (connectors) and Relationship surveys (convenors). Each page
is a frame its script fills from the JSON API, so what it shows is exactly what
the API lets the viewer see."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from graphsvc.access.policy import Capability
from graphsvc.api.deps import SignedIn, ViewDep
from graphsvc.api.errors import ApiError
from graphsvc.api.routes.pages import PageUser, _able, _page

router = APIRouter(include_in_schema=False)


def _own_person(signed: SignedIn) -> str:
    if signed.user.person_id is None:
        raise ApiError(404, "this account is not linked to a person in the network", "not_found")
    return signed.user.person_id


@router.get("/me/ties", response_class=HTMLResponse)
def read_my_ties_page(request: Request, signed: PageUser, person: str | None = None) -> Response:
    """People I know: name who you work with, and answer those who named you."""
    _own_person(signed)
    return _page(request, signed, "me_ties.html", {"chosen": person or ""})


@router.get("/introduction-requests", response_class=HTMLResponse)
def read_my_introduction_requests_page(
    request: Request, signed: PageUser, to: str | None = None
) -> Response:
    """My introductions: ask for one, answer those asked of you, pass on those you are named in."""
    _own_person(signed)
    return _page(request, signed, "introduction_requests.html", {"chosen": to or ""})


@router.get("/introduction-queue", response_class=HTMLResponse)
def read_introduction_queue_page(request: Request, signed: PageUser) -> Response:
    """Requests to pass on: the connectors' queue."""
    _able(signed, Capability.ANY_INTRODUCTIONS, "connectors and admins")
    return _page(request, signed, "introduction_queue.html")


@router.get("/tie-surveys", response_class=HTMLResponse)
def read_tie_surveys_page(request: Request, signed: PageUser, view: ViewDep) -> Response:
    """Relationship surveys: open a round, follow who answered, close it."""
    _able(signed, Capability.ANALYSIS, "convenors and admins")
    people = view.profile.people.values()
    # Group names only, for the round's focus: the same for every role.
    cells = [(c, view.name(c)) for c in view.nodes_of_kind("Cell")]
    regions = sorted({p.region for p in people if p.region})
    return _page(request, signed, "tie_surveys.html", {"cells": cells, "regions": regions})
