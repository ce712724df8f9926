"""Membership exports as mailing tools and CRMs write them (Mailchimp, CiviCRM, a
charity CRM's messy sample), and what importing them again matches."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graphsvc import model as m
from graphsvc.errors import ImportFileError
from graphsvc.service.imports import import_members
from graphsvc.store import GraphStore, open_store
from importers.graph_records import Directory, KnownNode
from importers.member_records import membership_records
from importers.membership import Member, MembershipFile, read_members
from importers.resolution import KnownOrganisation, KnownPerson

FIXTURES = Path(__file__).parent / "fixtures"
MiB = 2**20
AS_OF = dt.date(2025, 1, 31)
WALES = "W92000004"


def graphsvc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


def import_by_command(path: Path, store: Path, *options: str) -> dict[str, Any]:
    done = graphsvc("import", "members", str(path), "--store", str(store), "--json", *options)
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def nodes_of(store_dir: Path, kind: str) -> dict[str, dict[str, Any]]:
    with open_store(str(store_dir)) as store:
        network = store.snapshot()
    return {n: dict(d, id=n) for n, d in network.nodes(data=True) if d["kind"] == kind}


def place_of(store: GraphStore, name: str) -> dict[str, Any]:
    network = store.snapshot()
    (place,) = [
        network.nodes[v]
        for u, v, k in network.edges(keys=True)
        if k == "BASED_IN" and network.nodes[u]["name"] == name
    ]
    return dict(place)


# -- Mailchimp -------------------------------------------------------------------


def test_a_mailchimp_export_whose_unread_headings_repeat_is_read() -> None:
    found = read_members(FIXTURES / "members_mailchimp_unsubscribed.csv", MiB)
    assert "read as a Mailchimp audience export" in found.notes
    by_email = {member.email: member for member in found.members}
    hana = by_email["hana.okoro@example.org"]
    assert (hana.name, hana.place, hana.interests) == (
        "Hana Okoro",
        None,
        ("Housing", "Food justice"),
    )
    assert hana.place_context == ("LS6 1AA",)


def test_a_mailchimp_subscriber_with_only_an_email_is_named_from_it() -> None:
    found = read_members(FIXTURES / "members_mailchimp_unsubscribed.csv", MiB)
    kit = next(m for m in found.members if m.email == "kit.marlow@example.net")
    assert kit.name == "Kit Marlow"
    assert "an email but no name in row 3: named from the email until a file gives the name" in (
        found.notes
    )
    # A shared mailbox names no one: reported, not imported as a person called "Info".
    assert [(p.row, p.reason) for p in found.problems] == [
        (4, "has no name, and its email is a shared mailbox's")
    ]


def test_a_mailchimp_subscriber_abroad_gets_no_uk_place() -> None:
    found = read_members(FIXTURES / "members_mailchimp_unsubscribed.csv", MiB)
    rafe = next(m for m in found.members if m.name == "Rafe Tennant")
    assert (rafe.place, rafe.place_context) == (None, ())
    assert any("outside the UK" in note and "row 5" in note for note in found.notes)


def test_a_mailchimp_export_with_first_and_last_names_and_repeated_clean_headings() -> None:
    found = read_members(FIXTURES / "members_mailchimp_cleaned.csv", MiB)
    assert not found.problems
    assert [m.name for m in found.members] == ["Bea Lindqvist", "Jo Bloggs Smith"]


def test_a_repeated_heading_the_import_reads_still_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "audience.csv"
    path.write_text(
        '"Email Address","Name","Email Address",MEMBER_RATING,OPTIN_TIME\n'
        "a@example.org,Ada,b@example.org,2,\n"
    )
    with pytest.raises(ImportFileError, match="'Email Address' appears twice"):
        read_members(path, MiB)


def test_a_row_without_a_name_is_still_reported_outside_a_mailing_list(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("Name,Email\nAda Lovelace,ada@example.org\n,kit.marlow@example.net\n")
    assert [(p.row, p.reason) for p in read_members(path, MiB).problems] == [(3, "has no name")]


def test_a_real_name_replaces_one_made_from_the_email_and_the_report_says_so(
    store: GraphStore, tmp_path: Path
) -> None:
    import_members(store, FIXTURES / "members_mailchimp_unsubscribed.csv", skip_bad_rows=True)
    later = tmp_path / "later.csv"
    later.write_text("Name,Email\nKit Marlowe-Jones,kit.marlow@example.net\n")
    report = import_members(store, later)
    assert [(m.row, m.reason) for m in report.merges] == [(2, "same email")]
    assert "Changed for people already known: name (1 person, row 2)" in report.notes
    names = {d["name"] for _, d in store.snapshot().nodes(data=True) if d["kind"] == "Person"}
    assert "Kit Marlowe-Jones" in names and "Kit Marlow" not in names


# -- CiviCRM ---------------------------------------------------------------------


def test_a_civicrm_export_reads_the_contact_not_the_related_contact() -> None:
    found = read_members(FIXTURES / "members_civicrm.csv", MiB)
    assert not found.problems
    assert [m.name for m in found.members] == ["Nia Roberts", "Tomasz Kowalczyk", "Grace Mensah"]
    assert any(
        "columns 14, 15, 16 repeat the contact's headings" in note for note in found.notes
    ), found.notes
    tomasz = found.members[1]
    assert (tomasz.organisation, tomasz.job_title, tomasz.place) == (
        "Leeds Community Trust",
        "Trustee",
        "Leeds",
    )
    assert tomasz.place_context == ("West Yorkshire", "LS2 7EE")


def test_a_gwynedd_youth_worker_in_bangor_is_placed_in_wales(store: GraphStore) -> None:
    report = import_members(store, FIXTURES / "members_civicrm.csv", as_of=AS_OF)
    assert report.written
    nia = place_of(store, "Nia Roberts")
    assert nia["name"] == "Gwynedd"
    assert not any("'Bangor' read as" in note for note in report.notes)


def test_an_ambiguous_place_with_nothing_to_settle_it_is_read_as_the_likeliest(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "members.csv"
    path.write_text(
        "Name,Email,Organisation,Town\nAoife Kerr,aoife@example.org,Youth Forum,Bangor\n"
    )
    report = import_members(store, path, as_of=AS_OF)
    assert place_of(store, "Aoife Kerr")["name"] == "Bangor"
    assert any("'Bangor' read as Bangor (Northern Ireland)" in note for note in report.notes)


def test_a_postcode_places_someone_whose_town_is_unknown(store: GraphStore) -> None:
    report = import_members(store, FIXTURES / "members_civicrm.csv", as_of=AS_OF)
    assert report.written
    assert place_of(store, "Grace Mensah")["name"] == "Yorkshire and The Humber"
    assert "9JT" not in " ".join(report.notes)


# -- a charity CRM's messy sample --------------------------------------------------


def test_a_messy_crm_sample_imports_its_seven_real_members(tmp_path: Path) -> None:
    report = import_by_command(
        FIXTURES / "members_charity_crm.csv", tmp_path / "s", "--skip-bad-rows"
    )
    assert [(p["row"], p["reason"]) for p in report["rejected"]] == [
        (4, "the email (column 'email') is not an email address"),
        (8, "the email (column 'email') is not an email address"),
    ]
    people = {d["name"]: d for d in nodes_of(tmp_path / "s", "Person").values()}
    assert sorted(people) == [
        "Dragon Of The Hill",
        "Jess",
        "Olu Adeyemi",
        "Owain Pryce",
        "Priya Chandran",
        "Ravi Shah",
        "Sprite",
    ]
    notes = report["notes"]
    assert "column 'email 2' is not an email address in rows 3, 4; not read" in notes
    assert "column 'email 3' is not an email address in row 9; not read" in notes
    # The report names columns and rows, never what a cell holds.
    said = json.dumps(report)
    assert "NOT AN EMAIL" not in said and "mysecret" not in said and "wizard@" not in said


def test_a_row_without_a_first_email_takes_its_next_one() -> None:
    found = read_members(FIXTURES / "members_charity_crm.csv", MiB)
    by_name = {m.name: m for m in found.members}
    assert by_name["Jess"].email == "jess@example.net"
    assert by_name["Priya Chandran"].email == "priya@example-trust.org"
    assert by_name["Priya Chandran"].other_emails == ("priya.c@example-home.org.uk",)
    assert by_name["Sprite"].other_emails == (), "the same address twice is one address"


def test_padded_names_are_trimmed_and_a_uk_row_keeps_its_place(store: GraphStore) -> None:
    report = import_members(store, FIXTURES / "members_charity_crm.csv", skip_bad_rows=True)
    assert report.written
    assert place_of(store, "Olu Adeyemi")["name"] == "London"
    assert place_of(store, "Priya Chandran")["name"] == "Leeds"


def test_another_of_a_rows_addresses_finds_the_person_and_a_new_email_is_reported(
    store: GraphStore, tmp_path: Path
) -> None:
    import_members(store, FIXTURES / "members_charity_crm.csv", skip_bad_rows=True)
    later = tmp_path / "later.csv"
    # Her new address first, the one the store knows second.
    later.write_text(
        "First name,Last name,Email,Secondary email\n"
        "Priya,Chandran,priya.chandran@example-new.org,priya@example-trust.org\n"
    )
    report = import_members(store, later)
    assert [(m.row, m.reason) for m in report.merges] == [
        (2, "same email (another of the row's addresses)")
    ]
    assert "Changed for people already known: email (1 person, row 2)" in report.notes
    people = [d for _, d in store.snapshot().nodes(data=True) if d["kind"] == "Person"]
    assert sum(d["name"] == "Priya Chandran" for d in people) == 1


# -- what an import changes in people already known ---------------------------------


def test_a_matched_persons_email_being_replaced_is_reported_by_field_not_value(
    store: GraphStore, tmp_path: Path
) -> None:
    first = tmp_path / "2024.csv"
    first.write_text("Name,Email,Organisation\nAda Lovelace,ada@old.example,Engines Ltd\n")
    import_members(store, first)
    second = tmp_path / "2025.csv"
    second.write_text("Name,Email,Organisation\nAda Lovelace,ada@new.example,Engines Ltd\n")
    report = import_members(store, second)
    assert [(m.row, m.reason) for m in report.merges] == [(2, "same name and organisation")]
    assert "Changed for people already known: email (1 person, row 2)" in report.notes
    assert "old.example" not in " ".join(report.notes)


def test_the_records_list_each_changed_person_and_their_fields() -> None:
    directory = Directory(
        people=[
            KnownPerson(
                "person:ada", "Ada Lovelace", "ada@old.example", frozenset({"org:e"}), "hidden"
            )
        ],
        organisations=[KnownOrganisation("org:e", "Engines Ltd")],
    )
    members = MembershipFile(
        "t.csv",
        1,
        [
            Member(
                row=2,
                name="Ada Lovelace",
                email="ada@new.example",
                organisation="Engines Ltd",
                visibility=m.Visibility.NETWORK,
            )
        ],
        [],
    )
    records = membership_records(members, directory, "import:t.csv#0", AS_OF)
    assert [(c.row, c.person, c.fields) for c in records.changes] == [
        (2, "person:ada", ("email", "visibility"))
    ]


# -- cells on re-import ----------------------------------------------------------------


def test_reimporting_a_membership_file_makes_no_second_cell(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text(
        "Name,Email,Cells\nAda Lovelace,ada@example.org,Ageing well cell\n"
        "Bo Chen,bo@example.org,Ageing Well Cell; Listening\n"
    )
    import_by_command(path, tmp_path / "s")
    again = tmp_path / "again.csv"
    again.write_text("Name,Email,Cells\nCy Dee,cy@example.org,Ageing well\n")
    import_by_command(again, tmp_path / "s")
    cells = sorted(d["name"] for d in nodes_of(tmp_path / "s", "Cell").values())
    assert cells == ["Ageing well cell", "Listening"]


def test_a_cell_already_known_by_its_name_is_the_one_joined() -> None:
    members = read_members(FIXTURES / "members_2024.csv", MiB)
    directory = Directory(
        node_ids={"cell:00003"},
        named_nodes=[KnownNode("cell:00003", "Cell", "Joining forces cell")],
    )
    records = membership_records(members, directory, "import:members_2024.csv#0", AS_OF)
    joined = {r.end for r in records.relationships if isinstance(r, m.MemberOf)}
    assert "cell:00003" in joined and "cell:joining-forces" not in joined
    assert not any(n.id == "cell:00003" for n in records.nodes), "its stored details are kept"
