"""Event attendance files to validated attendance rows, whatever tool wrote them.

Four formats, told apart by their contents (or named with ``--format``):

- ``csv``: a generic table with ``name`` (or first and last name), and
  optionally ``email``, ``organisation``, ``event``, ``date``, ``role``,
  ``part``, ``job title`` and ``town``;
- ``eventbrite``: an Eventbrite attendee export (:mod:`importers.eventbrite`);
- ``zoom``: a Zoom participant report (:mod:`importers.zoom`);
- ``text``: a participant list as printed in meeting notes
  (:mod:`importers.participant_list`).

Files that do not name the event or its date on each row take them from the
caller (``--event``, ``--date``).

This module chooses the reader; the rows every reader makes, and the checks
on them, are in :mod:`importers.attendance_rows` (re-exported here:
:class:`Attendance`, :class:`AttendanceFile`, :class:`EventGiven`).
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_row,
    read_rows,
)
from importers.eventbrite import is_eventbrite, read_eventbrite
from importers.participant_list import read_participant_list
from importers.source import Table, full_name, read_table, read_text
from importers.zoom import is_zoom, read_zoom

__all__ = [
    "ATTENDANCE_HEADINGS",
    "FORMATS",
    "TABLE_FORMATS",
    "Attendance",
    "AttendanceFile",
    "AttendanceFormat",
    "EventGiven",
    "TableFormat",
    "detect_format",
    "read_attendance",
    "read_generic",
]

TableFormat = Literal["csv", "eventbrite", "zoom"]
AttendanceFormat = Literal["auto", TableFormat, "text"]
FORMATS: tuple[str, ...] = get_args(AttendanceFormat)

# Generic CSV: field to the headings it is known by (compared folded).
ATTENDANCE_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "attendee", "attendee name", "participant", "delegate"),
    "first_name": ("first name", "firstname", "forename", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "e mail", "email address", "e mail address"),
    "organisation": ("organisation", "organization", "org", "company", "affiliation"),
    "job_title": ("job title", "position"),
    "place": ("town", "city", "location", "place", "local authority", "postcode"),
    "event": ("event", "event name", "meeting", "session"),
    "date": ("date", "event date", "meeting date"),
    "role": ("role", "attended as", "attendance role"),
    "part": ("part", "session part", "attended part", "sessions"),
}


def read_generic(table: Table, given: EventGiven) -> AttendanceFile:
    """A generic attendance CSV or XLSX: one row a person at an event."""

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        return attendance_row(
            number,
            full_name(values),
            values.get("email", ""),
            event=values.get("event") or given.name,
            date=date,
            role=values.get("role", ""),
            part=values.get("part") or None,
            organisations=(values["organisation"],) if values.get("organisation") else (),
            job_title=values.get("job_title") or None,
            place=values.get("place") or None,
        )

    return read_rows(table, ATTENDANCE_HEADINGS, "csv", given, to_attendance)


def _is_generic(header: list[str]) -> bool:
    """Whether a table has a column of names, as a generic attendance table must."""
    folded = {fold_text(h) for h in header}
    known = {k for field_name in ("name", "first_name") for k in ATTENDANCE_HEADINGS[field_name]}
    return bool(folded & known)


# The formats that are tables: each told by its headings, read by its reader.
# Tried in this order: the reports' own columns first, since a report may also
# have the name columns a generic table is told by.
TABLE_FORMATS: dict[
    TableFormat, tuple[Callable[[list[str]], bool], Callable[[Table, EventGiven], AttendanceFile]]
] = {
    "zoom": (is_zoom, read_zoom),
    "eventbrite": (is_eventbrite, read_eventbrite),
    "csv": (_is_generic, read_generic),
}


def read_attendance(
    path: Path,
    max_bytes: int,
    file_format: AttendanceFormat = "auto",
    given: EventGiven | None = None,
) -> AttendanceFile:
    """Read an attendance file of any supported format; bad rows come back as problems."""
    given = given or EventGiven()
    # A participant list is plain text, told by its file name; every other format is a table.
    if file_format == "text" or (file_format == "auto" and _is_text_list(path)):
        text, notes = read_text(path, max_bytes)
        return read_participant_list(path.name, text, notes, given)
    table = read_table(path, max_bytes)
    if file_format == "auto":
        file_format = _table_format(table)
    elif file_format == "csv" and _is_report(table.header):
        raise ImportFileError(
            f"{table.name} looks like an Eventbrite or Zoom report; import it with "
            "--format auto, eventbrite or zoom"
        )
    _, read = TABLE_FORMATS[file_format]
    return read(table, given)


def detect_format(path: Path, max_bytes: int) -> AttendanceFormat:
    """The format a file is in, from its contents (and, for plain text, its name)."""
    if _is_text_list(path):
        return "text"
    return _table_format(read_table(path, max_bytes))


def _is_text_list(path: Path) -> bool:
    return path.suffix.lower() in (".txt", ".md", ".text")


def _is_report(header: list[str]) -> bool:
    """Whether the headings are a tool's report's (any table format but ``csv``)."""
    return any(recognise(header) for name, (recognise, _) in TABLE_FORMATS.items() if name != "csv")


def _table_format(table: Table) -> TableFormat:
    for name, (recognise, _) in TABLE_FORMATS.items():
        if recognise(table.header):
            return name
    raise ImportFileError(
        f"{table.name}: cannot tell what kind of attendance file this is (its headings: "
        f"{', '.join(table.header[:8])}); name the format with --format csv|eventbrite|zoom|text"
    )
