"""One-time links: an invitation to make an account, or a password reset.

A link's secret is 256 random bits shown once (to the admin who makes it, or
sent by email); only its SHA-256 digest is kept. A link works once, until it
expires: using it deletes it, in the same statement that reads it, so two
uses at once cannot both succeed.
"""

import datetime as dt
import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any, Literal

from graphsvc.accounts.transactions import immediate

LinkKind = Literal["invite", "reset"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS account_links (
    digest TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    person_id TEXT,
    user_id INTEGER,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS account_links_by_person ON account_links (person_id);
"""
COLUMNS = "kind, person_id, user_id, email, role, created, expires"


@dataclass(frozen=True)
class AccountLink:
    """What a link is for (never its secret)."""

    kind: LinkKind
    person_id: str | None
    user_id: int | None
    email: str
    role: str
    created: str
    expires: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class LinkStore:
    """The open links in an accounts file, sharing its connection and lock."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock) -> None:
        self._db = db
        self._lock = lock
        self._db.executescript(SCHEMA)

    def issue(
        self,
        kind: LinkKind,
        *,
        email: str,
        role: str,
        lasts: dt.timedelta,
        person_id: str | None = None,
        user_id: int | None = None,
    ) -> tuple[AccountLink, str]:
        """A new link and its secret. An earlier open link of the same kind for the same
        person or user stops working: only the newest one sent can be used."""
        secret = secrets.token_urlsafe(32)
        created = _now()
        link = AccountLink(
            kind,
            person_id,
            user_id,
            email,
            role,
            created.isoformat(),
            (created + lasts).isoformat(),
        )
        with immediate(self._db, self._lock) as db:
            db.execute(
                "DELETE FROM account_links WHERE kind = ? AND "
                "(person_id = ? OR user_id = ? OR expires <= ?)",
                (kind, person_id, user_id, created.isoformat()),
            )
            db.execute(
                f"INSERT INTO account_links (digest, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_digest(secret), *_values(link)),
            )
        return link, secret

    def peek(self, secret: str) -> AccountLink | None:
        """The unexpired link with this secret, left unused (for the page that asks for
        a password)."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {COLUMNS} FROM account_links WHERE digest = ? AND expires > ?",
                (_digest(secret), _now().isoformat()),
            ).fetchone()
        return AccountLink(*row) if row else None

    def use(self, db: sqlite3.Connection, secret: str) -> AccountLink | None:
        """Within the caller's transaction: the unexpired link with this secret, deleted."""
        row = db.execute(
            f"DELETE FROM account_links WHERE digest = ? RETURNING {COLUMNS}",
            (_digest(secret),),
        ).fetchone()
        if row is None or row[-1] <= _now().isoformat():
            return None
        return AccountLink(*row)

    def open_for(self, person_id: str) -> list[AccountLink]:
        """The unexpired links for a person (their account's included), newest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM account_links WHERE person_id = ? AND expires > ? "
                "ORDER BY created DESC",
                (person_id, _now().isoformat()),
            ).fetchall()
        return [AccountLink(*row) for row in rows]


def _values(link: AccountLink) -> tuple[Any, ...]:
    return (
        link.kind,
        link.person_id,
        link.user_id,
        link.email,
        link.role,
        link.created,
        link.expires,
    )
