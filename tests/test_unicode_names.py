"""Names in every script: told apart as written, matched and searched through a
transliteration that is never stored as the name."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graphsvc.model import Person, Provenance
from graphsvc.model.text import fold_name, fold_text
from graphsvc.service.imports import import_members
from graphsvc.store import GraphStore, open_store
from importers.report import erasure_keys
from importers.resolution import (
    KnownPerson,
    OrganisationResolver,
    PersonResolver,
    name_key,
    new_id,
)

FIXTURES = Path(__file__).parent / "fixtures"
EVERY_SCRIPT = FIXTURES / "members_names_in_every_script.csv"


def graphsvc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


def people_in(store_dir: Path) -> dict[str, str]:
    """Person id -> name, as stored."""
    with open_store(str(store_dir)) as store:
        network = store.snapshot()
    return {n: d["name"] for n, d in network.nodes(data=True) if d["kind"] == "Person"}


def test_three_people_named_in_chinese_and_arabic_are_three_people_spelt_as_written(
    tmp_path: Path,
) -> None:
    done = graphsvc("import", "members", str(EVERY_SCRIPT), "--store", str(tmp_path / "s"))
    assert done.returncode == 0, done.stdout + done.stderr
    people = people_in(tmp_path / "s")
    assert sorted(people.values()) == sorted(["王伟", "李娜", "محمد علي", "Zoë O'Brien"])
    assert len(set(people)) == 4
    assert new_id(Person, "") not in people, "no one's id is the hash of an empty name"


def test_cells_and_themes_named_in_any_script_get_ids_of_their_own(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "members.csv"
    path.write_text("Name,Cells,Interests\n王伟,青年小组; ???,住房\n李娜,青年小组,???\n", "utf-8")
    report = import_members(store, path)
    assert report.written and not report.rejected
    network = store.snapshot()
    named = {
        (d["kind"], d["name"]): n
        for n, d in network.nodes(data=True)
        if d["kind"] in ("Cell", "Theme")
    }
    assert set(named) == {
        ("Cell", "青年小组"),
        ("Cell", "???"),
        ("Theme", "住房"),
        ("Theme", "???"),
    }
    assert len(set(named.values())) == 4


def test_reimporting_names_in_every_script_changes_nothing(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    assert graphsvc("import", "members", str(EVERY_SCRIPT), "--store", store).returncode == 0
    again = graphsvc("import", "members", str(EVERY_SCRIPT), "--store", store, "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["created"], report["updated"]) == (0, 0)
    assert len(people_in(tmp_path / "s")) == 4


def test_names_are_searched_in_their_script_or_in_latin_letters(store: GraphStore) -> None:
    report = import_members(store, EVERY_SCRIPT)
    assert report.written

    def found(text: str) -> list[str]:
        return [p["name"] for p in store.search_people(text)]

    assert found("wang") == ["王伟"] and found("王伟") == ["王伟"]
    assert found("li na") == ["李娜"]
    assert found("محمد") == ["محمد علي"]
    assert found("zoe obr") == ["Zoë O'Brien"]


def test_names_that_transliterate_alike_are_two_people_and_not_a_pair_to_review() -> None:
    resolver = PersonResolver([KnownPerson("person:wang", "王伟")])
    other = resolver.resolve("汪伟", None, frozenset())
    assert not other.merged and other.person != "person:wang" and other.candidate is None


def test_a_name_in_latin_letters_may_be_the_same_as_one_in_its_own_script() -> None:
    resolver = PersonResolver([KnownPerson("person:wang", "王伟")])
    latin = resolver.resolve("Wang Wei", None, frozenset())
    assert not latin.merged and latin.candidate == "person:wang"
    assert latin.reason == "similar name (1.00)"


@pytest.mark.parametrize(
    ("known", "met"),
    [
        ("Zoë Brown", "ZOE BROWN"),
        ("Łukasz Nowak", "Lukasz Nowak"),
        ("Søren Ødegaard", "Soren Odegaard"),
        ("Nguyễn Văn An", "Nguyen Van An"),
        ("Ελένη Παππά", "ΕΛΈΝΗ ΠΑΠΠΆ"),
        ("مُحَمَّد علي", "محمد علي"),
    ],
)
def test_case_and_accents_do_not_tell_names_apart(known: str, met: str) -> None:
    resolver = PersonResolver([KnownPerson("person:a", known)])
    match = resolver.resolve(met, None, frozenset())
    assert (match.person, match.merged, match.reason) == ("person:a", True, "same name")


def test_a_mark_that_makes_another_letter_tells_names_apart() -> None:
    # In Japanese kana the voicing mark is part of the letter: ガ is not カ.
    assert name_key("ガンダ") != name_key("カンダ")


@pytest.mark.parametrize("name", ["🙂", "???", "\ue000", "李", "—"])
def test_a_name_never_folds_to_nothing(name: str) -> None:
    assert name_key(name)
    assert erasure_keys(name, None), "an erasure can find the rows about them"


def test_two_names_of_symbols_alone_are_two_people() -> None:
    resolver = PersonResolver([KnownPerson("person:smile", "🙂")])
    assert not resolver.resolve("🙃", None, frozenset()).merged
    assert resolver.resolve("🙂", None, frozenset()).merged


@pytest.mark.parametrize(
    "text", ["王伟", "محمد علي", "Иван Петров", "김민준", "ガンダム", "प्रिया", "🙂", "a*b OR c:d"]
)
def test_search_text_folds_to_plain_ascii_words_only(text: str) -> None:
    # The full-text queries are built from these words: nothing else may reach them.
    assert re.fullmatch(r"[0-9a-z ]*", fold_text(text))


def test_the_stored_name_is_the_spelling_the_file_gave(seen: Provenance) -> None:
    person = Person(id="person:1", name="李娜", provenance=seen)
    assert person.properties()["name"] == "李娜"
    assert person.name_folded == "li na" and fold_name(person.name) == "李娜"


def test_organisations_named_in_chinese_are_told_apart_as_written() -> None:
    resolver = OrganisationResolver([])
    peking, _ = resolver.resolve("北京大学")
    normal, new = resolver.resolve("北京师范大学")
    assert new and normal != peking
    assert resolver.resolve("北京大学")[0] == peking
