"""Importing attendance: generic CSV, Eventbrite, Zoom and plain-text lists."""

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

from graphsvc.errors import ImportFileError
from graphsvc.service.imports import import_attendance, import_members
from graphsvc.store import GraphStore
from importers.attendance import EventGiven, detect_format, read_attendance
from importers.participant_list import read_participant_list

FIXTURES = Path(__file__).parent / "fixtures"
MiB = 2**20


def attended(network: nx.MultiDiGraph) -> set[tuple[str, str, str, str | None]]:
    """(person, event, role, part) for every ATTENDED relationship."""
    return {
        (network.nodes[a]["name"], network.nodes[b]["name"], d["role"], d.get("part"))
        for a, b, k, d in network.edges(keys=True, data=True)
        if k == "ATTENDED"
    }


def people(network: nx.MultiDiGraph) -> dict[str, dict[str, object]]:
    return {d["name"]: {"id": n, **d} for n, d in network.nodes(data=True) if d["kind"] == "Person"}


def organisations_of(network: nx.MultiDiGraph, person: str) -> dict[str, bool]:
    return {
        network.nodes[b]["name"]: d["current"]
        for _, b, k, d in network.out_edges(person, keys=True, data=True)
        if k == "WORKS_WITH"
    }


# -- telling formats apart -------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("attendance_roundtable.csv", "csv"),
        ("eventbrite_gathering.csv", "eventbrite"),
        ("zoom_listening_cell.csv", "zoom"),
        ("gathering_notes.txt", "text"),
    ],
)
def test_each_format_is_recognised_from_its_contents(fixture: str, expected: str) -> None:
    assert detect_format(FIXTURES / fixture, MiB) == expected


def test_a_table_of_unknown_kind_asks_for_the_format(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Widget,Colour\nA,red\n")
    with pytest.raises(ImportFileError, match="--format"):
        read_attendance(path, MiB)


# -- each format -----------------------------------------------------------------


def test_a_generic_csv_names_events_roles_and_parts(store: GraphStore) -> None:
    report = import_attendance(store, FIXTURES / "attendance_roundtable.csv")
    assert report.written and report.format == "csv" and not report.rejected
    network = store.snapshot()
    assert attended(network) == {
        ("Amina Yusuf", "Housing roundtable", "host", None),
        ("Samantha Okafor", "Housing roundtable", "speaker", "Morning"),
        ("Priya Shah", "Housing roundtable", "attendee", "Afternoon"),
        ("Priya Shah", "Listening cell meeting", "attendee", None),
        ("Tom Brown", "Listening cell meeting", "attendee", None),
    }
    events = {d["name"]: d for _, d in network.nodes(data=True) if d["kind"] == "Event"}
    assert events["Housing roundtable"]["category"] == "roundtable"
    assert events["Housing roundtable"]["size"] == 3
    assert events["Listening cell meeting"]["category"] == "cell meeting"
    assert events["Listening cell meeting"]["date"] == "2025-03-04"
    # Priya is in the file twice with one email: one person.
    assert len(people(network)) == 4
    # What a file says of a meeting was true on the day it met.
    priya = people(network)["Priya Shah"]["id"]
    days = {
        d["first_seen"]
        for _, _, k, d in network.out_edges(priya, keys=True, data=True)
        if k == "ATTENDED"
    }
    assert days == {"2025-02-11", "2025-03-04"}


def test_an_eventbrite_export_counts_only_those_attending(store: GraphStore) -> None:
    with pytest.raises(ImportFileError, match="--event"):
        # Eventbrite's single-event export does not name the event on each row.
        import_attendance(store, FIXTURES / "eventbrite_gathering.csv")
    report = import_attendance(
        store,
        FIXTURES / "eventbrite_gathering.csv",
        event="Annual gathering",
        date=dt.date(2025, 3, 12),
    )
    assert report.written and report.format == "eventbrite"
    assert "1 tickets with status 'Refunded' not counted as attending" in report.notes
    network = store.snapshot()
    assert attended(network) == {
        ("Amina Yusuf", "Annual gathering", "attendee", "Full day"),
        ("Sam Okafor", "Annual gathering", "attendee", "Dinner only"),
        ("Grace Mensah", "Annual gathering", "speaker", None),
        ("Ewan Campbell", "Annual gathering", "attendee", "Full day"),
    }
    grace = people(network)["Grace Mensah"]
    assert grace["job_title"] == "Chief executive"
    assert organisations_of(network, str(grace["id"])) == {"Bradford CVS": True}


def test_a_zoom_report_merges_rejoins_and_reads_the_meeting(store: GraphStore) -> None:
    report = import_attendance(store, FIXTURES / "zoom_listening_cell.csv")
    assert report.written and report.format == "zoom"
    network = store.snapshot()
    # Topic and start time come from the meeting row; 03/04/2025 is Zoom's 4 March.
    assert attended(network) == {
        ("Tom Brown", "Listening cell meeting", "host", None),
        ("Priya Shah", "Listening cell meeting", "attendee", None),
        ("Aled Jones", "Listening cell meeting", "attendee", None),
    }
    event = next(d for _, d in network.nodes(data=True) if d["kind"] == "Event")
    assert (event["date"], event["category"], event["size"]) == ("2025-03-04", "cell meeting", 3)
    aled = people(network)["Aled Jones"]["id"]
    assert organisations_of(network, str(aled)) == {"Swansea Council": True}
    assert {
        "1 rejoins merged into the person's first join",
        "1 dial-in or unnamed participants not recorded",
        "1 people left in the waiting room not recorded",
    } <= set(report.notes)


def test_a_zoom_report_without_meeting_data_needs_the_event_named(tmp_path: Path) -> None:
    path = tmp_path / "participants.csv"
    path.write_text(
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "Ann Lee,ann@x.org,11/28/2025 06:01:00 PM,11/28/2025 07:00:00 PM,59,No\n"
        "Ann Lee,ann@x.org,11/28/2025 07:02:00 PM,11/28/2025 07:30:00 PM,28,No\n"
    )
    found = read_attendance(path, MiB, given=EventGiven(name="Drop-in"))
    assert found.format == "zoom" and len(found.attendances) == 1
    only = found.attendances[0]
    assert (only.event, only.date) == ("Drop-in", dt.date(2025, 11, 28))
    assert not read_attendance(path, MiB).attendances, "no event named: the row is refused"


def test_a_plain_text_list_reads_affiliations_roles_parts_and_places(store: GraphStore) -> None:
    report = import_attendance(store, FIXTURES / "gathering_notes.txt")
    assert report.written and report.format == "text" and report.rows_read == 6
    network = store.snapshot()
    assert attended(network) == {
        ("Amina Yusuf", "Annual Gathering, Birmingham", "attendee", "Dinner only"),
        ("Bob Smith", "Annual Gathering, Birmingham", "attendee", None),
        ("Carla Jones", "Annual Gathering, Birmingham", "speaker", None),
        ("Dan Green", "Annual Gathering, Birmingham", "attendee", "Morning only"),
        ("Fiona MacLeod", "Annual Gathering, Birmingham", "host", None),
        ("Ed Black", "Annual Gathering, Birmingham", "attendee", None),
    }
    event = next(d for _, d in network.nodes(data=True) if d["kind"] == "Event")
    assert event["date"] == "2025-03-12"
    found = people(network)
    # "Birmingham" and "Inverness" are places, not organisations.
    assert organisations_of(network, str(found["Bob Smith"]["id"])) == {
        "Birmingham City Council": True
    }
    based = {
        network.nodes[a]["name"]: network.nodes[b]["name"]
        for a, b, k in network.edges(keys=True)
        if k == "BASED_IN" and network.nodes[a]["kind"] == "Person"
    }
    assert based == {"Bob Smith": "Birmingham", "Fiona MacLeod": "Inverness"}
    assert organisations_of(network, str(found["Dan Green"]["id"])) == {
        "Age UK": True,
        "Shelter": False,
    }
    assert found["Carla Jones"]["sector"] == "independent / lived experience"
    assert organisations_of(network, str(found["Carla Jones"]["id"])) == {}
    # Ed Black's organisation is Amina's, written another way round.
    assert organisations_of(network, str(found["Ed Black"]["id"])) == {"Coventry Grapevine": True}
    assert "2 people sent apologies: not recorded as attending" in report.notes
    assert any(n.startswith("3 heading or note lines skipped") for n in report.notes)
    assert "note '(online)' (lines 9) is not a role; left out" in report.notes


def test_irregular_lists_are_read_and_odd_lines_reported() -> None:
    text = (
        "Joining Forces cell - notes\n"
        "Present:\n"
        "1. Dr Zoë  de la Cruz ,  Leeds Community Foundation , Leeds\n"
        "- Kofi Mensah <kofi@x.org>, Kirklees Council*\n"
        "* Lena Berg, Sheffield Hallam University\n"
        "Action: Kofi to share the map, Lena to follow up\n"
        "Rhys Evans, formerly Cardiff Council, Independent\n"
        "Jo Bloggs, Some Org***\n"
        "*left at lunch\n"
    )
    found = read_participant_list("notes.txt", text, [], EventGiven(date=dt.date(2025, 5, 1)))
    by_name = {a.person.name: a for a in found.attendances}
    assert set(by_name) == {
        "Dr Zoë de la Cruz",
        "Kofi Mensah",
        "Lena Berg",
        "Rhys Evans",
        "Jo Bloggs",
    }
    assert by_name["Dr Zoë de la Cruz"].person.place == "Leeds"
    assert by_name["Kofi Mensah"].person.email == "kofi@x.org"
    assert by_name["Kofi Mensah"].part == "left at lunch"
    assert by_name["Rhys Evans"].person.past_organisations == ("Cardiff Council",)
    assert by_name["Rhys Evans"].person.organisations == ()
    assert found.attendances[0].event == "Joining Forces cell - notes"
    assert "marker *** (lines 8) has no legend; part left blank" in found.notes
    assert any("line 6: Action" in n for n in found.notes)


def test_a_list_that_names_no_event_asks_for_one() -> None:
    with pytest.raises(ImportFileError, match="--event NAME and --date YYYY-MM-DD"):
        read_participant_list("l.txt", "Participants\nAnn Lee, Age UK\n", [], EventGiven())


# -- resolution across files -------------------------------------------------------


def test_attendance_resolves_people_known_from_membership(store: GraphStore) -> None:
    import_members(store, FIXTURES / "members_2024.csv", as_of=dt.date(2025, 1, 31))
    report = import_attendance(store, FIXTURES / "gathering_notes.txt")
    assert {m.row: m.reason for m in report.merges} == {4: "same name and organisation"}
    network = store.snapshot()
    everyone = people(network)
    amina = everyone["Amina Yusuf"]
    # The list adds an attendance; the membership details are kept.
    assert (amina["email"], amina["visibility"]) == ("amina@grapevine.example", "network")
    assert ("Amina Yusuf", "Annual Gathering, Birmingham", "attendee", "Dinner only") in attended(
        network
    )
    eventbrite = import_attendance(
        store,
        FIXTURES / "eventbrite_gathering.csv",
        event="Annual gathering",
        date=dt.date(2025, 3, 12),
    )
    # Sam Okafor is in both files without an email: the same name across two lists.
    assert {m.reason for m in eventbrite.merges} >= {"same email", "same name and organisation"}
    assert len([n for n in people(store.snapshot()) if n.startswith(("Sam ", "Samantha "))]) == 2


def test_reimporting_attendance_changes_nothing(store: GraphStore) -> None:
    for fixture in ("attendance_roundtable.csv", "zoom_listening_cell.csv", "gathering_notes.txt"):
        first = import_attendance(store, FIXTURES / fixture)
        version = store.version()
        again = import_attendance(store, FIXTURES / fixture)
        assert (again.created, again.updated) == (0, 0), fixture
        assert again.unchanged > 0 and first.created > 0
        assert store.version() == version


def test_an_attendance_file_with_a_bad_row_writes_nothing_unless_told(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Name,Email,Event,Date\n"
        "Ann Lee,ann@x.org,Drop-in,2025-01-02\n"
        "Bo Chen,bo@x.org,Drop-in,02/01/2025\n"
        "Cy Dee,cy@x.org,,2025-01-02\n"
    )
    version = store.version()
    report = import_attendance(store, path)
    assert not report.written and store.version() == version
    assert [p.row for p in report.rejected] == [3, 4]
    assert "ambiguous date" in report.rejected[0].reason
    assert "names no event" in report.rejected[1].reason
    skipped = import_attendance(store, path, skip_bad_rows=True)
    assert skipped.written and set(people(store.snapshot())) == {"Ann Lee"}
