"""Errors as one JSON body everywhere: ``{"error": {status, code, message}}``;
a browser asking for a page gets a page that says the same.

Unexpected exceptions become a plain 500 with no traceback and no detail.
The log gets the route's template and the traceback's frames, but no
message, variable, path or body, since those can carry personal data.
"""

import logging
from html import escape
from http import HTTPStatus
from traceback import TracebackException
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from graphsvc.api.schemas import ErrorBody, ErrorDetail
from graphsvc.errors import StoreUnavailableError

log = logging.getLogger("graphsvc.api")


class ApiError(Exception):
    """An error a client can act on: a status, a short code and a message."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or HTTPStatus(status).phrase.lower().replace(" ", "_")
        self.message = message
        self.headers = headers


def as_sentence(message: str) -> str:
    """``message`` as people read it on a page: a capital first letter and a full
    stop, so every message a person is shown reads as a sentence.

    >>> as_sentence("this link has expired: ask an admin for a new one")
    'This link has expired: ask an admin for a new one.'
    >>> as_sentence("Try again?")
    'Try again?'
    """
    said = message.strip()
    if not said:
        return said
    if not said.endswith((".", "!", "?")):
        said += "."
    return said[0].upper() + said[1:]


def not_found(what: str) -> ApiError:
    return ApiError(404, f"No {what} with that id (or none you may see).")


def error_response(
    status: int,
    message: str,
    code: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(
        error=ErrorDetail(
            status=status,
            code=code or HTTPStatus(status).phrase.lower().replace(" ", "_"),
            message=message,
            details=details,
        )
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{phrase} · Network map</title><link rel="stylesheet" href="/static/style.css"></head>
<body><header><a class="brand" href="/">Network map</a></header>
<main><h1>{phrase}</h1><p>{message}</p><p><a href="/">Back to the start</a></p></main>
</body></html>
"""


def _for_a_page(request: Request) -> bool:
    """A browser asking for a page (not the API, nor a script) gets an error page."""
    path = request.url.path
    return not path.startswith(("/api/", "/assets/", "/static/")) and "text/html" in (
        request.headers.get("accept", "")
    )


def error_for(
    request: Request,
    status: int,
    message: str,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The JSON error body, or for a browser asking for a page, a page saying the same."""
    if _for_a_page(request):
        page = _PAGE.format(phrase=escape(HTTPStatus(status).phrase), message=escape(message))
        return HTMLResponse(page, status_code=status, headers=headers)
    return error_response(status, message, code, headers=headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_for(request, exc.status, exc.message, exc.code, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return error_for(
        request,
        exc.status_code,
        str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _store_unavailable(request: Request, exc: Exception) -> Response:
    # The database stopped answering: say so and when to try again; the store
    # reconnects by itself once it answers again.
    return error_for(request, 503, str(exc), "store_unavailable", headers={"Retry-After": "5"})


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The location and reason of each problem, never the value sent: it may be a password.
    details = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    return error_response(422, "The request is not valid.", "invalid_request", details)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log_unexpected(request.scope, exc)
    return error_response(500, "Something went wrong on the server.", "internal_error")


def log_unexpected(scope: Scope, exc: BaseException) -> None:
    """Log an unexpected exception: its type, the method and route, and the traceback."""
    log.error(
        "unexpected %s on %s %s\n%s",
        type(exc).__name__,
        scope.get("method"),
        route_of(scope),
        traceback_without_values(exc),
    )


def route_of(scope: Scope) -> str:
    """The route's template (``/api/people/{person_id}``), never the path sent: paths
    and queries can carry names typed into a search box."""
    template = getattr(scope.get("route"), "path", None)
    return str(template) if template else "(no route)"


def traceback_without_values(exc: BaseException) -> str:
    """Where an exception came from: each frame and the type of each exception in
    the chain, without messages or variables, which can carry personal data.

    >>> email = "ada@example.org"
    >>> try:
    ...     raise ValueError(f"{email} is not valid")
    ... except ValueError as error:
    ...     found = traceback_without_values(error)
    >>> "ValueError" in found and "ada@" not in found
    True
    """
    lines = []
    part: TracebackException | None = TracebackException.from_exception(exc, capture_locals=False)
    while part is not None:
        kind = part.exc_type.__qualname__ if part.exc_type else "exception"
        lines.append(f"{''.join(part.stack.format())}{kind} (message withheld)")
        part = part.__cause__ or (None if part.__suppress_context__ else part.__context__)
    return "\nwhich was raised while handling, or caused, the one below:\n".join(reversed(lines))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreUnavailableError, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected)
