"""A member's own record: everything held about them in plain words, and the
changes they may make to it themselves.

What they may change: who sees them (their visibility), their interests,
offers and asks, where they are based, a short bio, their answers to the
optional questions about themselves (:mod:`graphsvc.service.self_description`),
and whether they ask for their record to be erased (an admin confirms).
Everything else on the record came from imports and is corrected by an admin.

Each change is written through the store in its own units, each moving the
graph version, so every list, map, analysis and export is computed afresh;
a change of visibility is also marked as a consent change, which the served
view applies before its next answer (see :mod:`graphsvc.service.generations`).
"""

from dataclasses import dataclass, field
from typing import Any

from graphsvc.accounts import AccountStore
from graphsvc.model import Visibility
from graphsvc.privacy import export_person
from graphsvc.service import self_description as about_me
from graphsvc.service.record_changes import (
    ErasureRequest,
    RecordChange,
    RecordChanged,
    RecordChangeError,
    change_record,
    erasure_requests,
    request_erasure,
)
from graphsvc.store import GraphStore

__all__ = [
    "ErasureRequest",
    "Held",
    "MyRecord",
    "RecordChange",
    "RecordChangeError",
    "RecordChanged",
    "change_record",
    "describe_source",
    "erasure_requests",
    "record_of",
    "request_erasure",
]


# Who sees what, for each choice of visibility, in the words the record page uses.
VISIBILITY_EXPLAINED: dict[Visibility, tuple[str, str]] = {
    Visibility.NETWORK: (
        "Everyone in the network",
        "Every member, connector, convenor and admin may see your name, organisation, "
        "place, cells, interests, offers and asks, in lists, searches, maps and exports, "
        "and you may be suggested for introductions. Your email and phone are never "
        "shown to them.",
    ),
    Visibility.CONNECTORS: (
        "Connectors only",
        "Connectors, convenors and admins may see you named; other members do not find "
        "you in lists, searches, maps or exports. Connectors may suggest introductions "
        "for you. You are still counted in totals.",
    ),
    Visibility.HIDDEN: (
        "Nobody but the admins",
        "You are left out of every list, search, map and export and never suggested for "
        "an introduction; only the admins, who look after the records, see you named. "
        "You are still counted in totals, as one among many.",
    ),
}

# What each relationship of the record means, from the member's side.
SAID_OF: dict[str, str] = {
    "WORKS_WITH": "Works with",
    "BASED_IN": "Based in",
    "MEMBER_OF": "Member of",
    "ATTENDED": "Attended",
    "INTERESTED_IN": "Interested in",
    "KNOWS": "Knows",
    "INTRODUCED_TO": "Introduced to",
    "MAY_BE_SAME": "Possibly the same person as (waiting for an admin)",
}


@dataclass(frozen=True)
class Held:
    """One thing held about the member, in plain words."""

    what: str  # "Member of", "Attended" ...
    kind: str  # the relationship's type
    id: str  # the other end's id
    name: str | None  # None for a person who chose not to be named to members
    detail: str | None  # role, date, current or past, strength ...
    source: str  # where it came from, in plain words


@dataclass(frozen=True)
class VisibilityChoice:
    value: Visibility
    title: str
    explanation: str
    chosen: bool


@dataclass(frozen=True)
class QuestionAnswered:
    question: about_me.Question
    answer: str | None
    consent_given: str | None


@dataclass(frozen=True)
class MyRecord:
    person_id: str
    name: str
    email: str | None
    phone: str | None
    job_title: str | None
    sector: str | None
    joined: str | None
    came_from: str
    visibility: Visibility
    visibility_choices: list[VisibilityChoice]
    bio: str | None
    offers: list[str]
    asks: list[str]
    buddying_opt_in: bool | None  # None where buddying is not offered
    erasure_requested: str | None
    place: Held | None
    organisations: list[Held] = field(default_factory=list)
    cells: list[Held] = field(default_factory=list)
    events: list[Held] = field(default_factory=list)
    interests: list[Held] = field(default_factory=list)
    ties: list[Held] = field(default_factory=list)
    other: list[Held] = field(default_factory=list)
    questions: list[QuestionAnswered] = field(default_factory=list)


def describe_source(source: object, first_seen: object = None, last_seen: object = None) -> str:
    """Where something on a record came from, in plain words.

    >>> describe_source("import:members.csv#ab12", "2024-03-01", "2024-05-02")
    'the import of members.csv (first seen 2024-03-01, last seen 2024-05-02)'
    >>> describe_source("self:user:4", "2026-01-02", "2026-01-02")
    'you, on your record (2026-01-02)'
    """
    text = str(source or "")
    if text.startswith("import:"):
        said = f"the import of {text.removeprefix('import:').split('#', 1)[0]}"
    elif text.startswith("self"):
        said = "you, on your record"
    elif text.startswith("api:user:"):
        said = "a user of this service"
    elif text == "cli":
        said = "an admin, on the command line"
    elif text.startswith("synthetic"):
        said = "the demo's made-up network"
    else:
        said = text or "not recorded"
    if first_seen and last_seen and first_seen != last_seen:
        return f"{said} (first seen {first_seen}, last seen {last_seen})"
    return f"{said} ({first_seen})" if first_seen else said


def record_of(
    store: GraphStore,
    accounts: AccountStore,
    person_id: str,
    *,
    buddying_offered: bool,
) -> MyRecord | None:
    """Everything held about a person, for them to read; None if there is no such person."""
    held = export_person(store, accounts, person_id)
    if held is None:
        return None
    person = held["person"]
    groups: dict[str, list[Held]] = {}
    for relationship in held["relationships"]:
        groups.setdefault(relationship["type"], []).append(_held(relationship, person_id))
    visibility = Visibility.parse(person.get("visibility"))
    answers = about_me.answers_of(person.get("self_description"))
    places = groups.pop("BASED_IN", [])
    return MyRecord(
        person_id=person_id,
        name=str(person.get("name", "")),
        email=person.get("email"),
        phone=person.get("phone"),
        job_title=person.get("job_title"),
        sector=person.get("sector"),
        joined=_text(person.get("joined")),
        came_from=describe_source(
            person.get("source"), person.get("first_seen"), person.get("last_seen")
        ),
        visibility=visibility,
        visibility_choices=[
            VisibilityChoice(value, title, explained, value is visibility)
            for value, (title, explained) in VISIBILITY_EXPLAINED.items()
        ],
        bio=person.get("bio"),
        offers=list(person.get("offers") or []),
        asks=list(person.get("asks") or []),
        buddying_opt_in=bool(person.get("buddying_opt_in")) if buddying_offered else None,
        erasure_requested=_text(person.get("erasure_requested")),
        place=places[0] if places else None,
        organisations=groups.pop("WORKS_WITH", []),
        cells=groups.pop("MEMBER_OF", []),
        events=groups.pop("ATTENDED", []),
        interests=groups.pop("INTERESTED_IN", []),
        ties=groups.pop("KNOWS", []) + groups.pop("INTRODUCED_TO", []),
        other=[h for rest in groups.values() for h in rest],
        questions=[
            QuestionAnswered(
                q,
                answers[q.key].value if q.key in answers else None,
                answers[q.key].consent if q.key in answers else None,
            )
            for q in about_me.questions(store)
        ],
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _held(relationship: dict[str, Any], person_id: str) -> Held:
    props = relationship["properties"]
    rel_type = relationship["type"]
    other = relationship["end"] if relationship["start"] == person_id else relationship["start"]
    return Held(
        what=SAID_OF.get(rel_type, rel_type.replace("_", " ").capitalize()),
        kind=rel_type,
        id=other,
        name=relationship.get("other_name"),
        detail=_detail(rel_type, props, relationship),
        source=describe_source(
            props.get("source"), props.get("first_seen"), props.get("last_seen")
        ),
    )


def _detail(rel_type: str, props: dict[str, Any], relationship: dict[str, Any]) -> str | None:
    if rel_type == "WORKS_WITH":
        role = props.get("role")
        now = "now" if props.get("current", True) is not False else "in the past"
        return f"{role}, {now}" if role else now
    if rel_type in ("MEMBER_OF", "ATTENDED") and props.get("role"):
        return str(props["role"]).replace("_", " ")
    if rel_type == "KNOWS" and props.get("strength") is not None:
        return f"strength {props['strength']}"
    if rel_type == "INTRODUCED_TO":
        return str(props.get("status") or "suggested").replace("_", " ")
    return None
