"""Typed records for the relationships of the graph.

A relationship is identified by its type and its two ends: upserting the same
(start, type, end) again updates that one relationship.
"""

import datetime as dt
from enum import Enum
from functools import cache
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graphsvc.model.enums import AttendanceRole, IntroductionStatus, MemberRole, ReviewStatus
from graphsvc.model.nodes import NODE_TYPES
from graphsvc.model.provenance import Provenance


@cache
def _own_fields(cls: type["RelationshipRecord"]) -> tuple[str, ...]:
    """A relationship type's own fields: all but its ends and provenance."""
    return tuple(name for name in cls.model_fields if name not in ("start", "end", "provenance"))


@cache
def _allowed_prefixes(cls: type["RelationshipRecord"]) -> tuple[frozenset[str], frozenset[str]]:
    """The id prefixes a relationship type may start and end at."""
    return (
        frozenset(NODE_TYPES[kind].ID_PREFIX for kind in cls.START_KINDS),
        frozenset(NODE_TYPES[kind].ID_PREFIX for kind in cls.END_KINDS),
    )


_PREFIX_TO_KIND = {cls.ID_PREFIX: kind for kind, cls in NODE_TYPES.items()}


def kind_of(node_id: str) -> str:
    """The node kind an id names by its prefix (``"person:7"`` -> ``"Person"``)."""
    prefix, _, _ = node_id.partition(":")
    try:
        return _PREFIX_TO_KIND[prefix]
    except KeyError:
        raise ValueError(f"id {node_id!r} does not start with a known kind prefix") from None


class RelationshipRecord(BaseModel):
    """A relationship between two existing nodes, with provenance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    START_KINDS: ClassVar[tuple[str, ...]]
    END_KINDS: ClassVar[tuple[str, ...]]

    start: str = Field(min_length=3, max_length=200)
    end: str = Field(min_length=3, max_length=200)
    provenance: Provenance

    @model_validator(mode="after")
    def _ends_have_allowed_kinds(self) -> Self:
        starts, ends = _allowed_prefixes(type(self))
        if self.start.partition(":")[0] in starts and self.end.partition(":")[0] in ends:
            return self  # the common case, checked without building messages
        if kind_of(self.start) not in self.START_KINDS:
            raise ValueError(f"{self.TYPE} cannot start at a {kind_of(self.start)}")
        if kind_of(self.end) not in self.END_KINDS:
            raise ValueError(f"{self.TYPE} cannot end at a {kind_of(self.end)}")
        return self

    @property
    def start_kind(self) -> str:
        return kind_of(self.start)

    @property
    def end_kind(self) -> str:
        return kind_of(self.end)

    def properties(self) -> dict[str, object]:
        """The flat property map stored on the relationship (unknowns left out).

        The same map as ``model_dump(mode="json", exclude_none=True)`` without
        the ends and provenance, plus the provenance's properties (a test
        checks), built directly: imports write a million of these, and
        ``model_dump`` was a tenth of the time of a large one.
        """
        props: dict[str, object] = {}
        for name in _own_fields(type(self)):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, Enum):
                value = value.value
            elif isinstance(value, dt.date):
                value = value.isoformat()
            props[name] = value
        props.update(self.provenance.stored())
        return props


class WorksWith(RelationshipRecord):
    TYPE: ClassVar[str] = "WORKS_WITH"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Organisation",)

    role: str | None = Field(default=None, max_length=300)
    current: bool = True


class BasedIn(RelationshipRecord):
    TYPE: ClassVar[str] = "BASED_IN"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person", "Organisation", "Cell")
    END_KINDS: ClassVar[tuple[str, ...]] = ("Place",)


class PartOf(RelationshipRecord):
    TYPE: ClassVar[str] = "PART_OF"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Place",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Place",)


class MemberOf(RelationshipRecord):
    TYPE: ClassVar[str] = "MEMBER_OF"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Cell",)

    role: MemberRole = MemberRole.MEMBER


class Attended(RelationshipRecord):
    TYPE: ClassVar[str] = "ATTENDED"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Event",)

    role: AttendanceRole = AttendanceRole.ATTENDEE
    part: str | None = Field(default=None, max_length=200)


class HeldBy(RelationshipRecord):
    TYPE: ClassVar[str] = "HELD_BY"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Event",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Cell",)


class InterestedIn(RelationshipRecord):
    TYPE: ClassVar[str] = "INTERESTED_IN"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Theme",)


class Knows(RelationshipRecord):
    TYPE: ClassVar[str] = "KNOWS"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Person",)

    strength: int = Field(default=1, ge=1, le=5)
    # For a tie a member named (source "member"): who named it; the other end confirmed it.
    named_by: str | None = Field(default=None, pattern=r"^person:.+")


class IntroducedTo(RelationshipRecord):
    TYPE: ClassVar[str] = "INTRODUCED_TO"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Person",)

    by: str | None = Field(default=None, pattern=r"^person:.+")
    date: dt.date | None = None
    status: IntroductionStatus = IntroductionStatus.SUGGESTED


class BuddyWith(RelationshipRecord):
    """Two members a convenor paired in a buddying round (kept out of the analysis:
    a pairing is not yet a collaboration)."""

    TYPE: ClassVar[str] = "BUDDY_WITH"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Person",)

    round: str = Field(min_length=1, max_length=200)
    across: str = Field(pattern=r"^(sectors|regions|either)$")
    date: dt.date
    by_user: int | None = None  # the convenor who confirmed it


class MayBeSame(RelationshipRecord):
    """Two people an import could not tell apart or together, for a person to decide.

    Points from the person the import created to the one they may be. Kept
    out of analysis: it says nothing about who works with whom.
    """

    TYPE: ClassVar[str] = "MAY_BE_SAME"
    START_KINDS: ClassVar[tuple[str, ...]] = ("Person",)
    END_KINDS: ClassVar[tuple[str, ...]] = ("Person",)

    reason: str = Field(max_length=200)
    status: ReviewStatus = ReviewStatus.OPEN


RELATIONSHIP_TYPES: dict[str, type[RelationshipRecord]] = {
    cls.TYPE: cls
    for cls in (
        WorksWith,
        BasedIn,
        PartOf,
        MemberOf,
        Attended,
        HeldBy,
        InterestedIn,
        Knows,
        IntroducedTo,
        MayBeSame,
        BuddyWith,
    )
}
