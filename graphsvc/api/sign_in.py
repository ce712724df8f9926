"""Password sign-in, slowed after repeated failures, and the session cookie it sets."""

import hashlib
import math

from fastapi import Request, Response

from graphsvc.accounts import AccountStore, User
from graphsvc.api.deps import SESSION_COOKIE
from graphsvc.api.errors import ApiError
from graphsvc.config import get_settings
from graphsvc.model.text import fold_text


def _throttle_keys(email: str, request: Request) -> list[str]:
    # Digests, not addresses: the table holds whatever people mistyped.
    folded = fold_text(email).strip()
    client = request.client.host if request.client else "unknown"
    return [
        "email:" + hashlib.sha256(folded.encode()).hexdigest(),
        "client:" + hashlib.sha256(client.encode()).hexdigest(),
    ]


def check_sign_in(accounts: AccountStore, email: str, password: str, request: Request) -> User:
    """The user, or ApiError 401 (wrong) or 429 (too many failures: wait and retry)."""
    keys = _throttle_keys(email, request)
    wait = accounts.wait_before_sign_in(keys)
    if wait > 0:
        seconds = math.ceil(wait)
        raise ApiError(
            429,
            f"too many failed sign-ins; try again in {seconds} s",
            "too_many_sign_ins",
            {"Retry-After": str(seconds)},
        )
    user = accounts.check_password(email, password)
    if user is None:
        accounts.record_failed_sign_in(keys)
        raise ApiError(401, "wrong email or password", "unauthorised")
    accounts.clear_failed_sign_ins(keys[:1])
    return user


def start_session(accounts: AccountStore, user: User, response: Response) -> str:
    """Issue a session token, set it as the cookie, and return the token's id."""
    token, secret = accounts.issue_token(user.id, "session", "browser")
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=14 * 24 * 3600,
        httponly=True,
        samesite="strict",
        secure=get_settings().environment == "production",
        path="/",
    )
    return token.id
