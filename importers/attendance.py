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
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole, EventKind
from graphsvc.model.text import fold_text
from importers.dates import DateOrder, read_dates
from importers.graph_records import PersonRow
from importers.report import RowProblem
from importers.source import (
    Table,
    find_columns,
    full_name,
    has_letter,
    is_email,
    iter_records,
    read_table,
    read_text,
    row_problem,
)

AttendanceFormat = Literal["auto", "csv", "eventbrite", "zoom", "text"]
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
ROLE_WORDS: dict[AttendanceRole, tuple[str, ...]] = {
    AttendanceRole.SPEAKER: ("speaker", "speak", "panel", "presenter", "keynote", "presenting"),
    AttendanceRole.HOST: ("host", "chair", "facilitat", "convenor", "organiser", "organizer"),
    AttendanceRole.ATTENDEE: ("attendee", "participant", "delegate", "guest", "member"),
}
EVENT_KIND_WORDS: dict[EventKind, tuple[str, ...]] = {
    EventKind.GATHERING: ("gathering", "conference", "summit", "assembly", "festival"),
    EventKind.ROUNDTABLE: ("roundtable", "round table"),
    EventKind.DROP_IN: ("drop in", "dropin", "surgery", "open hour"),
    EventKind.CELL_MEETING: ("cell", "group meeting", "regional group"),
    EventKind.ONLINE: ("webinar", "online", "zoom", "virtual"),
}


@dataclass(frozen=True, slots=True)
class Attendance:
    """One person at one event (or part of one), as a file records it."""

    person: PersonRow
    event: str
    date: dt.date
    role: AttendanceRole = AttendanceRole.ATTENDEE
    part: str | None = None


@dataclass
class AttendanceFile:
    name: str
    format: str
    rows_read: int
    attendances: list[Attendance]
    problems: list[RowProblem]
    notes: list[str] = field(default_factory=list)
    online: bool = False  # every event in it met online (a Zoom report)


@dataclass(frozen=True)
class EventGiven:
    """What the person importing says of the event: for files that do not say."""

    name: str | None = None
    date: dt.date | None = None
    date_order: DateOrder | None = None


def read_attendance(
    path: Path,
    max_bytes: int,
    file_format: AttendanceFormat = "auto",
    given: EventGiven | None = None,
) -> AttendanceFile:
    """Read an attendance file of any supported format; bad rows come back as problems."""
    # Imported here, not above: each reader imports this module's types.
    from importers.eventbrite import is_eventbrite, read_eventbrite
    from importers.participant_list import read_participant_list
    from importers.zoom import is_zoom, read_zoom

    given = given or EventGiven()
    if file_format == "text" or (file_format == "auto" and _is_text_list(path)):
        text, notes = read_text(path, max_bytes)
        return read_participant_list(path.name, text, notes, given)
    table = read_table(path, max_bytes)
    if file_format == "auto":
        file_format = _table_format(table)
    if file_format == "zoom":
        return read_zoom(table, given)
    if file_format == "eventbrite":
        if not is_eventbrite(table.header):
            raise ImportFileError(
                f"{table.name} is not an Eventbrite attendee export (no 'Attendee #' or "
                f"'Order #' and 'Ticket Type' columns; it has: {', '.join(table.header)})"
            )
        return read_eventbrite(table, given)
    if is_eventbrite(table.header) or is_zoom(table.header):
        raise ImportFileError(
            f"{table.name} looks like an Eventbrite or Zoom report; import it with "
            "--format auto, eventbrite or zoom"
        )
    return read_generic(table, given)


def detect_format(path: Path, max_bytes: int) -> AttendanceFormat:
    """The format a file is in, from its contents (and, for plain text, its name)."""
    if _is_text_list(path):
        return "text"
    return _table_format(read_table(path, max_bytes))


def _is_text_list(path: Path) -> bool:
    return path.suffix.lower() in (".txt", ".md", ".text")


def _table_format(table: Table) -> AttendanceFormat:
    from importers.eventbrite import is_eventbrite
    from importers.zoom import is_zoom

    if is_zoom(table.header):
        return "zoom"
    if is_eventbrite(table.header):
        return "eventbrite"
    folded = {fold_text(h) for h in table.header}
    known = {k for field_name in ("name", "first_name") for k in ATTENDANCE_HEADINGS[field_name]}
    if folded & known:
        return "csv"
    raise ImportFileError(
        f"{table.name}: cannot tell what kind of attendance file this is (its headings: "
        f"{', '.join(table.header[:8])}); name the format with --format csv|eventbrite|zoom|text"
    )


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


def read_rows(
    table: Table,
    headings: dict[str, tuple[str, ...]],
    file_format: str,
    given: EventGiven,
    to_attendance: Callable[
        [int, dict[str, str], dt.date | None], tuple[Attendance | None, str | None]
    ],
    skip: Callable[[dict[str, str]], bool] | None = None,
) -> AttendanceFile:
    """Each row of a table as an attendance, or the reason it cannot be one.

    Rows are checked (cell count, formulas, lengths, the date column) before
    ``to_attendance`` sees their values and date (the row's, else the one
    given); ``skip`` leaves out rows that are not attendances at all.
    """
    columns = find_columns(table, headings)
    records = list(iter_records(table, columns))
    dates = read_dates(
        ((n, values["date"]) for n, values, _ in records if "date" in columns),
        columns.get("date", "date"),
        given.date_order,
    )
    out = AttendanceFile(table.name, file_format, len(records), [], [], list(table.notes))
    for number, values, problem in records:
        if problem is None and skip is not None and skip(values):
            continue
        attendance = None
        if problem is None:
            problem = row_problem(values) or dates.problems.get(number)
        if problem is None:
            attendance, problem = to_attendance(
                number, values, dates.dates.get(number) or given.date
            )
        if attendance is None:
            out.problems.append(RowProblem(number, problem or "cannot be read"))
        else:
            out.attendances.append(attendance)
    return out


def attendance_row(
    row: int,
    name: str,
    email: str,
    *,
    event: str | None,
    date: dt.date | None,
    role: str = "",
    part: str | None = None,
    organisations: tuple[str, ...] = (),
    job_title: str | None = None,
    place: str | None = None,
) -> tuple[Attendance | None, str | None]:
    """A checked attendance row, or the reason it cannot be imported."""
    email = email.strip().lower()
    if not name:
        return None, "has no name"
    if len(name) > 300:
        return None, "the name is longer than 300 characters"
    if not has_letter(name):
        return None, f"'{name[:40]}' is not a name"
    if email and not is_email(email):
        return None, f"'{email}' is not an email address"
    if not event:
        return None, "names no event (give the event with --event)"
    if len(event) > 300:
        return None, "the event's name is longer than 300 characters"
    if date is None:
        return None, "has no event date (give it with --date YYYY-MM-DD)"
    found_role = role_from_text(role) if role else AttendanceRole.ATTENDEE
    if found_role is None:
        return None, f"role '{role}' is not attendee, speaker or host"
    person = PersonRow(
        row=row,
        name=name,
        email=email or None,
        organisations=tuple(" ".join(o.split()) for o in organisations if o.strip()),
        job_title=job_title,
        place=place,
    )
    return Attendance(person, " ".join(event.split()), date, found_role, part), None


@cache
def role_from_text(text: str) -> AttendanceRole | None:
    """The role a note or column names ("guest speaker": speaker), or None.

    >>> role_from_text("Guest speaker")
    <AttendanceRole.SPEAKER: 'speaker'>
    """
    folded = fold_text(text)
    for role, words in ROLE_WORDS.items():
        if any(word in folded for word in words):
            return role
    return None


def event_kind(name: str, online: bool = False) -> EventKind:
    """The kind of event a name suggests; online meetings are ``online`` unless named otherwise."""
    folded = fold_text(name)
    for kind, words in EVENT_KIND_WORDS.items():
        if any(word in folded for word in words):
            return kind
    return EventKind.ONLINE if online else EventKind.GATHERING
