"""Provenance carried by every node and relationship."""

from datetime import date
from functools import lru_cache
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_SOURCE_LENGTH = 300


class Provenance(BaseModel):
    """Where a fact came from, and when it was first and last seen.

    ``source`` names the import (or generator run) that created or last
    confirmed the fact; the dates are those of the data, not of the import.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # An import's source is "import:<file name>#<digest>", and a file's name may
    # have 255 characters.
    source: str = Field(min_length=1, max_length=MAX_SOURCE_LENGTH)
    first_seen: date
    last_seen: date

    @model_validator(mode="after")
    def _first_not_after_last(self) -> Self:
        if self.first_seen > self.last_seen:
            raise ValueError("first_seen is after last_seen")
        return self

    def stored(self) -> dict[str, str]:
        """The properties it adds to a node or relationship (shared: copy, never change)."""
        return _stored(self.source, self.first_seen, self.last_seen)


# Imports give thousands of records one provenance: write its properties once.
@lru_cache(maxsize=4096)
def _stored(source: str, first_seen: date, last_seen: date) -> dict[str, str]:
    return {
        "source": source,
        "first_seen": first_seen.isoformat(),
        "last_seen": last_seen.isoformat(),
    }


def merge_provenance(old: dict[str, object], new: dict[str, object]) -> dict[str, object]:
    """Combine stored provenance with a new sighting of the same fact.

    The span only widens: the earliest ``first_seen`` and latest ``last_seen``
    win, and ``source`` names whichever sighting is latest, so re-reading an
    older file never hides that a newer one confirmed the fact.
    """
    merged = dict(new)
    old_first, old_last = old.get("first_seen"), old.get("last_seen")
    if isinstance(old_first, str) and old_first < str(new["first_seen"]):
        merged["first_seen"] = old_first
    if isinstance(old_last, str) and old_last > str(new["last_seen"]):
        merged["last_seen"] = old_last
        merged["source"] = old.get("source", new["source"])
    return merged
