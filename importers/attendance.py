"""Event attendance files to validated attendance rows, whatever tool wrote them.

Formats told apart by their contents (or named with ``--format``):

- ``csv``: a generic table with ``name`` (or first and last name), and
  optionally ``email``, ``organisation``, ``event``, ``date``, ``role``,
  ``part``, ``job title`` and ``town``;
- ``eventbrite``: an Eventbrite attendee export (:mod:`importers.eventbrite`);
- ``zoom``: a Zoom meeting or webinar report (:mod:`importers.zoom`,
  :mod:`importers.zoom_webinar`);
- ``teams``: a Microsoft Teams attendance report (:mod:`importers.teams`);
- ``meet``: a Google Meet attendance report (:mod:`importers.meet`);
- ``luma``: a Luma guest export (:mod:`importers.luma`);
- ``tito``: a Tito ticket export (:mod:`importers.tito`);
- ``meetup``: a Meetup attendee list (:mod:`importers.meetup`);
- ``text``: a participant list as printed in meeting notes
  (:mod:`importers.participant_list`).

Files that do not name the event or its date on each row take them from the
caller (``--event``, ``--date``); a mapping (``--mapping``) names columns
whose headings no reader knows.

This module chooses the reader; the rows every reader makes, and the checks
on them, are in :mod:`importers.attendance_rows` (re-exported here:
:class:`Attendance`, :class:`AttendanceFile`, :class:`EventGiven`).
"""

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_from_fields,
    read_rows,
)
from importers.eventbrite import is_eventbrite, read_eventbrite
from importers.luma import is_luma, read_luma
from importers.meet import is_meet, read_meet
from importers.meetup import is_meetup, read_meetup
from importers.participant_list import read_participant_list
from importers.source import Table, read_table, read_text
from importers.teams import is_teams, read_teams
from importers.tito import is_tito, read_tito
from importers.zoom import is_zoom, read_zoom

__all__ = [
    "ATTENDANCE_HEADINGS",
    "FORMATS",
    "FORMAT_NAMES",
    "TABLE_FORMATS",
    "Attendance",
    "AttendanceFile",
    "AttendanceFormat",
    "EventGiven",
    "TableFormat",
    "attendance_mapping",
    "detect_format",
    "read_attendance",
    "read_generic",
]

TableFormat = Literal["csv", "eventbrite", "zoom", "teams", "meet", "luma", "tito", "meetup"]
AttendanceFormat = Literal["auto", TableFormat, "text"]
FORMATS: tuple[str, ...] = get_args(AttendanceFormat)
# What each format is, for messages and the Imports page.
FORMAT_NAMES: dict[str, str] = {
    "csv": "a table with a name column",
    "eventbrite": "an Eventbrite attendee export",
    "zoom": "a Zoom participant or webinar report",
    "teams": "a Microsoft Teams attendance report",
    "meet": "a Google Meet attendance report",
    "luma": "a Luma guest export",
    "tito": "a Tito ticket export",
    "meetup": "a Meetup attendee list",
    "text": "a participant list from meeting notes (.txt)",
}

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


def attendance_mapping(text: str) -> dict[str, str]:
    """The ``[columns]`` of an attendance mapping's TOML text: field to the heading it has.

    The fields are those of a generic table (``name``, ``first_name``,
    ``last_name``, ``email``, ``organisation``, ``job_title``, ``place``,
    ``event``, ``date``, ``role``, ``part``); every table reader takes them.
    Raises ``tomllib.TOMLDecodeError`` for text that is not TOML, and
    :class:`ImportFileError` for a table that maps unknown fields or non-headings.

    >>> attendance_mapping('[columns]\\nname = "Delegate"\\nevent = "Session"')
    {'name': 'Delegate', 'event': 'Session'}
    """
    columns = tomllib.loads(text).get("columns", {})
    unknown = set(columns) - set(ATTENDANCE_HEADINGS) if isinstance(columns, dict) else set()
    if (
        not isinstance(columns, dict)
        or unknown
        or not all(isinstance(v, str) for v in columns.values())
    ):
        raise ImportFileError(
            f"[columns] maps fields ({', '.join(ATTENDANCE_HEADINGS)}) to headings"
            + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "")
        )
    return dict(columns)


def read_generic(table: Table, given: EventGiven) -> AttendanceFile:
    """A generic attendance CSV or XLSX: one row a person at an event."""

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        return attendance_from_fields(number, values, given, date)

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
    "teams": (is_teams, read_teams),
    "zoom": (is_zoom, read_zoom),
    "meet": (is_meet, read_meet),
    "luma": (is_luma, read_luma),
    "tito": (is_tito, read_tito),
    "meetup": (is_meetup, read_meetup),
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
    looks_like = _recognised(table, given)
    if file_format == "auto":
        file_format = looks_like or _unrecognised(table)
    elif file_format != looks_like and (
        # A report read as a plain table would count its no-shows: refused.
        file_format == "csv" or not TABLE_FORMATS[file_format][0](table.header)
    ):
        raise ImportFileError(_not_that_format(table, file_format, looks_like))
    _, read = TABLE_FORMATS[file_format]
    return read(table, given)


def detect_format(path: Path, max_bytes: int) -> AttendanceFormat:
    """The format a file is in, from its contents (and, for plain text, its name)."""
    if _is_text_list(path):
        return "text"
    table = read_table(path, max_bytes)
    return _recognised(table, EventGiven()) or _unrecognised(table)


def _is_text_list(path: Path) -> bool:
    return path.suffix.lower() in (".txt", ".md", ".text")


def _recognised(table: Table, given: EventGiven) -> TableFormat | None:
    """The first format whose reader knows the headings; a mapping naming the name
    column makes any other table a generic one."""
    for name, (recognise, _) in TABLE_FORMATS.items():
        if recognise(table.header):
            return name
    named = set(given.columns or {})
    return "csv" if "name" in named or {"first_name", "last_name"} <= named else None


def _headings(table: Table) -> str:
    shown = ", ".join(table.header[:8])
    return shown + (f" and {len(table.header) - 8} more" if len(table.header) > 8 else "")


def _unrecognised(table: Table) -> TableFormat:
    kinds = [FORMAT_NAMES.get(name, name) for name in (*TABLE_FORMATS, "text")]
    raise ImportFileError(
        f"{table.name} is not an attendance file graphsvc knows (its headings: "
        f"{_headings(table)}); graphsvc reads {', '.join(kinds[:-1])} or {kinds[-1]}. "
        "If it is one of those, name it with --format; if its names are under another "
        'heading, name that column with --mapping ([columns] name = "...")'
    )


def _not_that_format(table: Table, named: str, looks_like: TableFormat | None) -> str:
    """Why a file is not in the format named, and what it looks like instead."""
    said = f"{table.name} is not {FORMAT_NAMES.get(named, named)}"
    if looks_like is None:
        return (
            f"{said} (its headings: {_headings(table)}), nor any other kind graphsvc reads; "
            "name its name column with --mapping to read it as a table"
        )
    return (
        f"{said}: it looks like {FORMAT_NAMES.get(looks_like, looks_like)}; "
        f"import it with --format auto or {looks_like}"
    )
