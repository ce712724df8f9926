"""What the JSON API returns and accepts: pydantic models, named for their use."""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graphsvc.access import Role
from graphsvc.model import Visibility
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
    plausibility: float = 0.0  # how likely the two are to meet well, 0 to 1
    value: float = 0.0  # what the tie would change in the network (the rank)
    introducer_knows: list[str] = Field(default_factory=list)  # how they know a, then b
    status: str | None = None  # for a recorded introduction: made, declined, led_somewhere
    date: str | None = None  # for a recorded introduction: the day it was recorded, YYYY-MM-DD
    # Both scores in plain words: "high", "fair" or "low"; and what the tie would
    # change ("joins two constellations", "brings in Wales").
    likely: str | None = None
    would_change: list[str] = Field(default_factory=list)


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
    # ties they named or were named in, and introductions they asked for or were asked about
    member_ties: list[dict[str, Any]] = Field(default_factory=list)
    introduction_requests: list[dict[str, Any]] = Field(default_factory=list)


# --- a member's own record ------------------------------------------------------------

_FROM_SERVICE = ConfigDict(from_attributes=True)


class HeldPublic(BaseModel):
    """One thing held about me: what it is, the other end, and where it came from."""

    model_config = _FROM_SERVICE
    what: str
    kind: str
    id: str
    name: str | None  # null for a person who chose not to be named to members
    detail: str | None
    source: str


class VisibilityChoicePublic(BaseModel):
    model_config = _FROM_SERVICE
    value: Visibility
    title: str
    explanation: str  # who will see what
    chosen: bool


class QuestionPublic(BaseModel):
    """An optional question about myself, with the purpose it serves."""

    model_config = _FROM_SERVICE
    key: str
    label: str
    purpose: str
    options: list[str]
    special_category: bool  # kept only with explicit consent ("consent": true)
    built_in: bool = False


class QuestionAnsweredPublic(BaseModel):
    model_config = _FROM_SERVICE
    question: QuestionPublic
    answer: str | None
    consent_given: str | None  # the day explicit consent was given


class MyRecordPublic(BaseModel):
    """Everything held about me, and what I may change (``PATCH /api/me/record``)."""

    model_config = _FROM_SERVICE
    person_id: str
    name: str
    email: str | None
    phone: str | None
    job_title: str | None
    sector: str | None
    joined: str | None
    came_from: str
    visibility: Visibility
    visibility_choices: list[VisibilityChoicePublic]
    bio: str | None
    offers: list[str]  # "I can help with ..."
    asks: list[str]  # "I'm looking for ..."
    buddying_opt_in: bool | None  # null where buddying is not offered
    erasure_requested: str | None
    place: HeldPublic | None
    organisations: list[HeldPublic]
    cells: list[HeldPublic]
    events: list[HeldPublic]
    interests: list[HeldPublic]
    ties: list[HeldPublic]
    other: list[HeldPublic]
    questions: list[QuestionAnsweredPublic]
    notes: list[str] = []  # what a change did not keep, and why


class AnswerGiven(BaseModel):
    answer: str | None = Field(default=None, max_length=120)  # null or "" removes it
    consent: bool = False  # the separate tick a special-category answer needs


_Phrase = Annotated[str, Field(max_length=500)]


class MyRecordChange(BaseModel):
    """What to change on my record; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")
    visibility: Visibility | None = None
    bio: str | None = Field(default=None, max_length=2000)  # "" removes it
    offers: list[_Phrase] | None = Field(default=None, max_length=100)
    asks: list[_Phrase] | None = Field(default=None, max_length=100)
    # theme ids, or names of interests to add; the whole list replaces mine
    interests: list[_Phrase] | None = Field(default=None, max_length=100)
    place: str | None = Field(default=None, max_length=300)  # place id, name or postcode; ""
    buddying_opt_in: bool | None = None
    answers: dict[str, AnswerGiven] | None = Field(default=None, max_length=50)


class ErasureRequestPublic(BaseModel):
    model_config = _FROM_SERVICE
    person_id: str
    name: str
    asked: str


class QuestionCreate(BaseModel):
    """A question an admin adds: its key, label, the purpose it serves, its answers."""

    key: str = Field(max_length=40)
    label: str = Field(max_length=500)
    purpose: str = Field(max_length=500)
    options: list[Annotated[str, Field(max_length=120)]] = Field(max_length=20)
    special_category: bool = False


class AnswerCountPublic(BaseModel):
    answer: str
    count: PeopleCount
    share: float | None  # null where the count is "fewer than N"


class QuestionCountsPublic(BaseModel):
    question: QuestionPublic
    answered: PeopleCount
    answers: list[AnswerCountPublic]


class SelfDescriptionGapsPublic(BaseModel):
    """How members describe themselves, in aggregate only; small counts hidden."""

    age_bands: list[SharePublic]  # against the UK's adults (ONS mid-2022, approximate)
    age_source: str
    questions: list[QuestionCountsPublic]


# --- buddying ------------------------------------------------------------------------

BuddyingAcross = Literal["sectors", "regions", "either"]


class BuddyingRoundAsked(BaseModel):
    """A buddying round to propose: its name, and what pairs must differ in."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    across: BuddyingAcross = "either"


class BuddyingRoundConfirmed(BuddyingRoundAsked):
    """The pairs of a round the convenor confirms, as ``[a, b]`` person ids."""

    pairs: list[tuple[str, str]] = Field(max_length=5000)


class BuddyPairPublic(BaseModel):
    a: PersonSummary
    b: PersonSummary
    shared_interests: list[str]
    reasons: list[str]


class BuddyingProposalPublic(BaseModel):
    name: str
    across: BuddyingAcross
    pairs: list[BuddyPairPublic]
    unpaired: list[PersonSummary]


class ConfirmedPairPublic(BaseModel):
    a: PersonSummary
    b: PersonSummary
    round: str
    across: str
    date: str


class MyBuddyPublic(BaseModel):
    buddy: PersonSummary
    round: str
    date: str
    reasons: list[str]


class MyBuddyingPublic(BaseModel):
    """Whether I opted in to buddying (None: never said, or not linked to a record),
    and my buddies, newest first."""

    opted_in: bool | None
    buddies: list[MyBuddyPublic]
    # Only a record the network may see can be paired: False tells an opted-in
    # member why no round will pair them.
    may_be_paired: bool = False


class BuddyingOptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opted_in: bool


# --- accounts: passwords, invitations, resets; an admin's stewardship ----------------------


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=12, max_length=1000)


class LinkUse(BaseModel):
    """An invitation or reset link's token, and the password chosen with it."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=200)
    password: str = Field(min_length=12, max_length=1000)


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The person's stored email unless another is given.
    email: str | None = Field(default=None, min_length=3, max_length=320)
    role: Role = Role.MEMBER


class AccountLinkPublic(BaseModel):
    """A one-time link for the admin to send (shown this once); ``emailed`` if it was
    also sent by email."""

    kind: Literal["invite", "reset"]
    link: str
    email: str
    expires: str
    emailed: bool


class RoleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class RectificationBody(BaseModel):
    """Fields to correct on a person's record; a field left out stays, "" clears it."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=50)
    job_title: str | None = Field(default=None, max_length=300)
    organisation: str | None = Field(default=None, max_length=200, pattern=r"^org:")
    place: str | None = Field(default=None, max_length=200, pattern=r"^place:")


class RectificationPublic(BaseModel):
    person: str
    changed: list[str]


class MergeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kept: str = Field(min_length=8, max_length=200, pattern=r"^person:")
    gone: str = Field(min_length=8, max_length=200, pattern=r"^person:")


class MergePublic(BaseModel):
    id: int
    at: str
    actor: int | None
    kept: str
    gone: str
    undone: str | None


class AuditEntryPublic(BaseModel):
    id: int
    at: str
    actor: int | None
    action: str
    subject: str | None
    ids: dict[str, str]
