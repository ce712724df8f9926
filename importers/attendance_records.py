"""Resolved attendance to graph records: people, events and who attended which."""

import datetime as dt
from collections import Counter
from functools import lru_cache

from graphsvc import model as m
from graphsvc.model.geography import slug
from importers.attendance_rows import AttendanceFile, event_kind
from importers.graph_records import Directory, RecordBuilder, Records


@lru_cache(maxsize=2**14)  # every row of a meeting names it again
def event_id(name: str, date: dt.date) -> str:
    """An event's id: its name and date, so the same meeting from two files is one event."""
    return m.Event.make_id(f"{slug(name)}-{date.isoformat()}")


def attendance_records(
    attendance: AttendanceFile, directory: Directory, source: str, seen: dt.date
) -> Records:
    """Records for every attendance row, resolved against ``directory`` and each other."""
    build = RecordBuilder(directory, source, seen)
    events: dict[str, tuple[str, dt.date]] = {}
    attendees: Counter[str] = Counter()
    on_the_day: dict[dt.date, m.Provenance] = {}
    for row in attendance.attendances:
        event = build.known_event(row.event, row.date) or event_id(row.event, row.date)
        events.setdefault(event, (row.event, row.date))
        # What a file says of a meeting was true on the day it met.
        provenance = on_the_day.get(row.date) or on_the_day.setdefault(
            row.date, m.Provenance(source=source, first_seen=row.date, last_seen=row.date)
        )
        person = build.person(row.person, provenance)
        attended = m.Attended(
            start=person, end=event, role=row.role, part=row.part, provenance=provenance
        )
        if build.add_relationship(attended):
            attendees[event] += 1
    for event, (name, date) in events.items():
        if event not in directory.node_ids:
            build.add_node(
                m.Event(
                    id=event,
                    name=name,
                    date=date,
                    category=event_kind(name, online=attendance.online),
                    size=attendees[event],
                    provenance=on_the_day[date],
                )
            )
    return build.finish()
