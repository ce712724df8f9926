"""The record of each merge of two people's records: what undoing it needs.

Kept in the accounts file (the graph holds no trace of a merged-away record),
so that the merged-away id can answer with a pointer to the one kept, and an
admin can undo the merge from its record. A record holds the merged-away
person's data as it was, and which of the ties named and introduction requests
in this file it moved or dropped (:mod:`.merged_ties`); it is deleted when either
person is erased, and another person erased meanwhile is taken out of what it
would put back.
"""

import datetime as dt
import json
import sqlite3
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from graphsvc.accounts.merged_ties import forget_in_moved_rows, move_rows, move_rows_back
from graphsvc.accounts.transactions import immediate

SCHEMA = """
CREATE TABLE IF NOT EXISTS person_merges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor INTEGER,
    kept TEXT NOT NULL,
    gone TEXT NOT NULL,
    plan TEXT NOT NULL,
    relinked TEXT NOT NULL DEFAULT '[]',
    undone TEXT,
    moved_rows TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS person_merges_by_gone ON person_merges (gone);
"""
COLUMNS = "id, at, actor, kept, gone, plan, relinked, undone, moved_rows"
# How many merged-away ids a pointer is followed through (each merge names one).
MAX_POINTER_HOPS = 20


@dataclass(frozen=True)
class MergeRecord:
    id: int
    at: str
    actor: int | None
    kept: str
    gone: str
    plan: dict[str, Any]
    # Users who were linked to the merged-away person, linked to the one kept.
    relinked: list[int]
    undone: str | None
    # Rows of ties named and introduction requests moved or dropped (see .merged_ties).
    moved_rows: dict[str, Any]


class MergeLog:
    """The merges in an accounts file, sharing its connection and lock."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock) -> None:
        self._db = db
        self._lock = lock
        self._db.executescript(SCHEMA)
        self._add_moved_rows_column()

    def _add_moved_rows_column(self) -> None:
        """Give a file made before merges moved ties named the column recording them."""
        with self._lock:
            held = {row[1] for row in self._db.execute("PRAGMA table_info(person_merges)")}
            if "moved_rows" not in held:
                self._db.execute(
                    "ALTER TABLE person_merges ADD COLUMN moved_rows TEXT NOT NULL DEFAULT '{}'"
                )

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate(self._db, self._lock)

    def add(self, actor: int | None, kept: str, gone: str, plan: dict[str, Any]) -> int:
        at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO person_merges (at, actor, kept, gone, plan) VALUES (?, ?, ?, ?, ?)",
                (at, actor, kept, gone, json.dumps(plan)),
            )
            return int(cursor.lastrowid or 0)

    def remove(self, merge_id: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM person_merges WHERE id = ?", (merge_id,))

    def set_relinked(self, merge_id: int, user_ids: list[int]) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE person_merges SET relinked = ? WHERE id = ?",
                (json.dumps(user_ids), merge_id),
            )

    def move_ties(self, merge_id: int) -> None:
        """Move the merged-away person's ties named and introduction requests onto the
        one kept, recording what moved in the merge, as one change."""
        with self._transaction() as db:
            (kept, gone) = db.execute(
                "SELECT kept, gone FROM person_merges WHERE id = ?", (merge_id,)
            ).fetchone()
            done = move_rows(db, gone, kept)
            db.execute(
                "UPDATE person_merges SET moved_rows = ? WHERE id = ?", (json.dumps(done), merge_id)
            )

    def move_ties_back(self, record: MergeRecord) -> None:
        """Move back exactly the rows :meth:`move_ties` moved, and put back those it dropped."""
        with self._transaction() as db:
            move_rows_back(db, record.gone, record.kept, record.moved_rows)

    def mark_undone(self, merge_id: int) -> None:
        at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        with self._lock:
            self._db.execute("UPDATE person_merges SET undone = ? WHERE id = ?", (at, merge_id))

    def get(self, merge_id: int) -> MergeRecord | None:
        rows = self._read(f"SELECT {COLUMNS} FROM person_merges WHERE id = ?", (merge_id,))
        return _record(rows[0]) if rows else None

    def recent(self, limit: int = 50) -> list[MergeRecord]:
        rows = self._read(f"SELECT {COLUMNS} FROM person_merges ORDER BY id DESC LIMIT ?", (limit,))
        return [_record(row) for row in rows]

    def merged_into(self, person_id: str) -> str | None:
        """The record a merged-away id now lives on (followed through later merges)."""
        found, current = None, person_id
        for _ in range(MAX_POINTER_HOPS):
            rows = self._read(
                "SELECT kept FROM person_merges WHERE gone = ? AND undone IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (current,),
            )
            if not rows:
                break
            found = current = rows[0][0]
        return found

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()


def _record(row: tuple[Any, ...]) -> MergeRecord:
    merge_id, at, actor, kept, gone, plan, relinked, undone, moved_rows = row
    return MergeRecord(
        merge_id,
        at,
        actor,
        kept,
        gone,
        json.loads(plan),
        json.loads(relinked),
        undone,
        json.loads(moved_rows),
    )


def ids_merged_into(db: sqlite3.Connection, person_id: str) -> set[str]:
    """The person's id and every id merged into it, directly or through other merges
    (undone merges too: their records still hold that person's data)."""
    found, frontier = {person_id}, [person_id]
    while frontier:
        rows = db.execute(
            f"SELECT gone FROM person_merges WHERE kept IN ({','.join('?' * len(frontier))})",
            frontier,
        ).fetchall()
        frontier = [gone for (gone,) in rows if gone not in found]
        found.update(frontier)
    return found


def forget_in_merges(db: sqlite3.Connection, person_id: str) -> None:
    """Within the caller's transaction: drop the merges of an erased person (and of the
    records merged into theirs), and take them out of what other merges would put back."""
    for merged in ids_merged_into(db, person_id):
        _forget_one(db, merged)


def _forget_one(db: sqlite3.Connection, person_id: str) -> None:
    db.execute("DELETE FROM person_merges WHERE kept = ? OR gone = ?", (person_id, person_id))
    rows = db.execute(
        "SELECT id, moved_rows FROM person_merges WHERE instr(moved_rows, ?) > 0",
        (json.dumps(person_id),),
    ).fetchall()
    for merge_id, text in rows:
        kept_rows = forget_in_moved_rows(json.loads(text), person_id)
        db.execute(
            "UPDATE person_merges SET moved_rows = ? WHERE id = ?",
            (json.dumps(kept_rows), merge_id),
        )
    rows = db.execute(
        "SELECT id, plan FROM person_merges WHERE instr(plan, ?) > 0", (json.dumps(person_id),)
    ).fetchall()
    for merge_id, text in rows:
        plan = json.loads(text)
        for part in ("gone_ties", "created"):
            plan[part] = [t for t in plan[part] if person_id not in (t["start"], t["end"])]
        plan["changed"] = [
            c for c in plan["changed"] if person_id not in (c["tie"]["start"], c["tie"]["end"])
        ]
        plan["introduced"] = [p for p in plan["introduced"] if person_id not in p]
        db.execute("UPDATE person_merges SET plan = ? WHERE id = ?", (json.dumps(plan), merge_id))
