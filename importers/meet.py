"""Google Meet attendance reports (the sheet Meet sends the organiser after a call).

One row a participant, with Meet's columns: ``First name``, ``Last name``,
``Email``, ``Duration``, ``Time joined``, ``Time exited``. The report names
neither the meeting nor its day (those are in the sheet's title, which a CSV
download leaves behind), and its times are usually times of day only: so a
report needs ``--event`` and ``--date``, asked for together. Where the join
times carry a date, that dates the meeting. Phone participants, whose name is
a masked number, are noted, not recorded.
"""

import datetime as dt

from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_from_fields,
    read_rows,
)
from importers.dates import read_dates
from importers.source import Table, full_name, has_letter

MEET_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "participant", "participant name"),
    "first_name": ("first name",),
    "last_name": ("last name",),
    "email": ("email", "email address"),
    "event": ("meeting", "meeting title", "event"),
    "date": ("date", "meeting date"),
}
JOINED = "time joined"


def is_meet(header: list[str]) -> bool:
    folded = {fold_text(h) for h in header}
    return {JOINED, "time exited"} <= folded


def read_meet(table: Table, given: EventGiven) -> AttendanceFile:
    """Every named participant of a Meet attendance report."""
    if not given.date and (joined_on := _joined_on(table, given)) is not None:
        given = EventGiven(given.name, joined_on, given.date_order, given.columns)
    unnamed = 0

    def phone_participant(values: dict[str, str]) -> bool:
        nonlocal unnamed
        if has_letter(full_name(values)) or not full_name(values):
            return False
        unnamed += 1
        return True

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        return attendance_from_fields(number, values, given, date)

    out = read_rows(table, MEET_HEADINGS, "meet", given, to_attendance, phone_participant)
    out.online = True
    if unnamed:
        out.notes.append(f"{unnamed} phone or unnamed participants not recorded")
    return out


def _joined_on(table: Table, given: EventGiven) -> dt.date | None:
    """The day every join time falls on, when they carry one date; else None."""
    folded = [fold_text(h) for h in table.header]
    if JOINED not in folded:
        return None
    index = folded.index(JOINED)
    times = [(n, cells[index]) for n, cells in table.rows if len(cells) > index]
    found = read_dates(times, table.header[index], given.date_order)
    days = set(found.dates.values())
    return days.pop() if len(days) == 1 and not found.problems else None
