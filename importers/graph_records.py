"""Rows about people to graph records, resolved against what is known.

Membership and attendance imports both name people, their organisations and
places; :class:`RecordBuilder` turns those into node and relationship records
once, so both resolve people the same way (see :mod:`importers.resolution`).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import attrgetter

from graphsvc import model as m
from graphsvc.model.geography import region_place_id, slug, uk_region_records
from importers.places import find_place, postcode_area
from importers.report import Merge, ReviewItem
from importers.resolution import (
    KnownOrganisation,
    KnownPerson,
    OrganisationResolver,
    PersonResolver,
)


@dataclass
class Directory:
    """What the store already holds that resolution needs (plain data, no database)."""

    people: list[KnownPerson] = field(default_factory=list)
    organisations: list[KnownOrganisation] = field(default_factory=list)
    # Ids of cells, themes, places and events already there: their details are kept.
    node_ids: set[str] = field(default_factory=set)
    # Pairs of people a person has said are different.
    kept_apart: set[frozenset[str]] = field(default_factory=set)


@dataclass
class Records:
    nodes: list[m.NodeRecord] = field(default_factory=list)
    relationships: list[m.RelationshipRecord] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PersonRow:
    """What one row says about a person; ``None`` where it says nothing."""

    row: int
    name: str
    email: str | None = None
    organisations: tuple[str, ...] = ()
    past_organisations: tuple[str, ...] = ()
    job_title: str | None = None
    place: str | None = None
    phone: str | None = None
    sector: m.Sector | None = None
    joined: dt.date | None = None
    visibility: m.Visibility | None = None


class RecordBuilder:
    """Collects the records of one import; ``finish()`` hands them over."""

    def __init__(self, directory: Directory, source: str, seen: dt.date) -> None:
        self.source = source
        self.seen = seen
        self.default_seen = m.Provenance(source=source, first_seen=seen, last_seen=seen)
        self.known_ids = directory.node_ids
        self.people = PersonResolver(directory.people, directory.kept_apart)
        self.organisations = OrganisationResolver(directory.organisations)
        self.merges: list[Merge] = []
        self.review: list[ReviewItem] = []
        self.notes: list[str] = []
        self._nodes: dict[str, m.NodeRecord] = {}
        self._relationships: dict[tuple[str, str, str], m.RelationshipRecord] = {}
        self._unknown_places: Counter[str] = Counter()
        self._place_doubts: Counter[str] = Counter()
        self._named_organisations: set[str] = set()
        self._organisation_ids: dict[str, str] = {}
        # What a row said about a person -> (their id, how a repeat of it is matched).
        self._rows_said: dict[tuple[object, ...], tuple[str, str]] = {}
        # When each person was seen in this file, first and last: set on their node at the end.
        self._seen_span: dict[str, tuple[dt.date, dt.date]] = {}
        self._provenances: dict[dt.date, m.Provenance] = {}
        # Written after everyone else, since both people must be stored first.
        self._possibly_same: list[m.MayBeSame] = []
        places, links = uk_region_records(self.default_seen)
        for place in places:
            if place.id not in self.known_ids:
                self.add_node(place)
        for link in links:
            self.add_relationship(link)

    def add_node(self, record: m.NodeRecord) -> None:
        self._nodes.setdefault(record.id, record)

    def has_relationship(self, start: str, rel_type: str, end: str) -> bool:
        """Whether this import has the relationship already (checked before building one)."""
        return (start, rel_type, end) in self._relationships

    def add_relationship(self, record: m.RelationshipRecord) -> bool:
        """Add a relationship unless this import has it already; whether it was new."""
        key = (record.start, record.TYPE, record.end)
        if key in self._relationships:
            return False
        self._relationships[key] = record
        return True

    def provenance(self, first_seen: dt.date | None = None) -> m.Provenance:
        first = min(first_seen, self.seen) if first_seen else self.seen
        if first not in self._provenances:
            self._provenances[first] = m.Provenance(
                source=self.source, first_seen=first, last_seen=self.seen
            )
        return self._provenances[first]

    def person(self, found: PersonRow, provenance: m.Provenance) -> str:
        """The id of the person a row names, with their organisations and place recorded."""
        said = _what_row_says(found)
        if (repeat := self._rows_said.get(said)) is not None:
            return self._repeated(found, provenance, *repeat)
        person_id = self._person(found, provenance)
        # A later row saying exactly this is the same person, found the way resolve() would.
        reason = (
            "same email"
            if found.email
            else "same name and organisation"
            if found.organisations or found.past_organisations
            else "same name"
        )
        self._rows_said[said] = (person_id, reason)
        return person_id

    def _repeated(
        self, found: PersonRow, provenance: m.Provenance, person_id: str, reason: str
    ) -> str:
        """A row saying exactly what an earlier one did (most rows of an attendance file):
        only the merge, the dates seen and the place's report entries are new."""
        self.merges.append(Merge(found.row, person_id, reason))
        first, last = self._seen_span[person_id]
        self._seen_span[person_id] = (
            min(first, provenance.first_seen),
            max(last, provenance.last_seen),
        )
        if found.place:
            self.based_in(person_id, found.place, provenance)
        return person_id

    def _person(self, found: PersonRow, provenance: m.Provenance) -> str:
        org_ids = [self._organisation(name) for name in found.organisations]
        past_ids = [self._organisation(name) for name in found.past_organisations]
        match = self.people.resolve(found.name, found.email, frozenset(org_ids + past_ids))
        known = self.people.people.get(match.person)
        if match.merged and match.reason:
            self.merges.append(Merge(found.row, match.person, match.reason))
        elif match.candidate is not None and match.reason:
            self.review.append(ReviewItem(found.row, match.person, match.candidate, match.reason))
            self._possibly_same.append(
                m.MayBeSame(
                    start=match.person,
                    end=match.candidate,
                    reason=match.reason,
                    provenance=provenance,
                )
            )
        visibility = found.visibility or (
            m.Visibility(known.visibility) if known and known.visibility else m.Visibility.HIDDEN
        )
        earlier = self._nodes.get(match.person)
        if isinstance(earlier, m.Person):
            self._nodes[match.person] = _updated(earlier, found)
            first, last = self._seen_span[match.person]
            self._seen_span[match.person] = (
                min(first, provenance.first_seen),
                max(last, provenance.last_seen),
            )
        else:
            self._seen_span[match.person] = (provenance.first_seen, provenance.last_seen)
            self._nodes[match.person] = m.Person(
                id=match.person,
                name=known.name if known else found.name,
                email=found.email or (known.email if known else None),
                phone=found.phone,
                sector=found.sector,
                job_title=found.job_title,
                visibility=visibility,
                joined=found.joined,
                provenance=provenance,
            )
        self.people.learn(
            KnownPerson(
                match.person,
                found.name,
                found.email,
                frozenset(org_ids + past_ids),
                visibility.value,
            )
        )
        for org_id in org_ids:
            if not self.has_relationship(match.person, "WORKS_WITH", org_id):
                self.add_relationship(
                    m.WorksWith(
                        start=match.person, end=org_id, role=found.job_title, provenance=provenance
                    )
                )
        for org_id in past_ids:
            if not self.has_relationship(match.person, "WORKS_WITH", org_id):
                self.add_relationship(
                    m.WorksWith(
                        start=match.person, end=org_id, current=False, provenance=provenance
                    )
                )
        if found.place:
            self.based_in(match.person, found.place, provenance)
        return match.person

    def based_in(self, node_id: str, text: str, provenance: m.Provenance) -> None:
        found = find_place(text)
        if found is None:
            # A postcode is personal data: the report names only its area.
            area = postcode_area(text)
            said = f"postcode area '{area}'" if area else f"place '{text}'"
            self._unknown_places[said] += 1
            return
        if found.doubt:
            self._place_doubts[found.doubt] += 1
        if (
            found.id not in self.known_ids
            and found.id not in self._nodes
            and found.level not in ("nation", "region")
        ):
            self.add_node(
                m.Place(
                    id=found.id,
                    name=found.name,
                    level=m.PlaceLevel(found.level),
                    ons_code=found.ons_code,
                    provenance=self.default_seen,
                )
            )
            self.add_relationship(
                m.PartOf(
                    start=found.id,
                    end=region_place_id(found.region_code),
                    provenance=self.default_seen,
                )
            )
        if not self.has_relationship(node_id, "BASED_IN", found.id):
            self.add_relationship(m.BasedIn(start=node_id, end=found.id, provenance=provenance))

    def cell(self, name: str) -> str:
        cell_id = m.Cell.make_id(slug(name))
        if cell_id not in self.known_ids and cell_id not in self._nodes:
            category = (
                m.CellKind.REGIONAL_GROUP if "regional" in name.lower() else m.CellKind.THEME_CELL
            )
            self.add_node(
                m.Cell(id=cell_id, name=name, category=category, provenance=self.default_seen)
            )
        return cell_id

    def theme(self, name: str) -> str:
        theme_id = _theme_id(name)
        if theme_id not in self.known_ids and theme_id not in self._nodes:
            self.add_node(m.Theme(id=theme_id, name=name, provenance=self.default_seen))
        return theme_id

    def finish(self) -> Records:
        for person_id, (first, last) in self._seen_span.items():
            node = self._nodes[person_id]
            seen = node.provenance
            if (first, last) != (seen.first_seen, seen.last_seen):
                self._nodes[person_id] = node.model_copy(
                    update={
                        "provenance": seen.model_copy(
                            update={"first_seen": first, "last_seen": last}
                        )
                    }
                )
        # Built last, so spellings met later in the file are kept as aliases too.
        for org_id in sorted(self._named_organisations):
            self.add_node(
                m.Organisation(
                    id=org_id,
                    name=self.organisations.names[org_id],
                    aliases=sorted(self.organisations.aliases.get(org_id, ())),
                    provenance=self.default_seen,
                )
            )
        for pair in self._possibly_same:
            self.add_relationship(pair)
        notes = list(self.notes)
        for said, count in sorted(self._unknown_places.items()):
            notes.append(f"{said} not recognised ({count} rows); left blank")
        for doubt, count in sorted(self._place_doubts.items()):
            notes.append(f"{doubt} ({count} rows)")
        return Records(
            nodes=list(self._nodes.values()),
            relationships=list(self._relationships.values()),
            merges=self.merges,
            review=self.review,
            notes=notes,
        )

    def _organisation(self, name: str) -> str:
        # A name resolves the same way every time: most rows repeat one met before.
        org_id = self._organisation_ids.get(name)
        if org_id is None:
            org_id, _ = self.organisations.resolve(name)
            self._organisation_ids[name] = org_id
            self._named_organisations.add(org_id)
        return org_id


@lru_cache(maxsize=4096)  # a file names a few themes thousands of times
def _theme_id(name: str) -> str:
    return m.Theme.make_id(slug(name))


# Everything a row says about a person except which row it is: derived from the
# fields, so a field added to PersonRow is never left out of the comparison.
_what_row_says = attrgetter(*(f.name for f in fields(PersonRow) if f.name != "row"))


def _updated(earlier: m.Person, found: PersonRow) -> m.Person:
    """A person met again in the same file: later details win, blanks keep earlier ones.

    The person was validated when first met, and the row's details were checked
    by its reader, so this copies rather than validating again (most rows of an
    attendance file are people met before).
    """
    updates: dict[str, object] = {
        key: value
        for key, value in (
            ("email", found.email),
            ("phone", found.phone),
            ("sector", found.sector),
            ("job_title", found.job_title),
            ("joined", found.joined),
            ("visibility", found.visibility),
        )
        if value is not None and value != getattr(earlier, key)
    }
    return earlier.model_copy(update=updates) if updates else earlier
