"""Attendance from Zoom, Microsoft Teams and meeting notes, in the layouts those tools write.

The fixtures are made up, in the exact shapes of real exports: Zoom's meeting
block with its trailing commas, the unique users table, the Japanese
interface's headings and year-first dates, the Dashboard's blank lines and
times of day, webinar reports' titled tables; Teams' UTF-16 (little- and
big-endian), tabs, numbered sections, registration columns, name tags and
the exporter's date order; notes with a dated title and names alone.
"""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole
from graphsvc.store import open_store
from importers.attendance import EventGiven, detect_format, read_attendance
from importers.attendance_rows import AttendanceFile
from importers.participant_list import read_participant_list
from importers.source import heading_key, read_table

FIXTURES = Path(__file__).parent / "fixtures"
MiB = 2**20


def read(fixture: str | Path, given: EventGiven | None = None) -> AttendanceFile:
    return read_attendance(FIXTURES / fixture, MiB, given=given)


def roles(found: AttendanceFile) -> dict[str, str]:
    """Who a file says attended: name to role."""
    return {a.person.name: a.role.value for a in found.attendances}


def the_event(found: AttendanceFile) -> tuple[str, dt.date]:
    (event,) = {(a.event, a.date) for a in found.attendances}
    return event


def utf16(path: Path, lines: list[str], byte_order: str = "le") -> Path:
    bom = b"\xff\xfe" if byte_order == "le" else b"\xfe\xff"
    path.write_bytes(bom + "\r\n".join(lines).encode(f"utf-16-{byte_order}"))
    return path


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("zoom_unique_users.csv", "zoom"),
        ("zoom_participants_ja.csv", "zoom"),
        ("zoom_dashboard.csv", "zoom"),
        ("zoom_webinar_attendees.csv", "zoom"),
        ("teams_webinar_utf16le.csv", "teams"),
        ("teams_meeting_utf16be.csv", "teams"),
        ("meeting_notes_names_only.txt", "text"),
    ],
)
def test_each_layout_is_recognised_from_its_contents(fixture: str, expected: str) -> None:
    assert detect_format(FIXTURES / fixture, MiB) == expected


# -- Zoom ------------------------------------------------------------------------


def test_a_unique_users_report_is_named_and_dated_by_its_meeting_block() -> None:
    found = read("zoom_unique_users.csv")
    assert not found.problems
    assert the_event(found) == (
        "Spring 2025 Housing Cell: Tuesday, Thursday Session",
        dt.date(2025, 4, 8),
    )
    # Eight people listed, and the host the block names, whom the table leaves out.
    assert len(found.attendances) == 9
    assert roles(found)["convenor"] == "host"
    # Two people shown only as "Ravi", one without an email: not merged by the reader.
    assert [a.person.email for a in found.attendances if a.person.name == "Ravi"] == [
        "ravi.m@example.org",
        None,
    ]


def test_a_zoom_report_in_japanese_is_read_by_its_headings() -> None:
    found = read("zoom_participants_ja.csv", EventGiven(name="Zoom meeting"))
    assert not found.problems
    assert set(roles(found)) == {"佐藤花子", "鈴木一郎", "高橋美咲", "王伟", "李娜", "محمد علي"}
    # Year-first dates; 鈴木一郎's rejoin is merged.
    assert the_event(found) == ("Zoom meeting", dt.date(2025, 6, 3))
    assert "1 rejoins merged into the person's first join" in found.notes
    # Zoom cut the addresses short ("hanako…"): the people are kept, the addresses not.
    assert all(a.person.email is None for a in found.attendances)
    assert any(n.startswith("7 emails are not email addresses") for n in found.notes)


def test_headings_in_any_script_are_compared_without_folding_to_nothing() -> None:
    assert heading_key("参加時刻") != heading_key("退出時刻")
    assert heading_key("所要時間（分）") == heading_key("所要時間(分)")
    assert heading_key("E-Mail") == heading_key("e mail") == "e mail"


def test_a_heading_repeated_refuses_a_file_only_when_it_is_read(tmp_path: Path) -> None:
    unread = tmp_path / "unread.csv"
    unread.write_text(
        "Name,Email,Event,Date,Notes,Notes\nAnn Lee,ann@x.org,Drop-in,2025-01-02,a,b\n"
    )
    assert [a.person.name for a in read(unread).attendances] == ["Ann Lee"]
    read_twice = tmp_path / "read-twice.csv"
    read_twice.write_text("Name,Email,Event,Date,EMAIL\nAnn Lee,a@x.org,Drop-in,2025-01-02,b\n")
    with pytest.raises(ImportFileError, match="'Email' appears twice"):
        read(read_twice)


def test_an_unknown_interface_language_is_named_by_its_headings(tmp_path: Path) -> None:
    path = tmp_path / "teilnehmer.csv"
    path.write_text("Teilnehmer,Beitrittszeit,Austrittszeit\nAnn Lee,2025/6/3 8:55,2025/6/3 9:55\n")
    with pytest.raises(ImportFileError, match="Teilnehmer, Beitrittszeit, Austrittszeit"):
        read(path)


def test_the_dashboard_export_merges_rejoins_and_finds_its_host_by_name() -> None:
    found = read("zoom_dashboard.csv")
    assert not found.problems
    assert roles(found) == {
        "Morgan Ellis": "host",
        "kestrel": "attendee",
        "Priti Desai": "attendee",
        "Bryn's iPad": "attendee",
        "Ffion Rees": "attendee",
    }
    # No topic: the meeting is named by its ID, and dated by its start (times alone below).
    assert the_event(found) == ("Zoom meeting 111-222-333", dt.date(2025, 3, 5))
    assert read("zoom_dashboard.csv", EventGiven(name="Cell call")).attendances[0].event == (
        "Cell call"
    )


def test_a_webinar_report_records_hosts_and_panelists_and_not_those_who_never_came() -> None:
    found = read("zoom_webinar_attendees.csv")
    assert not found.problems
    # Dev Raman is a panelist who also registered: one person, a speaker.
    assert roles(found) == {
        "Sian Parry": "host",
        "Dev Raman": "speaker",
        "Kate Holloway": "attendee",
    }
    assert the_event(found) == ("Community energy webinar", dt.date(2025, 3, 27))
    kate = next(a.person for a in found.attendances if a.person.name == "Kate Holloway")
    assert (kate.organisations, kate.job_title) == (("Severn Energy Co-op",), "Secretary")
    assert "2 registered but did not attend: not recorded" in found.notes


# -- Microsoft Teams -----------------------------------------------------------------


def test_a_teams_webinar_report_reads_names_first_name_first_without_their_tags() -> None:
    found = read("teams_webinar_utf16le.csv")
    assert found.format == "teams" and not found.problems
    assert the_event(found) == ("Carers' network webinar", dt.date(2025, 3, 18))
    names = [a.person.name for a in found.attendances]
    assert names == ["Eleri Vaughan", "Chidi Okafor", "Rhian Lloyd", "Rhian Lloyd"]
    eleri = found.attendances[0]
    assert eleri.role == AttendanceRole.HOST
    assert eleri.person.organisations == ("WHSSC",)
    # "rhianphone" registered as Rhian Lloyd: the same person, not counted twice. The
    # "(Guest)" who registered with another address is kept apart by that address.
    assert [a.person.email for a in found.attendances[2:]] == [
        "77lloydr@example-trust.org",
        "r.jones@example.net",
    ]
    assert "1 rejoins merged into the person's first join" in found.notes


def test_a_teams_meeting_report_reads_day_first_dates_and_presenters_as_attendees() -> None:
    found = read("teams_meeting_utf16be.csv")
    assert not found.problems
    assert the_event(found) == ("Estates cell stand-up", dt.date(2024, 10, 21))
    assert roles(found) == {
        "Anke PEETERS": "host",
        "Callum Reid": "attendee",
        "Ada Nkemdirim": "attendee",
        "Lucía Muñoz Peña": "attendee",
        "Ilinca VOICU": "attendee",
        "Hamish Grant": "host",
    }
    assert "4 people with Teams' default role 'Presenter' recorded as attendees" in found.notes


TEAMS_HEADINGS = (
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\t"
    "Registration First Name\tRegistration Last Name\tRegistration Email\tRegistration Time\t"
    "Registration Status"
)


def test_a_teams_registrant_who_never_joined_is_not_an_attendee(tmp_path: Path) -> None:
    path = utf16(
        tmp_path / "webinar.csv",
        [
            "1. Summary",
            "Meeting title\tDrop-in",
            'Start time\t"4/17/25, 7:29:57 PM"',
            "2. Participants",
            TEAMS_HEADINGS,
            'Ann Lee\t"4/17/25, 7:30:01 PM"\t"4/17/25, 7:43:23 PM"\t13m\tann@x.org\tann@x.org\t'
            'Attendee\tAnn\tLee\tann@x.org\t"4/17/25, 7:01:00 PM"\tRegistered',
            '"Chen, Bo"\t\t\t\t\t\tAttendee\tBo\tChen\tbo@x.org\t"4/17/25, 7:02:00 PM"\tRegistered',
        ],
    )
    found = read(path)
    assert [a.person.name for a in found.attendances] == ["Ann Lee"]
    assert "1 registered but did not join: not recorded" in found.notes


def test_teams_dates_that_read_either_way_ask_for_the_order(tmp_path: Path) -> None:
    path = utf16(
        tmp_path / "meeting.csv",
        [
            "1. Summary",
            "Meeting title\tDrop-in",
            "Start time\t3/4/25, 09:30:17",
            "2. Participants",
            "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\tRole",
            "Ann Lee\t3/4/25, 09:30:47\t3/4/25, 09:41:46\t10m\tann@x.org\tann@x.org\tOrganizer",
        ],
        byte_order="be",
    )
    with pytest.raises(ImportFileError, match="--dates day-first or --dates month-first"):
        read(path)
    day_first = read(path, EventGiven(date_order="day-first"))
    assert the_event(day_first) == ("Drop-in", dt.date(2025, 4, 3))


def test_an_older_teams_report_of_joins_and_leaves_counts_each_person_once(
    tmp_path: Path,
) -> None:
    path = utf16(
        tmp_path / "meetingAttendanceList.csv",
        [
            "Full Name\tUser Action\tTimestamp",
            "Lee, Ann\tJoined\t3/17/2020, 9:23:51 AM",
            "Bo Chen (Guest)\tJoined before\t3/17/2020, 9:23:51 AM",
            "Lee, Ann\tLeft\t3/17/2020, 9:40:02 AM",
            "Lee, Ann\tJoined\t3/17/2020, 9:41:10 AM",
        ],
    )
    found = read(path, EventGiven(name="Cell call"))
    assert roles(found) == {"Ann Lee": "attendee", "Bo Chen": "attendee"}
    assert the_event(found) == ("Cell call", dt.date(2020, 3, 17))


# -- meeting notes -------------------------------------------------------------------


def test_a_names_only_list_is_read_with_the_event_from_its_title_line() -> None:
    found = read("meeting_notes_names_only.txt")
    assert not found.problems
    assert the_event(found) == (
        "Community Land Trusts Subgroup Video Meeting",
        dt.date(2025, 2, 6),
    )
    names = [a.person.name for a in found.attendances]
    assert len(names) == 6 and "Dorian P Hale Jr" in names
    assert all(not a.person.organisations for a in found.attendances)


def test_minutes_with_lists_run_into_a_line_read_organisations_not_initials() -> None:
    text = (
        "Ageing Well Cell, 14 January 2025\n"
        "Venue: Riverside Community Centre, 12 Mill Lane, Leeds LS2 7AB\n"
        "Riverside Community Centre, 12 Mill Lane, Leeds LS2 7AB\n"
        "Present: Aisha Khan (Leeds Carers), Tomasz Nowak (TN), Priya Patel (chair) and "
        "Owen Hughes. Apologies: Mei Lin, Sam Cole\n"
        "In attendance: Gareth Price (Leeds City Council)\n"
        "Niamh Byrne, Bradford CVS, BD1 1HY\n"
    )
    found = read_participant_list("minutes.txt", text, [], EventGiven())
    people = {a.person.name: a for a in found.attendances}
    assert set(people) == {
        "Aisha Khan",
        "Tomasz Nowak",
        "Priya Patel",
        "Owen Hughes",
        "Gareth Price",
        "Niamh Byrne",
    }
    assert people["Aisha Khan"].person.organisations == ("Leeds Carers",)
    assert people["Tomasz Nowak"].person.organisations == ()
    assert people["Priya Patel"].role == AttendanceRole.HOST
    # A postcode is a place, never an organisation.
    assert people["Niamh Byrne"].person.organisations == ("Bradford CVS",)
    assert people["Niamh Byrne"].person.place == "BD1 1HY"
    assert "2 people sent apologies: not recorded as attending" in found.notes
    assert the_event(found) == ("Ageing Well Cell", dt.date(2025, 1, 14))


def test_utf16_reports_keep_their_line_numbers() -> None:
    table = read_table(FIXTURES / "teams_meeting_utf16be.csv", MiB)
    assert table.header == ["1. Summary"]
    assert table.rows[9][0] == 11 and table.rows[9][1][0] == "PEETERS Anke (EXT)"


# -- through the command, into the real embedded store --------------------------------


# Zoom's unique users report lists "Ravi" twice, one without an email: two people, or
# one when people are matched by a first name alone.
@pytest.mark.parametrize(
    ("fixture", "options", "counts", "expected"),
    [
        ("zoom_unique_users.csv", [], (8, 9), {"Amina Okoro": "attendee", "convenor": "host"}),
        ("zoom_participants_ja.csv", ["--event", "Zoom meeting"], (6,), {"王伟": "attendee"}),
        ("zoom_dashboard.csv", [], (5,), {"Morgan Ellis": "host", "kestrel": "attendee"}),
        ("zoom_webinar_attendees.csv", [], (3,), {"Dev Raman": "speaker", "Sian Parry": "host"}),
        (
            "teams_webinar_utf16le.csv",
            [],
            (4,),
            {"Eleri Vaughan": "host", "Chidi Okafor": "attendee"},
        ),
        (
            "teams_meeting_utf16be.csv",
            [],
            (6,),
            {"Anke PEETERS": "host", "Callum Reid": "attendee"},
        ),
        ("meeting_notes_names_only.txt", [], (6,), {"Dorian P Hale Jr": "attendee"}),
    ],
)
def test_each_layout_imports_through_the_command(
    fixture: str,
    options: list[str],
    counts: tuple[int, ...],
    expected: dict[str, str],
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "store")
    command = ["import", "attendance", str(FIXTURES / fixture), "--store", store, *options]
    done = subprocess.run(
        [sys.executable, "-m", "graphsvc", *command],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with open_store(store) as opened:
        network = opened.snapshot()
    attended = {
        (network.nodes[a]["name"], d["role"])
        for a, _, k, d in network.edges(keys=True, data=True)
        if k == "ATTENDED"
    }
    assert set(expected.items()) <= attended
    assert len({a for a, _, k in network.edges(keys=True) if k == "ATTENDED"}) in counts
