"""Errors as one JSON body everywhere: ``{"error": {status, code, message}}``.

Unexpected exceptions become a plain 500 with no traceback and no detail;
what happened is logged by type only, since messages can carry personal data.
"""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graphsvc.api.schemas import ErrorBody, ErrorDetail

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


def not_found(what: str) -> ApiError:
    return ApiError(404, f"no {what} with that id (or none you may see)")


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


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.code, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(
        exc.status_code,
        str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The location and reason of each problem, never the value sent: it may be a password.
    details = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    return error_response(422, "the request is not valid", "invalid_request", details)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected %s on %s", type(exc).__name__, request.method)
    return error_response(500, "something went wrong on the server", "internal_error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
