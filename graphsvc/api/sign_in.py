"""Password sign-in: refused when another site sends it, slowed after repeated
failures, and the session cookie it sets.

How failures are counted, per account and per address, is
:meth:`graphsvc.accounts.AccountStore.reserve_sign_in`. The address is the
peer's, or, from a reverse proxy listed in ``GRAPHSVC_TRUSTED_PROXIES``, the
one it says it forwards for; an IPv6 address counts as its /64, which one
machine may hold whole.
"""

import hashlib
import hmac
import ipaddress
import math
from urllib.parse import urlsplit

from fastapi import Request, Response

from graphsvc.accounts import AccountStore, User
from graphsvc.accounts.store import HashingBusy, SignInKeys
from graphsvc.api.deps import SESSION_COOKIE
from graphsvc.api.errors import ApiError
from graphsvc.config import get_settings
from graphsvc.model.text import fold_text

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# What a browser says of a request its own page made: the only ones signed in.
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})
HASHING_RETRY_S = 1


def check_sign_in(accounts: AccountStore, email: str, password: str, request: Request) -> User:
    """The user, or ApiError 401 (wrong), 403 (sent by another site), 429 (too many
    failures: wait and retry) or 503 (too many sign-ins at once: retry shortly)."""
    refuse_other_sites(request)
    keys = throttle_keys(email, client_address(request), get_settings().signing_key)
    wait = accounts.reserve_sign_in(keys)
    if wait > 0:
        seconds = math.ceil(wait)
        raise ApiError(
            429,
            f"Too many failed sign-ins; try again in {seconds} s.",
            "too_many_sign_ins",
            {"Retry-After": str(seconds)},
        )
    try:
        user = accounts.check_password(email, password)
    except HashingBusy:
        accounts.release_sign_in(keys)
        raise ApiError(
            503,
            f"Too many sign-ins at once; try again in {HASHING_RETRY_S} s.",
            "busy",
            {"Retry-After": str(HASHING_RETRY_S)},
        ) from None
    if user is None:
        raise ApiError(401, "Wrong email or password.", "unauthorised")
    accounts.record_sign_in(keys)
    return user


def refuse_other_sites(request: Request) -> None:
    """ApiError 403 for a sign-in that a page of another site made the browser send.

    Otherwise that page could sign its visitor in to the attacker's account
    (and read what the visitor then adds). Browsers say where a request comes
    from in ``Sec-Fetch-Site`` and, older ones, in ``Origin``; a program
    sends neither and is let through.
    """
    fetched_from = request.headers.get("sec-fetch-site")
    if fetched_from is not None:
        same = fetched_from in SAME_SITE_FETCHES
    else:
        origin = request.headers.get("origin")
        same = origin is None or urlsplit(origin).netloc.lower() in _own_hosts(request)
    if not same:
        raise ApiError(
            403,
            "This sign-in was sent by another site and is refused; "
            "sign in on this service's own sign-in page.",
            "cross_site",
        )


def _own_hosts(request: Request) -> set[str]:
    hosts = {request.headers.get("host", "").lower()}
    if _trusted_proxy(_peer(request)):
        hosts.add(request.headers.get("x-forwarded-host", "").split(",")[0].strip().lower())
    return hosts - {""}


def client_address(request: Request) -> str:
    """The address the request came from.

    Only a listed proxy's ``X-Forwarded-For`` is believed: the address is the
    nearest one in it that is not itself a listed proxy (each proxy adds the
    address it heard from at the end, and a client may write anything before).
    """
    address = _peer(request)
    if _trusted_proxy(address):
        forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            address = hop
            if not _trusted_proxy(hop):
                break
    return _counted_as(address)


def _peer(request: Request) -> str:
    return request.client.host if request.client else ""


def _parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it: bare, ``v4:port`` or ``[v6]:port``."""
    candidates = [text, text.rsplit(":", 1)[0], text.partition("]")[0].removeprefix("[")]
    for candidate in candidates:
        try:
            return ipaddress.ip_address(candidate)
        except ValueError:
            continue
    return None


def _trusted_proxy(text: str) -> bool:
    address = _parse_address(text)
    networks = get_settings().trusted_proxy_networks
    return address is not None and any(address in network for network in networks)


def _counted_as(text: str) -> str:
    address = _parse_address(text)
    if address is None:
        return text or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def throttle_keys(email: str, address: str, secret: bytes) -> SignInKeys:
    """What a sign-in is counted against: keyed digests, not what was typed (the
    table would otherwise hold every mistyped email and where it came from)."""
    folded = fold_text(email).strip()

    def digest(kind: str, text: str) -> str:
        return kind + ":" + hmac.new(secret, f"{kind}:{text}".encode(), hashlib.sha256).hexdigest()

    return SignInKeys(account=digest("email", folded), address=digest("client", address))


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
