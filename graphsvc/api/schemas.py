"""What the JSON API returns and accepts: pydantic models, named for their use."""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graphsvc.access import Role
from graphsvc.service import Freshness

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

# A count of people in an aggregate: exact for admins; for everyone else a
# count from 1 up to GRAPHSVC_SMALL_COUNT (less one) is the string "fewer than
# N", since a group that small singles its people out (graphsvc.access.policy).
PeopleCount = Annotated[
    int | Annotated[str, Field(pattern=r"^fewer than \d+$")],
    Field(description='A number of people, or "fewer than N" where so few would single them out.'),
]


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """Every error, whatever the route: ``{"error": {status, code, message}}``."""

    error: ErrorDetail


class FreshnessPublic(BaseModel):
    """How up to date the analysis answers are.

    After a change the service keeps answering from the last finished
    analysis while it computes the next one in the background.
    """

    graph_version: int  # the store's version now
    answered_version: int | None  # the version answers come from (None: none yet)
    analysed_at: str | None  # when that analysis finished (UTC, ISO 8601)
    stale: bool  # answers are from before the latest change
    refreshing: bool  # a newer analysis is being computed
    message: str  # as the pages say it, e.g. "updated 2 minutes ago; refreshing"

    @classmethod
    def of(cls, freshness: Freshness) -> "FreshnessPublic":
        at = freshness.analysed_at
        return cls(
            graph_version=freshness.graph_version,
            answered_version=freshness.answered_version,
            analysed_at=dt.datetime.fromtimestamp(at, dt.UTC).isoformat() if at else None,
            stale=freshness.stale,
            refreshing=freshness.refreshing,
            message=freshness.message(),
        )


class Page[T](BaseModel):
    items: list[T]
    total: int
    offset: int
    limit: int


class Ref(BaseModel):
    id: str
    name: str


class PersonSummary(BaseModel):
    id: str
    name: str
    sector: str | None = None
    organisation: Ref | None = None
    place: Ref | None = None
    region: str | None = None


class PersonPublic(PersonSummary):
    """One person as a viewer may see them; contact details only to themselves and admins."""

    job_title: str | None = None
    joined: str | None = None
    interests: list[Ref] = Field(default_factory=list)
    cells: list[Ref] = Field(default_factory=list)
    constellation: str | None = None
    email: str | None = None
    phone: str | None = None
    visibility: str | None = None


class NodePublic(BaseModel):
    id: str
    kind: str
    name: str


class TiePublic(BaseModel):
    start: str
    type: str
    end: str


class NeighbourhoodPublic(BaseModel):
    person: str
    depth: int
    nodes: list[NodePublic]
    ties: list[TiePublic]
    truncated: bool = False


class OrganisationSummary(BaseModel):
    id: str
    name: str
    sector: str | None = None
    members: PeopleCount


class OrganisationPublic(OrganisationSummary):
    people: list[PersonSummary]


class PlaceSummary(BaseModel):
    id: str
    name: str
    level: str | None = None
    region: str | None = None
    members: PeopleCount


class CellSummary(BaseModel):
    id: str
    name: str
    category: str | None = None
    region: str | None = None
    members: PeopleCount


class EventSummary(BaseModel):
    id: str
    name: str
    date: str | None = None
    category: str | None = None
    attendees: PeopleCount


class CellPublic(CellSummary):
    people: list[PersonSummary]
    events: list[EventSummary]


class EventPublic(EventSummary):
    cell: Ref | None = None
    people: list[PersonSummary]


class ConstellationSummary(BaseModel):
    id: str
    size: PeopleCount
    density: float
    cohesion: float
    label: str
    themes: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)


class ConstellationPublic(ConstellationSummary):
    members: list[PersonSummary]


class ConstellationsPublic(BaseModel):
    modularity: float
    constellations: list[ConstellationSummary]
    isolated: PeopleCount
    peripheral: PeopleCount


class SinglePointPublic(BaseModel):
    person: PersonSummary
    ties: int
    status: str
    would_join: str | None
    constellation: str | None


class PotentialConstellationPublic(BaseModel):
    theme: str
    region: str
    size: int  # members the viewer may see
    members: list[PersonSummary]  # the first MAX_LISTED of them, by name


class BrokerPublic(BaseModel):
    person: PersonSummary
    betweenness: float
    constraint: float | None
    effective_size: float | None
    sector_roles: dict[str, int]
    region_roles: dict[str, int]


class BridgeTiePublic(BaseModel):
    a: PersonSummary
    b: PersonSummary
    pendant: bool


class HeldTogetherPublic(BaseModel):
    constellation: str
    person: PersonSummary
    cut_off: int


class BridgesPublic(BaseModel):
    brokers: list[BrokerPublic]
    cut_points: list[PersonSummary]
    bridge_ties: list[BridgeTiePublic]
    held_together: list[HeldTogetherPublic]
    unlinked_constellations: list[tuple[str, str]]
    isolated_constellations: list[str]


class SharePublic(BaseModel):
    """A category's share of a group against what is expected, with its confidence
    interval; where the count is "fewer than N" the share and interval, which would
    give it away, are null."""

    category: str
    count: PeopleCount
    share: float | None
    low: float | None
    high: float | None
    expected: float
    verdict: str  # "under", "over" or "as expected"


class GroupGapsPublic(BaseModel):
    id: str
    name: str
    size: PeopleCount
    regions: list[SharePublic]  # only the categories that are out of line
    sectors: list[SharePublic]


class GapsPublic(BaseModel):
    as_of: str | None
    members: PeopleCount
    regions: list[SharePublic]
    nations: list[SharePublic]
    sectors: list[SharePublic]
    cells: list[GroupGapsPublic]
    events_out_of_line: int  # listed by GET /api/gaps/events
    regions_without_cells: list[str]
    not_in_the_room: PeopleCount


class NotInTheRoomPublic(BaseModel):
    person: PersonSummary
    status: str
    last_attended: str | None


class IntroductionPublic(BaseModel):
    a: PersonSummary
    b: PersonSummary
    score: float
    reasons: list[str]
    introducer: PersonSummary | None
    mutual_contacts: int  # only those the viewer may name


class IntroductionOutcome(BaseModel):
    """What came of an introduction between ``a`` and ``b``."""

    model_config = ConfigDict(extra="forbid")

    a: str = Field(min_length=8, max_length=200, pattern=r"^person:")
    b: str = Field(min_length=8, max_length=200, pattern=r"^person:")
    status: Literal["made", "declined", "led_somewhere"]


class IntroductionRecorded(BaseModel):
    a: str
    b: str
    status: str
    by: str | None
    date: str


class ImportReportPublic(BaseModel):
    id: int
    created: str
    report: dict[str, Any]
    # The names of the people the report lists by id, as stored now (admins only).
    people: dict[str, str] = Field(default_factory=dict)


class ImportPreviewPublic(BaseModel):
    """What importing a file would do (``POST /api/imports`` with ``dry_run``)."""

    preview: dict[str, Any]


class PossibleMatchPublic(BaseModel):
    person: str
    person_name: str
    person_email: str | None
    candidate: str
    candidate_name: str
    candidate_email: str | None
    reason: str
    source: str
    person_organisations: list[str] = Field(default_factory=list)
    person_places: list[str] = Field(default_factory=list)
    candidate_organisations: list[str] = Field(default_factory=list)
    candidate_places: list[str] = Field(default_factory=list)


class ReviewDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: str = Field(min_length=8, max_length=200, pattern=r"^person:")
    candidate: str = Field(min_length=8, max_length=200, pattern=r"^person:")
    decision: Literal["different"] = "different"


class UserPublic(BaseModel):
    id: int
    email: str
    role: Role
    person_id: str | None
    created: str


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    role: Role
    password: str = Field(min_length=12, max_length=1000)
    person_id: str | None = Field(default=None, max_length=200, pattern=r"^person:")


class TokenPublic(BaseModel):
    id: str
    kind: str
    name: str
    created: str
    expires: str


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=100)


class TokenCreated(BaseModel):
    """A new bearer token; ``secret`` is shown this once and cannot be shown again."""

    token: TokenPublic
    secret: str


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1000)


class SignedIn(BaseModel):
    user: UserPublic
    # Send back as the X-CSRF-Token header with any change made through the session cookie.
    csrf_token: str


class MePublic(BaseModel):
    user: UserPublic
    person: PersonPublic | None


class PersonExport(BaseModel):
    """Everything held about a person (a subject access request)."""

    person: dict[str, Any]
    relationships: list[dict[str, Any]]
    introduced: list[dict[str, Any]]
    accounts: list[UserPublic]
    import_mentions: list[dict[str, Any]]
