"""Sign-in under attack: many guesses at once, forged addresses, a shared
office address, another site's form, weak secrets, reused user ids and an
accounts file others can read."""

import os
import secrets
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
from api_service import PASSWORD, Service
from browser import chromium_path, serving
from fastapi.testclient import TestClient
from serving import free_port, wait_until_healthy
from test_cli import run

from graphsvc.access import Role
from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.accounts.store import (
    ADDRESS_FREE_FAILURES,
    FREE_FAILURES,
    HASHING_SLOTS,
    MAX_WAIT_S,
    SignInKeys,
)
from graphsvc.api.sign_in import throttle_keys
from graphsvc.config import Settings, get_settings
from graphsvc.errors import GraphsvcError

OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.7"
MiB = 1024 * 1024
# Each Argon2 check holds 64 MiB while it runs.
HASH_MEMORY = 64 * MiB


def _sign_in_from(service: Service, address: str, email: str, password: str) -> httpx.Response:
    client = TestClient(service.app, client=(address, 40000))
    return client.post("/api/sign-in", json={"email": email, "password": password})


def _all_at_once(base: str, bodies: list[dict[str, str]]) -> list[httpx.Response]:
    """Send every sign-in from its own thread, released together."""
    start = threading.Barrier(len(bodies))

    def send(body: dict[str, str]) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=120) as client:
            start.wait()
            return client.post("/api/sign-in", json=body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def _slow_down(accounts: AccountStore, address: str, secret: bytes | None = None) -> None:
    """Record failures from ``address``, each on another account, until it must wait
    15 minutes: the last now, the earlier ones each long enough before the next."""
    secret = secret or get_settings().signing_key
    now, count = time.time(), ADDRESS_FREE_FAILURES + 10
    for i in range(count):
        keys = throttle_keys(f"guess{i}@test.invalid", address, secret)
        assert accounts.reserve_sign_in(keys, now=now - (MAX_WAIT_S + 1) * (count - 1 - i)) == 0


@pytest.fixture
def settings_from_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read again after the test changes the environment, and again after."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


# --- many guesses at once --------------------------------------------------------------


def test_thirty_guesses_at_once_for_one_email_check_no_more_passwords_than_the_limit(
    service: Service,
) -> None:
    email = service.email(Role.MEMBER)
    with serving(service.app) as base:
        answers = _all_at_once(base, [{"email": email, "password": "wrong"}] * 30)
    statuses = Counter(a.status_code for a in answers)
    assert statuses[401] <= FREE_FAILURES, statuses
    assert set(statuses) <= {401, 429, 503}, statuses
    assert statuses[429] >= 30 - FREE_FAILURES - statuses[503], statuses


def _peak_memory_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _peak_memory() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's /proc")
def test_thirty_sign_ins_at_once_hash_only_a_few_passwords_at_a_time(service: Service) -> None:
    # Memory, not time: thirty Argon2 checks at once would hold 30 × 64 MiB.
    bodies = [{"email": f"nobody{i}@test.invalid", "password": "wrong"} for i in range(30)]
    with serving(service.app) as base:
        _all_at_once(base, bodies[:2])  # the threads and buffers of a first request
        _peak_memory_reset()
        before = _peak_memory()
        answers = _all_at_once(base, bodies)
        grown = _peak_memory() - before
    assert {a.status_code for a in answers} <= {401, 503}
    assert grown < HASHING_SLOTS * HASH_MEMORY + 256 * MiB, f"{grown / MiB:.0f} MiB more"


def test_a_sign_in_that_finds_no_hashing_slot_free_is_told_to_retry_and_not_counted(
    service: Service,
) -> None:
    email = service.email(Role.MEMBER)
    with ExitStack() as held:
        for _ in range(HASHING_SLOTS):
            held.enter_context(service.accounts.hashing_slot())
        busy = service.client.post("/api/sign-in", json={"email": email, "password": PASSWORD})
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert busy.json()["error"]["code"] == "busy"
    for _ in range(FREE_FAILURES - 1):
        wrong = service.client.post("/api/sign-in", json={"email": email, "password": "wrong"})
        assert wrong.status_code == 401
    right = service.client.post("/api/sign-in", json={"email": email, "password": PASSWORD})
    assert right.status_code == 200


# --- addresses ---------------------------------------------------------------------------


def test_x_forwarded_for_is_believed_only_from_a_listed_proxy(
    service: Service, settings_from_env: pytest.MonkeyPatch
) -> None:
    email = service.email(Role.MEMBER)
    _slow_down(service.accounts, "203.0.113.9")
    claimed = {"x-forwarded-for": "203.0.113.9"}

    def sign_in_from_the_proxy(headers: dict[str, str]) -> int:
        client = TestClient(service.app, client=(ELSEWHERE, 40000))
        body = {"email": email, "password": PASSWORD}
        return client.post("/api/sign-in", json=body, headers=headers).status_code

    assert sign_in_from_the_proxy(claimed) == 200  # not a proxy: its own address counts
    settings_from_env.setenv("GRAPHSVC_TRUSTED_PROXIES", "10.0.0.1, 198.51.100.0/24")
    get_settings.cache_clear()
    _slow_down(service.accounts, "203.0.113.9")
    assert sign_in_from_the_proxy(claimed) == 429
    # The nearest address the proxies did not add is the client's; what the
    # client wrote before it is not believed.
    assert sign_in_from_the_proxy({"x-forwarded-for": "203.0.113.9, 10.0.0.1"}) == 429
    assert sign_in_from_the_proxy({"x-forwarded-for": "203.0.113.9, 192.0.2.44"}) == 200


def test_a_misspelt_trusted_proxy_stops_the_service_with_one_line(tmp_path: Path) -> None:
    result = run(
        "serve", "--store", str(tmp_path / "s"), env={"GRAPHSVC_TRUSTED_PROXIES": "10.0.0.0/33"}
    )
    assert result.returncode == 2
    assert "GRAPHSVC_TRUSTED_PROXIES" in result.stderr and "Traceback" not in result.stderr


@contextmanager
def _graphsvc_serve(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(
            server, base, lambda: server.stderr.read().decode() if server.stderr else ""
        )
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_graphsvc_serve_does_not_let_a_local_client_choose_its_address(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    secret = secrets.token_urlsafe(48)
    env = {"GRAPHSVC_STORE": store, "GRAPHSVC_SECRET_KEY": secret}
    with open_accounts(Settings(store=store).accounts_path()) as accounts:
        _slow_down(accounts, "127.0.0.1", secret.encode())
    with _graphsvc_serve(env) as base:
        forged = httpx.post(
            f"{base}/api/sign-in",
            json={"email": "new@test.invalid", "password": "a guess"},
            headers={"x-forwarded-for": "203.0.113.77"},
            timeout=30,
        )
    assert forged.status_code == 429, forged.text


def test_failures_on_other_accounts_from_an_office_do_not_stop_a_colleague(
    service: Service,
) -> None:
    for i in range(FREE_FAILURES + 1):
        guess = _sign_in_from(service, OFFICE, f"someone{i}@test.invalid", "wrong")
        assert guess.status_code == 401
    colleague = _sign_in_from(service, OFFICE, service.email(Role.MEMBER), PASSWORD)
    assert colleague.status_code == 200


def test_a_slowed_office_address_still_lets_in_people_who_sign_in_from_there(
    service: Service,
) -> None:
    member, connector = service.email(Role.MEMBER), service.email(Role.CONNECTOR)
    assert _sign_in_from(service, OFFICE, member, PASSWORD).status_code == 200
    _slow_down(service.accounts, OFFICE)
    assert _sign_in_from(service, OFFICE, member, PASSWORD).status_code == 200
    # Someone new to the address waits; elsewhere they are let in.
    assert _sign_in_from(service, OFFICE, connector, PASSWORD).status_code == 429
    assert _sign_in_from(service, ELSEWHERE, connector, PASSWORD).status_code == 200
    # A known account's own count still applies.
    for _ in range(FREE_FAILURES):
        assert _sign_in_from(service, OFFICE, member, "wrong").status_code == 401
    assert _sign_in_from(service, OFFICE, member, PASSWORD).status_code == 429


def test_a_right_password_gives_back_the_addresss_try_and_clears_the_accounts(
    tmp_path: Path,
) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        keys = SignInKeys("email:x", "client:y")
        for _ in range(FREE_FAILURES - 1):
            assert accounts.reserve_sign_in(keys, now=1000.0) == 0
        accounts.reserve_sign_in(keys, now=1000.0)
        accounts.record_sign_in(keys, now=1000.0)
        for _ in range(FREE_FAILURES):
            assert accounts.reserve_sign_in(keys, now=1000.0) == 0
        assert accounts.reserve_sign_in(keys, now=1000.0) == 1.0
        accounts.release_sign_in(keys)
        assert accounts.reserve_sign_in(keys, now=1000.0) == 0


# --- another site's form -------------------------------------------------------------------

FROM_ANOTHER_SITE = [
    {"origin": "https://attacker.example", "sec-fetch-site": "cross-site"},
    {"origin": "https://sub.testserver", "sec-fetch-site": "same-site"},
    {"origin": "https://attacker.example"},
    {"origin": "null"},
]


@pytest.mark.parametrize("headers", FROM_ANOTHER_SITE)
def test_a_sign_in_sent_by_another_site_is_refused(
    service: Service, headers: dict[str, str]
) -> None:
    form = {"email": service.email(Role.MEMBER), "password": PASSWORD}
    page = service.client.post("/sign-in", data=form, headers=headers, follow_redirects=False)
    assert page.status_code == 403 and "set-cookie" not in page.headers
    assert "sent by another site" in page.text
    api = service.client.post("/api/sign-in", json=form, headers=headers)
    assert api.status_code == 403 and api.json()["error"]["code"] == "cross_site"
    assert "set-cookie" not in api.headers


def test_the_services_own_page_and_programs_still_sign_in(service: Service) -> None:
    form = {"email": service.email(Role.MEMBER), "password": PASSWORD}
    for headers in (
        {"origin": "http://testserver", "sec-fetch-site": "same-origin"},
        {"origin": "http://testserver"},
        {},
    ):
        page = service.client.post("/sign-in", data=form, headers=headers, follow_redirects=False)
        assert page.status_code == 303, (headers, page.text)
    assert service.client.post("/api/sign-in", json=form).status_code == 200


@pytest.mark.browser
def test_a_page_on_another_site_cannot_sign_the_browser_in(service: Service) -> None:
    from playwright.sync_api import sync_playwright

    with serving(service.app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            attack = (
                f'<form method="post" action="{base}/sign-in">'
                f'<input name="email" value="{service.email(Role.MEMBER)}">'
                f'<input name="password" value="{PASSWORD}"></form>'
                "<script>document.forms[0].submit()</script>"
            )
            page.route(
                "http://attacker.invalid/",
                lambda route: route.fulfill(body=attack, content_type="text/html"),
            )
            page.goto("http://attacker.invalid/")
            page.wait_for_url(base + "/sign-in")
            assert "sent by another site" in page.content()
            page.goto(base + "/")
            assert page.url == base + "/sign-in"  # still signed out
        finally:
            browser.close()


# --- secrets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [
        "a" * 36,
        "your-secret-key-here-your-secret-key",
        "replace-with-a-long-random-string-please",
        "0123456789abcdef" * 4,
        "x" * 40,
    ],
)
def test_a_guessable_secret_is_refused_in_production_in_one_line(secret: str) -> None:
    with pytest.raises(GraphsvcError, match="GRAPHSVC_SECRET_KEY") as refused:
        Settings(environment="production", secret_key=secret).signing_key  # noqa: B018
    message = str(refused.value)
    assert "\n" not in message and "secrets.token_urlsafe(48)" in message


@pytest.mark.parametrize(
    "make",
    [
        lambda: secrets.token_urlsafe(48),  # the README's, docker-compose.yml's and the tests'
        lambda: secrets.token_urlsafe(32),
        lambda: secrets.token_hex(32),  # openssl rand -hex 32
    ],
)
def test_the_secrets_the_docs_make_are_accepted(make: object) -> None:
    for _ in range(200):
        secret = make()  # type: ignore[operator]
        assert Settings(environment="production", secret_key=secret).signing_key == secret.encode()


# --- user ids --------------------------------------------------------------------------------


def test_a_removed_users_id_is_never_given_to_another(tmp_path: Path) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        accounts.add_user("ada@test.invalid", Role.ADMIN, PASSWORD)
        bob = accounts.add_user("bob@test.invalid", Role.MEMBER, PASSWORD)
        accounts.remove_user(bob.id)
        cy = accounts.add_user("cy@test.invalid", Role.MEMBER, PASSWORD)
    assert cy.id > bob.id


def test_the_cli_never_gives_a_removed_users_id_to_the_next(tmp_path: Path) -> None:
    store = str(tmp_path / "s")

    def add(email: str) -> str:
        added = run(
            "user", "add", email, "--role", "member", "--password", PASSWORD, "--store", store
        )
        assert added.returncode == 0, added.stderr
        return added.stdout

    assert "Added user 1 " in add("ada@test.invalid")
    assert "Added user 2 " in add("bob@test.invalid")
    assert run("user", "remove", "bob@test.invalid", "--store", store).returncode == 0
    assert "Added user 3 " in add("cy@test.invalid")


# The schema of accounts files made before user ids were never reused.
EARLIER_SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    person_id TEXT,
    password_hash TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    digest TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE failed_sign_ins (key TEXT PRIMARY KEY, failures INTEGER NOT NULL,
    last_failure REAL NOT NULL);
CREATE TABLE import_reports (id INTEGER PRIMARY KEY, user_id INTEGER, created TEXT NOT NULL,
    report TEXT NOT NULL);
"""


def test_an_earlier_accounts_file_keeps_its_users_and_tokens_and_reuses_no_id(
    tmp_path: Path,
) -> None:
    made_now = tmp_path / "made-now.sqlite"
    with open_accounts(made_now) as accounts:
        ada = accounts.add_user("ada@test.invalid", Role.ADMIN, PASSWORD)
        _, token = accounts.issue_token(ada.id, "bearer", "script")
    with sqlite3.connect(made_now) as db:
        users = db.execute("SELECT * FROM users").fetchall()
        tokens = db.execute("SELECT * FROM tokens").fetchall()
    db.close()
    path = tmp_path / "accounts.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(EARLIER_SCHEMA)
        db.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", users)
        db.executemany("INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, ?)", tokens)
        # User 7, since removed, imported a file.
        db.execute("INSERT INTO import_reports VALUES (1, 7, '2025-01-01', '{}')")
    db.close()
    with open_accounts(path) as accounts:
        found = accounts.user_for_token(token, "bearer")
        assert found is not None and found[0].email == "ada@test.invalid"
        assert accounts.check_password("ada@test.invalid", PASSWORD) is not None
        assert accounts.add_user("bob@test.invalid", Role.MEMBER, PASSWORD).id == 8
    with open_accounts(path) as again:
        assert [u.email for u in again.users()] == ["ada@test.invalid", "bob@test.invalid"]


# --- the file's mode -------------------------------------------------------------------------


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    earlier = os.umask(mask)
    try:
        yield
    finally:
        os.umask(earlier)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_accounts_file_and_its_side_files_are_owner_only_whatever_the_umask(
    tmp_path: Path,
) -> None:
    path = tmp_path / "made-here" / "accounts.sqlite"
    with _umask(0o022), open_accounts(path) as accounts:
        accounts.add_user("ada@test.invalid", Role.ADMIN, PASSWORD)
        side = [p for p in path.parent.iterdir() if p != path]
        assert {p.name for p in side} >= {"accounts.sqlite-wal", "accounts.sqlite-shm"}
        assert {p.name: _mode(p) for p in [path, *side]} == {p.name: 0o600 for p in [path, *side]}
    assert _mode(path.parent) == 0o700


def test_an_accounts_file_others_could_read_is_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "accounts.sqlite"
    with _umask(0o022):
        path.touch()
        assert _mode(path) == 0o644
        with open_accounts(path):
            pass
    assert _mode(path) == 0o600
