"""Importing membership files: reading, resolving people, idempotency, bad input."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from graphsvc.errors import ImportFileError
from graphsvc.service.imports import import_members
from graphsvc.store import GraphStore
from importers.dates import read_dates
from importers.membership import read_members, split_values
from importers.resolution import KnownPerson, PersonResolver, organisation_key

FIXTURES = Path(__file__).parent / "fixtures"
MiB = 2**20
AS_OF = dt.date(2025, 1, 31)


def people_named(store: GraphStore) -> dict[str, dict[str, object]]:
    network = store.snapshot()
    return {d["name"]: {"id": n, **d} for n, d in network.nodes(data=True) if d["kind"] == "Person"}


# -- reading -------------------------------------------------------------------


def test_common_headings_are_found_and_multi_valued_cells_split() -> None:
    found = read_members(FIXTURES / "members_2024.csv", MiB)
    assert found.rows_read == 6 and not found.problems
    amina = found.members[0]
    assert (amina.name, amina.email, amina.organisation) == (
        "Amina Yusuf",
        "amina@grapevine.example",
        "The Coventry Grapevine Ltd",
    )
    assert amina.cells == ("Joining forces", "Listening")
    assert amina.interests == ("Housing", "Food justice")
    # 25/03/2024 in the same column settles that 03/04/2023 is day-first.
    assert [m.joined for m in found.members[:3]] == [
        dt.date(2024, 3, 25),
        dt.date(2023, 4, 3),
        dt.date(2023, 4, 3),
    ]
    assert [m.visibility and m.visibility.value for m in found.members] == [
        "network",
        "hidden",
        None,
        "connectors",
        "network",
        "network",
    ]
    assert split_values(" a ;b|  A ") == ("a", "b")


def test_a_mapping_file_names_unusual_headings(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("Member,Contact\nAda Lovelace,ada@example.org\n")
    from importers.membership import load_mapping

    (tmp_path / "map.toml").write_text('[columns]\nname = "Member"\nemail = "Contact"\n')
    found = read_members(tmp_path / "m.csv", MiB, load_mapping(tmp_path / "map.toml"))
    assert (found.members[0].name, found.members[0].email) == ("Ada Lovelace", "ada@example.org")


def test_an_excel_csv_in_windows_1252_with_a_bom_free_header_is_read(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("Name,Email\nZoë Brontë,zoe@example.org\n".encode("cp1252"))
    found = read_members(path, MiB)
    assert found.members[0].name == "Zoë Brontë"
    assert any("Windows-1252" in n for n in found.notes)


def test_dates_are_never_guessed() -> None:
    ambiguous = read_dates([(2, "03/04/2024"), (3, "2024-05-01")], "Joined")
    assert 2 in ambiguous.problems and ambiguous.dates == {3: dt.date(2024, 5, 1)}
    assert read_dates([(2, "03/04/2024")], "Joined", "month-first").dates[2] == dt.date(2024, 3, 4)
    with pytest.raises(ImportFileError, match="mixes day-first"):
        read_dates([(2, "25/12/2024"), (3, "12/25/2024")], "Joined")
    assert "two-digit year" in read_dates([(2, "3/4/24")], "Joined").problems[2]


# -- resolution ----------------------------------------------------------------


def test_organisation_names_match_despite_noise_and_word_order() -> None:
    assert organisation_key("The Coventry Grapevine Ltd") == organisation_key("Grapevine, Coventry")
    assert organisation_key("Leeds City Council") != organisation_key("Leeds City College")


@pytest.mark.parametrize(
    ("known", "name", "email", "orgs", "expect"),
    [
        # Merged: the same email, whatever the name.
        (
            KnownPerson("person:a", "Mary O'Neil", "mary@x.org"),
            "M. O'Neil",
            "MARY@x.org",
            set(),
            "merge",
        ),
        # Merged: same name, spacing/case/accents aside, and a shared organisation.
        (
            KnownPerson("person:a", "Mary Ann O'Neil", None, frozenset({"org:1"})),
            "maryann  oneil",
            None,
            {"org:1"},
            "merge",
        ),
        (KnownPerson("person:a", "Zoë Brown", None), "Zoe BROWN", None, set(), "merge"),
        # Kept apart: two people sharing a surname.
        (KnownPerson("person:a", "Tom Brown", "tom@x.org"), "Zoë Brown", None, set(), "apart"),
        # Kept apart: the same first name in the same organisation.
        (
            KnownPerson("person:a", "Tom Brown", None, frozenset({"org:1"})),
            "Tom Reid",
            None,
            {"org:1"},
            "apart",
        ),
        # Review: a first name that may be a short form.
        (KnownPerson("person:a", "Samantha Okafor", None), "Sam Okafor", None, set(), "review"),
        # Review: the same name with two different emails.
        (
            KnownPerson("person:a", "Ann Lee", "ann@one.org"),
            "Ann Lee",
            "ann@two.org",
            set(),
            "review",
        ),
    ],
)
def test_people_are_merged_only_on_strong_evidence(
    known: KnownPerson, name: str, email: str | None, orgs: set[str], expect: str
) -> None:
    match = PersonResolver([known]).resolve(name, email, frozenset(orgs))
    outcome = "merge" if match.merged else "review" if match.candidate else "apart"
    assert outcome == expect, match
    assert (match.person == known.id) == (expect == "merge")


# -- importing into the store --------------------------------------------------


def test_a_membership_file_becomes_people_organisations_places_and_cells(
    store: GraphStore,
) -> None:
    report = import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    assert report.written and report.created > 0 and not report.rejected
    people = people_named(store)
    assert set(people) == {
        "Amina Yusuf",
        "Sam Okafor",
        "Samantha Okafor",
        "Zoë Brown",
        "Tom Brown",
        "Tom Reid",
    }
    # "Sam" may be "Samantha": kept apart and listed for review, not guessed.
    assert [(r.row, r.reason) for r in report.review] == [
        (4, "first name may be a short form, same surname")
    ]
    network = store.snapshot()
    orgs = Counter(d["name"] for _, d in network.nodes(data=True) if d["kind"] == "Organisation")
    assert orgs["The Coventry Grapevine Ltd"] == 1 and len(orgs) == 3, orgs
    grapevine = next(
        d for _, d in network.nodes(data=True) if d.get("name") == "The Coventry Grapevine Ltd"
    )
    assert grapevine["aliases"] == ["Grapevine, Coventry"]
    amina = people["Amina Yusuf"]["id"]
    assert {
        network.nodes[v]["name"]
        for _, v, k in network.out_edges(amina, keys=True)
        if k == "MEMBER_OF"
    } == {
        "Joining forces",
        "Listening",
    }
    places = {
        network.nodes[v]["name"]
        for _, v, k in network.out_edges(amina, keys=True)
        if k == "BASED_IN"
    }
    assert places == {"Coventry"}
    assert people["Zoë Brown"]["visibility"] == "connectors"
    assert people["Samantha Okafor"]["visibility"] == "hidden", "no consent given: most private"
    # Provenance names the import on nodes and relationships alike.
    assert people["Amina Yusuf"]["source"] == report.source
    assert all(d["source"] == report.source for *_, d in network.out_edges(amina, data=True))


def test_reimporting_the_same_file_changes_nothing(store: GraphStore) -> None:
    first = import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    version = store.version()
    again = import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    assert again.written and (again.created, again.updated) == (0, 0)
    assert again.unchanged > 0
    assert store.version() == version
    assert len(people_named(store)) == 6 and first.created > 0


def test_a_later_file_merges_the_same_people_across_years(store: GraphStore) -> None:
    import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    report = import_members(store, FIXTURES / "members_2025.csv", as_of=dt.date(2025, 6, 1))
    reasons = {m.row: m.reason for m in report.merges}
    # Different case and spacing, no email, organisation written differently.
    assert reasons[2] == "same name and organisation"
    assert reasons[3] == "same email"
    people = people_named(store)
    assert len(people) == 6, "nobody was duplicated"
    # "Tom Brown" at Leeds City Council has the name of the Sheffield lecturer
    # and shares no organisation with him: merged on the name alone.
    assert reasons[4] == "same name"
    zoe = people["Zoë Brown"]["id"]
    network = store.snapshot()
    grapevine = next(
        d for _, d in network.nodes(data=True) if d.get("name") == "The Coventry Grapevine Ltd"
    )
    assert grapevine["aliases"] == ["Coventry Grapevine", "Grapevine, Coventry"]
    assert {
        network.nodes[v]["name"]
        for _, v, k in network.out_edges(zoe, keys=True)
        if k == "WORKS_WITH"
    } == {
        "The Coventry Grapevine Ltd",
        "Northern Funders Trust",
    }


def test_a_file_with_a_bad_row_writes_nothing_unless_told_to_skip_it(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "members.csv"
    path.write_text("Name,Email\nAda Lovelace,ada@example.org\nBad Row,not-an-email\n,x@y.org\n")
    version = store.version()
    report = import_members(store, path)
    assert not report.written and store.version() == version
    assert [(p.row, p.reason) for p in report.rejected] == [
        (3, "the email (column 'Email') is not an email address"),
        (4, "has no name"),
    ]
    skipped = import_members(store, path, skip_bad_rows=True)
    assert skipped.written and set(people_named(store)) == {"Ada Lovelace"}
