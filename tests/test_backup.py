"""Backups, restores and copies between stores: the same graph comes back, on
either backend, whatever the other end was; a busy network is read at one
moment; a store in use is not overwritten unless asked."""

import json
import os
import stat
import threading
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_cli import run

from graphsvc.model import MayBeSame, Person, Provenance, Visibility
from graphsvc.service.backup import BackupError, read_manifest, restore_backup, write_backup
from graphsvc.store import GraphStore, WriteSummary, open_store
from graphsvc.store.transfer import read_nodes, read_relationships
from graphsvc.synthetic import NetworkRecords

type Everything = tuple[list[tuple[str, str]], list[tuple[str, str, str, str]], dict[str, Any]]


def everything(store: GraphStore) -> Everything:
    """Every node and relationship with all its properties, and the graph's facts."""
    nodes = sorted((row.kind, json.dumps(row.props, sort_keys=True)) for row in read_nodes(store))
    relationships = sorted(
        (row.type, row.start, row.end, json.dumps(row.props, sort_keys=True))
        for row in read_relationships(store)
    )
    meta = store.graph_meta()
    facts = {name: meta.get(name) for name in ("version", "purged", "consent")}
    return nodes, relationships, facts


def fill(store: GraphStore, network: NetworkRecords, seen: Provenance) -> None:
    """A network with everything a store can hold: possible matches open and decided,
    an erasure and a change of consent among its marks."""
    store.upsert_nodes(network.nodes())
    store.upsert_relationships(network.relationships())
    people = sorted(node for node in store.visibilities())
    store.upsert_nodes(
        [Person(id="person:twin", provenance=seen, name="Ana Twin", email="ana@example.org")]
    )
    store.upsert_relationships(
        [
            MayBeSame(start="person:twin", end=people[0], provenance=seen, reason="same name"),
            MayBeSame(start="person:twin", end=people[1], provenance=seen, reason="same email"),
        ]
    )
    assert store.keep_apart("person:twin", people[1])
    assert store.erase_person(people[2])
    store.upsert_nodes(
        [Person(id=people[3], provenance=seen, name="Changed", visibility=Visibility.HIDDEN)]
    )


@pytest.fixture
def fresh_embedded(embedded_dir: Path) -> Iterator[GraphStore]:
    graph = open_store(str(embedded_dir), graph=f"t{uuid.uuid4().hex[:12]}")
    yield graph
    graph.clear()
    graph.close()


@pytest.mark.parametrize("direction", ["from this backend", "into this backend"])
def test_a_backup_restored_into_an_empty_store_gives_the_same_graph(
    store: GraphStore,
    fresh_embedded: GraphStore,
    small_network: NetworkRecords,
    seen: Provenance,
    tmp_path: Path,
    direction: str,
) -> None:
    source, target = (store, fresh_embedded)
    if direction == "into this backend":
        source, target = target, source
    fill(source, small_network, seen)
    file = tmp_path / "network.zip"

    taken = write_backup(source, file)
    restored = restore_backup(file, target, replace=direction == "into this backend")

    assert taken == restored == read_manifest(file)
    nodes, relationships, facts = everything(target)
    assert (nodes, relationships) == everything(source)[:2]
    assert len(nodes) == sum(taken.nodes.values()) and len(relationships) > 1000
    assert {row[0] for row in relationships} >= {"MAY_BE_SAME", "ATTENDED", "KNOWS"}
    assert facts["version"] >= everything(source)[2]["version"]
    assert [m.candidate for m in target.possible_matches()] == [
        m.candidate for m in source.possible_matches()
    ]
    assert target.identities().kept_apart == source.identities().kept_apart != set()


def test_into_an_empty_store_the_graph_version_and_its_marks_are_kept_exactly(
    store: GraphStore,
    fresh_embedded: GraphStore,
    small_network: NetworkRecords,
    seen: Provenance,
    tmp_path: Path,
) -> None:
    fill(store, small_network, seen)
    write_backup(store, tmp_path / "network.zip")
    restore_backup(tmp_path / "network.zip", fresh_embedded)
    assert everything(fresh_embedded) == everything(store)
    assert store.state().purged > 0 and store.state().consent > 0


def test_restoring_over_a_used_store_moves_its_version_past_what_it_held(
    store: GraphStore,
    fresh_embedded: GraphStore,
    small_network: NetworkRecords,
    seen: Provenance,
    tmp_path: Path,
) -> None:
    fresh_embedded.upsert_nodes([Person(id="person:solo", provenance=seen, name="Solo")])
    write_backup(fresh_embedded, tmp_path / "small.zip")
    fill(store, small_network, seen)
    held = store.state()

    restore_backup(tmp_path / "small.zip", store, replace=True)

    after = store.state()
    # A service that answered from what the store held sees that it is gone.
    assert after.version > held.version and after.purged == after.version
    assert [row.props["id"] for row in read_nodes(store)] == ["person:solo"]


def test_restore_refuses_a_store_that_holds_anything_unless_told_to_replace_it(
    store: GraphStore, fresh_embedded: GraphStore, seen: Provenance, tmp_path: Path
) -> None:
    fresh_embedded.upsert_nodes([Person(id="person:a", provenance=seen, name="A")])
    write_backup(fresh_embedded, tmp_path / "a.zip")
    store.upsert_nodes([Person(id="person:b", provenance=seen, name="B")])

    with pytest.raises(BackupError, match=r"not empty.*--replace"):
        restore_backup(tmp_path / "a.zip", store)
    assert [row.props["id"] for row in read_nodes(store)] == ["person:b"]


def test_a_backup_read_while_the_network_changes_holds_one_moment_of_it(
    store: GraphStore, small_network: NetworkRecords, seen: Provenance, tmp_path: Path
) -> None:
    store.upsert_nodes(small_network.nodes())
    store.upsert_relationships(small_network.relationships())
    people_at: dict[int, int] = {store.version(): len(store.visibilities())}
    started = threading.Event()

    def keep_writing() -> None:
        for batch in range(40):
            store.upsert_nodes(
                [
                    Person(id=f"person:w{batch}-{i}", provenance=seen, name=f"W {batch} {i}")
                    for i in range(25)
                ]
            )
            people_at[store.version()] = len(store.visibilities())
            started.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    started.wait(30)
    try:
        taken = write_backup(store, tmp_path / "busy.zip")
    finally:
        writer.join()

    with zipfile.ZipFile(tmp_path / "busy.zip") as archive:
        people = [
            line
            for line in archive.read("nodes.jsonl").splitlines()
            if json.loads(line)["kind"] == "Person"
        ]
    assert taken.meta["version"] in people_at
    assert len(people) == taken.nodes["Person"] == people_at[taken.meta["version"]]


def test_a_backup_is_owner_only_and_a_damaged_one_is_refused_in_one_line(
    store: GraphStore, seen: Provenance, tmp_path: Path
) -> None:
    store.upsert_nodes([Person(id="person:a", provenance=seen, name="A")])
    file = tmp_path / "a.zip"
    previous = os.umask(0o022)
    try:
        write_backup(store, file)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600

    file.write_bytes(file.read_bytes()[:200])
    with pytest.raises(BackupError, match="is not a graphsvc backup"):
        read_manifest(file)
    with pytest.raises(BackupError, match="no such file"):
        read_manifest(tmp_path / "missing.zip")


# --- the commands, as a user runs them ------------------------------------------------


def _neo4j_or_embedded(tmp_path: Path, name: str) -> str:
    return os.environ.get("NEO4J_URI") or str(tmp_path / name)


def test_store_copy_moves_a_network_to_neo4j_and_back_and_can_be_run_again(
    tmp_path: Path,
) -> None:
    origin, back = str(tmp_path / "origin"), str(tmp_path / "back")
    middle = _neo4j_or_embedded(tmp_path, "middle")
    assert run("demo", "--store", origin, "--members", "200", "--no-serve").returncode == 0

    there = run("store", "copy", "--from", origin, "--to", middle, "--replace")
    assert there.returncode == 0, there.stderr
    assert "counts checked" in there.stdout
    again = run("store", "copy", "--from", origin, "--to", middle)
    assert again.returncode == 0, again.stderr
    home = run("store", "copy", "--from", middle, "--to", back)
    assert home.returncode == 0, home.stderr

    with open_store(origin) as first, open_store(middle) as second, open_store(back) as last:
        assert everything(first)[:2] == everything(second)[:2] == everything(last)[:2]
        assert everything(last)[2]["version"] == everything(first)[2]["version"]

    refused = run("store", "copy", "--from", back, "--to", origin)
    assert refused.returncode == 2
    assert "not empty and not a copy" in refused.stderr and "Traceback" not in refused.stderr


def test_backup_and_restore_bring_back_the_users_too(tmp_path: Path) -> None:
    origin, target = str(tmp_path / "origin"), str(tmp_path / "target")
    assert run("demo", "--store", origin, "--members", "100", "--no-serve").returncode == 0
    added = run(
        "user", "add", "admin@example.org", "--role", "admin", "--store", origin,
        "--password", "a long enough password",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    file = tmp_path / "backup.zip"

    taken = run("backup", str(file), "--store", origin)
    assert taken.returncode == 0, taken.stderr
    restored = run("restore", str(file), "--store", target)
    assert restored.returncode == 0, restored.stderr

    listed = run("user", "list", "--store", target)
    assert "admin@example.org" in listed.stdout
    again = run("restore", str(file), "--store", target)
    assert again.returncode == 2 and "--replace" in again.stderr
    assert run("restore", str(file), "--store", target, "--replace").returncode == 0


def test_a_backup_waits_for_an_import_part_way_through_to_finish(
    store: GraphStore, seen: Provenance, tmp_path: Path
) -> None:
    store.upsert_nodes([Person(id="person:a", provenance=seen, name="A")])
    journal = store.begin_import("members.csv", "test-import")
    store.upsert_nodes([Person(id="person:b", provenance=seen, name="B")], journal=journal)
    taken: list[Any] = []
    backing_up = threading.Thread(
        target=lambda: taken.append(write_backup(store, tmp_path / "during.zip"))
    )
    backing_up.start()
    backing_up.join(2.5)
    assert backing_up.is_alive(), "the backup did not wait for the import"

    store.upsert_nodes([Person(id="person:c", provenance=seen, name="C")], journal=journal)
    store.finish_import(journal, WriteSummary(created=2))
    store.forget_import(journal)
    backing_up.join(60)

    assert taken and taken[0].nodes["Person"] == 3
