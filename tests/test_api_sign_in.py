"""Signing in: passwords, sessions and their form tokens, bearer tokens, slowing
repeated failures, the secret, and errors without tracebacks (attacks on
sign-in: test_sign_in_hardening.py)."""

import secrets
import sqlite3
from pathlib import Path

import pytest
from api_service import PASSWORD, Service
from test_cli import run

from graphsvc.access import Role
from graphsvc.accounts import open_accounts
from graphsvc.accounts.store import FREE_FAILURES, MAX_WAIT_S, SignInKeys
from graphsvc.config import Settings, get_settings
from graphsvc.errors import GraphsvcError


def _sign_in(service: Service, password: str = PASSWORD, role: Role = Role.MEMBER) -> object:
    return service.client.post(
        "/api/sign-in", json={"email": service.email(role), "password": password}
    )


def test_signing_in_sets_a_strict_http_only_session_cookie(service: Service) -> None:
    response = _sign_in(service)
    assert response.status_code == 200  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    me = service.client.get("/api/me").json()
    assert me["user"]["role"] == "member" and me["person"]["id"] == service.member_person


def test_a_change_through_the_session_cookie_needs_its_form_token(service: Service) -> None:
    csrf = _sign_in(service).json()["csrf_token"]  # type: ignore[attr-defined]
    refused = service.client.post("/api/me/tokens", json={"name": "x"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    forged = service.client.post(
        "/api/me/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "0" * 64}
    )
    assert forged.status_code == 403
    made = service.client.post("/api/me/tokens", json={"name": "x"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201


def test_a_wrong_password_gets_one_consistent_error(service: Service) -> None:
    response = _sign_in(service, "not the password")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.json() == {  # type: ignore[attr-defined]
        "error": {"status": 401, "code": "unauthorised", "message": "Wrong email or password."}
    }
    unknown = service.client.post(
        "/api/sign-in", json={"email": "nobody@test.invalid", "password": PASSWORD}
    )
    assert unknown.json() == response.json()  # type: ignore[attr-defined]


def test_repeated_failed_sign_ins_are_slowed_even_with_the_right_password(
    service: Service,
) -> None:
    for _ in range(FREE_FAILURES):
        assert _sign_in(service, "wrong").status_code == 401  # type: ignore[attr-defined]
    slowed = _sign_in(service)
    assert slowed.status_code == 429  # type: ignore[attr-defined]
    assert int(slowed.headers["retry-after"]) >= 1  # type: ignore[attr-defined]


def test_the_wait_doubles_with_each_failure_and_is_forgotten_after_an_hour(
    tmp_path: Path,
) -> None:
    accounts = open_accounts(tmp_path / "a.sqlite")
    keys = SignInKeys("email:x", "client:y")
    for _ in range(FREE_FAILURES):
        assert accounts.reserve_sign_in(keys, now=1000.0) == 0
    assert accounts.reserve_sign_in(keys, now=1000.0) == 1.0
    assert accounts.reserve_sign_in(keys, now=1001.0) == 0
    assert accounts.reserve_sign_in(keys, now=1001.0) == 2.0
    assert accounts.reserve_sign_in(keys, now=1003.5) == 0
    # Tries far enough apart are each let through, and the wait grows to its cap.
    now = 1003.5
    for _ in range(20):
        now += MAX_WAIT_S + 1
        assert accounts.reserve_sign_in(keys, now=now) == 0
    assert accounts.reserve_sign_in(keys, now=now) == MAX_WAIT_S
    assert accounts.reserve_sign_in(keys, now=now + 3601) == 0
    accounts.close()


def test_bearer_tokens_work_until_revoked(service: Service) -> None:
    admin = service.headers(Role.ADMIN)
    made = service.client.post("/api/me/tokens", json={"name": "script"}, headers=admin).json()
    token = {"Authorization": f"Bearer {made['secret']}"}
    assert service.client.get("/api/me", headers=token).status_code == 200
    listed = service.client.get("/api/me/tokens", headers=admin).json()
    assert made["token"]["id"] in {t["id"] for t in listed}
    assert made["secret"] not in str(listed)
    revoked = service.client.delete(f"/api/me/tokens/{made['token']['id']}", headers=admin)
    assert revoked.status_code == 204
    assert service.client.get("/api/me", headers=token).status_code == 401


def test_signing_out_ends_the_session(service: Service) -> None:
    csrf = _sign_in(service).json()["csrf_token"]  # type: ignore[attr-defined]
    assert service.client.get("/api/me").status_code == 200
    assert service.client.post("/api/sign-out", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert service.client.get("/api/me").status_code == 401


def test_removing_a_user_revokes_their_tokens(service: Service) -> None:
    token = service.headers(Role.CONVENOR)
    user = service.accounts.user_by_email(service.email(Role.CONVENOR))
    assert user is not None
    gone = service.client.delete(f"/api/users/{user.id}", headers=service.headers(Role.ADMIN))
    assert gone.status_code == 204
    assert service.client.get("/api/me", headers=token).status_code == 401


def test_passwords_are_kept_only_as_argon2id_hashes(service: Service) -> None:
    with sqlite3.connect(service.accounts_path) as db:
        hashes = [h for (h,) in db.execute("SELECT password_hash FROM users")]
        digests = [d for (d,) in db.execute("SELECT digest FROM tokens")]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert PASSWORD.encode() not in service.accounts_path.read_bytes()
    assert not set(service.tokens.values()) & set(digests)


@pytest.mark.parametrize("secret", [None, "", "change-me", "short", "a" * 36])
def test_the_service_refuses_to_start_outside_development_without_a_real_secret(
    secret: str | None,
) -> None:
    settings = Settings(environment="production", secret_key=secret)
    with pytest.raises(GraphsvcError, match="GRAPHSVC_SECRET_KEY"):
        settings.signing_key  # noqa: B018
    real = secrets.token_urlsafe(48)
    assert Settings(environment="production", secret_key=real).signing_key == real.encode()
    assert len(Settings(environment="development", secret_key=secret).signing_key) >= 32


def test_serve_in_production_with_no_secret_stops_with_one_line(tmp_path: Path) -> None:
    result = run(
        "serve",
        "--store",
        str(tmp_path / "s"),
        env={"GRAPHSVC_ENVIRONMENT": "production", "GRAPHSVC_SECRET_KEY": "change-me"},
    )
    assert result.returncode == 2
    assert "GRAPHSVC_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_an_unexpected_failure_is_a_plain_500_with_no_traceback(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphsvc.service import NetworkView

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail about ada@example.org")

    monkeypatch.setattr(NetworkView, "find_people", broken)
    response = service.get("/api/people", Role.MEMBER)
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "status": 500,
            "code": "internal_error",
            "message": "Something went wrong on the server.",
        }
    }
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_invalid_input_is_named_without_echoing_it(service: Service) -> None:
    response = service.client.post(
        "/api/sign-in", json={"email": "x@test.invalid", "password": "", "extra": "hunter2"}
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid_request" and body["details"]
    assert "hunter2" not in response.text


def test_the_cli_adds_lists_and_removes_users(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    added = subprocess_run_with_input(
        ["user", "add", "ada@test.invalid", "--role", "admin", "--store", store],
        f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert added.returncode == 0, added.stderr
    listed = run("user", "list", "--store", store)
    assert "ada@test.invalid" in listed.stdout and "admin" in listed.stdout
    token = run("user", "token", "ada@test.invalid", "--store", store)
    assert token.returncode == 0 and len(token.stdout.strip()) >= 40
    accounts = open_accounts(get_settings().accounts_path(store))
    try:
        assert accounts.user_for_token(token.stdout.strip(), "bearer") is not None
    finally:
        accounts.close()
    short = subprocess_run_with_input(
        ["user", "add", "bob@test.invalid", "--role", "member", "--store", store], "short\nshort\n"
    )
    assert short.returncode == 2 and "12 characters" in short.stderr
    nobody = run(
        "user",
        "add",
        "cy@test.invalid",
        "--role",
        "member",
        "--person",
        "person:nope",
        "--password",
        PASSWORD,
        "--store",
        store,
    )
    assert nobody.returncode == 2 and "no person" in nobody.stderr
    assert run("user", "remove", "ada@test.invalid", "--store", store).returncode == 0
    assert "ada@test.invalid" not in run("user", "list", "--store", store).stdout


def subprocess_run_with_input(args: list[str], text: str) -> "object":
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *args],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
