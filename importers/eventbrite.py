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

from graphsvc.model import AttendanceRole
from graphsvc.model.text import fold_text
from importers.attendance import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_row,
    role_from_text,
)
from importers.dates import read_dates
from importers.report import RowProblem
from importers.source import Table, find_columns, iter_records, row_problem

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
    columns = find_columns(table, EVENTBRITE_HEADINGS)
    records = list(iter_records(table))
    dates = read_dates(
        ((n, r[columns["date"]]) for n, r, _ in records if "date" in columns),
        columns.get("date", "Event Date"),
        given.date_order,
    )
    out = AttendanceFile(table.name, "eventbrite", len(records), [], [], list(table.notes))
    not_counted: dict[str, int] = {}
    for number, record, problem in records:
        values = {f: record[h] for f, h in columns.items()}
        status = values.get("status", "Attending")
        if problem is None and fold_text(status) not in COUNTED_STATUSES:
            not_counted[status] = not_counted.get(status, 0) + 1
            continue
        attendance: Attendance | None = None
        if problem is None:
            problem = row_problem(values) or dates.problems.get(number)
        if problem is None:
            ticket = values.get("ticket", "")
            names_a_role = role_from_text(ticket) in (AttendanceRole.SPEAKER, AttendanceRole.HOST)
            attendance, problem = attendance_row(
                number,
                " ".join(f"{values.get('first_name', '')} {values.get('last_name', '')}".split()),
                values.get("email", ""),
                event=values.get("event") or given.name,
                date=dates.dates.get(number) or given.date,
                role=ticket if names_a_role else "",
                part=None
                if fold_text(ticket) in GENERIC_TICKETS or names_a_role
                else ticket or None,
                organisations=(values["organisation"],) if values.get("organisation") else (),
                job_title=values.get("job_title") or None,
                place=values.get("place") or None,
            )
        if attendance is None:
            out.problems.append(RowProblem(number, problem or "cannot be read"))
        else:
            out.attendances.append(attendance)
    for status, count in sorted(not_counted.items()):
        out.notes.append(f"{count} tickets with status '{status}' not counted as attending")
    return out
