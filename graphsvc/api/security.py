"""Security headers on every response, errors included, as plain ASGI middleware.

(Plain ASGI rather than ``@app.middleware("http")``: that wraps every
response in extra tasks and streams, a measurable cost under load.)
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.errors import error_response, log_unexpected

SECURITY_HEADERS = {
    # Everything a page needs is served by this service (works offline, no CDNs).
    # One inline style is allowed: an empty <style> element (the hash is that of
    # no text), into which plotly.js writes its rules through the CSSOM. Markup
    # can add no CSS through it; anything else inline is refused, including
    # the MapLibre styles plotly.js also tries to add (no map tiles are used).
    # The Gaps page marks the MapLibre styles as present (an empty element with
    # their id), so plotly.js does not try, and nothing is refused on load.
    # 'report-sample' lets a refusal's event say what was refused (tests).
    # blob: images are the charts' PNG downloads: plotly.js draws the chart's
    # SVG, made in the page, onto a canvas through one.
    "content-security-policy": (
        "default-src 'self'; "
        "style-src 'self' 'report-sample' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; "
        "img-src 'self' data: blob:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
_HEADERS = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
# Responses that may carry personal data are not kept by browsers or proxies.
_NO_STORE = [(b"cache-control", b"no-store")]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = (
            _HEADERS if scope["path"].startswith(("/static/", "/assets/")) else _HEADERS + _NO_STORE
        )
        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k for k, _ in extra}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception as exc:
            # Never a traceback in the response: a plain 500; the log says where.
            log_unexpected(scope, exc)
            if started:
                raise
            await error_response(500, "Something went wrong on the server.", "internal_error")(
                scope, receive, with_headers
            )
