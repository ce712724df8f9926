"""Eventbrite attendee exports ("Attendee Summary" / "Attendee List" reports).

The columns are Eventbrite's own: ``Order #``, ``Order Date``, ``First Name``,
``Last Name``, ``Email``, ``Quantity``, ``Price Tier``, ``Ticket Type``,
``Attendee #``, ``Group``, ``Order Type``, ``Currency``, ``Total Paid``, fees,
``Attendee Status``, then any questions asked at booking, such as
``Job Title`` and ``Company``. Reports over several events add ``Event Name``
(and ``Event ID``); a column giving the event's date is used when present.

Only tickets whose status is *Attending* or *Checked In* count: refunded,
cancelled and transferred tickets are people who did not come. The ticket
type is the part of the event attended unless it is a generic admission.
"""

import datetime as dt

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole
from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_row,
    read_rows,
    role_from_text,
)
from importers.source import Table

EVENTBRITE_HEADINGS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name",),
    "last_name": ("last name",),
    "email": ("email",),
    "organisation": ("company", "organisation", "organization"),
    "job_title": ("job title",),
    "place": ("work city", "home city", "town", "city"),
    "ticket": ("ticket type",),
    "status": ("attendee status",),
    "event": ("event name",),
    "date": ("event date", "event start date", "event start"),
}
COUNTED_STATUSES = ("attending", "checked in")
# Ticket types that say nothing about which part of an event someone came to.
GENERIC_TICKETS = frozenset(
    {"general admission", "free", "free ticket", "ticket", "standard", "admission", "rsvp"}
)


def is_eventbrite(header: list[str]) -> bool:
    folded = {fold_text(h) for h in header}
    return "attendee status" in folded or {"order", "ticket type"} <= folded


def read_eventbrite(table: Table, given: EventGiven) -> AttendanceFile:
    """The counted tickets of an Eventbrite export; a table that is not one is refused."""
    if not is_eventbrite(table.header):
        raise ImportFileError(
            f"{table.name} is not an Eventbrite attendee export (no 'Attendee #' or "
            f"'Order #' and 'Ticket Type' columns; it has: {', '.join(table.header)})"
        )
    not_counted: dict[str, int] = {}

    def not_attending(values: dict[str, str]) -> bool:
        status = values.get("status", "Attending")
        if fold_text(status) in COUNTED_STATUSES:
            return False
        not_counted[status] = not_counted.get(status, 0) + 1
        return True

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        ticket = values.get("ticket", "")
        names_a_role = role_from_text(ticket) in (AttendanceRole.SPEAKER, AttendanceRole.HOST)
        return attendance_row(
            number,
            " ".join(f"{values.get('first_name', '')} {values.get('last_name', '')}".split()),
            values.get("email", ""),
            event=values.get("event") or given.name,
            date=date,
            role=ticket if names_a_role else "",
            part=None if fold_text(ticket) in GENERIC_TICKETS or names_a_role else ticket or None,
            organisations=(values["organisation"],) if values.get("organisation") else (),
            job_title=values.get("job_title") or None,
            place=values.get("place") or None,
        )

    out = read_rows(table, EVENTBRITE_HEADINGS, "eventbrite", given, to_attendance, not_attending)
    for status, count in sorted(not_counted.items()):
        out.notes.append(f"{count} tickets with status '{status}' not counted as attending")
    return out
