"""Possible matches are kept for a person to decide, and decisions are remembered."""

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from graphsvc.cli import app
from graphsvc.service.imports import import_members
from graphsvc.store import GraphStore, open_store

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = dt.date(2025, 1, 31)


def test_uncertain_pairs_wait_for_review_and_stay_apart_once_decided(store: GraphStore) -> None:
    report = import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    [pair] = store.possible_matches()
    assert (pair.person_name, pair.candidate_name) == ("Samantha Okafor", "Sam Okafor")
    assert (pair.person, pair.candidate) == (report.review[0].person, report.review[0].candidate)
    assert pair.reason == "first name may be a short form, same surname"
    assert pair.source == report.source
    # Re-importing proposes the same pair, not a second one.
    import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    assert len(store.possible_matches()) == 1
    assert not store.keep_apart(pair.candidate, pair.person), "no such pair: wrong way round"
    version = store.version()
    assert store.keep_apart(pair.person, pair.candidate)
    assert store.version() > version and store.possible_matches() == []
    again = import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    assert again.review == [] and store.possible_matches() == []
    # Still two people: a decision to keep apart merges nothing.
    names = {d["name"] for _, d in store.snapshot().nodes(data=True) if d["kind"] == "Person"}
    assert {"Sam Okafor", "Samantha Okafor"} <= names


def test_the_review_command_lists_pairs_and_records_decisions(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    with open_store(location) as graph:
        import_members(graph, FIXTURES / "members_2024.csv", as_of=AS_OF)
    runner = CliRunner()
    listed = runner.invoke(app, ["review", "--store", location, "--json"])
    assert listed.exit_code == 0, listed.output
    [pair] = json.loads(listed.output)
    table = runner.invoke(app, ["review", "--store", location], env={"COLUMNS": "200"})
    assert "Samantha Okafor" in table.output and "same surname" in table.output
    wrong = runner.invoke(
        app, ["review", "different", "person:nobody", pair["candidate"], "--store", location]
    )
    assert wrong.exit_code != 0
    decided = runner.invoke(
        app, ["review", "different", pair["person"], pair["candidate"], "--store", location]
    )
    assert decided.exit_code == 0, decided.output
    after = runner.invoke(app, ["review", "--store", location])
    assert "No possible matches" in after.output


def test_a_pair_from_an_import_shows_where_each_works_and_is_based(store: GraphStore) -> None:
    import_members(store, FIXTURES / "members_2024.csv", as_of=AS_OF)
    [pair] = store.possible_matches()
    assert (pair.person_name, pair.candidate_name) == ("Samantha Okafor", "Sam Okafor")
    assert pair.person_organisations == pair.candidate_organisations == ("Leeds City Council",)
    assert pair.person_places == pair.candidate_places == ("Leeds",)


def test_the_review_command_shows_organisation_and_place_for_an_import_not_its_source(
    tmp_path: Path,
) -> None:
    location = str(tmp_path / "store")
    with open_store(location) as graph:
        import_members(graph, FIXTURES / "members_2024.csv", as_of=AS_OF)
    table = CliRunner().invoke(app, ["review", "--store", location], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Leeds City Council · Leeds" in table.output
    assert "import:members_2024.csv#" not in table.output


def test_two_people_known_by_a_first_name_alone_are_sent_to_review_not_merged() -> None:
    from importers.resolution import KnownPerson, PersonResolver

    resolver = PersonResolver([KnownPerson("person:andrew", "Andrew", "andrew@example.org")])
    other = resolver.resolve("Andrew", None, frozenset())
    assert not other.merged and other.candidate == "person:andrew"
    assert other.reason == "same first name only"
    assert resolver.resolve("Andrew", "andrew@example.org", frozenset()).merged
    # A full name is still one person, as members rarely share one.
    full = PersonResolver([KnownPerson("person:ak", "Andrew Kerr")])
    assert full.resolve("Andrew Kerr", None, frozenset()).merged
