"""The changes a member makes to their own record, each checked before anything
is written (see :mod:`graphsvc.service.my_record`, which reads the record)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphsvc.errors import GraphsvcError
from graphsvc.model import (
    BasedIn,
    InterestedIn,
    PartOf,
    Place,
    PlaceLevel,
    Provenance,
    Theme,
    Visibility,
)
from graphsvc.model.geography import region_place_id, uk_region_records
from graphsvc.model.nodes import BIO_LENGTH, MAX_PHRASES, PHRASE_LENGTH
from graphsvc.model.text import fold_text
from graphsvc.service import self_description as about_me
from graphsvc.service.view import NetworkView
from graphsvc.store import GraphStore
from importers.graph_records import id_key
from importers.places import find_place

INTERESTS = ("INTERESTED_IN", "Person", "Theme")
BASED = ("BASED_IN", "Person", "Place")
MAX_INTERESTS = 50


class RecordChangeError(GraphsvcError):
    """A change to a member's record that cannot be made as asked, saying why."""


@dataclass(frozen=True)
class RecordChange:
    """What a member asked to change; None leaves a part as it is."""

    visibility: Visibility | None = None
    bio: str | None = None  # "" removes it
    offers: list[str] | None = None
    asks: list[str] | None = None
    interests: list[str] | None = None  # theme ids, or names of interests to add
    place: str | None = None  # a place id or a name or postcode; "" removes it
    answers: dict[str, tuple[str | None, bool]] | None = None  # key -> (answer, consent)


@dataclass(frozen=True)
class RecordChanged:
    fields: list[str]  # the parts that changed
    notes: list[str]  # what was not kept, and why


def phrases(given: Iterable[str], what: str) -> list[str]:
    """Offers or asks as they are kept: trimmed, one line each, no repeats, none empty."""
    kept: dict[str, str] = {}
    for phrase in given:
        text = " ".join(phrase.split())
        if not text:
            continue
        if len(text) > PHRASE_LENGTH:
            raise RecordChangeError(f"each of your {what} is at most {PHRASE_LENGTH} characters")
        kept.setdefault(fold_text(text), text)
    if len(kept) > MAX_PHRASES:
        raise RecordChangeError(f"give at most {MAX_PHRASES} {what}")
    return list(kept.values())


def change_record(
    store: GraphStore,
    view: NetworkView,
    person_id: str,
    change: RecordChange,
    source: str,
) -> RecordChanged:
    """Make a member's change to their own record; RecordChangeError, with nothing
    written, for a part that cannot be changed as asked."""
    stored = store.person(person_id)
    if stored is None:
        raise RecordChangeError("there is no such person")
    today = dt.date.today()
    seen = Provenance(source=source, first_seen=today, last_seen=today)
    props, notes = _changed_properties(store, stored, change, today)
    # Everything is checked before anything is written.
    interests = None
    if change.interests is not None:
        held = set(store.linked(INTERESTS, person_id))
        interests = _interests_wanted(view, change.interests, held)
    place = _place_wanted(view, change.place) if change.place else None
    changed = sorted(props)
    if props:
        consent = "visibility" in props
        store.update_person(person_id, props, consent_changed=consent)
    if interests is not None and _set_interests(store, person_id, interests, seen):
        changed.append("interests")
    if change.place is not None and _set_place(store, person_id, place, seen):
        changed.append("place")
    return RecordChanged(changed, notes)


def _changed_properties(
    store: GraphStore, stored: dict[str, Any], change: RecordChange, today: dt.date
) -> tuple[dict[str, Any], list[str]]:
    props: dict[str, Any] = {}
    notes: list[str] = []
    if (
        change.visibility is not None
        and Visibility.parse(stored.get("visibility")) != change.visibility
    ):
        props["visibility"] = change.visibility.value
    if change.bio is not None:
        bio = change.bio.strip() or None
        if bio and len(bio) > BIO_LENGTH:
            raise RecordChangeError(f"a bio is at most {BIO_LENGTH} characters")
        if bio != stored.get("bio"):
            props["bio"] = bio
    for name, what in (("offers", "offers"), ("asks", "asks")):
        given = getattr(change, name)
        if given is not None and (kept := phrases(given, what)) != list(stored.get(name) or []):
            props[name] = kept
    if change.answers is not None:
        asked = about_me.questions(store)
        earlier = about_me.answers_of(stored.get("self_description"))
        try:
            answers, notes = about_me.merged_answers(asked, earlier, change.answers, today)
        except about_me.QuestionError as exc:
            raise RecordChangeError(str(exc)) from None
        if answers != stored.get("self_description"):
            props["self_description"] = answers
    return props, notes


def _interests_wanted(view: NetworkView, given: list[str], held: set[str]) -> dict[str, str | None]:
    """Theme id -> the name to create it with (None: it exists), for each interest given.

    An id is one the view knows or one the person holds already (added since
    the view was built)."""
    if len(given) > MAX_INTERESTS:
        raise RecordChangeError(f"choose at most {MAX_INTERESTS} interests")
    wanted: dict[str, str | None] = {}
    for item in given:
        text = " ".join(item.split())
        if not text:
            continue
        if view.kind(text) == "Theme" or text in held:
            wanted[text] = None
            continue
        if text.startswith("theme:"):
            raise RecordChangeError("that interest is not known: give its name to add it")
        if len(text) > PHRASE_LENGTH:
            raise RecordChangeError(f"an interest's name is at most {PHRASE_LENGTH} characters")
        known = sorted(view.resolve(text, "Theme"))
        if known:
            wanted[known[0]] = None
        else:
            wanted.setdefault(Theme.make_id(id_key(text)), text)
    return wanted


def _set_interests(
    store: GraphStore, person_id: str, wanted: dict[str, str | None], seen: Provenance
) -> bool:
    held = set(store.linked(INTERESTS, person_id))
    new_themes = [
        Theme(id=theme_id, name=name, provenance=seen)
        for theme_id, name in wanted.items()
        if name is not None
    ]
    if new_themes:
        store.upsert_nodes(new_themes)
    gone = sorted(held - set(wanted))
    added = sorted(set(wanted) - held)
    store.remove_relationships(INTERESTS, [(person_id, t) for t in gone])
    store.upsert_relationships(
        [InterestedIn(start=person_id, end=t, provenance=seen) for t in added]
    )
    return bool(gone or added)


def _place_wanted(view: NetworkView, given: str) -> "PlaceChoice":
    if view.kind(given) == "Place":
        return PlaceChoice(given, None)
    found = find_place(given)
    if found is None:
        raise RecordChangeError(
            "that place is not one we know: give a UK town, city, local authority, "
            "region or postcode"
        )
    if found.level in ("nation", "region"):
        return PlaceChoice(found.id, None)
    town = Place(
        id=found.id,
        name=found.name,
        level=PlaceLevel(found.level),
        ons_code=found.ons_code,
        provenance=Provenance(
            source="gazetteer", first_seen=dt.date.today(), last_seen=dt.date.today()
        ),
    )
    return PlaceChoice(found.id, (town, region_place_id(found.region_code)))


@dataclass(frozen=True)
class PlaceChoice:
    id: str
    new: tuple[Place, str] | None  # a town to add, and the region it is part of


def _set_place(
    store: GraphStore, person_id: str, place: PlaceChoice | None, seen: Provenance
) -> bool:
    held = store.linked(BASED, person_id)
    if place is not None and held == [place.id]:
        return False
    if place is None and not held:
        return False
    if place is not None:
        regions, links = uk_region_records(seen)
        nodes: list[Any] = [*regions]
        if place.new is not None:
            town, region = place.new
            nodes.append(town)
            links = [*links, PartOf(start=town.id, end=region, provenance=seen)]
        store.upsert_nodes(nodes)
        store.upsert_relationships(links)
    store.remove_relationships(
        BASED, [(person_id, p) for p in held if place is None or p != place.id]
    )
    if place is not None:
        store.upsert_relationships([BasedIn(start=person_id, end=place.id, provenance=seen)])
    return True


def request_erasure(store: GraphStore, person_id: str, asked: bool) -> bool:
    """Ask for the person's record to be erased (or withdraw the request); False if
    there is no such person."""
    value = dt.date.today().isoformat() if asked else None
    return store.update_person(person_id, {"erasure_requested": value})


@dataclass(frozen=True)
class ErasureRequest:
    person_id: str
    name: str
    asked: str


def erasure_requests(store: GraphStore) -> list[ErasureRequest]:
    return [ErasureRequest(*row) for row in store.erasure_requests()]
