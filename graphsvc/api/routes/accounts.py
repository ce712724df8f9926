"""Accounts: my password, signing out everywhere; invitation and reset links.

An admin makes a one-time link (an invitation for an imported person, or a
password reset for a user); it is shown to them to send and, when a mail
server is configured, emailed too. Whoever opens it chooses a password on the
sign-in page (or sends it to ``POST /api/set-password``).
"""

from fastapi import APIRouter, Request, Response

from graphsvc.access.policy import Capability
from graphsvc.accounts import User
from graphsvc.accounts.links import AccountLink
from graphsvc.accounts.store import AccountError, HashingBusy
from graphsvc.api.deps import SESSION_COOKIE, NetworkDep, SignedInDep, require
from graphsvc.api.errors import ApiError, as_sentence, not_found
from graphsvc.api.routes.admin import RowId
from graphsvc.api.routes.auth import user_public
from graphsvc.api.routes.people import PersonId
from graphsvc.api.schemas import (
    AccountLinkPublic,
    InvitationCreate,
    LinkUse,
    PasswordChange,
    RoleChange,
    UserPublic,
)
from graphsvc.service import Network
from graphsvc.service.mail import MailError, mail_configured, send_mail

router = APIRouter(prefix="/api", tags=["accounts"])
ADMIN = [require(Capability.ADMINISTER)]
GONE_LINK = "This link is unknown, has been used, or has expired: ask an admin for a new one."


@router.post("/me/password", status_code=204, responses={403: {}, 422: {}})
def update_my_password(body: PasswordChange, signed: SignedInDep, network: NetworkDep) -> None:
    """Change my password, given the current one; my other sessions end (bearer tokens stay)."""
    try:
        changed = network.accounts.change_password(
            signed.user.id, body.current_password, body.new_password, keep=signed.token_id
        )
    except AccountError as exc:
        raise ApiError(422, as_sentence(str(exc)), "invalid_request") from None
    except HashingBusy:
        raise ApiError(503, "Too many passwords are being checked; try again.", "busy") from None
    if not changed:
        raise ApiError(403, "The current password is wrong.", "wrong_password")
    network.audit(signed.user.id, "account.password_changed", user=str(signed.user.id))


@router.post("/me/sign-out-everywhere", status_code=204)
def delete_all_my_sessions(signed: SignedInDep, network: NetworkDep, response: Response) -> None:
    """End every session and revoke every bearer token of mine, this one included."""
    network.accounts.revoke_all_tokens(signed.user.id)
    network.audit(signed.user.id, "account.signed_out_everywhere", user=str(signed.user.id))
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.post("/set-password", responses={410: {}, 422: {}})
def create_password_from_link(body: LinkUse, network: NetworkDep) -> UserPublic:
    """Use an invitation or reset link once: the account it makes, or whose password it sets."""
    user = use_link(network, body.token, body.password)
    return user_public(user)


def use_link(network: Network, token: str, password: str) -> User:
    """The user a link was used for; ApiError 410 for a link unknown, used or expired."""
    try:
        user = network.use_account_link(token, password)
    except AccountError as exc:
        status = 409 if "already exists" in str(exc) else 422
        raise ApiError(status, as_sentence(str(exc)), "invalid_request") from None
    if user is None:
        raise ApiError(410, GONE_LINK, "link_gone")
    return user


@router.post(
    "/people/{person_id}/invitation",
    status_code=201,
    dependencies=ADMIN,
    responses={404: {}, 409: {}, 422: {}},
)
def create_invitation(
    person_id: PersonId,
    body: InvitationCreate,
    request: Request,
    signed: SignedInDep,
    network: NetworkDep,
) -> AccountLinkPublic:
    """Invite a person in the network to make an account linked to their record: a
    one-time link, to the person's stored email unless another is given."""
    try:
        made = network.invite_person(person_id, body.email, body.role, actor_user_id=signed.user.id)
    except AccountError as exc:
        status = 409 if "already" in str(exc) else 422
        raise ApiError(status, as_sentence(str(exc))) from None
    if made is None:
        raise not_found("person")
    return _link_public(request, *made)


@router.post(
    "/users/{user_id}/password-reset", status_code=201, dependencies=ADMIN, responses={404: {}}
)
def create_password_reset(
    user_id: RowId, request: Request, signed: SignedInDep, network: NetworkDep
) -> AccountLinkPublic:
    """A one-time link for a user to choose a new password; using it ends their sessions."""
    try:
        made = network.password_reset_link(user_id, actor_user_id=signed.user.id)
    except AccountError:
        raise not_found("user") from None
    return _link_public(request, *made)


@router.patch("/users/{user_id}", dependencies=ADMIN, responses={404: {}, 422: {}})
def update_user_role(
    user_id: RowId, body: RoleChange, signed: SignedInDep, network: NetworkDep
) -> UserPublic:
    """Give a user another role (not yourself: another admin must)."""
    if user_id == signed.user.id:
        raise ApiError(422, "You cannot change your own role.", "invalid_request")
    if not network.change_role(user_id, body.role, actor_user_id=signed.user.id):
        raise not_found("user")
    user = network.accounts.user(user_id)
    assert user is not None
    return user_public(user)


def link_address(request: Request, secret: str) -> str:
    """Where a link's secret is opened: the sign-in page, which then asks for a password."""
    return f"{str(request.base_url).rstrip('/')}/sign-in?token={secret}"


def _link_public(request: Request, link: AccountLink, secret: str) -> AccountLinkPublic:
    address = link_address(request, secret)
    return AccountLinkPublic(
        kind=link.kind,
        link=address,
        email=link.email,
        expires=link.expires,
        emailed=_emailed(link, address),
    )


def _emailed(link: AccountLink, address: str) -> bool:
    """Send the link by email when a mail server is configured; whether it was sent."""
    if not mail_configured():
        return False
    if link.kind == "invite":
        subject = "You are invited to the network map"
        text = f"Open this link to choose a password and sign in (it works once):\n\n{address}\n"
    else:
        subject = "Choose a new password for the network map"
        text = f"Open this link to choose a new password (it works once):\n\n{address}\n"
    try:
        send_mail(link.email, subject, f"{text}\nIt expires at {link.expires} (UTC).\n")
    except MailError:
        return False
    return True
