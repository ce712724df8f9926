"""The account store: users, password hashes, tokens, failed sign-ins, import reports,
one-time links (:mod:`.links`), the audit log (:mod:`.audit`) and the records of
merges (:mod:`.merges`).

Passwords are hashed with Argon2id (argon2-cffi). Session and bearer tokens
are 256-bit random strings shown once; only their SHA-256 digests are kept,
so a copy of the file gives no way in. Revoking a token deletes it.

The file is created owner-only (and its directory, if this makes it), and
SQLite gives its side files the same mode. A user's id is never given to
another user, even after the user is removed: import reports and the
graph's provenance name users by id.
"""

import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graphsvc.access import Role
from graphsvc.accounts.audit import AuditLog, forget_in_audit_log
from graphsvc.accounts.links import AccountLink, LinkStore
from graphsvc.accounts.merges import MergeLog, forget_in_merges, ids_merged_into
from graphsvc.accounts.ties import TieBook, forget_in_ties
from graphsvc.accounts.transactions import immediate
from graphsvc.errors import GraphsvcError

TokenKind = Literal["session", "bearer"]

SESSION_DAYS = 14
BEARER_DAYS = 365
MIN_PASSWORD_LENGTH = 12
# Failed sign-ins: after FREE_FAILURES for an account (ADDRESS_FREE_FAILURES
# from an address), each further try must wait twice as long as the one
# before (from 1 s up to MAX_WAIT); failures older than FORGET_AFTER are
# forgotten. An account's successful sign-in from an address is remembered
# for KNOWN_ADDRESS_DAYS (see reserve_sign_in).
FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 100
MAX_WAIT_S = 15 * 60
FORGET_AFTER_S = 60 * 60
KNOWN_ADDRESS_DAYS = 30
# Each Argon2 check takes 64 MiB and most of a core for a tenth of a second:
# at most this many at once, each waiting at most HASHING_WAIT for its turn.
HASHING_SLOTS = 2
HASHING_WAIT_S = 2.0
# What SQLite keeps beside the file.
SIDE_FILES: Sequence[str] = ("-wal", "-shm", "-journal")

# The users table, as made in a new file and by the migration below.
USERS_COLUMNS = """
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    person_id TEXT,
    password_hash TEXT NOT NULL,
    created TEXT NOT NULL
"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS users (
{USERS_COLUMNS});
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
CREATE TABLE IF NOT EXISTS known_addresses (
    key TEXT PRIMARY KEY,
    last_sign_in REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS import_reports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER,
    created TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS import_rejected_keys (
    report_id INTEGER NOT NULL,
    row INTEGER NOT NULL,
    key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS import_rejected_keys_by_key ON import_rejected_keys (key);
"""
# Files made before user ids were never reused: the users table is copied
# into one that never reuses them, counting on from the highest id that any
# user or import report has had.
USERS_WITHOUT_AUTOINCREMENT = f"""
CREATE TABLE users_never_reused (
{USERS_COLUMNS});
INSERT INTO users_never_reused SELECT id, email, role, person_id, password_hash, created
FROM users;
DROP TABLE users;
ALTER TABLE users_never_reused RENAME TO users;
"""
# A failure (or a reserved try) more for a key, starting again from one when
# the last is older than FORGET_AFTER.
COUNT_FAILURE = (
    "INSERT INTO failed_sign_ins (key, failures, last_failure) VALUES (?, 1, ?) "
    "ON CONFLICT(key) DO UPDATE SET last_failure = excluded.last_failure, "
    "failures = CASE WHEN excluded.last_failure - last_failure > ? "
    "THEN 1 ELSE failures + 1 END"
)
UNCOUNT_FAILURE = "UPDATE failed_sign_ins SET failures = max(failures - 1, 0) WHERE key = ?"


class AccountError(GraphsvcError):
    """A user cannot be added or changed as asked."""


class HashingBusy(GraphsvcError):
    """Every password-hashing slot stayed taken for HASHING_WAIT: try again shortly."""


@dataclass(frozen=True)
class SignInKeys:
    """What a sign-in is counted against: digests of the account and the address."""

    account: str
    address: str

    @property
    def pair(self) -> str:
        """The account at this address, remembered once it signs in from there."""
        return "pair:" + _digest(f"{self.account}|{self.address}")


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
        _create_owner_only(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten, so an erased person's account leaves no bytes behind.
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._never_reuse_user_ids()
        self.audit = AuditLog(self._db, self._lock)
        self.merges = MergeLog(self._db, self._lock)
        self.links = LinkStore(self._db, self._lock)
        self.ties = TieBook(self._db, self._lock)
        self._hashing = threading.BoundedSemaphore(HASHING_SLOTS)
        self._hasher = PasswordHasher()
        # Verified against when the email is unknown, so both take as long.
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def _never_reuse_user_ids(self) -> None:
        """Give a file made before ids were never reused a users table that never reuses them."""
        # Foreign keys off while the table is replaced, or dropping it would
        # delete every token; the pragma cannot change inside a transaction.
        self._db.execute("PRAGMA foreign_keys=OFF")
        try:
            with self._transaction() as db:
                (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'users'").fetchone()
                if "AUTOINCREMENT" in sql.upper():
                    return
                (highest,) = db.execute(
                    "SELECT max(coalesce((SELECT max(id) FROM users), 0), "
                    "coalesce((SELECT max(user_id) FROM import_reports), 0))"
                ).fetchone()
                for statement in USERS_WITHOUT_AUTOINCREMENT.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("DELETE FROM sqlite_sequence WHERE name = 'users'")
                db.execute("INSERT INTO sqlite_sequence VALUES ('users', ?)", (highest,))
                if db.execute("PRAGMA foreign_key_check").fetchall():
                    raise sqlite3.DatabaseError("tokens of unknown users after moving the users")
        finally:
            self._db.execute("PRAGMA foreign_keys=ON")

    @contextmanager
    def hashing_slot(self) -> Iterator[None]:
        """Hold one of the HASHING_SLOTS while hashing a password (HashingBusy if none frees)."""
        if not self._hashing.acquire(timeout=HASHING_WAIT_S):
            raise HashingBusy("too many passwords are being checked at once")
        try:
            yield
        finally:
            self._hashing.release()

    def _hash(self, password: str) -> str:
        with self.hashing_slot():
            return self._hasher.hash(password)

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate(self._db, self._lock)

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
        hashed = self._hash(password)
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
                (self._hash(password), user_id),
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

    def forget_person(self, person_id: str, rejected_keys: Collection[str] = ()) -> int:
        """On erasure: remove users linked to the person, their entries in the audit
        log (see ``audit.forget_in_audit_log``), and the person from import reports:
        the rows matched to them, and the rejected rows whose erasure keys (digests
        of a name or email, see ``importers.report.erasure_keys``) are among
        ``rejected_keys``."""
        with self._transaction() as db:
            linked = [
                u for (u,) in db.execute("SELECT id FROM users WHERE person_id = ?", (person_id,))
            ]
            removed = db.execute("DELETE FROM users WHERE person_id = ?", (person_id,)).rowcount
            _forget_in_import_reports(db, person_id, rejected_keys)
            # Ids merged into theirs name the same person: their audit entries go too.
            for merged in ids_merged_into(db, person_id):
                forget_in_audit_log(db, merged, linked)
            forget_in_merges(db, person_id)
            db.execute("DELETE FROM account_links WHERE person_id = ?", (person_id,))
            forget_in_ties(db, person_id)
        with self._lock:
            # The write-ahead log still holds the old pages until it is checkpointed.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    # --- signing in --------------------------------------------------------------------

    def check_password(self, email: str, password: str) -> User | None:
        """The user whose email and password these are, or None (in the same time either way).

        Raises HashingBusy when no hashing slot frees in time.
        """
        rows = self._query("SELECT id, password_hash FROM users WHERE email = ?", (email.strip(),))
        stored = rows[0][1] if rows else self._decoy
        with self.hashing_slot():
            try:
                self._hasher.verify(stored, password)
            except (VerificationError, InvalidHashError):
                return None
            if not rows:
                return None
            rehashed = (
                self._hasher.hash(password) if self._hasher.check_needs_rehash(stored) else None
            )
        if rehashed is not None:
            with self._transaction() as db:
                db.execute(
                    "UPDATE users SET password_hash = ? WHERE id = ?", (rehashed, rows[0][0])
                )
        return self.user(rows[0][0])

    def reserve_sign_in(self, keys: SignInKeys, now: float | None = None) -> float:
        """Seconds to wait before this try may be checked, or 0 having counted it as a
        failure in advance (``record_sign_in`` or ``release_sign_in`` take that back).

        Checking the counts and counting the try are one transaction, so however
        many tries arrive at once, no more pass than the counts allow.

        The account and the address are counted apart. An account is slowed
        after FREE_FAILURES, whoever tries; an address after the far larger
        ADDRESS_FREE_FAILURES, which stops one machine trying a few passwords
        on many accounts, and not an office behind one address whose people
        mistype. Even when that address is slowed, an account that signed in
        from it in the last KNOWN_ADDRESS_DAYS is checked (its own count
        still applies), so a colleague's guessing does not lock out people who
        sign in from there, and only people new to the address wait.
        """
        now = time.time() if now is None else now
        with self._transaction() as db:
            wait = _wait(db, keys.account, FREE_FAILURES, now)
            if not _known_address(db, keys, now):
                wait = max(wait, _wait(db, keys.address, ADDRESS_FREE_FAILURES, now))
            if wait > 0:
                return wait
            for key in (keys.account, keys.address):
                db.execute(COUNT_FAILURE, (key, now, FORGET_AFTER_S))
            return 0.0

    def release_sign_in(self, keys: SignInKeys) -> None:
        """Take back a reserved try that was never checked."""
        with self._transaction() as db:
            for key in (keys.account, keys.address):
                db.execute(UNCOUNT_FAILURE, (key,))

    def record_sign_in(self, keys: SignInKeys, now: float | None = None) -> None:
        """A reserved try had the right password: the account's failures are cleared,
        the address's try taken back, and the account is known at the address."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute("DELETE FROM failed_sign_ins WHERE key = ?", (keys.account,))
            db.execute(UNCOUNT_FAILURE, (keys.address,))
            db.execute(
                "INSERT INTO known_addresses (key, last_sign_in) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET last_sign_in = excluded.last_sign_in",
                (keys.pair, now),
            )
            # What is too old to matter is dropped now and then: here.
            db.execute(
                "DELETE FROM failed_sign_ins WHERE last_failure < ?", (now - FORGET_AFTER_S,)
            )
            db.execute(
                "DELETE FROM known_addresses WHERE last_sign_in < ?",
                (now - KNOWN_ADDRESS_DAYS * 86400,),
            )

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

    def relink_person(self, old: str, new: str) -> list[int]:
        """Link the users linked to person ``old`` to ``new`` (a merge); their ids."""
        with self._transaction() as db:
            rows = db.execute("SELECT id FROM users WHERE person_id = ?", (old,)).fetchall()
            db.execute("UPDATE users SET person_id = ? WHERE person_id = ?", (new, old))
        return [user_id for (user_id,) in rows]

    def link_person(self, user_id: int, person_id: str | None) -> None:
        with self._transaction() as db:
            db.execute("UPDATE users SET person_id = ? WHERE id = ?", (person_id, user_id))

    def set_role(self, user_id: int, role: Role) -> bool:
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE users SET role = ? WHERE id = ?", (Role(role).value, user_id)
            )
            return changed.rowcount > 0

    def revoke_all_tokens(self, user_id: int, *, keep: str | None = None) -> int:
        """Revoke every session and token of a user (but ``keep``'s); how many went."""
        with self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM tokens WHERE user_id = ? AND id IS NOT ?", (user_id, keep)
            )
            return deleted.rowcount

    def change_password(self, user_id: int, current: str, new: str, *, keep: str) -> bool:
        """Set a new password if ``current`` is the user's password, and end every other
        session (a stolen one among them); bearer tokens stay. False if it is not."""
        user = self.user(user_id)
        if user is None or self.check_password(user.email, current) is None:
            return False
        self.set_password(user_id, new)
        with self._transaction() as db:
            db.execute(
                "DELETE FROM tokens WHERE user_id = ? AND kind = 'session' AND id <> ?",
                (user_id, keep),
            )
        return True

    # --- invitations and password resets ------------------------------------------------

    def invite(
        self, person_id: str, email: str, role: Role, lasts: dt.timedelta
    ) -> tuple[AccountLink, str]:
        """A one-time link that makes an account linked to ``person_id``, and its secret."""
        if self.user_by_email(email) is not None:
            raise AccountError("a user with that email already exists")
        if any(u.person_id == person_id for u in self.users()):
            raise AccountError("that person already has an account")
        return self.links.issue(
            "invite", email=email.strip(), role=Role(role).value, lasts=lasts, person_id=person_id
        )

    def reset_link(self, user_id: int, lasts: dt.timedelta) -> tuple[AccountLink, str]:
        """A one-time link that sets a new password for a user, and its secret."""
        user = self.user(user_id)
        if user is None:
            raise AccountError("no user with that id")
        return self.links.issue(
            "reset",
            email=user.email,
            role=user.role.value,
            lasts=lasts,
            person_id=user.person_id,
            user_id=user.id,
        )

    def use_link(self, secret: str, password: str) -> User | None:
        """Use a link once: make the invited account, or set the new password and end
        every session and token of the user. None if the link is unknown, used or
        expired (it cannot be used again either way)."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
        hashed = self._hash(password)
        try:
            with self._transaction() as db:
                link = self.links.use(db, secret)
                if link is None:
                    return None
                if link.kind == "invite":
                    cursor = db.execute(
                        "INSERT INTO users (email, role, person_id, password_hash, created) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (link.email, link.role, link.person_id, hashed, _now().isoformat()),
                    )
                    user_id = int(cursor.lastrowid or 0)
                else:
                    user_id = int(link.user_id or 0)
                    db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hashed, user_id))
                    db.execute("DELETE FROM tokens WHERE user_id = ?", (user_id,))
        except sqlite3.IntegrityError:
            raise AccountError("a user with that email already exists") from None
        return self.user(user_id)

    # --- import reports -------------------------------------------------------------------

    def save_import_report(self, user_id: int | None, report: dict[str, Any]) -> int:
        """Keep a report; its rejected rows' ``erasure_keys`` are kept apart from it,
        for :meth:`forget_person` alone, and never read back with it."""
        kept, keys = _without_erasure_keys(report)
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO import_reports (user_id, created, report) VALUES (?, ?, ?)",
                (user_id, _now().isoformat(), json.dumps(kept)),
            )
            report_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO import_rejected_keys (report_id, row, key) VALUES (?, ?, ?)",
                [(report_id, row, key) for row, key in keys],
            )
            return report_id

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
        """The entries of import reports that name a person (matched, reviewed, changed, added)."""
        rows = self._query(
            "SELECT id, report FROM import_reports WHERE instr(report, ?) > 0 ORDER BY id",
            (json.dumps(person_id),),
        )
        found = []
        for report_id, text in rows:
            report = json.loads(text)
            for part in REPORT_PARTS_NAMING_PEOPLE:
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


def _wait(db: sqlite3.Connection, key: str, free: int, now: float) -> float:
    """Seconds until ``key`` may try again, after ``free`` failures without a wait."""
    row = db.execute(
        "SELECT failures, last_failure FROM failed_sign_ins WHERE key = ?", (key,)
    ).fetchone()
    if row is None or now - row[1] > FORGET_AFTER_S or row[0] < free:
        return 0.0
    failures, last = int(row[0]), float(row[1])
    return max(last + min(2.0 ** (failures - free), MAX_WAIT_S) - now, 0.0)


def _known_address(db: sqlite3.Connection, keys: SignInKeys, now: float) -> bool:
    since = now - KNOWN_ADDRESS_DAYS * 86400
    row = db.execute(
        "SELECT 1 FROM known_addresses WHERE key = ? AND last_sign_in >= ?", (keys.pair, since)
    ).fetchone()
    return row is not None


def _create_owner_only(path: Path) -> None:
    """Make the file (and its directory) readable by its owner alone, whatever the umask.

    SQLite creates the -wal, -shm and -journal files with the database's own
    mode. A file left readable by others by an earlier version is tightened.
    """
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for kept in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
            _tighten(kept)
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _tighten(path: Path) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_mode & 0o077 and status.st_uid == os.getuid():
        os.chmod(path, status.st_mode & 0o700)


def _without_erasure_keys(report: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """A report without its rejected rows' erasure keys, and those keys by row."""
    rejected: list[dict[str, Any]] = []
    keys: list[tuple[int, str]] = []
    for problem in report.get("rejected", []):
        shown = dict(problem)
        keys += [(int(shown["row"]), str(key)) for key in shown.pop("erasure_keys", ())]
        rejected.append(shown)
    return {**report, "rejected": rejected}, keys


# The lists of an import report whose entries name a person by id.
REPORT_PARTS_NAMING_PEOPLE = ("merges", "review", "changed", "added")


def _forget_in_import_reports(
    db: sqlite3.Connection, person_id: str, rejected_keys: Collection[str]
) -> None:
    """Take a person out of every import report: rows matched to them or reviewed
    against them, and rejected rows that gave their name or email."""
    rejected = _rejected_rows_with(db, rejected_keys)
    naming = db.execute(
        "SELECT id FROM import_reports WHERE instr(report, ?) > 0", (json.dumps(person_id),)
    ).fetchall()
    for report_id in sorted({i for (i,) in naming} | set(rejected)):
        (text,) = db.execute(
            "SELECT report FROM import_reports WHERE id = ?", (report_id,)
        ).fetchone()
        report = json.loads(text)
        for part in REPORT_PARTS_NAMING_PEOPLE:
            report[part] = [
                item
                for item in report.get(part, [])
                if person_id not in (item.get("person"), item.get("candidate"))
            ]
        rows = rejected.get(report_id, set())
        report["rejected"] = [p for p in report.get("rejected", []) if p.get("row") not in rows]
        db.execute(
            "UPDATE import_reports SET report = ? WHERE id = ?", (json.dumps(report), report_id)
        )
        # The row's other keys go too: once the row is gone there is nothing to find.
        db.executemany(
            "DELETE FROM import_rejected_keys WHERE report_id = ? AND row = ?",
            [(report_id, row) for row in rows],
        )


def _rejected_rows_with(db: sqlite3.Connection, keys: Collection[str]) -> dict[int, set[int]]:
    """Report id to the numbers of its rejected rows that have any of these erasure keys
    (a person's few: their name's and their email's)."""
    found: dict[int, set[int]] = {}
    for key in set(keys):
        rows = db.execute(
            "SELECT report_id, row FROM import_rejected_keys WHERE key = ?", (key,)
        ).fetchall()
        for report_id, row in rows:
            found.setdefault(report_id, set()).add(row)
    return found


def open_accounts(path: Path) -> AccountStore:
    try:
        return AccountStore(path)
    except (sqlite3.Error, OSError) as exc:
        raise GraphsvcError(f"GRAPHSVC_ACCOUNTS: cannot use {path}: {exc}") from None
