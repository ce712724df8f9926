"""Attendance from the tools networks use: Google Meet, Luma, Tito, Meetup and UK Eventbrite.

The fixtures are made up, in the shapes these tools write (headings, BOMs,
line endings, tabs, blank address cells).
"""

import datetime as dt
import inspect
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graphsvc.api.routes.admin import create_import
from graphsvc.errors import ImportFileError
from graphsvc.service import ImportOptionError, ImportOptions
from graphsvc.service.imports import import_attendance
from graphsvc.store import GraphStore, open_store
from importers.attendance import EventGiven, detect_format, read_attendance

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATES = Path(__file__).parent.parent / "graphsvc" / "api" / "templates"
MiB = 2**20
GIVEN = EventGiven("Spring gathering", dt.date(2025, 6, 10))


def read(fixture: str, given: EventGiven = GIVEN) -> dict[str, tuple[str, str | None]]:
    """Who a fixture says attended: name to (role, part)."""
    found = read_attendance(FIXTURES / fixture, MiB, given=given)
    return {a.person.name: (a.role.value, a.part) for a in found.attendances}


def based_in(network: nx.MultiDiGraph) -> dict[str, str]:
    return {
        network.nodes[a]["name"]: network.nodes[b]["name"]
        for a, b, k in network.edges(keys=True)
        if k == "BASED_IN" and network.nodes[a]["kind"] == "Person"
    }


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *args], capture_output=True, text=True, timeout=300
    )


# -- telling them apart ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("eventbrite_uk_attendees.csv", "eventbrite"),
        ("eventbrite_uk_work_address.csv", "eventbrite"),
        ("luma_guests.csv", "luma"),
        ("tito_tickets.csv", "tito"),
        ("meetup_attendees.tsv", "meetup"),
        ("meet_attendance.csv", "meet"),
    ],
)
def test_each_export_is_recognised_from_its_contents(fixture: str, expected: str) -> None:
    assert detect_format(FIXTURES / fixture, MiB) == expected


def test_an_export_named_as_another_format_says_what_it_looks_like() -> None:
    with pytest.raises(ImportFileError, match=r"looks like a Luma guest export.*--format auto"):
        read_attendance(FIXTURES / "luma_guests.csv", MiB, "csv", GIVEN)
    with pytest.raises(
        ImportFileError, match="is not a Tito ticket export: it looks like a Google Meet"
    ):
        read_attendance(FIXTURES / "meet_attendance.csv", MiB, "tito", GIVEN)


def test_a_table_no_reader_knows_says_its_headings_and_what_graphsvc_reads(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Widget,Colour\nSprocket,red\n")
    with pytest.raises(ImportFileError) as refused:
        read_attendance(path, MiB, given=GIVEN)
    message = str(refused.value)
    assert "its headings: Widget, Colour" in message
    assert "a Google Meet attendance report" in message and "a Luma guest export" in message
    assert "--mapping" in message and "--format" in message


# -- Google Meet -------------------------------------------------------------------


def test_a_meet_report_asks_for_the_event_and_its_date_at_once() -> None:
    with pytest.raises(ImportFileError) as refused:
        read_attendance(FIXTURES / "meet_attendance.csv", MiB)
    assert str(refused.value) == (
        "meet_attendance.csv does not say which event it is or when; "
        "give --event NAME and --date YYYY-MM-DD"
    )


def test_a_meet_report_records_its_named_participants_and_notes_phones() -> None:
    found = read_attendance(FIXTURES / "meet_attendance.csv", MiB, given=GIVEN)
    assert {a.person.name for a in found.attendances} == {"Aisha Bello", "Ben Hartley", "Chloe Ng"}
    assert found.online and "1 phone or unnamed participants not recorded" in found.notes


def test_a_meet_report_whose_join_times_carry_a_date_is_dated_by_them(tmp_path: Path) -> None:
    path = tmp_path / "meet.csv"
    path.write_text(
        "First name,Last name,Email,Duration,Time joined,Time exited\n"
        "Aisha,Bello,aisha@x.org,58 min,2025-03-04 10:01,2025-03-04 10:59\n"
    )
    found = read_attendance(path, MiB, given=EventGiven(name="Cell call"))
    assert [a.date for a in found.attendances] == [dt.date(2025, 3, 4)]


# -- Luma --------------------------------------------------------------------------


def test_a_luma_export_counts_only_guests_who_checked_in() -> None:
    found = read_attendance(FIXTURES / "luma_guests.csv", MiB, given=GIVEN)
    assert {a.person.name: a.role.value for a in found.attendances} == {
        "Nadia Rahman": "attendee",
        "Owen Tudor": "speaker",
    }
    assert (
        "1 guests who registered ('approved') but never checked in not counted as attending"
        in found.notes
    )


def test_a_luma_export_is_dated_by_its_check_ins_unless_a_date_is_given() -> None:
    found = read_attendance(FIXTURES / "luma_guests.csv", MiB, given=EventGiven(name="Meetup"))
    assert {a.date for a in found.attendances} == {dt.date(2025, 4, 10)}
    assert "event date taken from the check-ins: 2025-04-10" in found.notes
    assert set(read_attendance(FIXTURES / "luma_guests.csv", MiB, given=GIVEN).notes).isdisjoint(
        {"event date taken from the check-ins: 2025-04-10"}
    )


def test_a_luma_export_where_nobody_checked_in_is_refused_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "guests.csv"
    path.write_bytes(
        b"\xef\xbb\xbfapi_id,name,first_name,last_name,email,approval_status,checked_in_at\r\n"
        b"g-1,Ann Lee,Ann,Lee,ann@x.org,approved,\n"
    )
    with pytest.raises(ImportFileError, match=r"nobody in it attended .*never checked in"):
        read_attendance(path, MiB, given=GIVEN)


# -- Tito --------------------------------------------------------------------------


def test_a_tito_export_leaves_out_void_and_unassigned_tickets() -> None:
    found = read_attendance(FIXTURES / "tito_tickets.csv", MiB, given=GIVEN)
    assert {a.person.name: (a.role.value, a.part) for a in found.attendances} == {
        "Hannah Lowe": ("attendee", None),
        "Kwame Asante": ("speaker", None),
        "Naomi Gale": ("attendee", "Workshop day"),
    }
    # The buyer of an unassigned ticket is not its holder: Martin Gale is not recorded.
    assert {a.event for a in found.attendances} == {"Civic Tech Day"}
    assert {
        "1 tickets void (cancelled or refunded) not counted as attending",
        "1 tickets not yet assigned to anyone not counted as attending",
    } <= set(found.notes)


def test_a_tito_export_asks_only_for_the_date_it_lacks() -> None:
    with pytest.raises(ImportFileError, match="does not say when the event was; give --date"):
        read_attendance(FIXTURES / "tito_tickets.csv", MiB)


# -- Meetup ------------------------------------------------------------------------


def test_a_meetup_list_does_not_count_no_shows_or_rsvp_no() -> None:
    assert read("meetup_attendees.tsv") == {
        "Ruth Abara": ("host", None),
        "Simon Leclerc": ("attendee", None),
    }


def test_a_meetup_list_without_attendance_taken_counts_those_who_said_yes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rsvps.csv"
    path.write_text(
        "Name,User ID,Title,Event Host,RSVP,Guests,RSVPed on,Joined Group on,"
        "URL of Member Profile\n"
        "Ruth Abara,user 1,,Yes,Yes,0,2025-06-01,2023-02-11,https://www.meetup.com/members/1/\n"
        "Umar Siddiqui,user 4,,No,No,0,2025-06-04,2022-07-19,https://www.meetup.com/members/4/\n"
        "Vera Lind,user 5,,No,Waitlist,0,2025-06-05,2025-05-30,https://www.meetup.com/members/5/\n"
    )
    found = read_attendance(path, MiB, given=GIVEN)
    assert [a.person.name for a in found.attendances] == ["Ruth Abara"]
    assert any(n.startswith("attendance was not taken in Meetup") for n in found.notes)


# -- UK Eventbrite -----------------------------------------------------------------


def test_a_uk_eventbrite_export_is_read_natively_and_cancelled_tickets_left_out(
    store: GraphStore,
) -> None:
    report = import_attendance(
        store, FIXTURES / "eventbrite_uk_attendees.csv", event="Gathering", date=dt.date(2025, 3, 1)
    )
    assert report.written and report.format == "eventbrite" and not report.rejected
    assert "1 tickets with status 'Cancelled' not counted as attending" in report.notes
    network = store.snapshot()
    people = {d["name"] for _, d in network.nodes(data=True) if d["kind"] == "Person"}
    assert people == {"Rhiannon Pryce", "Declan Mulholland", "Ffion Ellis"}
    # Home City and County settle Newport; a Home Postcode alone gives its region.
    assert based_in(network) == {"Declan Mulholland": "Isle of Wight", "Ffion Ellis": "Wales"}


def test_work_addresses_place_people_and_addresses_abroad_are_noted(store: GraphStore) -> None:
    report = import_attendance(
        store,
        FIXTURES / "eventbrite_uk_work_address.csv",
        event="Conference",
        date=dt.date(2025, 3, 1),
    )
    assert report.written and report.rows_read == 6 and not report.rejected
    assert "2 attendees' addresses are outside the UK: no place recorded" in report.notes
    network = store.snapshot()
    assert based_in(network) == {
        "Moira Kettlewell": "Hebden Bridge",
        "Tunde Bakare": "Leeds",
        "Esther Quaye": "Cambridgeshire",
        "Colm Devlin": "Cambridgeshire",
    }
    titles = {d["name"]: d.get("job_title") for _, d in network.nodes(data=True)}
    assert titles["Ingrid Falk"] == "Head of Lending"
    # A postcode is personal data: no note or place carries one.
    assert not any(re.search(r"\d[A-Z]{2}\b", note, re.I) for note in report.notes)


# -- options: a mapping for attendance, and no dead ends ---------------------------


def test_a_mapping_names_the_columns_of_an_attendance_table(tmp_path: Path) -> None:
    path = tmp_path / "sign-in.csv"
    path.write_text("Signed in as,Contact,Session\nAda Lovelace,ada@x.org,Morning\n")
    columns = ImportOptions.parse(
        "attendance",
        mapping='[columns]\nname = "Signed in as"\nemail = "Contact"\npart = "Session"',
    ).mapping
    found = read_attendance(path, MiB, given=EventGiven("Day", dt.date(2025, 1, 2), None, columns))
    only = found.attendances[0]
    assert (only.person.name, only.person.email, only.part) == (
        "Ada Lovelace",
        "ada@x.org",
        "Morning",
    )


def test_an_attendance_mapping_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ImportOptionError, match="unknown: sector"):
        ImportOptions.parse("attendance", mapping='[columns]\nsector = "Kind"')


def test_every_remedy_a_message_names_exists_on_the_cli_the_api_and_the_page(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("Widget,Colour\nSprocket,red\n")
    messages = []
    for path in (FIXTURES / "meet_attendance.csv", odd):
        with pytest.raises(ImportFileError) as refused:
            read_attendance(path, MiB)
        messages.append(str(refused.value))
    flags = {flag for m in messages for flag in re.findall(r"--([a-z-]+)", m)}
    assert flags == {"event", "date", "format", "mapping"}
    help_text = run("import", "attendance", "--help").stdout
    form = set(inspect.signature(create_import).parameters) | {"format"}
    page = (TEMPLATES / "imports.html").read_text()
    for flag in flags:
        assert f"--{flag}" in help_text, flag
        assert flag in form, flag
        assert f'name="{flag}"' in page, flag


# -- through the command, into a real store ----------------------------------------


@pytest.mark.parametrize(
    ("fixture", "options", "attendees"),
    [
        ("eventbrite_uk_attendees.csv", ["--event", "Gathering", "--date", "2025-03-01"], 3),
        ("eventbrite_uk_work_address.csv", ["--event", "Conference", "--date", "2025-03-01"], 6),
        ("luma_guests.csv", ["--event", "Open evening"], 2),
        ("tito_tickets.csv", ["--date", "2025-06-10"], 3),
        ("meetup_attendees.tsv", ["--event", "Pub quiz", "--date", "2025-06-10"], 2),
        ("meet_attendance.csv", ["--event", "Cell call", "--date", "2025-06-10"], 3),
    ],
)
def test_each_export_imports_through_the_command(
    fixture: str, options: list[str], attendees: int, tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    done = run("import", "attendance", str(FIXTURES / fixture), "--store", store, *options)
    assert done.returncode == 0, done.stdout + done.stderr
    with open_store(store) as opened:
        network = opened.snapshot()
    assert len({a for a, _, k in network.edges(keys=True) if k == "ATTENDED"}) == attendees


def test_the_command_says_everything_a_file_lacks_in_one_go(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    done = run("import", "attendance", str(FIXTURES / "meet_attendance.csv"), "--store", store)
    assert done.returncode != 0
    assert "give --event NAME and --date YYYY-MM-DD" in " ".join(done.stderr.split())


def test_the_command_takes_a_mapping_for_attendance(tmp_path: Path) -> None:
    path = tmp_path / "sign-in.csv"
    path.write_text("Signed in as,Contact\nAda Lovelace,ada@x.org\nBo Chen,bo@x.org\n")
    mapping = tmp_path / "columns.toml"
    mapping.write_text('[columns]\nname = "Signed in as"\nemail = "Contact"\n')
    store = str(tmp_path / "store")
    done = run(
        "import", "attendance", str(path), "--store", store, "--mapping", str(mapping),
        "--event", "Drop-in", "--date", "2025-01-02",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    with open_store(store) as opened:
        people = {d["name"] for _, d in opened.snapshot().nodes(data=True) if d["kind"] == "Person"}
    assert people == {"Ada Lovelace", "Bo Chen"}
