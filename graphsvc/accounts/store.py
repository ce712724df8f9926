"""The account store: users, password hashes, tokens, failed sign-ins, import reports.

Passwords are hashed with Argon2id (argon2-cffi). Session and bearer tokens
are 256-bit random strings shown once; only their SHA-256 digests are kept,
so a copy of the file gives no way in. Revoking a token deletes it.
"""

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graphsvc.access import Role
from graphsvc.errors import GraphsvcError

TokenKind = Literal["session", "bearer"]

SESSION_DAYS = 14
BEARER_DAYS = 365
MIN_PASSWORD_LENGTH = 12
# Failed sign-ins: after FREE_FAILURES, each further try must wait twice as
# long as the one before (from 1 s up to MAX_WAIT); failures older than
# FORGET_AFTER are forgotten.
FREE_FAILURES = 5
MAX_WAIT_S = 15 * 60
FORGET_AFTER_S = 60 * 60

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    person_id TEXT,
    password_hash TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    digest TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failed_sign_ins (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS import_reports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER,
    created TEXT NOT NULL,
    report TEXT NOT NULL
);
"""


class AccountError(GraphsvcError):
    """A user cannot be added or changed as asked."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: Role
    person_id: str | None
    created: str


@dataclass(frozen=True)
class Token:
    """A token's public facts (never its secret)."""

    id: str
    kind: TokenKind
    name: str
    created: str
    expires: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccountStore:
    """Users and sign-ins in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten, so an erased person's account leaves no bytes behind.
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._hasher = PasswordHasher()
        # Verified against when the email is unknown, so both take as long.
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    # --- users -----------------------------------------------------------------------

    def add_user(self, email: str, role: Role, password: str, person_id: str | None = None) -> User:
        email = email.strip()
        if "@" not in email or len(email) > 320:
            raise AccountError(f"{email!r} is not an email address")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
        if person_id is not None and not person_id.startswith("person:"):
            raise AccountError("--person must be a person id, like person:0000042")
        hashed = self._hasher.hash(password)
        try:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO users (email, role, person_id, password_hash, created) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (email, Role(role).value, person_id, hashed, _now().isoformat()),
                )
        except sqlite3.IntegrityError:
            raise AccountError("a user with that email already exists") from None
        user = self.user_by_email(email)
        assert user is not None
        return user

    def set_password(self, user_id: int, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
        with self._transaction() as db:
            db.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                (self._hasher.hash(password), user_id),
            )

    def users(self) -> list[User]:
        rows = self._query("SELECT id, email, role, person_id, created FROM users ORDER BY id")
        return [User(i, e, Role(r), p, c) for i, e, r, p, c in rows]

    def user(self, user_id: int) -> User | None:
        rows = self._query(
            "SELECT id, email, role, person_id, created FROM users WHERE id = ?", (user_id,)
        )
        if not rows:
            return None
        user_id, email, role, person_id, created = rows[0]
        return User(user_id, email, Role(role), person_id, created)

    def user_by_email(self, email: str) -> User | None:
        rows = self._query("SELECT id FROM users WHERE email = ?", (email.strip(),))
        return self.user(rows[0][0]) if rows else None

    def remove_user(self, user_id: int) -> bool:
        """Delete a user and every token they hold."""
        with self._transaction() as db:
            return db.execute("DELETE FROM users WHERE id = ?", (user_id,)).rowcount > 0

    def forget_person(self, person_id: str) -> int:
        """On erasure: remove users linked to the person and the person from import reports."""
        with self._transaction() as db:
            removed = db.execute("DELETE FROM users WHERE person_id = ?", (person_id,)).rowcount
            rows = db.execute(
                "SELECT id, report FROM import_reports WHERE instr(report, ?) > 0",
                (json.dumps(person_id),),
            ).fetchall()
            for report_id, text in rows:
                report = json.loads(text)
                for part in ("merges", "review"):
                    report[part] = [
                        item
                        for item in report.get(part, [])
                        if person_id not in (item.get("person"), item.get("candidate"))
                    ]
                db.execute(
                    "UPDATE import_reports SET report = ? WHERE id = ?",
                    (json.dumps(report), report_id),
                )
        with self._lock:
            # The write-ahead log still holds the old pages until it is checkpointed.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    # --- signing in --------------------------------------------------------------------

    def check_password(self, email: str, password: str) -> User | None:
        """The user whose email and password these are, or None (in the same time either way)."""
        rows = self._query("SELECT id, password_hash FROM users WHERE email = ?", (email.strip(),))
        stored = rows[0][1] if rows else self._decoy
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if not rows:
            return None
        if self._hasher.check_needs_rehash(stored):
            with self._transaction() as db:
                db.execute(
                    "UPDATE users SET password_hash = ? WHERE id = ?",
                    (self._hasher.hash(password), rows[0][0]),
                )
        return self.user(rows[0][0])

    def wait_before_sign_in(self, keys: Iterable[str], now: float | None = None) -> float:
        """Seconds to wait before another try is allowed for any of ``keys`` (0: go ahead)."""
        now = time.time() if now is None else now
        longest = 0.0
        for key in keys:
            rows = self._query(
                "SELECT failures, last_failure FROM failed_sign_ins WHERE key = ?", (key,)
            )
            if not rows or now - rows[0][1] > FORGET_AFTER_S:
                continue
            failures, last = rows[0]
            if failures >= FREE_FAILURES:
                wait = min(2.0 ** (failures - FREE_FAILURES), MAX_WAIT_S)
                longest = max(longest, last + wait - now)
        return max(longest, 0.0)

    def record_failed_sign_in(self, keys: Iterable[str], now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._transaction() as db:
            for key in keys:
                db.execute(
                    "INSERT INTO failed_sign_ins (key, failures, last_failure) VALUES (?, 1, ?) "
                    "ON CONFLICT(key) DO UPDATE SET last_failure = excluded.last_failure, "
                    "failures = CASE WHEN excluded.last_failure - last_failure > ? "
                    "THEN 1 ELSE failures + 1 END",
                    (key, now, FORGET_AFTER_S),
                )

    def clear_failed_sign_ins(self, keys: Iterable[str]) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM failed_sign_ins WHERE key = ?", [(k,) for k in keys])

    # --- tokens --------------------------------------------------------------------------

    def issue_token(self, user_id: int, kind: TokenKind, name: str = "") -> tuple[Token, str]:
        """A new token and its secret; the secret is not kept and cannot be shown again."""
        secret = secrets.token_urlsafe(32)
        created = _now()
        days = SESSION_DAYS if kind == "session" else BEARER_DAYS
        token = Token(
            id=secrets.token_hex(8),
            kind=kind,
            name=name[:100],
            created=created.isoformat(),
            expires=(created + dt.timedelta(days=days)).isoformat(),
        )
        with self._transaction() as db:
            db.execute(
                "INSERT INTO tokens (id, user_id, digest, kind, name, created, expires) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    token.id,
                    user_id,
                    _digest(secret),
                    kind,
                    token.name,
                    token.created,
                    token.expires,
                ),
            )
        return token, secret

    def user_for_token(self, secret: str, kind: TokenKind) -> tuple[User, str] | None:
        """The user holding an unexpired token of this kind, and the token's id."""
        rows = self._query(
            "SELECT user_id, id, expires FROM tokens WHERE digest = ? AND kind = ?",
            (_digest(secret), kind),
        )
        if not rows or rows[0][2] <= _now().isoformat():
            return None
        user = self.user(rows[0][0])
        return (user, rows[0][1]) if user else None

    def tokens(self, user_id: int) -> list[Token]:
        rows = self._query(
            "SELECT id, kind, name, created, expires FROM tokens WHERE user_id = ? "
            "ORDER BY created, id",
            (user_id,),
        )
        return [Token(*row) for row in rows]

    def revoke_token(self, user_id: int, token_id: str) -> bool:
        with self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM tokens WHERE id = ? AND user_id = ?", (token_id, user_id)
            )
            return deleted.rowcount > 0

    # --- import reports -------------------------------------------------------------------

    def save_import_report(self, user_id: int | None, report: dict[str, Any]) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO import_reports (user_id, created, report) VALUES (?, ?, ?)",
                (user_id, _now().isoformat(), json.dumps(report)),
            )
            return int(cursor.lastrowid or 0)

    def import_reports(self, offset: int = 0, limit: int = 50) -> list[tuple[int, str, Any]]:
        rows = self._query(
            "SELECT id, created, report FROM import_reports ORDER BY id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [(i, created, json.loads(text)) for i, created, text in rows]

    def import_report(self, report_id: int) -> tuple[int, str, Any] | None:
        rows = self._query(
            "SELECT id, created, report FROM import_reports WHERE id = ?", (report_id,)
        )
        return (rows[0][0], rows[0][1], json.loads(rows[0][2])) if rows else None

    def import_mentions(self, person_id: str) -> list[dict[str, Any]]:
        """The merges and review items of import reports that name a person."""
        rows = self._query(
            "SELECT id, report FROM import_reports WHERE instr(report, ?) > 0 ORDER BY id",
            (json.dumps(person_id),),
        )
        found = []
        for report_id, text in rows:
            report = json.loads(text)
            for part in ("merges", "review"):
                for item in report.get(part, []):
                    if person_id in (item.get("person"), item.get("candidate")):
                        found.append({"import": report_id, "kind": part, **item})
        return found

    def count_import_reports(self) -> int:
        return int(self._query("SELECT count(*) FROM import_reports")[0][0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> "AccountStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_accounts(path: Path) -> AccountStore:
    try:
        return AccountStore(path)
    except sqlite3.Error as exc:
        raise GraphsvcError(f"GRAPHSVC_ACCOUNTS: cannot use {path}: {exc}") from None
