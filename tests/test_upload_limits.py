"""Bodies are checked before they are read, over real HTTP against ``graphsvc serve``.

An upload's sender is checked, and its size, before a byte of it is read or
stored; routes that take no file refuse one, and any large body. Each
request here sends its headers and only part of its body, then waits: a
service that read on, waiting for the rest, would never answer.
"""

import importlib
import json
import os
import pkgutil
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from api_service import PASSWORD
from serving import free_port, wait_until_healthy

from graphsvc.access import Role
from graphsvc.accounts import open_accounts
from graphsvc.api.uploads import FILE_ROUTES, UploadRoute

LIMIT_MB = 1  # GRAPHSVC_IMPORT_MAX_MB for the service under test
BOUNDARY = "graphsvc-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
ANSWER_WITHIN_S = 20
MEMBERS_CSV = b"Name,Email\nAda Lovelace,ada@example.org\n"


@dataclass
class Running:
    port: int
    tokens: dict[Role, str]
    uploads_root: Path
    left_by_a_crash: Path

    def auth(self, role: Role | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def files_waiting(self) -> list[Path]:
        """Every file in the service's folders for uploads (none between imports)."""
        return [p for p in self.uploads_root.rglob("*") if not p.is_dir()]


def _users(accounts_path: Path) -> dict[Role, str]:
    accounts = open_accounts(accounts_path)
    try:
        tokens = {}
        for role in (Role.ADMIN, Role.MEMBER):
            user = accounts.add_user(f"{role.value}@test.invalid", role, PASSWORD)
            tokens[role] = accounts.issue_token(user.id, "bearer", "test")[1]
        return tokens
    finally:
        accounts.close()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """``graphsvc serve`` on an embedded store, importing at most 1 MiB, with its
    temporary directory (TMPDIR) its own; a crashed service's upload is left in it."""
    base = tmp_path_factory.mktemp("upload-limits")
    uploads_root = base / "tmp" / f"graphsvc-uploads-{os.getuid()}"
    left_by_a_crash = uploads_root / "4194305-1700000000-crashed"  # no pid is that high
    left_by_a_crash.mkdir(parents=True)
    (left_by_a_crash / "members.csv").write_bytes(MEMBERS_CSV)
    uploads_root.chmod(0o755)
    tokens = _users(base / "accounts.sqlite")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPHSVC_", "NEO4J_"))}
    env.update(
        GRAPHSVC_STORE=str(base / "store"),
        GRAPHSVC_ACCOUNTS=str(base / "accounts.sqlite"),
        GRAPHSVC_IMPORT_MAX_MB=str(LIMIT_MB),
        GRAPHSVC_PORT=str(port),
        TMPDIR=str(base / "tmp"),
    )
    log = base / "server.log"
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "graphsvc", "serve"],
            env=env,
            cwd=base,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        wait_until_healthy(server, f"http://127.0.0.1:{port}", log.read_text)
        yield Running(port, tokens, uploads_root, left_by_a_crash)
    finally:
        server.terminate()
        server.wait(timeout=60)


@dataclass
class Answer:
    status: int
    body: Any


def send_and_answer(port: int, request: bytes) -> Answer:
    """Send ``request`` (headers and what is given of the body, never the rest) and
    read the answer."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_WITHIN_S) as conn:
        conn.sendall(request)
        try:
            while not _complete(received):
                chunk = conn.recv(2**16)
                if not chunk:
                    break
                received += chunk
        except TimeoutError:
            pytest.fail("the service read on, waiting for the rest of the body, and never answered")
        except ConnectionResetError:
            pass
    head, _, body = received.partition(b"\r\n\r\n")
    return Answer(int(head.split()[1]), json.loads(body) if body else None)


def _complete(received: bytes) -> bool:
    head, found, body = received.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def request_head(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def file_part(name: str = "file", filename: str = "members.csv") -> bytes:
    """The start of a multipart file part: what follows is the file."""
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()


def field_part(name: str, value: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    ).encode()


def chunk(data: bytes) -> bytes:
    """One chunk of a chunked body."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


@pytest.mark.parametrize(("role", "status"), [(None, 401), (Role.MEMBER, 403)])
def test_an_upload_from_anyone_but_an_admin_is_refused_before_its_body_is_read(
    running: Running, role: Role | None, status: int
) -> None:
    declared = {"Content-Type": MULTIPART, "Content-Length": str(300 * 2**20)}
    head = request_head("/api/imports", {**running.auth(role), **declared})
    answer = send_and_answer(running.port, head + file_part() + b"x" * 2**16)
    assert answer.status == status
    assert running.files_waiting() == []


def test_an_admins_upload_declared_larger_than_the_limit_is_refused_before_it_is_read(
    running: Running,
) -> None:
    declared = {"Content-Type": MULTIPART, "Content-Length": str(2 * LIMIT_MB * 2**20)}
    head = request_head("/api/imports", {**running.auth(Role.ADMIN), **declared})
    answer = send_and_answer(running.port, head)
    assert answer.status == 413
    assert answer.body["error"]["code"] == "too_large"
    assert f"{LIMIT_MB} MiB" in answer.body["error"]["message"]
    assert "GRAPHSVC_IMPORT_MAX_MB" in answer.body["error"]["message"]


def test_an_admins_chunked_upload_is_stopped_once_it_passes_the_limit(running: Running) -> None:
    chunked = {"Content-Type": MULTIPART, "Transfer-Encoding": "chunked"}
    head = request_head("/api/imports", {**running.auth(Role.ADMIN), **chunked})
    # Just past the limit and the room for the form, and no last chunk.
    pieces = [chunk(file_part())] + [chunk(b"x" * 2**16)] * (LIMIT_MB * 16 + 5)
    answer = send_and_answer(running.port, head + b"".join(pieces))
    assert answer.status == 413
    assert answer.body["error"]["code"] == "too_large"
    assert running.files_waiting() == []


def test_an_admins_upload_within_the_limit_is_imported_and_leaves_no_file(
    running: Running,
) -> None:
    body = (
        field_part("kind", "members")
        + file_part()
        + MEMBERS_CSV
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    declared = {"Content-Type": MULTIPART, "Content-Length": str(len(body))}
    head = request_head("/api/imports", {**running.auth(Role.ADMIN), **declared})
    answer = send_and_answer(running.port, head + body)
    assert answer.status == 201, answer.body
    assert answer.body["report"]["written"] and answer.body["report"]["file"] == "members.csv"
    assert running.files_waiting() == []


def test_uploads_left_by_a_service_that_crashed_were_removed_when_this_one_started(
    running: Running,
) -> None:
    assert not running.left_by_a_crash.exists()
    assert stat.S_IMODE(running.uploads_root.stat().st_mode) == 0o700
    (own,) = running.uploads_root.iterdir()
    assert stat.S_IMODE(own.stat().st_mode) == 0o700


@pytest.mark.parametrize("path", ["/sign-in", "/sign-out", "/api/sign-in", "/api/sign-out"])
def test_routes_that_take_no_file_refuse_a_multipart_body_before_reading_it(
    running: Running, path: str
) -> None:
    declared = {"Content-Type": MULTIPART, "Content-Length": str(300 * 2**20)}
    head = request_head(path, {**running.auth(Role.MEMBER), **declared})
    answer = send_and_answer(running.port, head + file_part() + b"x" * 2**16)
    assert answer.status == 415
    assert answer.body["error"]["code"] == "unsupported_media_type"
    assert "takes no file" in answer.body["error"]["message"]


def test_routes_that_take_no_file_refuse_a_large_body_declared_or_chunked(
    running: Running,
) -> None:
    declared = {"Content-Type": "application/json", "Content-Length": str(300 * 2**20)}
    answer = send_and_answer(running.port, request_head("/api/sign-in", declared))
    assert answer.status == 413 and answer.body["error"]["code"] == "too_large"

    chunked = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    pieces = [chunk(b'{"email": "')] + [chunk(b"a" * 2**16)] * 17  # past 1 MiB, no last chunk
    answer = send_and_answer(running.port, request_head("/api/sign-in", chunked) + b"".join(pieces))
    assert answer.status == 413 and answer.body["error"]["code"] == "too_large"
    assert "1 MiB" in answer.body["error"]["message"]


def test_every_route_that_takes_a_file_is_checked_before_its_body_is_read() -> None:
    from fastapi import params

    import graphsvc.api.routes as package

    takes_files, checked = set(), set()
    for found in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{found.name}")
        for route in module.router.routes:
            for method in route.methods:
                if any(isinstance(p.field_info, params.File) for p in route.dependant.body_params):
                    takes_files.add((method, route.path))
                if isinstance(route, UploadRoute):
                    checked.add((method, route.path))
    assert takes_files == checked == FILE_ROUTES
