"""Zoom participant reports (Reports > Usage > Participants, exported as CSV).

Exported "with meeting data", the file opens with the meeting::

    Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
    812 3456 7890,Joining forces cell,03/12/2025 10:00:12 AM,...

then a blank line and the participant table::

    Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest[,...]

Without meeting data only the participant table is there. Zoom writes one
row per join, so someone who dropped out and rejoined appears more than
once: rows are merged by email, or by name when there is none. Zoom writes
dates month-first (03/12/2025 is 12 March); ``--dates day-first`` says
otherwise for a file that was reformatted.
"""

import re
from dataclasses import dataclass

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text
from importers.attendance_rows import AttendanceFile, EventGiven, attendance_row
from importers.dates import read_dates
from importers.report import RowProblem
from importers.resolution import name_key
from importers.source import (
    Table,
    checked_header,
    csv_column,
    has_letter,
    iter_records,
    row_problem,
)

ZOOM_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name original name", "name", "participant", "user name"),
    "email": ("user email", "email"),
    "join": ("join time",),
    "waiting": ("in waiting room",),
}
# "Amina Yusuf (she/her)", "Amina Yusuf - Coventry Grapevine", "Amina | Grapevine".
_BRACKETED = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_ORGANISATION_AFTER = re.compile(r"\s+(?:-|\||–|—)\s+")


def is_zoom(header: list[str]) -> bool:
    folded = {fold_text(h) for h in header}
    return {"meeting id", "topic"} <= folded or {"join time", "leave time"} <= folded


@dataclass
class _Person:
    row: int
    name: str
    email: str
    organisation: str | None
    joins: int = 0


def read_zoom(table: Table, given: EventGiven) -> AttendanceFile:
    meeting: dict[str, str] = {}
    if {"meeting id", "topic"} <= {fold_text(h) for h in table.header}:
        meeting, table = _split_meeting(table)
    if not {"join time"} <= {fold_text(h) for h in table.header}:
        raise ImportFileError(
            f"{table.name} is not a Zoom participant report (no 'Join Time' column)"
        )
    columns = {
        field_name: next(h for h in table.header if fold_text(h) in known)
        for field_name, known in ZOOM_HEADINGS.items()
        if any(fold_text(h) in known for h in table.header)
    }
    if "name" not in columns:
        raise ImportFileError(f"{table.name}: the participant table has no name column")
    order = given.date_order or "month-first"
    start = read_dates([(0, meeting.get("Start Time", ""))], "Start Time", order).dates.get(0)
    records = list(iter_records(table, columns))
    joins = read_dates(((n, values["join"]) for n, values, _ in records), "Join Time", order)
    event = meeting.get("Topic") or given.name
    date = given.date or start or min(joins.dates.values(), default=None)
    host = meeting.get("User Email", "").strip().lower()
    out = AttendanceFile(table.name, "zoom", len(records), [], [], list(table.notes), online=True)
    out.notes.append("Zoom dates read month-first" if order == "month-first" else "dates day-first")
    people: dict[str, _Person] = {}
    unnamed = waiting = 0
    for number, values, problem in records:
        if problem is None:
            problem = row_problem(values) or joins.problems.get(number)
        if problem is not None:
            out.problems.append(RowProblem(number, problem))
            continue
        if fold_text(values.get("waiting", "")) == "yes":
            waiting += 1
            continue
        name, organisation = _display_name(values["name"])
        if not has_letter(name):
            # Dial-in callers appear as their phone number: no one to record.
            unnamed += 1
            continue
        email = values.get("email", "").strip().lower()
        key = email or name_key(name)
        person = people.setdefault(key, _Person(number, name, email, organisation))
        person.joins += 1
    for person in people.values():
        attendance, problem = attendance_row(
            person.row,
            person.name,
            person.email,
            event=event,
            date=date,
            role="host" if host and person.email == host else "",
            organisations=(person.organisation,) if person.organisation else (),
        )
        if attendance is None:
            out.problems.append(RowProblem(person.row, problem or "cannot be read"))
        else:
            out.attendances.append(attendance)
    merged = sum(p.joins - 1 for p in people.values())
    if merged:
        out.notes.append(f"{merged} rejoins merged into the person's first join")
    if unnamed:
        out.notes.append(f"{unnamed} dial-in or unnamed participants not recorded")
    if waiting:
        out.notes.append(f"{waiting} people left in the waiting room not recorded")
    return out


def _split_meeting(table: Table) -> tuple[dict[str, str], Table]:
    """The meeting's details, and the participant table that follows them."""
    if not table.rows:
        raise ImportFileError(f"{table.name}: the Zoom report has no meeting row")
    meeting = dict(zip(table.header, (c.strip() for c in table.rows[0][1]), strict=False))
    for index, (_, cells) in enumerate(table.rows[1:], start=1):
        if "join time" in {fold_text(c) for c in cells}:
            header = cells
            while header and not header[-1].strip():
                header.pop()
            return meeting, Table(
                name=table.name,
                header=checked_header(table.name, header, csv_column),
                rows=table.rows[index + 1 :],
                notes=table.notes,
            )
    raise ImportFileError(f"{table.name}: the Zoom report has no participant table")


def _display_name(text: str) -> tuple[str, str | None]:
    """A Zoom display name without pronouns or notes, and an organisation after a dash."""
    name = " ".join(_BRACKETED.sub("", text).split())
    parts = _ORGANISATION_AFTER.split(name, maxsplit=1)
    if len(parts) == 2 and parts[1]:
        return parts[0], parts[1]
    return name, None
