"""Accounts people expect: changing a password, signing out everywhere, invitation and
reset links that expire and work once; an admin's changes need the form token; the
audit log names no one."""

import datetime as dt
import json
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from api_service import PASSWORD, Service
from fastapi.testclient import TestClient

from graphsvc.access import Role
from graphsvc.accounts import open_accounts
from graphsvc.accounts.audit import AuditFilter
from graphsvc.config import get_settings
from graphsvc.model import Provenance
from graphsvc.model.relationships import MayBeSame

M, CN, A = Role.MEMBER, Role.CONNECTOR, Role.ADMIN
NEW_PASSWORD = "another long enough password"
SEEN = Provenance(source="test", first_seen=dt.date(2024, 1, 1), last_seen=dt.date(2024, 1, 1))


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def unlinked_person(service: Service) -> str:
    linked = {u.person_id for u in service.accounts.users()}
    return next(p for p in service.people["network"][5:] if p not in linked)


def signed_in_client(service: Service, role: Role) -> tuple[TestClient, str]:
    """A browser-like client signed in by cookie, and its form token."""
    client = TestClient(service.app)
    answer = client.post("/api/sign-in", json={"email": service.email(role), "password": PASSWORD})
    assert answer.status_code == 200
    return client, answer.json()["csrf_token"]


def test_changing_my_password_needs_the_current_one(service: Service) -> None:
    wrong = {"current_password": "not my password at all", "new_password": NEW_PASSWORD}
    assert (
        service.client.post("/api/me/password", json=wrong, headers=service.headers(M)).status_code
        == 403
    )
    right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert (
        service.client.post("/api/me/password", json=right, headers=service.headers(M)).status_code
        == 204
    )
    assert service.accounts.check_password(service.email(M), NEW_PASSWORD) is not None
    assert service.accounts.check_password(service.email(M), PASSWORD) is None
    service.accounts.set_password(service.accounts.user_by_email(service.email(M)).id, PASSWORD)  # type: ignore[union-attr]


def test_signing_out_everywhere_revokes_every_session_and_token(service: Service) -> None:
    client, csrf = signed_in_client(service, M)
    bearer = service.headers(M)
    assert client.post("/api/me/sign-out-everywhere").status_code == 403  # no form token
    assert (
        client.post("/api/me/sign-out-everywhere", headers={"x-csrf-token": csrf}).status_code
        == 204
    )
    assert client.get("/api/me").status_code == 401
    assert service.client.get("/api/me", headers=bearer).status_code == 401
    user = service.accounts.user_by_email(service.email(M))
    assert user is not None and service.accounts.tokens(user.id) == []


def test_an_invitation_makes_an_account_linked_to_the_person_once(service: Service) -> None:
    person = unlinked_person(service)
    made = service.client.post(
        f"/api/people/{person}/invitation",
        json={"email": "invited@test.invalid"},
        headers=service.headers(A),
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["emailed"] is False and "/sign-in?token=" in body["link"]
    expires = dt.datetime.fromisoformat(body["expires"])
    assert dt.timedelta(days=6) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=7)
    secret = token_of(body["link"])
    page = service.client.get(f"/sign-in?token={secret}")
    assert page.status_code == 200 and "Set your password" in page.text
    used = service.client.post(
        "/api/set-password", json={"token": secret, "password": NEW_PASSWORD}
    )
    assert used.status_code == 200, used.text
    assert used.json()["person_id"] == person and used.json()["role"] == "member"
    again = service.client.post(
        "/api/set-password", json={"token": secret, "password": NEW_PASSWORD}
    )
    assert again.status_code == 410
    assert service.client.get(f"/sign-in?token={secret}").status_code == 410
    # The secret is not kept: only its digest.
    assert secret.encode() not in Path(service.accounts_path).read_bytes()


def test_an_expired_link_does_not_work(tmp_path: Path) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        _, secret = accounts.invite(
            "person:0000001", "late@test.invalid", Role.MEMBER, dt.timedelta(seconds=-1)
        )
        assert accounts.links.peek(secret) is None
        assert accounts.use_link(secret, NEW_PASSWORD) is None
        assert accounts.user_by_email("late@test.invalid") is None


def test_a_newer_link_replaces_an_older_one(tmp_path: Path) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        user = accounts.add_user("u@test.invalid", Role.MEMBER, PASSWORD)
        _, first = accounts.reset_link(user.id, dt.timedelta(hours=1))
        _, second = accounts.reset_link(user.id, dt.timedelta(hours=1))
        assert accounts.use_link(first, NEW_PASSWORD) is None
        assert accounts.use_link(second, NEW_PASSWORD) is not None


def test_a_reset_link_sets_a_new_password_and_signs_the_user_out(service: Service) -> None:
    user = service.accounts.user_by_email(service.email(M))
    assert user is not None
    made = service.client.post(f"/api/users/{user.id}/password-reset", headers=service.headers(A))
    assert made.status_code == 201
    expires = dt.datetime.fromisoformat(made.json()["expires"])
    assert expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=1)
    secret = token_of(made.json()["link"])
    used = service.client.post(
        "/api/set-password", json={"token": secret, "password": NEW_PASSWORD}
    )
    assert used.status_code == 200
    assert service.client.get("/api/me", headers=service.headers(M)).status_code == 401
    assert service.accounts.check_password(service.email(M), NEW_PASSWORD) is not None
    assert (
        service.client.post(
            "/api/set-password", json={"token": secret, "password": PASSWORD}
        ).status_code
        == 410
    )
    service.accounts.set_password(user.id, PASSWORD)


def test_the_set_password_page_signs_the_invitee_in(service: Service) -> None:
    person = unlinked_person(service)
    _, secret = service.network.invite_person(
        person, "page@test.invalid", Role.MEMBER, actor_user_id=None
    ) or (None, "")
    browser = TestClient(service.app)
    answer = browser.post(
        "/set-password",
        data={"token": secret, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    me = browser.get("/api/me").json()
    assert me["user"]["email"] == "page@test.invalid" and me["user"]["person_id"] == person


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/people/{person}", {"job_title": "Steward"}),
        ("POST", "/api/merges", {"kept": "{person}", "gone": "{other}"}),
        ("POST", "/api/people/{other}/invitation", {"email": "x@test.invalid"}),
        ("POST", "/api/me/password", {"current_password": PASSWORD, "new_password": PASSWORD}),
        ("PATCH", "/api/users/1", {"role": "member"}),
    ],
)
def test_every_change_through_the_cookie_needs_the_form_token(
    service: Service, method: str, path: str, body: dict[str, str]
) -> None:
    person, other = service.people["network"][3], unlinked_person(service)
    client, _ = signed_in_client(service, A)
    filled = json.loads(json.dumps(body).replace("{person}", person).replace("{other}", other))
    answer = client.request(
        method, path.replace("{person}", person).replace("{other}", other), json=filled
    )
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "csrf"


@pytest.mark.parametrize(
    "path",
    [
        "/account/password",
        "/account/sign-out-everywhere",
        "/stewardship/merges",
        "/stewardship/users/1/role",
        "/stewardship/users/1/password-reset",
    ],
)
def test_every_page_form_needs_the_form_token(service: Service, path: str) -> None:
    client, _ = signed_in_client(service, A)
    answer = client.post(
        path,
        data={
            "csrf_token": "wrong",
            "current_password": PASSWORD,
            "new_password": PASSWORD,
            "new_password_again": PASSWORD,
            "kept": "person:a",
            "gone": "person:b",
            "role": "admin",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 403


def test_nobody_but_an_admin_may_correct_or_merge(service: Service) -> None:
    person, other = service.people["network"][3], service.people["network"][4]
    for role in (Role.MEMBER, Role.CONNECTOR, Role.CONVENOR):
        headers = service.headers(role)
        patch = service.client.patch(f"/api/people/{person}", json={"name": "X"}, headers=headers)
        merge = service.client.post(
            "/api/merges", json={"kept": person, "gone": other}, headers=headers
        )
        assert (patch.status_code, merge.status_code) == (403, 403)
    assert service.store.person(other) is not None


def test_a_merged_away_id_answers_with_a_pointer_to_the_one_kept(service: Service) -> None:
    kept, gone = service.people["network"][3], service.people["network"][4]
    service.store.upsert_relationships(
        [MayBeSame(start=kept, end=gone, reason="same name", provenance=SEEN)]
    )
    merged = service.client.post(
        "/api/merges", json={"kept": kept, "gone": gone}, headers=service.headers(A)
    )
    assert merged.status_code == 201, merged.text
    answer = service.client.get(f"/api/people/{gone}", headers=service.headers(M))
    assert answer.status_code == 409
    assert answer.json()["error"]["details"] == [{"merged_into": kept}]
    assert answer.headers["location"] == f"/api/people/{kept}"
    erase = service.client.delete(f"/api/people/{gone}", headers=service.headers(A))
    assert erase.status_code == 409  # the record to erase is the one kept
    undone = service.client.post(
        f"/api/merges/{merged.json()['id']}/undo", headers=service.headers(A)
    )
    assert undone.status_code == 200 and undone.json()["undone"]
    service.network.wait_until_current()  # the views are computed again in the background
    assert service.client.get(f"/api/people/{gone}", headers=service.headers(M)).status_code == 200


def test_audit_entries_hold_ids_and_never_names_or_contact_details(service: Service) -> None:
    admin = service.headers(A)
    person, other = service.people["network"][3], service.people["network"][4]
    invitee = unlinked_person(service)
    service.store.upsert_relationships(
        [MayBeSame(start=person, end=other, reason="same name", provenance=SEEN)]
    )
    calls = [
        ("GET", f"/api/people/{person}", None),
        ("GET", f"/api/people/{person}/export", None),
        ("PATCH", f"/api/people/{person}", {"phone": "01632 960000", "job_title": "Steward"}),
        ("POST", "/api/merges", {"kept": person, "gone": other}),
        ("POST", f"/api/people/{invitee}/invitation", {"email": "audit@test.invalid"}),
    ]
    for method, path, body in calls:
        assert service.client.request(method, path, json=body, headers=admin).status_code < 300
    log = service.client.get("/api/audit", headers=admin).json()
    actions = {e["action"] for e in log["items"]}
    assert {
        "contact.viewed",
        "person.exported",
        "record.rectified",
        "person.merged",
        "account.invited",
    } <= actions
    text = (
        json.dumps(log)
        + service.client.get("/api/audit", params={"format": "csv"}, headers=admin).text
    )
    snapshot = service.store.snapshot()
    personal = set()
    for _, data in snapshot.nodes(data=True):
        if data.get("kind") == "Person":
            personal |= {data.get("name"), data.get("email"), data.get("phone")}
    personal |= {"audit@test.invalid", "01632 960000", "Steward"}
    assert not [p for p in personal if p and p in text]
    csv_lines = service.client.get(
        "/api/audit", params={"action": "person", "format": "csv"}, headers=admin
    ).text.splitlines()
    assert csv_lines[0] == "id,at,actor,action,subject,ids" and len(csv_lines) == 3


def test_an_import_is_recorded_in_the_audit_log(service: Service) -> None:
    csv = b"Name,Email\nAudit Import,audit-import@example.org\n"
    answer = service.client.post(
        "/api/imports",
        headers=service.headers(A),
        files={"file": ("members.csv", csv, "text/csv")},
        data={"kind": "members"},
    )
    assert answer.status_code == 201
    (entry,) = service.accounts.audit.entries()
    admin = service.accounts.user_by_email(service.email(A))
    assert admin is not None
    assert (entry.action, entry.actor, entry.ids["report"]) == (
        "import.done",
        admin.id,
        str(answer.json()["id"]),
    )


def test_an_introductions_outcome_is_recorded_in_the_audit_log(service: Service) -> None:
    a, b = service.people["network"][3], service.people["network"][5]
    answer = service.client.post(
        "/api/introductions",
        json={"a": a, "b": b, "status": "led_somewhere"},
        headers=service.headers(CN),
    )
    assert answer.status_code == 201
    connector = service.accounts.user_by_email(service.email(CN))
    assert connector is not None
    (entry,) = service.accounts.audit.entries()
    assert (entry.actor, entry.action, entry.subject) == (
        connector.id,
        "introduction.recorded",
        a,
    )
    assert entry.ids["other"] == b and entry.ids["outcome"] == "led_somewhere"


def test_an_admin_changes_a_role_and_the_audit_log_says_who_and_what(service: Service) -> None:
    member = service.accounts.user_by_email(service.email(M))
    admin = service.accounts.user_by_email(service.email(A))
    assert member is not None and admin is not None
    changed = service.client.patch(
        f"/api/users/{member.id}", json={"role": "connector"}, headers=service.headers(A)
    )
    assert changed.status_code == 200 and changed.json()["role"] == "connector"
    own = service.client.patch(
        f"/api/users/{admin.id}", json={"role": "member"}, headers=service.headers(A)
    )
    assert own.status_code == 422
    (entry,) = service.accounts.audit.entries()
    assert (entry.actor, entry.action, entry.ids) == (
        admin.id,
        "role.changed",
        {"role": "connector", "user": str(member.id)},
    )
    service.accounts.set_role(member.id, Role.MEMBER)


def test_erasing_a_person_through_the_api_purges_their_audit_entries(service: Service) -> None:
    person = service.people["network"][6]
    admin = service.headers(A)
    assert service.client.get(f"/api/people/{person}", headers=admin).status_code == 200
    assert service.accounts.audit.count(AuditFilter(mentions=person)) == 1
    assert service.client.delete(f"/api/people/{person}", headers=admin).status_code == 204
    assert service.accounts.audit.count(AuditFilter(mentions=person)) == 0
    assert (
        person not in service.client.get("/api/audit", params={"format": "csv"}, headers=admin).text
    )
    assert [e.action for e in service.accounts.audit.entries()] == ["person.erased"]


class _Mailbox(socketserver.StreamRequestHandler):
    """Just enough SMTP to take one message: what it was sent is kept in ``received``."""

    received: ClassVar[list[str]] = []

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go on\r\n")
                body = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(part.decode())
                self.received.append("".join(body))
                self.wfile.write(b"250 kept\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def mail_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Mailbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("GRAPHSVC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("GRAPHSVC_SMTP_PORT", str(server.server_address[1]))
    monkeypatch.setenv("GRAPHSVC_SMTP_STARTTLS", "false")
    monkeypatch.setenv("GRAPHSVC_SMTP_FROM", "map@test.invalid")
    get_settings.cache_clear()
    _Mailbox.received.clear()
    yield _Mailbox.received
    server.shutdown()
    server.server_close()
    monkeypatch.undo()
    get_settings.cache_clear()


def test_with_a_mail_server_configured_the_invitation_is_emailed_too(
    service: Service, mail_server: list[str]
) -> None:
    person = unlinked_person(service)
    made = service.client.post(
        f"/api/people/{person}/invitation",
        json={"email": "mailed@test.invalid"},
        headers=service.headers(A),
    )
    assert made.status_code == 201 and made.json()["emailed"] is True
    (message,) = mail_server
    assert "To: mailed@test.invalid" in message
    assert token_of(made.json()["link"]) in message.replace("=\r\n", "")


def test_the_audit_page_filters_and_pages_through_entries(service: Service) -> None:
    for n in range(120):
        service.accounts.audit.record(1, "record.rectified", f"person:{n:07d}", {"fields": "name"})
    service.accounts.audit.record(2, "person.exported", "person:0000999")
    client, _ = signed_in_client(service, A)
    first = client.get("/audit")
    assert first.status_code == 200 and "121 entries" in first.text and "Older" in first.text
    older = client.get("/audit", params={"offset": 100, "action": "record"})
    assert older.status_code == 200 and "120 entries" in older.text and "Newer" in older.text
    assert "person:0000999" not in older.text
    only = client.get("/audit", params={"mentions": "person:0000999"})
    assert "1 entry." in only.text and "<td>person.exported</td>" in only.text
    member, _ = signed_in_client(service, M)
    assert member.get("/audit").status_code == 403


def test_keeping_a_pair_apart_is_recorded_in_the_audit_log(service: Service) -> None:
    person, other = service.people["network"][3], service.people["network"][4]
    service.store.upsert_relationships(
        [MayBeSame(start=person, end=other, reason="same name", provenance=SEEN)]
    )
    decided = service.client.post(
        "/api/review", json={"person": person, "candidate": other}, headers=service.headers(A)
    )
    assert decided.status_code == 204
    (entry,) = service.accounts.audit.entries()
    assert (entry.action, entry.subject, entry.ids) == (
        "review.kept_apart",
        person,
        {"candidate": other},
    )
