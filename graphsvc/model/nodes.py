"""Typed records for the nodes of the graph (docs/architecture.md, "The graph model").

A node's label is its *kind* (Person, Cell, ...); what the network calls a
cell's, event's or theme's "kind" is its ``category`` here, so the two never
collide in a snapshot, whose nodes carry ``kind`` = label.

Every id is ``<prefix>:<key>``, the prefix naming the kind, so ids are unique
across kinds and a snapshot can key every node by its id alone.
"""

import datetime as dt
from typing import Annotated, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    model_validator,
)

from graphsvc.model.enums import CellKind, EventKind, PlaceLevel, Sector, ThemeKind, Visibility
from graphsvc.model.provenance import Provenance
from graphsvc.model.text import fold_text

_Name = Field(min_length=1, max_length=300)
PHRASE_LENGTH = 120  # an offer or an ask: a short phrase
MAX_PHRASES = 20
BIO_LENGTH = 1000
# One line: the network read joins a person's phrases with line breaks.
Phrase = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=PHRASE_LENGTH, pattern=r"^[^\r\n]*$"
    ),
]


class NodeRecord(BaseModel):
    """A node: an id, its kind's properties and where it came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    KIND: ClassVar[str]
    ID_PREFIX: ClassVar[str]

    id: str = Field(min_length=3, max_length=200)
    provenance: Provenance

    @model_validator(mode="after")
    def _id_names_its_kind(self) -> Self:
        if not self.id.startswith(f"{self.ID_PREFIX}:") or len(self.id) == len(self.ID_PREFIX) + 1:
            raise ValueError(f"{self.KIND} id must look like '{self.ID_PREFIX}:<key>'")
        return self

    @classmethod
    def make_id(cls, key: str) -> str:
        """The id of this kind for ``key`` (e.g. ``Person.make_id("42")``)."""
        return f"{cls.ID_PREFIX}:{key}"

    def properties(self) -> dict[str, object]:
        """The flat property map stored on the node.

        Unknown (``None``) values are left out, so a record that lacks a field
        never erases what an earlier record said about it.
        """
        props = self.model_dump(mode="json", exclude={"provenance"}, exclude_none=True)
        props.update(self.provenance.stored())
        return props


class Person(NodeRecord):
    KIND: ClassVar[str] = "Person"
    ID_PREFIX: ClassVar[str] = "person"

    name: str = _Name
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=50)
    sector: Sector | None = None
    job_title: str | None = Field(default=None, max_length=300)
    visibility: Visibility = Visibility.HIDDEN
    joined: dt.date | None = None
    # What the member says of themselves on their own record.
    bio: str | None = Field(default=None, max_length=BIO_LENGTH)
    offers: list[Phrase] = Field(default_factory=list, max_length=MAX_PHRASES)  # "I can help with"
    asks: list[Phrase] = Field(default_factory=list, max_length=MAX_PHRASES)  # "I'm looking for"
    # Whether they asked to be paired in buddying rounds; None (an import's record)
    # leaves what they chose alone.
    buddying_opt_in: bool | None = None

    def properties(self) -> dict[str, object]:
        """As for every node; offers and asks only when there are some, so a record
        that says nothing of them (an import's) leaves the member's own alone."""
        props = super().properties()
        for name in ("offers", "asks"):
            if not props.get(name):
                props.pop(name, None)
        return props

    @computed_field  # type: ignore[prop-decorator]
    @property
    def name_folded(self) -> str:
        """The name as search and matching compare it (case and accents ignored)."""
        return fold_text(self.name)


class Organisation(NodeRecord):
    KIND: ClassVar[str] = "Organisation"
    ID_PREFIX: ClassVar[str] = "org"

    name: str = _Name
    aliases: list[str] = Field(default_factory=list)
    sector: Sector | None = None


class Place(NodeRecord):
    KIND: ClassVar[str] = "Place"
    ID_PREFIX: ClassVar[str] = "place"

    name: str = _Name
    level: PlaceLevel
    ons_code: str | None = Field(default=None, pattern=r"^[EWSN]\d{8}$")


class Cell(NodeRecord):
    KIND: ClassVar[str] = "Cell"
    ID_PREFIX: ClassVar[str] = "cell"

    name: str = _Name
    category: CellKind
    themes: list[str] = Field(default_factory=list)


class Event(NodeRecord):
    KIND: ClassVar[str] = "Event"
    ID_PREFIX: ClassVar[str] = "event"

    name: str = _Name
    date: dt.date
    category: EventKind
    size: int | None = Field(default=None, ge=0)


class Theme(NodeRecord):
    KIND: ClassVar[str] = "Theme"
    ID_PREFIX: ClassVar[str] = "theme"

    name: str = _Name
    category: ThemeKind = ThemeKind.INTEREST


NODE_TYPES: dict[str, type[NodeRecord]] = {
    cls.KIND: cls for cls in (Person, Organisation, Place, Cell, Event, Theme)
}
