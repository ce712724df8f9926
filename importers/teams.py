"""Microsoft Teams attendance reports (a meeting's or webinar's Attendance, downloaded).

Teams writes UTF-16 text (little- or big-endian, with a BOM), tab-separated,
in numbered sections::

    1. Summary
    Meeting title	Housing cell
    Start time	15/11/24, 09:30:17
    ...
    2. Participants
    Name	First Join	Last Leave	In-Meeting Duration	Email	Participant ID (UPN)	Role
    Lee, Ann (MLCSU)	15/11/24, 09:30:47	...	Organizer
    3. In-Meeting Activities
    ...

A webinar's report adds registration columns (Registration First Name ...
Registration Email, Registration Status). Older reports open with "Meeting
Summary" and head the participants "Full Name, Join Time, Leave Time", or
list one join or leave a row ("Full Name, User Action, Timestamp").

The participants section is read; the in-meeting activities repeat it join
by join. Names are put "First Surname" ("Lee, Ann", "LEE Ann"), and a tag
at the end ("(Guest)", "(EXT)", "(MLCSU)") is not part of the name: an
organisation's tag is kept as the person's organisation. The organiser (and
co-organisers) are hosts; "Presenter", Teams' default role for everyone in
the organiser's organisation, says nothing of who spoke, so presenters are
attendees. Dates are in the exporter's locale, with two-digit years: their
order is taken from the report itself (15/11/24 can only be day-first), else
from ``--dates``.
"""

import datetime as dt
import re

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole
from importers.attendance_rows import AttendanceFile, EventGiven
from importers.dates import read_dates
from importers.meeting_people import MeetingPeople
from importers.person_names import (
    capitals_surname_last,
    first_name_first,
    name_and_tags,
    organisation_tag,
)
from importers.report import RowProblem, erasure_keys
from importers.source import (
    Table,
    has_letter,
    heading_key,
    iter_records,
    match_columns,
    row_problem,
)

TEAMS_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("Name", "Full Name"),
    "email": ("Email",),
    "account": ("Participant ID (UPN)",),
    "join": ("First Join", "Join Time", "Timestamp"),
    "action": ("User Action",),
    "role": ("Role",),
    "registration_email": ("Registration Email",),
    "registration_status": ("Registration Status",),
}
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("Meeting title", "Title", "Webinar title", "Event title"),
    "start": ("Start time", "Meeting start time", "Meeting Start Time"),
}
HOST_ROLES = frozenset({"organizer", "organiser", "co organizer", "co organiser"})
# A line that opens a section: "2. Participants", "Meeting Summary".
_SECTION = re.compile(r"^\d+\.\s+\S")
# Teams' short dates: "4/17/23, 7:29:57 PM", "15/11/22, 09:30:47".
_SHORT_YEAR = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2})(?!\d)")

_OPENINGS = frozenset({"1 summary", "summary", "meeting summary", "webinar summary"})


def is_teams(header: list[str]) -> bool:
    """Whether the headings are a Teams attendance report's (its summary or participants)."""
    keys = [heading_key(h) for h in header]
    if keys and keys[0] in _OPENINGS:
        return True
    found = set(keys)
    return (
        "participant id upn" in found
        or {"first join", "last leave"} <= found
        or {"full name", "user action", "timestamp"} <= found
    )


def read_teams(table: Table, given: EventGiven) -> AttendanceFile:
    """Everyone a Teams report says joined, one attendance a person."""
    start_at = _participants_at(table)
    summary = _summary(table, start_at)
    participants = table if start_at is None else table.section(start_at, _end(table, start_at))
    columns = match_columns(participants, TEAMS_HEADINGS)
    if "name" not in columns:
        raise ImportFileError(
            f"{table.name} looks like a Teams attendance report, but has no participants "
            "table (a 'Name' or 'Full Name' column)"
        )
    records = list(iter_records(participants, columns))
    out = AttendanceFile(table.name, "teams", len(records), [], [], list(table.notes), online=True)
    event = given.name or summary.get("title")
    date = given.date or _meeting_date(table.name, summary.get("start", ""), records, given)
    people = MeetingPeople()
    never_joined = left = presenters = 0
    for number, values, problem in records:
        problem = problem or row_problem(values)
        name, organisation = teams_name(values["name"])
        if problem is not None:
            keys = erasure_keys(name, values.get("email"))
            out.problems.append(RowProblem(number, problem, keys))
        elif values.get("action", "joined").casefold().startswith("left"):
            left += 1
        elif not values.get("join") and values.get("registration_status"):
            never_joined += 1
        elif has_letter(name):
            role = _role(values.get("role", ""))
            presenters += heading_key(values.get("role", "")) == "presenter"
            people.add(
                number,
                name,
                values.get("email", ""),
                role=role,
                organisation=organisation,
                other_emails=[values.get("registration_email", ""), values.get("account", "")],
            )
    people.write_to(out, event, date)
    _note(out, given, summary, presenters, never_joined, left)
    return out


def teams_name(text: str) -> tuple[str, str | None]:
    """A Teams display name "First Surname", without its tags, and the organisation a
    tag names.

    >>> teams_name("Grant, Joanna (MLCSU)"), teams_name("JANSSENS Jan (EXT)")
    (('Joanna Grant', 'MLCSU'), ('Jan JANSSENS', None))
    """
    name, tags = name_and_tags(text)
    name = capitals_surname_last(first_name_first(name))
    return name, organisation_tag(name, tags)


def _role(text: str) -> AttendanceRole:
    return AttendanceRole.HOST if heading_key(text) in HOST_ROLES else AttendanceRole.ATTENDEE


def _participants_at(table: Table) -> int | None:
    """Where the participants' headings are in ``table.rows`` (None: they are its header)."""
    if {heading_key(h) for h in table.header} & {"name", "full name"}:
        return None
    for index, (_, cells) in enumerate(table.rows):
        keys = {heading_key(c) for c in cells}
        if keys & {"name", "full name"} and keys & {"first join", "join time", "user action"}:
            return index
    raise ImportFileError(
        f"{table.name} looks like a Teams attendance report, but has no participants table "
        "(a 'Name' column beside 'First Join' or 'Join Time')"
    )


def _end(table: Table, start_at: int) -> int:
    """Where the participants' section ends: at the next section's title."""
    for index in range(start_at + 1, len(table.rows)):
        filled = [c.strip() for c in table.rows[index][1] if c.strip()]
        if len(filled) == 1 and _SECTION.match(filled[0]):
            return index
    return len(table.rows)


def _summary(table: Table, start_at: int | None) -> dict[str, str]:
    """The summary's title and start time (its lines are "Key<tab>value")."""
    values: dict[str, str] = {}
    for _, cells in table.rows[: start_at or 0]:
        if len(cells) >= 2 and cells[1].strip():
            values.setdefault(heading_key(cells[0]), cells[1].strip())
    return {
        field_name: next((values[k] for k in map(heading_key, known) if k in values), "")
        for field_name, known in SUMMARY_FIELDS.items()
    }


def _meeting_date(
    name: str,
    start: str,
    records: list[tuple[int, dict[str, str], str | None]],
    given: EventGiven,
) -> dt.date | None:
    """The meeting's date, its order told by the report's own dates (or ``--dates``)."""
    written = [(0, start)] + [(n, v["join"]) for n, v, _ in records if v.get("join")]
    found = read_dates(((n, full_year(t)) for n, t in written if t), "the dates", given.date_order)
    if found.dates:
        return found.dates.get(0) or min(found.dates.values())
    if any("ambiguous" in p for p in found.problems.values()):
        raise ImportFileError(
            f"{name}: the report's dates can be read day-first or month-first (Teams writes "
            "them in the exporter's locale); say which with --dates day-first or "
            "--dates month-first, or give the date with --date YYYY-MM-DD"
        )
    return None


def full_year(text: str) -> str:
    """A Teams date with its two-digit year written in full (every Teams report is
    from this century).

    >>> full_year("4/17/23, 7:29:57 PM"), full_year("2023-04-17 19:29")
    ('4/17/2023, 7:29:57 PM', '2023-04-17 19:29')
    """
    return _SHORT_YEAR.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{m[2]}20{m[4]}", text.strip())


def _note(
    out: AttendanceFile,
    given: EventGiven,
    summary: dict[str, str],
    presenters: int,
    never_joined: int,
    left: int,
) -> None:
    if not given.name and summary.get("title"):
        out.notes.append("event named from the report's meeting title")
    if presenters:
        out.notes.append(
            f"{presenters} people with Teams' default role 'Presenter' recorded as attendees"
        )
    if never_joined:
        out.notes.append(f"{never_joined} registered but did not join: not recorded")
    if left:
        out.notes.append(f"{left} 'Left' lines not counted (each join is)")
