"""Security headers on every response, errors included."""

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from graphsvc.api.errors import error_response

log = logging.getLogger("graphsvc.api")

SECURITY_HEADERS = {
    # Everything a page needs is served by this service (works offline, no CDNs).
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Responses that may carry personal data are not kept by browsers or proxies.
NO_STORE = {"Cache-Control": "no-store"}


async def add_security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    try:
        response = await call_next(request)
    except Exception as exc:
        # Never a traceback: a plain 500, logged by the exception's type only.
        log.error("unexpected %s on %s", type(exc).__name__, request.method)
        response = error_response(500, "something went wrong on the server", "internal_error")
    response.headers.update(SECURITY_HEADERS)
    if not request.url.path.startswith("/static/"):
        response.headers.update(NO_STORE)
    return response
