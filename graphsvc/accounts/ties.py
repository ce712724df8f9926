"""What members tell the service about who they know, before it is a fact of the
graph: ties named and waiting for the other end, relationship survey rounds,
and introductions asked for and waiting for the people concerned.

These live in the accounts file, not in the graph. A tie one person claims is
not yet true of two people: kept in the graph (a ``KNOWS`` with a status),
every read of the network (the snapshot, maps, neighbourhoods, exports, the
analysis, a backup copied to another tool) would have to leave it out, and
one that forgot would tell third parties what only the two ends may see.
Kept here, it cannot reach any of them; only a confirmed tie is written to
the graph. The same holds for introduction requests, which carry who asked
whom and their answers. Being in the accounts file, they are backed up with
it and erased with the person (:func:`forget_in_ties`).

Rows hold person ids, user ids, a short word of state, dates and a note the
requester wrote; never an email: contact details are read from the graph
only when both people have said yes.
"""

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS member_ties (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    named_by TEXT NOT NULL,
    other TEXT NOT NULL,
    strength TEXT NOT NULL,
    status TEXT NOT NULL,
    named_by_user INTEGER,
    created TEXT NOT NULL,
    answered TEXT
);
CREATE INDEX IF NOT EXISTS member_ties_by_named_by ON member_ties (named_by);
CREATE INDEX IF NOT EXISTS member_ties_by_other ON member_ties (other);
CREATE TABLE IF NOT EXISTS tie_surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    cell TEXT,
    region TEXT,
    opened TEXT NOT NULL,
    closes TEXT NOT NULL,
    closed TEXT,
    opened_by INTEGER
);
CREATE TABLE IF NOT EXISTS introduction_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    requester TEXT NOT NULL,
    other TEXT NOT NULL,
    introducer TEXT,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    requester_answer TEXT,
    other_answer TEXT,
    handled_by INTEGER,
    handler_person TEXT,
    outcome TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS introduction_requests_by_requester
    ON introduction_requests (requester);
CREATE INDEX IF NOT EXISTS introduction_requests_by_other ON introduction_requests (other);
"""

TIE_COLUMNS = "id, named_by, other, strength, status, named_by_user, created, answered"
SURVEY_COLUMNS = "id, name, cell, region, opened, closes, closed, opened_by"
REQUEST_COLUMNS = (
    "id, requester, other, introducer, note, status, requester_answer, other_answer, "
    "handled_by, handler_person, outcome, created, updated"
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class TieClaim:
    """A tie one person named: ``pending`` until ``other`` confirms or declines it."""

    id: int
    named_by: str
    other: str
    strength: str
    status: str  # pending, confirmed, declined
    named_by_user: int | None
    created: str
    answered: str | None

    def ends(self) -> tuple[str, str]:
        return self.named_by, self.other

    def involves(self, person_id: str) -> bool:
        return person_id in self.ends()


@dataclass(frozen=True)
class TieSurvey:
    """A relationship survey round: members in its focus are asked who they work with."""

    id: int
    name: str
    cell: str | None
    region: str | None
    opened: str
    closes: str  # a date
    closed: str | None
    opened_by: int | None

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.closed is None and dt.date.fromisoformat(self.closes) >= today


@dataclass(frozen=True)
class IntroductionRequest:
    """An introduction a member asked for, and how far it has gone.

    ``status``: ``requested`` (waiting for the introducer or a connector),
    ``asked`` (passed on: each of the two is asked), ``introduced`` (both said
    yes: their contact details are shared), ``declined`` (one said no),
    ``refused`` (the introducer would not pass it on) or ``withdrawn``.
    """

    id: int
    requester: str
    other: str
    introducer: str | None
    note: str
    status: str
    requester_answer: str | None  # yes, no
    other_answer: str | None
    handled_by: int | None
    handler_person: str | None
    outcome: str | None  # what was recorded: made, declined, led_somewhere
    created: str
    updated: str

    def pair(self) -> tuple[str, str]:
        return self.requester, self.other

    def answer_of(self, person_id: str) -> str | None:
        return self.requester_answer if person_id == self.requester else self.other_answer


class TieBook:
    """Ties named, survey rounds and introduction requests, in the accounts file,
    sharing its connection and lock."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock) -> None:
        self._db = db
        self._lock = lock
        with self._lock:
            self._db.executescript(SCHEMA)

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def _write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one change; the new row's id for an insert, else the rows changed."""
        with self._lock:
            cursor = self._db.execute(sql, tuple(params))
            return int(cursor.lastrowid or 0) if sql.startswith("INSERT") else cursor.rowcount

    # --- ties named ---------------------------------------------------------------

    def name_tie(self, named_by: str, other: str, strength: str, user_id: int | None) -> TieClaim:
        tie_id = self._write(
            f"INSERT INTO member_ties ({TIE_COLUMNS}) "
            "VALUES (NULL, ?, ?, ?, 'pending', ?, ?, NULL)",
            (named_by, other, strength, user_id, _now()),
        )
        found = self.tie(tie_id)
        assert found is not None
        return found

    def tie(self, tie_id: int) -> TieClaim | None:
        rows = self._read(f"SELECT {TIE_COLUMNS} FROM member_ties WHERE id = ?", (tie_id,))
        return TieClaim(*rows[0]) if rows else None

    def ties_of(self, person_id: str) -> list[TieClaim]:
        """Every tie a person named or was named in, newest first."""
        rows = self._read(
            f"SELECT {TIE_COLUMNS} FROM member_ties WHERE named_by = ? OR other = ? "
            "ORDER BY id DESC",
            (person_id, person_id),
        )
        return [TieClaim(*row) for row in rows]

    def live_tie_between(self, a: str, b: str) -> TieClaim | None:
        """The pending or confirmed tie between two people, named either way round."""
        rows = self._read(
            f"SELECT {TIE_COLUMNS} FROM member_ties WHERE status IN ('pending', 'confirmed') "
            "AND ((named_by = ? AND other = ?) OR (named_by = ? AND other = ?)) "
            "ORDER BY id DESC LIMIT 1",
            (a, b, b, a),
        )
        return TieClaim(*rows[0]) if rows else None

    def answer_tie(self, tie_id: int, status: str) -> None:
        self._write(
            "UPDATE member_ties SET status = ?, answered = ? WHERE id = ?",
            (status, _now(), tie_id),
        )

    def set_strength(self, tie_id: int, strength: str) -> None:
        self._write("UPDATE member_ties SET strength = ? WHERE id = ?", (strength, tie_id))

    def delete_tie(self, tie_id: int) -> bool:
        return self._write("DELETE FROM member_ties WHERE id = ?", (tie_id,)) > 0

    def active_between(self, since: str, until: str) -> set[str]:
        """People who named a tie, or answered one named to them, in a span of time."""
        rows = self._read(
            "SELECT named_by FROM member_ties WHERE created >= ? AND created <= ? "
            "UNION SELECT other FROM member_ties WHERE answered IS NOT NULL "
            "AND answered >= ? AND answered <= ?",
            (since, until, since, until),
        )
        return {person for (person,) in rows}

    # --- survey rounds ---------------------------------------------------------------

    def open_survey(
        self, name: str, cell: str | None, region: str | None, closes: dt.date, user_id: int | None
    ) -> TieSurvey:
        survey_id = self._write(
            f"INSERT INTO tie_surveys ({SURVEY_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, NULL, ?)",
            (name, cell, region, _now(), closes.isoformat(), user_id),
        )
        found = self.survey(survey_id)
        assert found is not None
        return found

    def survey(self, survey_id: int) -> TieSurvey | None:
        rows = self._read(f"SELECT {SURVEY_COLUMNS} FROM tie_surveys WHERE id = ?", (survey_id,))
        return TieSurvey(*rows[0]) if rows else None

    def surveys(self) -> list[TieSurvey]:
        rows = self._read(f"SELECT {SURVEY_COLUMNS} FROM tie_surveys ORDER BY id DESC")
        return [TieSurvey(*row) for row in rows]

    def close_survey(self, survey_id: int) -> bool:
        return (
            self._write(
                "UPDATE tie_surveys SET closed = ? WHERE id = ? AND closed IS NULL",
                (_now(), survey_id),
            )
            > 0
        )

    # --- introduction requests -----------------------------------------------------------

    def request_introduction(
        self, requester: str, other: str, introducer: str | None, note: str
    ) -> IntroductionRequest:
        now = _now()
        request_id = self._write(
            f"INSERT INTO introduction_requests ({REQUEST_COLUMNS}) "
            "VALUES (NULL, ?, ?, ?, ?, 'requested', NULL, NULL, NULL, NULL, NULL, ?, ?)",
            (requester, other, introducer, note, now, now),
        )
        found = self.introduction_request(request_id)
        assert found is not None
        return found

    def introduction_request(self, request_id: int) -> IntroductionRequest | None:
        rows = self._read(
            f"SELECT {REQUEST_COLUMNS} FROM introduction_requests WHERE id = ?", (request_id,)
        )
        return IntroductionRequest(*rows[0]) if rows else None

    def introduction_requests(
        self, *, person: str | None = None, status: str | None = None
    ) -> list[IntroductionRequest]:
        """Requests naming ``person`` (as either of the pair or the introducer), or in
        ``status``; newest first."""
        clauses, params = [], []
        if person is not None:
            clauses.append("(requester = ? OR other = ? OR introducer = ?)")
            params += [person, person, person]
        if status is not None:
            clauses.append("status = ?")
            params.append(status)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._read(
            f"SELECT {REQUEST_COLUMNS} FROM introduction_requests{where} ORDER BY id DESC", params
        )
        return [IntroductionRequest(*row) for row in rows]

    def open_request_between(self, a: str, b: str) -> IntroductionRequest | None:
        """A request between two people, either way round, still under way."""
        rows = self._read(
            f"SELECT {REQUEST_COLUMNS} FROM introduction_requests "
            "WHERE status IN ('requested', 'asked') "
            "AND ((requester = ? AND other = ?) OR (requester = ? AND other = ?)) LIMIT 1",
            (a, b, b, a),
        )
        return IntroductionRequest(*rows[0]) if rows else None

    def update_request(self, request_id: int, **changes: str | int | None) -> IntroductionRequest:
        """Set some of a request's columns (names from this module only)."""
        allowed = set(REQUEST_COLUMNS.split(", ")) - {"id", "created", "updated"}
        if not changes or not set(changes) <= allowed:
            raise ValueError(f"cannot change {sorted(set(changes) - allowed)}")
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self._write(
            f"UPDATE introduction_requests SET {assignments}, updated = ? WHERE id = ?",
            (*changes.values(), _now(), request_id),
        )
        found = self.introduction_request(request_id)
        assert found is not None
        return found


def forget_in_ties(db: sqlite3.Connection, person_id: str) -> None:
    """Within the caller's transaction: take a person out of every tie named and every
    introduction request (as either of a pair; as an introducer, their name goes)."""
    db.execute("DELETE FROM member_ties WHERE named_by = ? OR other = ?", (person_id, person_id))
    db.execute(
        "DELETE FROM introduction_requests WHERE requester = ? OR other = ?",
        (person_id, person_id),
    )
    for column in ("introducer", "handler_person"):
        db.execute(
            f"UPDATE introduction_requests SET {column} = NULL WHERE {column} = ?", (person_id,)
        )
