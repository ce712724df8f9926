"""Rows about people to graph records, resolved against what is known.

Membership and attendance imports both name people, their organisations and
places; :class:`RecordBuilder` turns those into node and relationship records
once, so both resolve people the same way (see :mod:`importers.resolution`).
Cells and events already known are found by their names, whatever ids they
were given, so importing a file again never makes a second one.
"""

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import attrgetter

from graphsvc import model as m
from graphsvc.model.geography import region_place_id, slug, uk_region_records
from graphsvc.model.text import fold_text
from importers.places import find_place_in_row, postcode_area
from importers.report import Merge, PersonChange, ReviewItem, changes_note
from importers.resolution import (
    KnownOrganisation,
    KnownPerson,
    OrganisationResolver,
    PersonResolver,
    named_from_email,
)

# A cell is often named with or without the word ("Ageing well", "Ageing well cell").
_CELL_WORD = " cell"


@dataclass(frozen=True)
class KnownNode:
    """A cell or an event already in the store, as its name finds it."""

    id: str
    kind: str  # "Cell" or "Event"
    name: str
    date: dt.date | None = None  # an event's


@dataclass
class Directory:
    """What the store already holds that resolution needs (plain data, no database)."""

    people: list[KnownPerson] = field(default_factory=list)
    organisations: list[KnownOrganisation] = field(default_factory=list)
    # Ids of cells, themes, places and events already there: their details are kept.
    node_ids: set[str] = field(default_factory=set)
    # Cells and events already there, found by name (a demo's cells have numbered ids).
    named_nodes: list[KnownNode] = field(default_factory=list)
    # Pairs of people a person has said are different.
    kept_apart: set[frozenset[str]] = field(default_factory=set)


@dataclass
class Records:
    nodes: list[m.NodeRecord] = field(default_factory=list)
    relationships: list[m.RelationshipRecord] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # People already in the store whose stored details this import changes.
    changes: list[PersonChange] = field(default_factory=list)
    # The first row that named each person, so a preview can say who a row creates.
    person_rows: dict[str, int] = field(default_factory=dict)


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
    # Further addresses the row gives ("email 2"): they find the person too.
    other_emails: tuple[str, ...] = ()
    # The rest of the row's place cells (county, postcode), most telling first:
    # read when ``place`` is not a known place, and to settle one that is doubtful.
    place_context: tuple[str, ...] = ()


class RecordBuilder:
    """Collects the records of one import; ``finish()`` hands them over."""

    def __init__(self, directory: Directory, source: str, seen: dt.date) -> None:
        self.source = source
        self.seen = seen
        self.default_seen = m.Provenance(source=source, first_seen=seen, last_seen=seen)
        self.known_ids = directory.node_ids
        self.people = PersonResolver(directory.people, directory.kept_apart)
        # What the store holds of each person, to report what this import changes.
        self._stored = {person.id: person for person in directory.people}
        self._changed: dict[str, PersonChange] = {}
        self._person_rows: dict[str, int] = {}
        self._named: dict[tuple[str, str, dt.date | None], str] = {
            _node_key(node.kind, node.name, node.date): node.id for node in directory.named_nodes
        }
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
        self._based_in_row(person_id, found, provenance)
        return person_id

    def _person(self, found: PersonRow, provenance: m.Provenance) -> str:
        org_ids = [self._organisation(name) for name in found.organisations]
        past_ids = [self._organisation(name) for name in found.past_organisations]
        match = self.people.resolve(
            found.name, found.email, frozenset(org_ids + past_ids), found.other_emails
        )
        known = self.people.people.get(match.person)
        self._person_rows.setdefault(match.person, found.row)
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
                name=_better_name(known.name, known.email, found) if known else found.name,
                email=found.email or (known.email if known else None),
                phone=found.phone,
                sector=found.sector,
                job_title=found.job_title,
                visibility=visibility,
                joined=found.joined,
                provenance=provenance,
            )
        self._note_changes(found, match.person)
        self.people.learn(
            KnownPerson(
                match.person,
                found.name,
                found.email,
                frozenset(org_ids + past_ids),
                visibility.value,
                found.other_emails,
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
        self._based_in_row(match.person, found, provenance)
        return match.person

    def _note_changes(self, found: PersonRow, person_id: str) -> None:
        """Remember which stored details of someone already known this row changes."""
        stored = self._stored.get(person_id)
        if stored is None:
            return
        fields: list[str] = []
        if found.email and stored.email and found.email.lower() != stored.email.lower():
            fields.append("email")
        if _better_name(stored.name, stored.email, found) != stored.name:
            fields.append("name")
        if found.visibility and stored.visibility and found.visibility.value != stored.visibility:
            fields.append("visibility")
        earlier = self._changed.get(person_id)
        if earlier is not None:
            fields = [*earlier.fields, *(f for f in fields if f not in earlier.fields)]
        if fields:
            row = earlier.row if earlier else found.row
            self._changed[person_id] = PersonChange(row, person_id, tuple(fields))

    def _based_in_row(self, node_id: str, found: PersonRow, provenance: m.Provenance) -> None:
        """Place a person by the first of the row's place cells that names a known place;
        the rest of the row (its other place cells, its organisations) settles a doubt."""
        texts = [text for text in (found.place, *found.place_context) if text]
        if texts:
            self.based_in(node_id, texts[0], provenance, tuple(texts[1:]), found.organisations)

    def based_in(
        self,
        node_id: str,
        text: str,
        provenance: m.Provenance,
        fallbacks: tuple[str, ...] = (),
        hints: tuple[str, ...] = (),
    ) -> None:
        """Place a node by ``text``, else by the first of ``fallbacks`` that is a known
        place; each other text (``hints`` too) may settle a doubtful reading."""
        found = None
        for said in (text, *fallbacks):
            found = find_place_in_row(said, (text, *fallbacks, *hints))
            if found is not None:
                break
        if found is None:
            self._unknown_places[_unknown_place(text)] += 1
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
        """The id of the cell of this name: one already known or met, else a new one."""
        key = _node_key("Cell", name)
        cell_id = self._named.get(key) or self._cell_id(name)
        self._named[key] = cell_id
        if cell_id not in self.known_ids and cell_id not in self._nodes:
            category = (
                m.CellKind.REGIONAL_GROUP if "regional" in name.lower() else m.CellKind.THEME_CELL
            )
            self.add_node(
                m.Cell(id=cell_id, name=name, category=category, provenance=self.default_seen)
            )
        return cell_id

    def known_event(self, name: str, date: dt.date) -> str | None:
        """The id of an event of this name on this day already in the store, if any."""
        return self._named.get(_node_key("Event", name, date))

    def _cell_id(self, name: str) -> str:
        """The id of a cell stored under this name with or without the word "cell"
        ("Ageing well", "Ageing well cell"), else a new one."""
        key = id_key(name)
        shorter = id_key(_node_key("Cell", name)[1])
        for candidate in dict.fromkeys((key, shorter, f"{shorter}-cell")):
            if m.Cell.make_id(candidate) in self.known_ids:
                return m.Cell.make_id(candidate)
        return m.Cell.make_id(key)

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
        changes = sorted(self._changed.values(), key=lambda change: change.row)
        if (changed := changes_note(changes)) is not None:
            notes.append(changed)
        return Records(
            nodes=list(self._nodes.values()),
            relationships=list(self._relationships.values()),
            merges=self.merges,
            review=self.review,
            notes=notes,
            changes=changes,
            person_rows=self._person_rows,
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
    return m.Theme.make_id(id_key(name))


def id_key(name: str) -> str:
    """The key of an id made from a name: its slug, or for a name with nothing to
    spell one with ("???"), a digest of the name.

    >>> id_key("Ageing well cell"), id_key("???")
    ('ageing-well-cell', 'n-a03b221c6c6e')
    """
    return slug(name) or "n-" + hashlib.sha256(name.encode()).hexdigest()[:12]


def _node_key(kind: str, name: str, date: dt.date | None = None) -> tuple[str, str, dt.date | None]:
    """How a cell or an event is found by its name: case, accents, punctuation and a
    cell's own word aside."""
    folded = fold_text(name) or name.casefold()
    if kind == "Cell" and folded.endswith(_CELL_WORD) and folded != _CELL_WORD.strip():
        folded = folded.removesuffix(_CELL_WORD)
    return kind, folded, date


def _unknown_place(text: str) -> str:
    """How the report names a place it could not read: a postcode by its area only,
    and an address or a number not at all, since both are personal data."""
    area = postcode_area(text)
    if area:
        return f"postcode area '{area}'"
    if any(char.isdigit() for char in text):
        return "an address or a number"
    return f"place '{text}'"


def _better_name(known: str, known_email: str | None, found: PersonRow) -> str:
    """A known person's name, unless it only stood in for one (made from their email)
    and the row gives a real one."""
    if (
        named_from_email(known, known_email)
        and found.name != known
        and not named_from_email(found.name, found.email)
    ):
        return found.name
    return known


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
            ("name", _better_name(earlier.name, earlier.email, found)),
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
