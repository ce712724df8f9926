"""What an import did, row by row, for people and for ``--json``.

A rejected row is reported by its number and a reason that names the field at
fault, never what the row holds: the report is kept, and a person's data must
not outlive their erasure in it. So that an erasure can still find the rows
about a person, each rejected row carries digests of the name and email it
gives (:func:`erasure_keys`), which the import-report storage keeps apart
from the report and matches against the erased person's own.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from importers.resolution import name_key
from importers.source import numbers_listed


def erasure_keys(name: str | None, email: str | None) -> tuple[str, ...]:
    """Digests of a name (as people are matched: case, accents, spaces and titles
    aside) and an email (case aside), to find rows about a person without keeping
    either.

    >>> erasure_keys("Dr Ada  Lovelace", None) == erasure_keys("ada lovelace", None)
    True
    >>> len(erasure_keys("Ada Lovelace", "ADA@example.org"))
    2
    """
    said: Iterable[tuple[str, str]] = (
        ("name", name_key(name or "")),
        ("email", (email or "").strip().lower()),
    )
    return tuple(
        hashlib.sha256(f"{kind}:{text}".encode()).hexdigest()[:32] for kind, text in said if text
    )


@dataclass(frozen=True)
class RowProblem:
    """A row that was not imported, and why (row numbers count the header as 1).

    ``erasure_keys`` are the digests of who the row names, for erasure only.
    """

    row: int
    reason: str
    erasure_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Merge:
    """A row taken to be someone already known (or met earlier in the file)."""

    row: int
    person: str
    reason: str


@dataclass(frozen=True)
class PersonChange:
    """Fields of someone already in the store that a row changes (their names only:
    the old and new values are personal data, which the kept report never holds)."""

    row: int
    person: str
    fields: tuple[str, ...]


def changes_note(changes: list[PersonChange]) -> str | None:
    """One line for the report naming each changed field and the rows that change it.

    >>> changes_note([PersonChange(4, "person:a", ("email",)), PersonChange(9, "person:b",
    ...     ("email", "name"))])
    'Changed for people already known: email (2 people, rows 4, 9), name (1 person, row 9)'
    """
    rows: dict[str, list[int]] = {}
    for change in changes:
        for name in change.fields:
            rows.setdefault(name, []).append(change.row)
    if not rows:
        return None
    said = ", ".join(
        f"{name} ({len(numbers)} {'person' if len(numbers) == 1 else 'people'}, "
        f"{'row' if len(numbers) == 1 else 'rows'} {numbers_listed(numbers)})"
        for name, numbers in sorted(rows.items())
    )
    return f"Changed for people already known: {said}"


@dataclass(frozen=True)
class ReviewItem:
    """A row that may be someone already known; kept apart until a person decides."""

    row: int
    person: str
    candidate: str
    reason: str


@dataclass(frozen=True)
class NewPerson:
    """Someone the file adds to the network, by the first row that names them."""

    row: int
    person: str


@dataclass
class ImportReport:
    file: str
    source: str
    format: str | None = None
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    # People already in the store whose stored details the file changes.
    changed: list[PersonChange] = field(default_factory=list)
    # People the file adds (their ids only, as for merges).
    added: list[NewPerson] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False

    def to_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies, which takes seconds for 500,000 merges.
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        for name in ("rejected", "merges", "review", "changed", "added"):
            data[name] = [dict(vars(row)) for row in data[name]]
        data["notes"] = list(self.notes)
        return data
