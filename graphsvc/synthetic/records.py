"""A generated network as typed records, made one at a time.

Records are yielded lazily so a million-member network never has to sit in
memory as pydantic objects; nodes come before the relationships that need
them.
"""

import datetime as dt
from collections.abc import Iterator
from functools import cache

from graphsvc import model as m
from graphsvc.model.geography import region_place_id, slug, town_place_id, uk_region_records
from graphsvc.reference import uk_regions
from graphsvc.synthetic.generator import SyntheticNetwork
from graphsvc.synthetic.plans import AS_OF, NETWORK_START

_VISIBILITY = list(m.Visibility)
_CELL_ROLES = [
    m.MemberRole.MEMBER,
    m.MemberRole.THOUGHT_LEADER,
    m.MemberRole.CONVENOR,
    m.MemberRole.CONNECTOR,
]
_ATTENDANCE_ROLES = [m.AttendanceRole.ATTENDEE, m.AttendanceRole.SPEAKER, m.AttendanceRole.HOST]
_INTRODUCTION_STATUSES = list(m.IntroductionStatus)


def person_id(index: int) -> str:
    return m.Person.make_id(f"{index:07d}")


def organisation_id(index: int) -> str:
    return m.Organisation.make_id(f"{index:06d}")


def cell_id(index: int) -> str:
    return m.Cell.make_id(f"{index:05d}")


def event_id(index: int) -> str:
    return m.Event.make_id(f"{index:06d}")


@cache
def theme_id(name: str) -> str:
    return m.Theme.make_id(slug(name))


@cache
def region_index_place_id(region_index: int) -> str:
    return region_place_id(uk_regions()[region_index].ons_code)


class NetworkRecords:
    """The records of one generated network, in the order a store needs them."""

    def __init__(self, net: SyntheticNetwork) -> None:
        self.net = net
        self.source = f"synthetic:{net.members}:{net.seed}"
        self._provenance: dict[tuple[dt.date, dt.date], m.Provenance] = {}

    def _seen(self, first: dt.date, last: dt.date = AS_OF) -> m.Provenance:
        # Records are frozen, so one Provenance can serve every record of a span.
        span = (first, max(first, last))
        if span not in self._provenance:
            self._provenance[span] = m.Provenance(
                source=self.source, first_seen=span[0], last_seen=span[1]
            )
        return self._provenance[span]

    def _joined(self, person: int) -> dt.date:
        return dt.date.fromordinal(int(self.net.joined[person]))

    @property
    def node_count(self) -> int:
        net = self.net
        nations = {r.nation_code for r in uk_regions()}
        return (
            len(net.themes)
            + len(nations | {r.ons_code for r in uk_regions()})
            + len(net.towns)
            + len(net.organisations)
            + len(net.cells)
            + net.members
            + len(net.events)
        )

    @property
    def relationship_count(self) -> int:
        net = self.net
        english_regions = sum(r.ons_code != r.nation_code for r in uk_regions())
        return (
            english_regions
            + len(net.towns)
            + len(net.organisations)
            + sum(c.region >= 0 for c in net.cells)
            + net.members  # people based in towns
            + int((net.organisation >= 0).sum())
            + int((net.past_organisation >= 0).sum())
            + len(net.memberships)
            + sum(e.held_by >= 0 for e in net.events)
            + sum(len(i) for i in net.interests)
            + net.attendance_count
            + len(net.knows)
            + len(net.introductions)
        )

    def nodes(self) -> Iterator[m.NodeRecord]:
        net = self.net
        always = self._seen(NETWORK_START)
        for name, behaviour in zip(net.themes, net.theme_is_behaviour, strict=True):
            category = m.ThemeKind.BEHAVIOUR if behaviour else m.ThemeKind.INTEREST
            yield m.Theme(id=theme_id(name), name=name, category=category, provenance=always)
        yield from uk_region_records(always)[0]
        for name, level, _ in net.towns:
            yield m.Place(
                id=town_place_id(name), name=name, level=m.PlaceLevel(level), provenance=always
            )
        for i, org in enumerate(net.organisations):
            yield m.Organisation(
                id=organisation_id(i),
                name=org.name,
                sector=m.Sector(net.sectors[org.sector]),
                provenance=always,
            )
        for i, cell in enumerate(net.cells):
            yield m.Cell(
                id=cell_id(i),
                name=cell.name,
                category=m.CellKind(cell.category),
                themes=[theme_id(net.themes[t]) for t in cell.themes],
                provenance=self._seen(cell.start),
            )
        for i in range(net.members):
            yield m.Person(
                id=person_id(i),
                name=net.names[i],
                email=net.emails[i],
                sector=m.Sector(net.sectors[net.sector[i]]),
                job_title=net.job_title[i],
                visibility=_VISIBILITY[net.visibility[i]],
                joined=self._joined(i),
                provenance=self._seen(self._joined(i)),
            )
        for i, event in enumerate(net.events):
            yield m.Event(
                id=event_id(i),
                name=event.name,
                date=event.date,
                category=m.EventKind(event.category),
                size=len(event.attendees),
                provenance=self._seen(event.date, event.date),
            )

    def relationships(self) -> Iterator[m.RelationshipRecord]:
        net = self.net
        always = self._seen(NETWORK_START)
        yield from uk_region_records(always)[1]
        for name, _, region_index in net.towns:
            yield m.PartOf(
                start=town_place_id(name),
                end=region_index_place_id(region_index),
                provenance=always,
            )
        for i, org in enumerate(net.organisations):
            yield m.BasedIn(
                start=organisation_id(i),
                end=town_place_id(net.towns[org.town][0]),
                provenance=always,
            )
        for i, cell in enumerate(net.cells):
            if cell.region >= 0:
                yield m.BasedIn(
                    start=cell_id(i),
                    end=region_index_place_id(cell.region),
                    provenance=self._seen(cell.start),
                )
        yield from self._people_relationships()
        for i, event in enumerate(net.events):
            if event.held_by >= 0:
                yield m.HeldBy(
                    start=event_id(i),
                    end=cell_id(event.held_by),
                    provenance=self._seen(event.date, event.date),
                )
            seen = self._seen(event.date, event.date)
            for k, person in enumerate(event.attendees):
                yield m.Attended(
                    start=person_id(int(person)),
                    end=event_id(i),
                    role=_ATTENDANCE_ROLES[event.roles[k]],
                    part=event.parts[k] if event.parts else None,
                    provenance=seen,
                )
        for a, b, strength in net.knows:
            since = max(self._joined(int(a)), self._joined(int(b)))
            yield m.Knows(
                start=person_id(int(a)),
                end=person_id(int(b)),
                strength=int(strength),
                provenance=self._seen(since),
            )
        for a, b, introducer, day, status in net.introductions:
            date = dt.date.fromordinal(int(day))
            yield m.IntroducedTo(
                start=person_id(int(a)),
                end=person_id(int(b)),
                by=person_id(int(introducer)),
                date=date,
                status=_INTRODUCTION_STATUSES[status],
                provenance=self._seen(date, date),
            )

    def _people_relationships(self) -> Iterator[m.RelationshipRecord]:
        net = self.net
        for i in range(net.members):
            pid, joined = person_id(i), self._joined(i)
            since_joining = self._seen(joined)
            yield m.BasedIn(
                start=pid, end=town_place_id(net.towns[net.town[i]][0]), provenance=since_joining
            )
            if net.organisation[i] >= 0:
                yield m.WorksWith(
                    start=pid,
                    end=organisation_id(int(net.organisation[i])),
                    role=net.job_title[i],
                    current=True,
                    provenance=since_joining,
                )
            if net.past_organisation[i] >= 0:
                yield m.WorksWith(
                    start=pid,
                    end=organisation_id(int(net.past_organisation[i])),
                    current=False,
                    provenance=self._seen(joined, joined),
                )
            for theme in net.interests[i]:
                yield m.InterestedIn(
                    start=pid, end=theme_id(net.themes[theme]), provenance=since_joining
                )
        for person, cell, role in net.memberships:
            since = max(self._joined(int(person)), net.cells[cell].start)
            yield m.MemberOf(
                start=person_id(int(person)),
                end=cell_id(int(cell)),
                role=_CELL_ROLES[role],
                provenance=self._seen(since),
            )
