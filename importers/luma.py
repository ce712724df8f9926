"""Luma guest exports (Manage event > Guests > Download as CSV).

The columns are Luma's own: ``api_id``, ``name``, ``first_name``,
``last_name``, ``email``, ``phone_number``, ``created_at``,
``approval_status``, ``checked_in_at``, ``custom_source``, ``qr_code_url``,
amounts, wallet addresses, survey answers, ``ticket_type_id``,
``ticket_name``, then one column for each question the host asked. Luma
writes a UTF-8 BOM and ends lines with CRLF or LF.

Everyone who registered is in the file; only guests with a ``checked_in_at``
came, since a registration is not attendance. The export does not name the
event (give ``--event``) and dates it only by check-ins: the day they fall on
is the event's, unless ``--date`` says otherwise.
"""

import datetime as dt
from collections import Counter

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_from_fields,
    read_rows,
)
from importers.registrations import not_counted_notes, refuse_if_nobody_came, ticket_role_and_part
from importers.source import Table

LUMA_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "first_name": ("first name",),
    "last_name": ("last name",),
    "email": ("email",),
    "status": ("approval status",),
    # The check-in's time, which dates the row (in UTC, as Luma writes it).
    "date": ("checked in at",),
    "ticket": ("ticket name",),
}


def is_luma(header: list[str]) -> bool:
    folded = {fold_text(h) for h in header}
    return "checked in at" in folded and bool({"api id", "approval status"} & folded)


def read_luma(table: Table, given: EventGiven) -> AttendanceFile:
    """The guests of a Luma export who checked in; the others are noted, not counted."""
    never_came: Counter[str] = Counter()

    def not_checked_in(values: dict[str, str]) -> bool:
        if values.get("date"):
            return False
        status = values.get("status") or "registered"
        never_came[f"who registered ('{status}') but never checked in"] += 1
        return True

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        role, part = ticket_role_and_part(values.get("ticket", ""))
        # The date given wins: a check-in's UTC day may be the next one where it met.
        return attendance_from_fields(
            number, values, given, given.date or date, event=given.name, role=role, part=part
        )

    out = read_rows(table, LUMA_HEADINGS, "luma", given, to_attendance, not_checked_in)
    out.notes.extend(not_counted_notes(never_came, "guests"))
    out = refuse_if_nobody_came(out, "only guests who checked in attended")
    days = sorted({a.date for a in out.attendances})
    if not given.date and len(days) > 1:
        raise ImportFileError(
            f"{table.name}: its check-ins fall on {len(days)} days ({days[0]} to {days[-1]}), "
            "so the event's date is not clear; give --date YYYY-MM-DD"
        )
    if not given.date and days:
        out.notes.append(f"event date taken from the check-ins: {days[0].isoformat()}")
    return out
