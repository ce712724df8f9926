"""What every attendance reader shares: the rows it makes and the checks on them.

An attendance file of any format becomes an :class:`AttendanceFile` of
:class:`Attendance` rows, each checked by :func:`attendance_row`; tables go
through :func:`read_rows`. The readers (:mod:`importers.eventbrite`,
:mod:`importers.zoom`, :mod:`importers.participant_list`) import these, and
:mod:`importers.attendance` chooses among the readers, so this module imports
none of them.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole, EventKind
from graphsvc.model.text import fold_text
from importers.dates import DateOrder, read_dates
from importers.graph_records import PersonRow
from importers.report import RowProblem, erasure_keys
from importers.source import (
    Table,
    find_columns,
    full_name,
    has_letter,
    is_email,
    iter_records,
    row_problem,
)

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
    """What the person importing says of the event, for files that do not say, and of
    the file's columns (``columns``: field to the heading it has, from ``--mapping``)."""

    name: str | None = None
    date: dt.date | None = None
    date_order: DateOrder | None = None
    columns: Mapping[str, str] | None = field(default=None, hash=False, compare=False)


def missing_event_details(name: str, event_known: bool, date_known: bool) -> None:
    """Refuse a file that does not say which event it is or when, naming all it lacks at once.

    >>> missing_event_details("meet.csv", False, False)
    Traceback (most recent call last):
    ...
    graphsvc.errors.ImportFileError: meet.csv does not say which event it is or when; \
give --event NAME and --date YYYY-MM-DD
    """
    if event_known and date_known:
        return
    what = {
        (False, False): "which event it is or when",
        (False, True): "which event it is",
        (True, False): "when the event was",
    }[(event_known, date_known)]
    remedies = (("--event NAME", event_known), ("--date YYYY-MM-DD", date_known))
    missing = [remedy for remedy, known in remedies if not known]
    raise ImportFileError(f"{name} does not say {what}; give {' and '.join(missing)}")


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
    columns = find_columns(table, headings, dict(given.columns or {}))
    missing_event_details(
        table.name, "event" in columns or bool(given.name), "date" in columns or bool(given.date)
    )
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
            keys = erasure_keys(full_name(values), values.get("email"))
            out.problems.append(RowProblem(number, problem or "cannot be read", keys))
        else:
            out.attendances.append(attendance)
    return out


def attendance_from_fields(
    row: int,
    values: dict[str, str],
    given: EventGiven,
    date: dt.date | None,
    **overrides: Any,
) -> tuple[Attendance | None, str | None]:
    """A checked attendance row from a reader's standard fields (name parts, email,
    event, role, part, organisation, job title, place); ``overrides`` win."""
    fields: dict[str, Any] = {
        "event": values.get("event") or given.name,
        "date": date,
        "role": values.get("role", ""),
        "part": values.get("part") or None,
        "organisations": (values["organisation"],) if values.get("organisation") else (),
        "job_title": values.get("job_title") or None,
        "place": values.get("place") or None,
    }
    return attendance_row(row, full_name(values), values.get("email", ""), **(fields | overrides))


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
        return None, "the name has no letters"
    if email and not is_email(email):
        return None, "the email is not an email address"
    if not event and date is None:
        return None, "names no event and no date (give them with --event and --date YYYY-MM-DD)"
    if not event:
        return None, "names no event (give the event with --event)"
    if len(event) > 300:
        return None, "the event's name is longer than 300 characters"
    if date is None:
        return None, "has no event date (give it with --date YYYY-MM-DD)"
    found_role = role_from_text(role) if role else AttendanceRole.ATTENDEE
    if found_role is None:
        return None, "the role is not attendee, speaker or host"
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
