"""Pages for accounts (``/account``, choosing a password from a link) and for an
admin's stewardship (``/stewardship``: merges, corrections, invitations, resets;
``/audit``: the audit log).

Plain HTML forms: each change is a POST carrying the session's form token
(``csrf_token``), checked here before anything is done.
"""

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graphsvc.access import Role
from graphsvc.access.policy import Capability
from graphsvc.accounts.audit import AuditFilter
from graphsvc.accounts.links import AccountLink
from graphsvc.accounts.store import MIN_PASSWORD_LENGTH, AccountError, HashingBusy
from graphsvc.api.deps import SESSION_COOKIE, SignedIn, ViewDep, csrf_token
from graphsvc.api.errors import ApiError, as_sentence
from graphsvc.api.routes.accounts import GONE_LINK, _link_public
from graphsvc.api.routes.pages import PageUser, _able, _page, templates
from graphsvc.api.schemas import AccountLinkPublic
from graphsvc.api.sign_in import refuse_other_sites, start_session
from graphsvc.service import Network, NetworkView
from graphsvc.service.stewardship import Rectification, StewardshipError

router = APIRouter(include_in_schema=False)

CsrfField = Annotated[str, Form(alias="csrf_token", max_length=200)]
Text = Annotated[str, Form(max_length=1000)]
AUDIT_PAGE = 100


def _network(request: Request) -> Network:
    network: Network = request.app.state.network
    return network


def _checked(signed: SignedIn, given: str) -> None:
    """ApiError 403 unless the form carries this session's form token."""
    if not hmac.compare_digest(given, csrf_token(signed.token_id)):
        raise ApiError(403, "This form is out of date: reload the page and try again.", "csrf")


def _admin(signed: SignedIn) -> None:
    _able(signed, Capability.ADMINISTER, "admins")


# --- my account -------------------------------------------------------------------------


@router.get("/account", response_class=HTMLResponse)
def read_account_page(request: Request, signed: PageUser) -> Response:
    return _account_page(request, signed)


def _account_page(
    request: Request,
    signed: SignedIn,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    tokens = _network(request).accounts.tokens(signed.user.id)
    context = {
        "tokens": tokens,
        "this_token": signed.token_id,
        "message": message,
        "error": as_sentence(error) if error else None,
        "min_length": MIN_PASSWORD_LENGTH,
    }
    page = _page(request, signed, "account.html", context)
    page.status_code = status
    return page


@router.post("/account/password", response_class=HTMLResponse)
def update_password_page(
    request: Request,
    signed: PageUser,
    csrf: CsrfField,
    current_password: Text,
    new_password: Text,
    new_password_again: Text,
) -> Response:
    _checked(signed, csrf)
    if new_password != new_password_again:
        return _account_page(request, signed, error="The new passwords differ.", status=422)
    accounts = _network(request).accounts
    try:
        changed = accounts.change_password(
            signed.user.id, current_password, new_password, keep=signed.token_id
        )
    except AccountError as exc:
        return _account_page(request, signed, error=str(exc), status=422)
    except HashingBusy:
        return _account_page(request, signed, error="Busy: try again in a moment.", status=503)
    if not changed:
        return _account_page(request, signed, error="The current password is wrong.", status=403)
    _network(request).audit(signed.user.id, "account.password_changed", user=str(signed.user.id))
    return _account_page(
        request, signed, message="Password changed. Your other sessions have been signed out."
    )


@router.post("/account/sign-out-everywhere")
def delete_all_sessions_page(request: Request, signed: PageUser, csrf: CsrfField) -> Response:
    _checked(signed, csrf)
    network = _network(request)
    network.accounts.revoke_all_tokens(signed.user.id)
    network.audit(signed.user.id, "account.signed_out_everywhere", user=str(signed.user.id))
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- choosing a password from an invitation or reset link -------------------------------


def _earlier_links(links: list[AccountLink], made: AccountLinkPublic | None) -> list[AccountLink]:
    """The open links other than ``made``, the one just made (shown in full above)."""
    if made is None:
        return links
    return [
        link
        for link in links
        if (link.kind, link.email, link.expires) != (made.kind, made.email, made.expires)
    ]


def set_password_page(
    request: Request, token: str, *, error: str | None = None, status: int = 200
) -> Response:
    """The sign-in page for a link: who it is for, and a form to choose a password."""
    link = _network(request).accounts.links.peek(token)
    context = {
        "link": link,
        "token": token if link else "",
        "error": (as_sentence(error) if error else None) if link else GONE_LINK,
        "min_length": MIN_PASSWORD_LENGTH,
    }
    return templates.TemplateResponse(
        request, "set_password.html", context, status_code=status if link else 410
    )


@router.post("/set-password", response_class=HTMLResponse)
def create_password_page(
    request: Request,
    token: Annotated[str, Form(max_length=200)],
    password: Text,
    password_again: Text,
) -> Response:
    refuse_other_sites(request)
    if password != password_again:
        return set_password_page(request, token, error="The passwords differ.", status=422)
    network = _network(request)
    try:
        user = network.use_account_link(token, password)
    except AccountError as exc:
        return set_password_page(request, token, error=str(exc), status=422)
    if user is None:
        return set_password_page(request, token)
    response = RedirectResponse("/", status_code=303)
    start_session(network.accounts, user, response)
    return response


# --- an admin's stewardship -------------------------------------------------------------


@router.get("/stewardship", response_class=HTMLResponse)
def read_stewardship_page(
    request: Request,
    signed: PageUser,
    q: Annotated[str | None, Query(max_length=200)] = None,
    done: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    _admin(signed)
    network = _network(request)
    store = network.store
    merges = network.accounts.merges.recent()
    kept_names = {m.kept: (store.person(m.kept) or {}).get("name") for m in merges}
    context: dict[str, Any] = {
        "pairs": store.possible_matches(),
        "merges": merges,
        "kept_names": kept_names,
        "q": q or "",
        "found": store.search_people(q, 30) if q else [],
        "done": done,
        "users": network.accounts.users(),
        "roles": [r.value for r in Role],
    }
    return _page(request, signed, "stewardship.html", context)


@router.post("/stewardship/users/{user_id}/role")
def update_role_page(
    request: Request,
    signed: PageUser,
    csrf: CsrfField,
    user_id: int,
    role: Annotated[Role, Form()],
) -> Response:
    _admin(signed)
    _checked(signed, csrf)
    if user_id == signed.user.id:
        raise ApiError(422, "You cannot change your own role.", "invalid_request")
    if not _network(request).change_role(user_id, role, actor_user_id=signed.user.id):
        raise ApiError(404, "No user with that id.", "not_found")
    return RedirectResponse("/stewardship?done=role#users-heading", status_code=303)


@router.post("/stewardship/merges")
def create_merge_page(
    request: Request,
    signed: PageUser,
    csrf: CsrfField,
    kept: Annotated[str, Form(max_length=200)],
    gone: Annotated[str, Form(max_length=200)],
) -> Response:
    _admin(signed)
    _checked(signed, csrf)
    try:
        record = _network(request).merge_people(kept, gone, actor_user_id=signed.user.id)
    except StewardshipError as exc:
        raise ApiError(422, as_sentence(str(exc)), "invalid_request") from None
    return RedirectResponse(f"/stewardship?done=merged-{record.id}", status_code=303)


@router.post("/stewardship/merges/{merge_id}/undo")
def create_merge_undo_page(
    request: Request, signed: PageUser, csrf: CsrfField, merge_id: int
) -> Response:
    _admin(signed)
    _checked(signed, csrf)
    try:
        record = _network(request).undo_merge(merge_id, actor_user_id=signed.user.id)
    except StewardshipError as exc:
        raise ApiError(409, as_sentence(str(exc)), "cannot_undo") from None
    if record is None:
        raise ApiError(404, "No merge with that id.", "not_found")
    return RedirectResponse(f"/stewardship?done=undone-{record.id}", status_code=303)


@router.get("/stewardship/people/{person_id}", response_class=HTMLResponse)
def read_steward_person_page(
    request: Request,
    signed: PageUser,
    view: ViewDep,
    person_id: str,
    done: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    _admin(signed)
    return _steward_person_page(request, signed, view, person_id, done=done)


def _steward_person_page(
    request: Request,
    signed: SignedIn,
    view: NetworkView,
    person_id: str,
    *,
    done: str | None = None,
    error: str | None = None,
    made: AccountLinkPublic | None = None,
    status: int = 200,
) -> Response:
    network = _network(request)
    store = network.store
    person = store.person(person_id)
    if person is None:
        kept = network.merged_into(person_id)
        if kept:
            return RedirectResponse(f"/stewardship/people/{kept}?done=merged-into", 303)
        raise ApiError(404, "No person with that id.", "not_found")
    if (person.get("email") or person.get("phone")) and signed.user.person_id != person_id:
        network.audit(signed.user.id, "contact.viewed", person_id)
    organisations = store.linked(("WORKS_WITH", "Person", "Organisation"), person_id)
    places = store.linked(("BASED_IN", "Person", "Place"), person_id)
    context: dict[str, Any] = {
        "person_id": person_id,
        "person": person,
        "organisation": organisations[0] if organisations else "",
        "place": places[0] if places else "",
        "organisations": [(o, view.name(o)) for o in view.nodes_of_kind("Organisation")],
        "places": [(p, view.name(p)) for p in view.nodes_of_kind("Place")],
        "users": [u for u in network.accounts.users() if u.person_id == person_id],
        "links": _earlier_links(network.accounts.links.open_for(person_id), made),
        "roles": [r.value for r in Role],
        "done": done,
        "error": as_sentence(error) if error else None,
        "made": made,
    }
    page = _page(request, signed, "steward_person.html", context)
    page.status_code = status
    return page


@router.post("/stewardship/people/{person_id}", response_class=HTMLResponse)
def update_person_page(
    request: Request,
    signed: PageUser,
    view: ViewDep,
    csrf: CsrfField,
    person_id: str,
    name: Text,
    email: Text = "",
    phone: Text = "",
    job_title: Text = "",
    organisation: Annotated[str, Form(max_length=200)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    _admin(signed)
    _checked(signed, csrf)
    change = Rectification(
        name=name,
        email=email,
        phone=phone,
        job_title=job_title,
        organisation=organisation.strip() or None,
        place=place.strip() or None,
    )
    try:
        changed = _network(request).rectify_person(person_id, change, actor_user_id=signed.user.id)
    except StewardshipError as exc:
        return _steward_person_page(request, signed, view, person_id, error=str(exc), status=422)
    if changed is None:
        raise ApiError(404, "No person with that id.", "not_found")
    done = "corrected: " + ", ".join(changed) if changed else "nothing changed"
    return RedirectResponse(f"/stewardship/people/{person_id}?done={done}", status_code=303)


@router.post("/stewardship/people/{person_id}/invitation", response_class=HTMLResponse)
def create_invitation_page(
    request: Request,
    signed: PageUser,
    view: ViewDep,
    csrf: CsrfField,
    person_id: str,
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[Role, Form()] = Role.MEMBER,
) -> Response:
    _admin(signed)
    _checked(signed, csrf)
    network = _network(request)
    try:
        made = network.invite_person(
            person_id, email.strip() or None, role, actor_user_id=signed.user.id
        )
    except AccountError as exc:
        return _steward_person_page(request, signed, view, person_id, error=str(exc), status=422)
    if made is None:
        raise ApiError(404, "No person with that id.", "not_found")
    shown = _link_public(request, *made)
    return _steward_person_page(request, signed, view, person_id, made=shown, status=201)


@router.post("/stewardship/users/{user_id}/password-reset", response_class=HTMLResponse)
def create_password_reset_page(
    request: Request, signed: PageUser, view: ViewDep, csrf: CsrfField, user_id: int
) -> Response:
    _admin(signed)
    _checked(signed, csrf)
    network = _network(request)
    try:
        made = network.password_reset_link(user_id, actor_user_id=signed.user.id)
    except AccountError:
        raise ApiError(404, "No user with that id.", "not_found") from None
    shown = _link_public(request, *made)
    if made[0].person_id is None:
        return _page(request, signed, "link_made.html", {"made": shown})
    return _steward_person_page(request, signed, view, made[0].person_id, made=shown, status=201)


# --- the audit log ------------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def read_audit_page(
    request: Request,
    signed: PageUser,
    action: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[str | None, Query(max_length=20)] = None,
    mentions: Annotated[str | None, Query(max_length=100)] = None,
    since: Annotated[str | None, Query(max_length=25)] = None,
    until: Annotated[str | None, Query(max_length=25)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    _admin(signed)
    log = _network(request).accounts.audit
    actor_id = int(actor) if actor and actor.isdigit() else None
    where = AuditFilter(
        action=action or None,
        actor=actor_id,
        mentions=mentions or None,
        since=since or None,
        until=until or None,
    )
    chosen = {
        "action": action or "",
        "actor": actor or "",
        "mentions": mentions or "",
        "since": since or "",
        "until": until or "",
    }
    context = {
        "entries": log.entries(where, offset=offset, limit=AUDIT_PAGE),
        "total": log.count(where),
        "offset": offset,
        "page_size": AUDIT_PAGE,
        "actions": log.actions(),
        "chosen": chosen,
        "query": {k: v for k, v in chosen.items() if v},
    }
    return _page(request, signed, "audit.html", context)
