"""Meetup attendee lists (an event's Attendees > Download list; often tab-separated).

One row a member who answered the RSVP, with Meetup's columns: ``Name``,
``Attendance`` (where the organiser took attendance), ``User ID``,
``Title``, ``Event Host``, ``RSVP``, ``Guests``, ``RSVPed on``, ``Joined
Group on``, ``URL of Member Profile``, ``Notes``, then one column for each
question asked. Meetup shares no emails, and does not name or date the
event: give ``--event`` and ``--date``.

An RSVP is a promise, not attendance. Where attendance was taken, only
members marked as having come count ("No show" and "Absent" do not, whatever
they answered); where it was not, members who answered "Yes" count, and the
report says so. An RSVP of "No" or a place on the waitlist never counts.
Guests a member brought are not named, so they are noted, not recorded.
"""

import datetime as dt
from collections import Counter

from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_row,
    read_rows,
)
from importers.registrations import not_counted_notes, refuse_if_nobody_came
from importers.source import Table, find_columns, iter_records

MEETUP_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "attendance": ("attendance", "attended"),
    "rsvp": ("rsvp",),
    "host": ("event host",),
    "guests": ("guests",),
    "place": ("location", "city"),
    "event": ("event", "event name"),
    "date": ("event date",),
}
CAME = frozenset({"attended", "y", "yes", "present", "checked in"})
RSVP_YES = frozenset({"yes", "going", "attending"})


def is_meetup(header: list[str]) -> bool:
    folded = {fold_text(h) for h in header}
    return (
        "url of member profile" in folded or "rsvped on" in folded or {"user id", "rsvp"} <= folded
    )


def read_meetup(table: Table, given: EventGiven) -> AttendanceFile:
    """The members a Meetup list shows came: marked attended, else (untaken) RSVP Yes."""
    taken = _attendance_taken(table, given)
    not_counted: Counter[str] = Counter()
    guests = 0

    def did_not_come(values: dict[str, str]) -> bool:
        nonlocal guests
        marked = fold_text(values.get("attendance", ""))
        came = marked in CAME if taken else fold_text(values.get("rsvp", "")) in RSVP_YES
        if not came:
            if marked:
                not_counted[f"marked '{values['attendance']}'"] += 1
            else:
                not_counted[f"with RSVP '{values.get('rsvp', '')}' and not marked attended"] += 1
            return True
        guests += _count(values.get("guests", ""))
        return False

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        hosted = fold_text(values.get("host", "")) in ("yes", "y", "true")
        return attendance_row(
            number,
            values.get("name", ""),
            "",
            event=values.get("event") or given.name,
            date=date,
            role="host" if hosted else "",
            place=values.get("place") or None,
        )

    out = read_rows(table, MEETUP_HEADINGS, "meetup", given, to_attendance, did_not_come)
    out.notes.extend(not_counted_notes(not_counted, "members"))
    if not taken and out.attendances:
        out.notes.append(
            "attendance was not taken in Meetup: members who answered RSVP 'Yes' are counted"
        )
    if guests:
        out.notes.append(f"{guests} guests brought by members are not named: not recorded")
    return refuse_if_nobody_came(out, "only members who came count, not RSVPs")


def _attendance_taken(table: Table, given: EventGiven) -> bool:
    """Whether the organiser marked who came: any row with an Attendance mark."""
    columns = find_columns(table, MEETUP_HEADINGS, dict(given.columns or {}))
    if "attendance" not in columns:
        return False
    return any(values["attendance"] for _, values, _ in iter_records(table, columns))


def _count(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
