"""The audit log: who did what to which record, and when, by ids alone.

Kept in the accounts file beside the users, so an audit entry and the user
it names are backed up and erased together. An entry holds a time, the
acting user's id (none for the command line), an action word such as
``person.erased`` or ``record.changed``, the node it was done to, and
further ids (of nodes, users, imports); never a name, an email or a phone
number: values that look like anything but an id are refused, so a caller's
mistake fails loudly instead of leaking personal data into the log.

When a person is erased their entries go (those whose subject or ids name
them, or one of their accounts); entries their own accounts made stay, with
the actor blanked, so that what was done to others remains accountable.
"""

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graphsvc.errors import GraphsvcError

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor INTEGER,
    action TEXT NOT NULL,
    subject TEXT,
    ids TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_log_by_subject ON audit_log (subject);
CREATE INDEX IF NOT EXISTS audit_log_by_action ON audit_log (action);
CREATE INDEX IF NOT EXISTS audit_log_by_actor ON audit_log (actor);
"""

# An action is dotted lower-case words: "person.erased", "role.changed".
ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
# An id is a node id ("person:0000042"), a number, or a short code word
# ("hidden", "made"), or a list of those joined by commas: no spaces, no "@",
# no "+", nothing longer than 100.
ID_VALUE = re.compile(r"^[A-Za-z0-9_:.,\-]{1,100}$")
ID_KEY = re.compile(r"^[a-z][a-z_]{0,39}$")
# What the CSV export's columns are, in order.
CSV_COLUMNS: Sequence[str] = ("id", "at", "actor", "action", "subject", "ids")
MAX_PAGE = 1000


class AuditError(GraphsvcError):
    """An audit entry would hold something other than ids."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: int | None
    action: str
    subject: str | None
    ids: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "ids": self.ids,
        }


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read: every field left None matches everything."""

    action: str | None = None
    actor: int | None = None
    # Entries whose subject, or any of whose further ids, is this id.
    mentions: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.action:
            # "person" matches every action on a person: "person.erased", "person.merged".
            clauses.append("(action = ? OR action LIKE ? ESCAPE '\\')")
            params += [self.action, _like_prefix(self.action) + ".%"]
        if self.actor is not None:
            clauses.append("actor = ?")
            params.append(self.actor)
        if self.mentions:
            clauses.append("(subject = ? OR instr(ids, ?) > 0)")
            params += [self.mentions, json.dumps(self.mentions)]
        if self.since:
            clauses.append("at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("at < ?")
            params.append(_day_after(self.until))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _day_after(until: str) -> str:
    """Entries up to the end of ``until``'s day, when it is a date."""
    try:
        return (dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat()
    except ValueError:
        return until


def checked_entry(
    action: str, subject: str | None, ids: dict[str, str]
) -> tuple[str, str | None, dict[str, str]]:
    """The entry's parts, or AuditError if any is not an action word or an id."""
    if not ACTION.match(action) or len(action) > 60:
        raise AuditError(f"{action!r} is not an audit action (dotted lower-case words)")
    if subject is not None and not ID_VALUE.match(subject):
        raise AuditError("an audit entry's subject must be an id")
    for key, value in ids.items():
        if not ID_KEY.match(key) or not isinstance(value, str) or not ID_VALUE.match(value):
            raise AuditError(f"an audit entry's {key!r} must be an id")
    return action, subject, dict(sorted(ids.items()))


class AuditLog:
    """The audit entries in an accounts file, sharing its connection and lock."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock) -> None:
        self._db = db
        self._lock = lock
        self._db.executescript(SCHEMA)

    def record(
        self,
        actor: int | None,
        action: str,
        subject: str | None = None,
        ids: dict[str, str] | None = None,
        *,
        at: dt.datetime | None = None,
    ) -> int:
        """Add an entry and return its id (AuditError if it would hold more than ids)."""
        action, subject, ids = checked_entry(action, subject, ids or {})
        when = (at or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO audit_log (at, actor, action, subject, ids) VALUES (?, ?, ?, ?, ?)",
                (when, actor, action, subject, json.dumps(ids)),
            )
            return int(cursor.lastrowid or 0)

    def entries(
        self, where: AuditFilter | None = None, *, offset: int = 0, limit: int = 100
    ) -> list[AuditEntry]:
        """Entries matching ``where``, newest first."""
        clause, params = (where or AuditFilter()).where()
        rows = self._read(
            "SELECT id, at, actor, action, subject, ids FROM audit_log"
            + clause
            + " ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, max(0, min(limit, MAX_PAGE)), max(0, offset)],
        )
        return [_entry(row) for row in rows]

    def count(self, where: AuditFilter | None = None) -> int:
        clause, params = (where or AuditFilter()).where()
        return int(self._read("SELECT count(*) FROM audit_log" + clause, params)[0][0])

    def entry(self, entry_id: int) -> AuditEntry | None:
        rows = self._read(
            "SELECT id, at, actor, action, subject, ids FROM audit_log WHERE id = ?", [entry_id]
        )
        return _entry(rows[0]) if rows else None

    def actions(self) -> list[str]:
        """Every action word in the log, for the page's filter."""
        return [a for (a,) in self._read("SELECT DISTINCT action FROM audit_log ORDER BY 1", [])]

    def as_csv(self, where: AuditFilter | None = None) -> str:
        """Every matching entry as CSV, oldest first, ids as JSON in the last column."""
        clause, params = (where or AuditFilter()).where()
        rows = self._read(
            "SELECT id, at, actor, action, subject, ids FROM audit_log" + clause + " ORDER BY id",
            params,
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for entry_id, at, actor, action, subject, ids in rows:
            writer.writerow(
                [entry_id, at, "" if actor is None else actor, action, subject or "", ids]
            )
        return out.getvalue()

    def _read(self, sql: str, params: Iterable[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()


def forget_in_audit_log(db: sqlite3.Connection, person_id: str, user_ids: Collection[int]) -> None:
    """Within the caller's transaction: drop the entries about a person or their accounts,
    and blank them as the actor of the rest."""
    db.execute(
        "DELETE FROM audit_log WHERE subject = ? OR instr(ids, ?) > 0",
        (person_id, json.dumps(person_id)),
    )
    # A user is named in ids under "user"; other numbers (an import's) are not theirs.
    for user_id in user_ids:
        db.execute(
            "DELETE FROM audit_log WHERE instr(ids, ?) > 0",
            (json.dumps({"user": str(user_id)})[1:-1],),
        )
    db.executemany("UPDATE audit_log SET actor = NULL WHERE actor = ?", [(u,) for u in user_ids])


def _entry(row: tuple[Any, ...]) -> AuditEntry:
    entry_id, at, actor, action, subject, ids = row
    return AuditEntry(entry_id, at, actor, action, subject, json.loads(ids))
