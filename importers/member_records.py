"""Resolved members to graph records: people, organisations, places, cells, themes."""

import datetime as dt
from dataclasses import dataclass, field

from graphsvc import model as m
from graphsvc.model.geography import region_place_id, slug, uk_region_records
from importers.membership import MembershipFile
from importers.places import find_place
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
    # Ids of cells, themes and places already there: their details are kept.
    node_ids: set[str] = field(default_factory=set)


@dataclass
class Records:
    nodes: list[m.NodeRecord] = field(default_factory=list)
    relationships: list[m.RelationshipRecord] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def membership_records(
    members: MembershipFile, directory: Directory, source: str, seen: dt.date
) -> Records:
    """Records for every member row, resolved against ``directory`` and each other."""
    out = Records()
    default_seen = m.Provenance(source=source, first_seen=seen, last_seen=seen)
    people = PersonResolver(directory.people)
    organisations = OrganisationResolver(directory.organisations)
    nodes: dict[str, m.NodeRecord] = {}
    relationships: dict[tuple[str, str, str], m.RelationshipRecord] = {}
    unknown_places: dict[str, int] = {}
    named_organisations: set[str] = set()

    def add_node(record: m.NodeRecord) -> None:
        nodes.setdefault(record.id, record)

    def add_relationship(record: m.RelationshipRecord) -> None:
        relationships.setdefault((record.start, record.TYPE, record.end), record)

    places, links = uk_region_records(default_seen)
    for place in places:
        if place.id not in directory.node_ids:
            add_node(place)
    for link in links:
        add_relationship(link)
    for member in members.members:
        first = min(member.joined, seen) if member.joined else seen
        provenance = m.Provenance(source=source, first_seen=first, last_seen=seen)
        org_id = None
        if member.organisation:
            org_id, _ = organisations.resolve(member.organisation)
            named_organisations.add(org_id)
        works_at = frozenset([org_id] if org_id else [])
        match = people.resolve(member.name, member.email, works_at)
        known = people.people.get(match.person)
        if match.merged and match.reason:
            out.merges.append(Merge(member.row, match.person, match.reason))
        elif match.candidate is not None and match.reason:
            out.review.append(ReviewItem(member.row, match.person, match.candidate, match.reason))
        visibility = member.visibility or (
            m.Visibility(known.visibility) if known and known.visibility else m.Visibility.HIDDEN
        )
        nodes[match.person] = m.Person(
            id=match.person,
            name=known.name if known else member.name,
            email=member.email or (known.email if known else None),
            phone=member.phone,
            sector=member.sector,
            job_title=member.job_title,
            visibility=visibility,
            joined=member.joined,
            provenance=provenance,
        )
        people.learn(
            KnownPerson(
                match.person,
                member.name,
                member.email,
                works_at,
                visibility.value,
            )
        )
        if org_id:
            add_relationship(
                m.WorksWith(
                    start=match.person, end=org_id, role=member.job_title, provenance=provenance
                )
            )
        if member.place:
            found = find_place(member.place)
            if found is None:
                unknown_places[member.place] = unknown_places.get(member.place, 0) + 1
            else:
                if found.id not in directory.node_ids and found.level == "town":
                    add_node(
                        m.Place(
                            id=found.id,
                            name=found.name,
                            level=m.PlaceLevel.TOWN,
                            provenance=default_seen,
                        )
                    )
                    add_relationship(
                        m.PartOf(
                            start=found.id,
                            end=region_place_id(found.region_code),
                            provenance=default_seen,
                        )
                    )
                add_relationship(m.BasedIn(start=match.person, end=found.id, provenance=provenance))
        for cell in member.cells:
            cell_id = m.Cell.make_id(slug(cell))
            if cell_id not in directory.node_ids:
                category = (
                    m.CellKind.REGIONAL_GROUP
                    if "regional" in cell.lower()
                    else m.CellKind.THEME_CELL
                )
                add_node(m.Cell(id=cell_id, name=cell, category=category, provenance=default_seen))
            add_relationship(m.MemberOf(start=match.person, end=cell_id, provenance=provenance))
        for interest in member.interests:
            theme_id = m.Theme.make_id(slug(interest))
            if theme_id not in directory.node_ids:
                add_node(m.Theme(id=theme_id, name=interest, provenance=default_seen))
            add_relationship(
                m.InterestedIn(start=match.person, end=theme_id, provenance=provenance)
            )
    # Built last, so spellings met later in the file are kept as aliases too.
    for org_id in sorted(named_organisations):
        add_node(
            m.Organisation(
                id=org_id,
                name=organisations.names[org_id],
                aliases=sorted(organisations.aliases.get(org_id, ())),
                provenance=default_seen,
            )
        )
    for text, count in sorted(unknown_places.items()):
        out.notes.append(f"place '{text}' not recognised ({count} rows); left blank")
    out.nodes = list(nodes.values())
    out.relationships = list(relationships.values())
    return out
