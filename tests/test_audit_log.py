"""The audit log: ids only, read and exported by admins, purged of an erased person."""

import csv
import io
import json
from pathlib import Path

import pytest

from graphsvc.access import Role
from graphsvc.accounts import open_accounts
from graphsvc.accounts.audit import AuditError, AuditFilter

PASSWORD = "a long enough test password"


def test_an_entry_holds_when_who_what_and_ids(tmp_path: Path) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        accounts.audit.record(3, "record.changed", "person:0000042", {"fields": "email"})
        (entry,) = accounts.audit.entries()
    assert (entry.actor, entry.action, entry.subject) == (3, "record.changed", "person:0000042")
    assert entry.ids == {"fields": "email"}
    assert entry.at.endswith("+00:00")


@pytest.mark.parametrize(
    ("subject", "ids"),
    [
        ("Ada Lovelace", {}),
        (None, {"email": "ada@example.org"}),
        (None, {"phone": "+44 7700 900123"}),
        (None, {"name": "Ada Lovelace"}),
    ],
)
def test_an_entry_that_would_hold_a_name_email_or_phone_is_refused(
    tmp_path: Path, subject: str | None, ids: dict[str, str]
) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        with pytest.raises(AuditError):
            accounts.audit.record(1, "record.changed", subject, ids)
        assert accounts.audit.count() == 0


def test_entries_are_filtered_by_action_family_actor_and_id(tmp_path: Path) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        log = accounts.audit
        log.record(1, "person.merged", "person:1", {"merged": "person:2"})
        log.record(2, "person.exported", "person:3")
        log.record(1, "import.done", None, {"report": "7"})
        assert [e.action for e in log.entries(AuditFilter(action="person"))] == [
            "person.exported",
            "person.merged",
        ]
        assert log.count(AuditFilter(actor=1)) == 2
        assert [e.subject for e in log.entries(AuditFilter(mentions="person:2"))] == ["person:1"]


def test_the_csv_export_has_one_row_per_entry_oldest_first(tmp_path: Path) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        accounts.audit.record(None, "import.done", None, {"report": "1"})
        accounts.audit.record(5, "person.exported", "person:9")
        rows = list(csv.DictReader(io.StringIO(accounts.audit.as_csv())))
    assert [r["action"] for r in rows] == ["import.done", "person.exported"]
    assert rows[0]["actor"] == "" and json.loads(rows[0]["ids"]) == {"report": "1"}


def test_forgetting_a_person_purges_their_entries_and_blanks_them_as_actor(
    tmp_path: Path,
) -> None:
    with open_accounts(tmp_path / "a.sqlite") as accounts:
        user = accounts.add_user("m@test.invalid", Role.MEMBER, PASSWORD, "person:1")
        log = accounts.audit
        log.record(9, "contact.viewed", "person:1")
        log.record(9, "person.merged", "person:5", {"merged": "person:1"})
        log.record(9, "role.changed", None, {"user": str(user.id), "role": "admin"})
        log.record(user.id, "record.changed", "person:2")
        log.record(9, "import.done", None, {"report": str(user.id)})
        accounts.forget_person("person:1")
        left = log.entries()
    assert [(e.actor, e.action) for e in left] == [(9, "import.done"), (None, "record.changed")]
