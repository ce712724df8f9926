"""What an import did, row by row, for people and for ``--json``."""

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class RowProblem:
    """A row that was not imported, and why (row numbers count the header as 1)."""

    row: int
    reason: str


@dataclass(frozen=True)
class Merge:
    """A row taken to be someone already known (or met earlier in the file)."""

    row: int
    person: str
    reason: str


@dataclass(frozen=True)
class ReviewItem:
    """A row that may be someone already known; kept apart until a person decides."""

    row: int
    person: str
    candidate: str
    reason: str


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
    notes: list[str] = field(default_factory=list)
    written: bool = False

    def to_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies, which takes seconds for 500,000 merges.
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        for name in ("rejected", "merges", "review"):
            data[name] = [dict(vars(row)) for row in data[name]]
        data["notes"] = list(self.notes)
        return data
