"""Signing in and out, who I am, and my bearer tokens."""

from fastapi import APIRouter, Request, Response

from graphsvc.accounts import User
from graphsvc.api.deps import (
    SESSION_COOKIE,
    AccountsDep,
    SignedInDep,
    StoreDep,
    ViewDep,
    csrf_token,
)
from graphsvc.api.errors import ApiError
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import (
    MePublic,
    SignedIn,
    SignIn,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserPublic,
)
from graphsvc.api.sign_in import check_sign_in, start_session

router = APIRouter(prefix="/api", tags=["sign-in"])


def user_public(user: User) -> UserPublic:
    return UserPublic(
        id=user.id, email=user.email, role=user.role, person_id=user.person_id, created=user.created
    )


@router.post("/sign-in", responses={401: {}, 429: {}})
def create_session(
    body: SignIn, request: Request, response: Response, accounts: AccountsDep
) -> SignedIn:
    """Sign in with email and password: sets the session cookie for pages.

    Programs should make a bearer token once (``POST /api/me/tokens``) and
    send it as ``Authorization: Bearer ...``.
    """
    user = check_sign_in(accounts, body.email, body.password, request)
    token_id = start_session(accounts, user, response)
    return SignedIn(user=user_public(user), csrf_token=csrf_token(token_id))


@router.post("/sign-out", status_code=204)
def delete_session(signed: SignedInDep, accounts: AccountsDep, response: Response) -> None:
    """End this session (or, with a bearer token, revoke that token)."""
    accounts.revoke_token(signed.user.id, signed.token_id)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
def read_me(signed: SignedInDep, view: ViewDep, store: StoreDep) -> MePublic:
    """The signed-in user and, where linked, their own record in full."""
    person = None
    if signed.user.person_id and view.person(signed.user.person_id):
        person = Presenter(view, signed.viewer).person(
            signed.user.person_id, store.person(signed.user.person_id), None
        )
    return MePublic(user=user_public(signed.user), person=person)


@router.get("/me/tokens")
def read_tokens(signed: SignedInDep, accounts: AccountsDep) -> list[TokenPublic]:
    """My sessions and bearer tokens (never their secrets)."""
    return [TokenPublic(**vars(t)) for t in accounts.tokens(signed.user.id)]


@router.post("/me/tokens", status_code=201)
def create_token(body: TokenCreate, signed: SignedInDep, accounts: AccountsDep) -> TokenCreated:
    """A new bearer token for a program; its secret is shown only in this response."""
    token, secret = accounts.issue_token(signed.user.id, "bearer", body.name)
    return TokenCreated(token=TokenPublic(**vars(token)), secret=secret)


@router.delete("/me/tokens/{token_id}", status_code=204, responses={404: {}})
def delete_token(token_id: str, signed: SignedInDep, accounts: AccountsDep) -> None:
    """Revoke one of my tokens or sessions: it stops working at once."""
    if not accounts.revoke_token(signed.user.id, token_id):
        raise ApiError(404, "you hold no token with that id")
