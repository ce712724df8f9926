"""Zoom webinar attendee reports (Reports > Webinar > Attendee report).

The file holds several tables, each after a line naming it::

    Attendee Report,
    Report Generated:,"Apr 09, 2025 8:50 PM"
    Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,...
    Housing webinar,812-345-678,"Mar 28, 2025 8:07 AM",58,61,...
    Host Details,
    Attended,User Name (Original Name),Email,Join Time,Leave Time,...
    Panelist Details,
    Attended,User Name (Original Name),Email,Join Time,Leave Time,...
    Attendee Details,
    Attended,User Name (Original Name),First Name,Last Name,Email,...,Join Time,...

Hosts are recorded as hosts and panelists as speakers. Everyone registered
is listed under Attendee Details, those who never came with ``Attended``
``No``: a registration is not attendance, so they are not recorded. A person
is in a table once a join, and may be in more than one table; the strongest
role is theirs.
"""

import datetime as dt

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole
from importers.attendance_rows import AttendanceFile, EventGiven
from importers.dates import DateOrder, read_dates
from importers.meeting_people import MeetingPeople
from importers.person_names import display_name
from importers.report import RowProblem, erasure_keys
from importers.source import (
    Table,
    full_name,
    has_letter,
    heading_key,
    iter_records,
    match_columns,
    row_problem,
)

SECTION_ROLES: dict[str, AttendanceRole] = {
    "host details": AttendanceRole.HOST,
    "panelist details": AttendanceRole.SPEAKER,
    "panellist details": AttendanceRole.SPEAKER,
    "attendee details": AttendanceRole.ATTENDEE,
    "other attended": AttendanceRole.ATTENDEE,
}
WEBINAR_HEADINGS: dict[str, tuple[str, ...]] = {
    "attended": ("Attended",),
    "name": ("User Name (Original Name)", "User Name", "Name (Original Name)", "Name"),
    "first_name": ("First Name",),
    "last_name": ("Last Name",),
    "email": ("Email", "User Email"),
    "join": ("Join Time",),
    "organisation": ("Organization", "Organisation", "Company"),
    "job_title": ("Job Title",),
}
SUMMARY_HEADINGS: dict[str, tuple[str, ...]] = {
    "topic": ("Topic",),
    "start": ("Actual Start Time", "Start Time"),
}
# What Zoom writes in the join time of someone who never joined.
NOT_JOINED = ("", "--", "-")


def is_zoom_webinar(header: list[str]) -> bool:
    keys = {heading_key(h) for h in header}
    return "attendee report" in keys or {"topic", "webinar id"} <= keys


def read_zoom_webinar(table: Table, given: EventGiven) -> AttendanceFile:
    """Everyone a webinar report says attended, with their role; no-shows left out."""
    summary = _summary(table)
    sections = _sections(table)
    if not sections:
        raise ImportFileError(
            f"{table.name}: the Zoom webinar report has no 'Host Details', 'Panelist Details' "
            "or 'Attendee Details' table"
        )
    order: DateOrder = given.date_order or "month-first"
    start = read_dates([(0, summary.get("start", ""))], "Actual Start Time", order).dates.get(0)
    out = AttendanceFile(table.name, "zoom", 0, [], [], list(table.notes), online=True)
    out.notes.append("read as a Zoom webinar attendee report")
    people = MeetingPeople()
    joined_on: list[dt.date] = []
    no_shows = 0
    for role, section in sections:
        columns = match_columns(section, WEBINAR_HEADINGS)
        if "name" not in columns and not {"first_name", "last_name"} <= set(columns):
            raise ImportFileError(f"{table.name}: a table of the webinar report has no names")
        records = list(iter_records(section, columns))
        out.rows_read += len(records)
        came = [r for r in records if r[1].get("attended", "yes").strip().casefold() != "no"]
        no_shows += len(records) - len(came)
        joins = read_dates(
            ((n, v["join"]) for n, v, _ in came if v.get("join", "").strip() not in NOT_JOINED),
            "Join Time",
            order,
        )
        joined_on.extend(joins.dates.values())
        for number, values, problem in came:
            name = _name(values)
            problem = problem or row_problem(values) or joins.problems.get(number)
            if problem is not None:
                keys = erasure_keys(name, values.get("email"))
                out.problems.append(RowProblem(number, problem, keys))
            elif has_letter(name):
                people.add(
                    number,
                    name,
                    values.get("email", ""),
                    role=role,
                    organisation=values.get("organisation") or None,
                    job_title=values.get("job_title") or None,
                )
    event = given.name or summary.get("topic")
    people.write_to(out, event, given.date or start or min(joined_on, default=None))
    if no_shows:
        out.notes.append(f"{no_shows} registered but did not attend: not recorded")
    return out


def _name(values: dict[str, str]) -> str:
    """The name registered (first and last) where there is one, else the display name."""
    if values.get("first_name") and values.get("last_name"):
        return full_name({"first_name": values["first_name"], "last_name": values["last_name"]})
    return display_name(values.get("name", ""))[0] or full_name(values)


def _summary(table: Table) -> dict[str, str]:
    """The webinar's topic and start, from the table under the report's title."""
    for index, (_, cells) in enumerate(table.rows):
        keys = {heading_key(c) for c in cells}
        if {"topic", "webinar id"} <= keys:
            values = next((c for _, c in table.rows[index + 1 :] if any(x.strip() for x in c)), [])
            by_key = dict(zip((heading_key(c) for c in cells), values, strict=False))
            return {
                field_name: next(
                    (by_key[k] for k in map(heading_key, known) if k in by_key), ""
                ).strip()
                for field_name, known in SUMMARY_HEADINGS.items()
            }
    return {}


def _sections(table: Table) -> list[tuple[AttendanceRole, Table]]:
    """Each table of people, with the role its title gives them."""
    markers = [
        (index, SECTION_ROLES[key])
        for index, (_, cells) in enumerate(table.rows)
        if (key := _title(cells)) in SECTION_ROLES
    ]
    found = []
    for position, (index, role) in enumerate(markers):
        end = markers[position + 1][0] if position + 1 < len(markers) else len(table.rows)
        header_at = next(
            (i for i in range(index + 1, end) if any(c.strip() for c in table.rows[i][1])), None
        )
        if header_at is not None:
            found.append((role, table.section(header_at, end)))
    return found


def _title(cells: list[str]) -> str | None:
    """A section's title ("Host Details,"): the only filled cell of its line."""
    filled = [c for c in cells if c.strip()]
    return heading_key(filled[0]) if len(filled) == 1 else None
