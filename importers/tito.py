"""Tito ticket exports (Admin > Tickets > Export, as CSV or XLSX).

One row a ticket, with Tito's columns: ``Number``, ``Ticket Created Date``,
``Ticket``, ``Ticket Full Name``, ``Ticket First Name``, ``Ticket Last
Name``, ``Ticket Email``, ``Ticket Company Name``, ``Ticket Phone Number``,
``Event``, ``Void Status``, ``Price``, ``Ticket Reference``, ``Tags``, URLs,
then the order's (``Order Name``, ``Order Email``, ...) and one column for
each question asked.

A void ticket was cancelled or refunded: its holder did not come. A ticket
no one has been assigned to yet has no name of its own; the order's name is
the buyer's, not the attendee's, so it is noted and not counted. The
``Ticket`` column (the release) is the part attended unless it is a generic
admission, and a "Speaker" release makes a speaker. Tito does not write the
event's date: give ``--date``.
"""

import datetime as dt
from collections import Counter

from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_from_fields,
    read_rows,
)
from importers.registrations import not_counted_notes, refuse_if_nobody_came, ticket_role_and_part
from importers.source import Table, full_name

TITO_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("ticket full name",),
    "first_name": ("ticket first name",),
    "last_name": ("ticket last name",),
    "email": ("ticket email",),
    "organisation": ("ticket company name",),
    "job_title": ("ticket job title", "job title"),
    "ticket": ("ticket",),
    "void": ("void status",),
    "event": ("event",),
    "date": ("event date",),
}
# What a valid ticket's "Void Status" says; anything else ("void", "true") is void.
NOT_VOID = frozenset({"", "false", "no", "0", "valid", "not void"})


def is_tito(header: list[str]) -> bool:
    folded = {fold_text(h) for h in header}
    return "ticket full name" in folded or {"ticket reference", "void status"} <= folded


def read_tito(table: Table, given: EventGiven) -> AttendanceFile:
    """The valid, assigned tickets of a Tito export."""
    not_counted: Counter[str] = Counter()

    def void_or_unassigned(values: dict[str, str]) -> bool:
        if fold_text(values.get("void", "")) not in NOT_VOID:
            not_counted["void (cancelled or refunded)"] += 1
            return True
        if not full_name(values) and not values.get("email"):
            not_counted["not yet assigned to anyone"] += 1
            return True
        return False

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        role, part = ticket_role_and_part(values.get("ticket", ""))
        return attendance_from_fields(number, values, given, date, role=role, part=part)

    out = read_rows(table, TITO_HEADINGS, "tito", given, to_attendance, void_or_unassigned)
    out.notes.extend(not_counted_notes(not_counted, "tickets"))
    return refuse_if_nobody_came(out, "void and unassigned tickets do not count")
