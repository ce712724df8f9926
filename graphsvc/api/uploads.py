"""Request bodies: how large each may be, and where an uploaded file waits.

FastAPI reads a form, files and all, before any dependency runs, so a route
that takes a file would store the whole body of anyone's request before
saying 401. :class:`UploadRoute` checks who sent it, and its declared size,
before a byte is read, and counts the bytes as they arrive.
:class:`BodyLimits` keeps every other route to small bodies without files.
A file being imported waits in an owner-only :class:`UploadFolder`.
"""

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Annotated, Any

import psutil
from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.access.policy import Capability
from graphsvc.api.deps import check_capability, signed_in_before_body
from graphsvc.api.errors import ApiError, error_response
from graphsvc.config import get_settings
from graphsvc.errors import GraphsvcError

# The routes that take a file (each an UploadRoute); every other route refuses one.
FILE_ROUTES = frozenset({("POST", "/api/imports")})
# The largest body any other route reads: sign-in, users, decisions are a few hundred bytes.
MAX_BODY_BYTES = 2**20
# Room beside the file for the form's fields, a column mapping and the multipart framing.
FORM_ALLOWANCE = 256 * 2**10


class BodyTooLarge(Exception):
    """The body went past its limit while it was being read."""


class CountedBody:
    """The request's ``receive``, counting body bytes; past ``limit`` it stops the read."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self.limit = limit
        self.received = 0
        self.exceeded = False

    async def __call__(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                raise BodyTooLarge
        return message


def declared_length(headers: Headers) -> int | None:
    """The body's size as the Content-Length header gives it (none for a chunked body)."""
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None


def upload_limit() -> int:
    """The largest body an upload may have: the import limit and room for the form."""
    return get_settings().import_max_mb * 2**20 + FORM_ALLOWANCE


def upload_too_large() -> ApiError:
    return ApiError(
        413,
        f"the upload is larger than the {get_settings().import_max_mb} MiB an import accepts "
        "(GRAPHSVC_IMPORT_MAX_MB)",
        "too_large",
    )


class UploadRoute(APIRoute):
    """A route that takes a file, for admins only: the sender and the declared size
    are checked before FastAPI reads the body, and the body stops at the limit."""

    capability = Capability.ADMINISTER

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def checked_first(request: Request) -> Response:
            check_capability((await signed_in_before_body(request)).viewer, self.capability)
            if (declared_length(request.headers) or 0) > upload_limit():
                raise upload_too_large()
            body = CountedBody(request.receive, upload_limit())
            try:
                return await handle(Request(request.scope, body))
            except Exception:
                # FastAPI reports a body that stopped mid-form as unreadable (400).
                if body.exceeded:
                    raise upload_too_large() from None
                raise

        return checked_first


class BodyLimits:
    """Plain ASGI middleware: routes that take no file refuse multipart bodies (415)
    and any body over :data:`MAX_BODY_BYTES` (413), declared or counted."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in FILE_ROUTES:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if headers.get("content-type", "").lower().startswith("multipart/"):
            refused = error_response(
                415,
                "this route takes no file: send JSON (or, to a page, an ordinary form)",
                "unsupported_media_type",
            )
            await refused(scope, receive, send)
            return
        if (declared_length(headers) or 0) > self.limit:
            await self._too_large()(scope, receive, send)
            return
        await self._counting(scope, receive, send)

    async def _counting(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = CountedBody(receive, self.limit)
        started = False

        async def send_unless_cut(message: Message) -> None:
            nonlocal started
            if body.exceeded and not started:
                return  # the app's answer to a body cut short; the 413 below replaces it
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, body, send_unless_cut)
        except BodyTooLarge:
            if started:
                raise
        if body.exceeded and not started:
            await self._too_large()(scope, receive, send)

    def _too_large(self) -> Response:
        size = f"{self.limit // 2**20} MiB" if self.limit % 2**20 == 0 else f"{self.limit} bytes"
        return error_response(
            413, f"the request body is larger than the {size} this route accepts", "too_large"
        )


class UploadFolder:
    """An owner-only folder of this service's for uploaded files while they are imported.

    It is under the system's temporary directory (``TMPDIR``), in an
    owner-only folder of this user's, and removed when the service stops;
    one left by a service that crashed is removed when the next one starts.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    @contextlib.contextmanager
    def opened(cls) -> Iterator["UploadFolder"]:
        root = _private_root()
        _remove_left_behind(root)
        path = Path(tempfile.mkdtemp(prefix=f"{_process_tag()}-", dir=root))
        try:
            yield cls(path)
        finally:
            shutil.rmtree(path, ignore_errors=True)

    @contextlib.contextmanager
    def staged(self, name: str) -> Iterator[Path]:
        """A new, empty, owner-only file called ``name``, removed afterwards whatever happens."""
        folder = Path(tempfile.mkdtemp(dir=self.path))
        try:
            path = folder / name
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            yield path
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _private_root() -> Path:
    """This user's folder for uploads, made owner-only whatever the umask.

    The system's temporary directory is shared, so a folder of that name
    made by anyone else is refused rather than used.
    """
    root = Path(tempfile.gettempdir()) / f"graphsvc-uploads-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o700)
    info = root.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise GraphsvcError(
            f"{root} is not a folder of this user's; remove it, or set TMPDIR to a private folder"
        )
    root.chmod(0o700)
    return root


def _process_tag() -> str:
    """This process, told apart from a later one given the same pid."""
    return f"{os.getpid()}-{int(psutil.Process().create_time())}"


def _remove_left_behind(root: Path) -> None:
    """Remove what services no longer running left (a crash leaves its uploads)."""
    for entry in root.iterdir():
        pid, _, rest = entry.name.partition("-")
        started = rest.partition("-")[0]
        try:
            alive = int(psutil.Process(int(pid)).create_time()) == int(started)
        except (ValueError, psutil.Error):
            alive = False
        if alive:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def get_upload_folder(request: Request) -> UploadFolder:
    folder: UploadFolder = request.app.state.uploads
    return folder


UploadFolderDep = Annotated[UploadFolder, Depends(get_upload_folder)]
