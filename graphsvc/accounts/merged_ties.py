"""Moving what members said about a person's ties onto the record kept when two
records are merged, and back when the merge is undone.

Ties named (pending, confirmed or declined, so that survey rounds still count
who answered) and introduction requests live in the accounts file under person
ids (:mod:`.ties`); a merge in the graph alone would leave them under an id
that no longer names anyone. What a merge does to them is kept in its record
(:mod:`.merges`), so that undoing it moves back exactly those rows:

- rows between the two records go (a tie to oneself, an introduction to
  oneself), kept whole in the record;
- where both records had a live tie with the same person (or an introduction
  under way with them), one is kept: the one further along (confirmed before
  pending, asked before requested), else the kept record's own; the other goes,
  kept whole in the record;
- every other row naming the merged-away id names the kept one.

Everything here runs within the caller's transaction.
"""

import sqlite3
from typing import Any

from graphsvc.accounts.ties import REQUEST_COLUMNS, TIE_COLUMNS

# The columns naming a person, by table.
PERSON_COLUMNS = {
    "member_ties": ("named_by", "other"),
    "introduction_requests": ("requester", "other", "introducer", "handler_person"),
}
# The two ends of each table's row, and how far along a live row is.
PAIR = {"member_ties": ("named_by", "other"), "introduction_requests": ("requester", "other")}
LIVE_RANK = {
    "member_ties": {"pending": 1, "confirmed": 2},
    "introduction_requests": {"requested": 1, "asked": 2},
}
ALL_COLUMNS = {"member_ties": TIE_COLUMNS, "introduction_requests": REQUEST_COLUMNS}


def move_rows(db: sqlite3.Connection, gone: str, kept: str) -> dict[str, Any]:
    """Move the rows naming ``gone`` onto ``kept``; what was moved and dropped, for
    :func:`move_rows_back`."""
    done: dict[str, Any] = {"moved": {}, "dropped": {}}
    for table, columns in PERSON_COLUMNS.items():
        doomed = _between(db, table, gone, kept) + _duplicates(db, table, gone, kept)
        done["dropped"][table] = [_row(db, table, row_id) for row_id in doomed]
        db.executemany(f"DELETE FROM {table} WHERE id = ?", [(i,) for i in doomed])
        done["moved"][table] = {}
        for column in columns:
            rows = db.execute(f"SELECT id FROM {table} WHERE {column} = ?", (gone,)).fetchall()
            done["moved"][table][column] = [row_id for (row_id,) in rows]
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (kept, gone))
    return done


def move_rows_back(db: sqlite3.Connection, gone: str, kept: str, done: dict[str, Any]) -> None:
    """Undo :func:`move_rows`: the rows it moved name ``gone`` again (those still there),
    and the rows it dropped are back as they were. A merge recorded before rows were
    moved records none."""
    for table in PERSON_COLUMNS:
        for column, row_ids in done.get("moved", {}).get(table, {}).items():
            db.executemany(
                f"UPDATE {table} SET {column} = ? WHERE id = ? AND {column} = ?",
                [(gone, row_id, kept) for row_id in row_ids],
            )
        for row in done.get("dropped", {}).get(table, []):
            names = ", ".join(row)
            marks = ", ".join("?" * len(row))
            db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))


def forget_in_moved_rows(done: dict[str, Any], person_id: str) -> dict[str, Any]:
    """What a merge record puts back, without an erased third person: their dropped rows
    go, and their name as an introducer or handler."""
    for table, (first, second) in PAIR.items():
        if table not in done.get("dropped", {}):
            continue
        kept_rows = [r for r in done["dropped"][table] if person_id not in (r[first], r[second])]
        for row in kept_rows:
            for column in PERSON_COLUMNS[table][2:]:
                if row[column] == person_id:
                    row[column] = None
        done["dropped"][table] = kept_rows
    return done


def _between(db: sqlite3.Connection, table: str, a: str, b: str) -> list[int]:
    first, second = PAIR[table]
    rows = db.execute(
        f"SELECT id FROM {table} WHERE ({first} = ? AND {second} = ?) "
        f"OR ({first} = ? AND {second} = ?)",
        (a, b, b, a),
    ).fetchall()
    return [row_id for (row_id,) in rows]


def _duplicates(db: sqlite3.Connection, table: str, gone: str, kept: str) -> list[int]:
    """The live rows that would be a second one between the same two people once
    ``gone`` is ``kept``: of each pair of rows, the one that gives way."""
    live = _live_rows(db, table, gone) + _live_rows(db, table, kept)
    best: dict[str, tuple[int, int, int]] = {}  # other person -> (rank, is kept's, id)
    for other, rank, owner, row_id in live:
        if other in (gone, kept):
            continue  # between the two: dropped as such
        candidate = (rank, owner == kept, row_id)
        if other not in best or candidate[:2] > best[other][:2]:
            best[other] = candidate
    winners = {row_id for _, _, row_id in best.values()}
    return [
        row_id
        for other, _, _, row_id in live
        if other not in (gone, kept) and row_id not in winners
    ]


def _live_rows(db: sqlite3.Connection, table: str, person: str) -> list[tuple[str, int, str, int]]:
    """(the other person, how far along, ``person``, row id) of a person's live rows."""
    first, second = PAIR[table]
    ranks = LIVE_RANK[table]
    rows = db.execute(
        f"SELECT id, {first}, {second}, status FROM {table} "
        f"WHERE ({first} = ? OR {second} = ?) AND status IN ({','.join('?' * len(ranks))})",
        (person, person, *ranks),
    ).fetchall()
    return [
        (start if end == person else end, ranks[status], person, row_id)
        for row_id, start, end, status in rows
    ]


def _row(db: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any]:
    names = ALL_COLUMNS[table].split(", ")
    values = db.execute(f"SELECT {ALL_COLUMNS[table]} FROM {table} WHERE id = ?", (row_id,))
    return dict(zip(names, values.fetchone(), strict=True))
