"""Request and response bodies of ties members name, relationship survey rounds and
introduction requests (kept apart from ``schemas.py``, which many routes share)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graphsvc.api.schemas import PersonSummary, Ref

PersonIdField = Field(min_length=8, max_length=200, pattern=r"^person:")
Strength = Literal["know_a_little", "know_well", "work_closely"]


class TieCreate(BaseModel):
    """Someone the signed-in member works with or knows, and how well."""

    model_config = ConfigDict(extra="forbid")

    person: str = PersonIdField
    strength: Strength = "know_well"


class NamedTiePublic(BaseModel):
    """A tie the viewer named or was named in; ``person`` is the other end (None if
    they may no longer be shown)."""

    id: int
    person: PersonSummary | None
    named_by_you: bool
    strength: Strength
    how_well: str
    status: Literal["pending", "confirmed", "declined"]
    created: str
    answered: str | None


class SurveyAskPublic(BaseModel):
    """An open survey round asking the viewer who they work with."""

    id: int
    name: str
    closes: str
    answered: bool


class KnownTiePublic(BaseModel):
    """A tie of the viewer's in the graph (KNOWS) that no tie named on the page
    accounts for, and where it came from: an import, or a member naming it."""

    person: PersonSummary
    strength: int
    came_from: Literal["imported", "named by a member"]


class MyTiesPublic(BaseModel):
    linked: bool
    waiting_for_you: list[NamedTiePublic]
    named_by_you: list[NamedTiePublic]
    confirmed: list[NamedTiePublic]
    surveys: list[SurveyAskPublic]
    # Confirmed ties in the graph besides those above, to people the viewer may see.
    in_the_graph: list[KnownTiePublic] = Field(default_factory=list)


class SurveyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    closes: dt.date
    cell: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=200)


class RatePublic(BaseModel):
    """How many were asked and answered; small counts as "fewer than N", and then no rate."""

    name: str
    asked: int | str
    answered: int | str
    rate: float | None


class SurveyPublic(BaseModel):
    id: int
    name: str
    cell: Ref | None
    region: str | None
    opened: str
    closes: str
    closed: str | None
    open: bool
    overall: RatePublic
    by_region: list[RatePublic]
    by_cell: list[RatePublic]


class IntroductionRequestCreate(BaseModel):
    """Ask to be introduced to ``person``, through ``introducer`` if known (otherwise the
    suggestion's introducer, or a connector)."""

    model_config = ConfigDict(extra="forbid")

    person: str = PersonIdField
    introducer: str | None = Field(default=None, min_length=8, max_length=200, pattern=r"^person:")
    note: str = Field(default="", max_length=500)


class IntroductionAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool


class IntroductionRequestPublic(BaseModel):
    """A request as the viewer may see it. ``contact_email`` is the other one's, shown
    only to the two people, and only once both said yes."""

    id: int
    requester: PersonSummary | None
    other: PersonSummary | None
    introducer: PersonSummary | None
    note: str
    status: Literal["requested", "asked", "introduced", "declined", "refused", "withdrawn"]
    your_part: Literal["requester", "other", "introducer", "connector"]
    your_answer: Literal["yes", "no"] | None
    may_pass_on: bool
    contact_email: str | None
    outcome: str | None
    created: str
    updated: str


class MyIntroductionRequestsPublic(BaseModel):
    linked: bool
    asked_by_you: list[IntroductionRequestPublic]
    asked_of_you: list[IntroductionRequestPublic]
    to_pass_on: list[IntroductionRequestPublic]
