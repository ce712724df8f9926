"""Zoom meeting reports: participants, unique users and the Dashboard's export.

Reports > Usage > Participants, exported "with meeting data", opens with the
meeting (Zoom ends these lines with a comma)::

    Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,
    812 3456 7890,Joining forces cell,03/12/2025 10:00:12 AM,...,

then a blank line and the participant table, one row a join::

    Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest[,...]

or, with "Show unique users", one row a person::

    Name (Original Name),User Email,Total Duration (Minutes)[,Guest]

Without meeting data only the participant table is there. The Dashboard's
export is alike: a meeting table (Meeting ID, Host, Email, Start Time ...),
then ``Participant,Device,...,Join Time,Leave Time,...`` with blank lines
between rows and times without dates. A report from a Zoom set to another
language has that language's headings (Japanese ones are known) and, in
Japanese, year-first dates. Webinar attendee reports are read by
:mod:`importers.zoom_webinar`.

Rows are merged by email, or by name when there is none
(:mod:`importers.meeting_people`). The meeting's host (its email, or its
name in the Dashboard's export) is recorded as host. Zoom writes dates
month-first (03/12/2025 is 12 March); ``--dates day-first`` says otherwise
for a file that was reformatted.
"""

import re

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole
from importers.attendance_rows import AttendanceFile, EventGiven, role_from_text
from importers.dates import DateOrder, read_dates
from importers.meeting_people import MeetingPeople, person_key
from importers.person_names import display_name, name_and_tags
from importers.report import RowProblem, erasure_keys
from importers.source import (
    Table,
    has_letter,
    heading_key,
    is_email,
    iter_records,
    match_columns,
    row_problem,
)
from importers.zoom_webinar import is_zoom_webinar, read_zoom_webinar

ZOOM_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("Name (Original Name)", "Name", "Participant", "User Name", "名前 (元の名前)", "名前"),
    "email": ("User Email", "Email", "ユーザーメール", "メール"),
    "join": ("Join Time", "参加時刻"),
    "total": ("Total Duration (Minutes)", "合計時間（分）"),
    "waiting": ("In Waiting Room", "待機室内"),
}
MEETING_HEADINGS: dict[str, tuple[str, ...]] = {
    "id": ("Meeting ID", "ミーティングID"),
    "topic": ("Topic", "トピック"),
    "start": ("Start Time", "開始時刻"),
    "host_email": ("User Email", "Email", "ユーザーメール"),
    "host": ("Host", "Host Name", "User Name", "ホスト"),
}
# The Dashboard's join times: a time of day on the meeting's date.
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?$", re.I)


def _keys(headings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(heading_key(h) for h in headings)


_MEETING = _keys(MEETING_HEADINGS["id"])
_JOIN, _TOTAL = _keys(ZOOM_HEADINGS["join"]), _keys(ZOOM_HEADINGS["total"])
_NAME = _keys(ZOOM_HEADINGS["name"])
_LEAVE = _keys(("Leave Time", "退出時刻"))


def is_zoom(header: list[str]) -> bool:
    """Whether the headings are a Zoom report's: its meeting table or its participants'."""
    keys = {heading_key(h) for h in header}
    if is_zoom_webinar(header):
        return True
    if keys & _MEETING and keys & (_keys(MEETING_HEADINGS["topic"]) | _keys(("Host",))):
        return True
    return bool(keys & _JOIN and keys & _LEAVE) or bool(keys & _NAME and keys & _TOTAL)


def read_zoom(table: Table, given: EventGiven) -> AttendanceFile:
    """Everyone a Zoom report says joined, one attendance a person."""
    if is_zoom_webinar(table.header):
        return read_zoom_webinar(table, given)
    meeting: dict[str, str] = {}
    meeting_row = 0
    if {heading_key(h) for h in table.header} & _MEETING:
        meeting, meeting_row, table = _split_meeting(table)
    columns = match_columns(table, ZOOM_HEADINGS)
    if "join" not in columns and "total" not in columns:
        raise ImportFileError(
            f"{table.name} is not a Zoom participant report (no 'Join Time' or "
            "'Total Duration (Minutes)' column)"
        )
    if "name" not in columns:
        raise ImportFileError(f"{table.name}: the participant table has no name column")
    order: DateOrder = given.date_order or "month-first"
    start = read_dates([(0, meeting.get("start", ""))], "Start Time", order).dates.get(0)
    records = list(iter_records(table, columns))
    joins = read_dates(
        ((n, v["join"]) for n, v, _ in records if "join" in v and not _TIME_ONLY.match(v["join"])),
        "Join Time",
        order,
    )
    out = AttendanceFile(table.name, "zoom", len(records), [], [], list(table.notes), online=True)
    out.notes.append("Zoom dates read month-first" if order == "month-first" else "dates day-first")
    people = MeetingPeople()
    host = (meeting.get("host_email", "").lower(), person_key(meeting.get("host", "")))
    unnamed = waiting = 0
    for number, values, problem in records:
        problem = problem or row_problem(values) or joins.problems.get(number)
        if problem is not None:
            keys = erasure_keys(display_name(values["name"])[0], values.get("email"))
            out.problems.append(RowProblem(number, problem, keys))
        elif values.get("waiting", "").strip().casefold() in ("yes", "はい"):
            waiting += 1
        elif not has_letter(display_name(values["name"])[0]):
            # Dial-in callers appear as their phone number: no one to record.
            unnamed += 1
        else:
            _add(people, number, values, host)
    unique_users = "join" not in columns
    if unique_users and meeting_row and _add_absent_host(people, meeting_row, meeting):
        out.notes.append("the meeting's host, not in the participant table, recorded as host")
    event = given.name or meeting.get("topic") or _named_by_id(meeting, out)
    people.write_to(out, event, given.date or start or min(joins.dates.values(), default=None))
    if unnamed:
        out.notes.append(f"{unnamed} dial-in or unnamed participants not recorded")
    if waiting:
        out.notes.append(f"{waiting} people left in the waiting room not recorded")
    return out


def _add(people: MeetingPeople, number: int, values: dict[str, str], host: tuple[str, str]) -> None:
    name, organisation = display_name(values["name"])
    email = values.get("email", "").strip().lower()
    is_host = (bool(host[0]) and email == host[0]) or (
        not email and bool(host[1]) and person_key(name) == host[1]
    )
    role = AttendanceRole.HOST if is_host or _tagged_host(values["name"]) else None
    people.add(
        number,
        name,
        email,
        role=role or AttendanceRole.ATTENDEE,
        organisation=organisation,
    )


def _add_absent_host(people: MeetingPeople, row: int, meeting: dict[str, str]) -> bool:
    """Add the host the meeting table names to a unique users report, which lists
    only the others; whether they were added."""
    email = meeting.get("host_email", "").strip().lower()
    if not is_email(email) or any(p.email == email for p in people.people):
        return False
    name = meeting.get("host", "")
    if name and any(person_key(p.name) == person_key(name) for p in people.people):
        return False
    # Without a name in the table, the host is known by their address's own name.
    people.add(row, name or email.partition("@")[0], email, role=AttendanceRole.HOST)
    return True


def _tagged_host(text: str) -> bool:
    """Whether Zoom tagged the name "(Host)" or "(Co-host)"."""
    return any(role_from_text(tag) == AttendanceRole.HOST for tag in name_and_tags(text)[1])


def _named_by_id(meeting: dict[str, str], out: AttendanceFile) -> str | None:
    """A meeting without a topic (the Dashboard's export) named by its ID."""
    if not meeting.get("id"):
        return None
    out.notes.append("event named from the meeting ID; give --event to name it")
    return f"Zoom meeting {meeting['id']}"


def _split_meeting(table: Table) -> tuple[dict[str, str], int, Table]:
    """The meeting's details and row number, and the participant table that follows."""
    columns = match_columns(table, MEETING_HEADINGS)
    row, values = next(
        ((n, cells) for n, cells in table.rows if any(c.strip() for c in cells)), (0, [])
    )
    if not values:
        raise ImportFileError(f"{table.name}: the Zoom report has no meeting row")
    by_heading = dict(zip(table.header, (c.strip() for c in values), strict=False))
    meeting = {field_name: by_heading.get(heading, "") for field_name, heading in columns.items()}
    for index, (_, cells) in enumerate(table.rows):
        keys = {heading_key(c) for c in cells}
        if keys & _NAME and keys & (_JOIN | _TOTAL):
            return meeting, row, table.section(index)
    raise ImportFileError(f"{table.name}: the Zoom report has no participant table")
