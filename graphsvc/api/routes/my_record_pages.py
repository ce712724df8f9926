"""The pages of a member's own record (``/me``, ``/me/data``) and the admins' page for
members' requests and the questions members may answer (``/records-admin``)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from graphsvc.access.policy import Capability
from graphsvc.api.deps import ViewDep
from graphsvc.api.errors import ApiError
from graphsvc.api.routes.my_record import NOT_LINKED
from graphsvc.api.routes.pages import PageUser, _able, _page
from graphsvc.model import ThemeKind
from graphsvc.service import Network
from graphsvc.service.self_description import answers_of

router = APIRouter(include_in_schema=False)


def _network(request: Request) -> Network:
    network: Network = request.app.state.network
    return network


@router.get("/me", response_class=HTMLResponse)
def read_my_record_page(request: Request, signed: PageUser, view: ViewDep) -> Response:
    person_id = signed.user.person_id
    if person_id is None:
        return _page(request, signed, "my_record.html", {"record": None, "not_linked": NOT_LINKED})
    record = _network(request).my_record(person_id)
    if record is None:
        raise ApiError(404, "your record is no longer held here", "not_found")
    held = {h.id for h in record.interests}
    # Every interest the network knows, so a member picks one already used by others.
    themes = [
        (t, view.name(t), t in held)
        for t in view.nodes_of_kind("Theme")
        if view.prop(t, "category") in (None, ThemeKind.INTEREST.value) or t in held
    ]
    known = {t for t, _, _ in themes}
    themes += [(h.id, h.name or h.id, True) for h in record.interests if h.id not in known]
    context: dict[str, Any] = {"record": record, "themes": themes, "not_linked": None}
    return _page(request, signed, "my_record.html", context)


@router.get("/me/data", response_class=HTMLResponse)
def read_my_data_page(request: Request, signed: PageUser) -> Response:
    """Everything held about me, as a page to read (the JSON download holds the same)."""
    if signed.user.person_id is None:
        raise ApiError(404, NOT_LINKED, "not_linked")
    held = _network(request).export_person(signed.user.person_id, actor_user_id=signed.user.id)
    if held is None:
        raise ApiError(404, "your record is no longer held here", "not_found")
    asked = {q.key: q for q in _network(request).self_description_questions()}
    answers = [
        (asked[key].label if key in asked else key, answer)
        for key, answer in answers_of(held["person"].get("self_description")).items()
    ]
    return _page(request, signed, "my_data.html", {"held": held, "answers": answers})


@router.get("/records-admin", response_class=HTMLResponse)
def read_records_admin_page(request: Request, signed: PageUser) -> Response:
    _able(signed, Capability.ADMINISTER, "admins")
    network = _network(request)
    context = {
        "requests": network.erasure_requests(),
        "questions": network.self_description_questions(),
    }
    return _page(request, signed, "records_admin.html", context)
