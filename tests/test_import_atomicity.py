"""A file takes effect whole or not at all: across a crash, a failed write and a full disk.

Each test imports a real file through the application layer (or the CLI, in a
process that is then killed) into a store that already holds a network, and
compares the graph afterwards with a snapshot taken before.
"""

import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.errors import GraphsvcError, RecordError
from graphsvc.model import Organisation, Person, WorksWith
from graphsvc.service import ImportOptions, Network
from graphsvc.service import imports as service_imports
from graphsvc.store import GraphStore, open_store
from graphsvc.synthetic import generate_network
from importers.graph_records import Records

# The network before the import: the first members of the file, a year earlier.
MEMBERS_BEFORE = 300
Graph = tuple[dict[str, dict[str, object]], Counter[str]]


def write_members(path: Path, members: int, job_title_prefix: str = "") -> Path:
    """A membership export of the seeded synthetic network's first ``members``."""
    network = generate_network(max(members, MEMBERS_BEFORE), seed=5)
    cells_of: dict[int, list[str]] = {}
    for person, cell, _ in network.memberships:
        cells_of.setdefault(int(person), []).append(network.cells[int(cell)].name)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Name", "Email", "Organisation", "Job title", "Town", "Sector", "Cells"])
        for i in range(members):
            org = int(network.organisation[i])
            out.writerow(
                [
                    network.names[i],
                    network.emails[i],
                    network.organisations[org].name if org >= 0 else "",
                    job_title_prefix + network.job_title[i],
                    network.towns[int(network.town[i])][0],
                    network.sectors[int(network.sector[i])],
                    "; ".join(cells_of.get(i, [])),
                ]
            )
    return path


def everything(store: GraphStore) -> Graph:
    """Every node with its properties and every relationship with its own, to compare."""
    graph = store.snapshot()
    edges = Counter(
        repr((start, end, key, sorted(props.items())))
        for start, end, key, props in graph.edges(keys=True, data=True)
    )
    return {node: dict(props) for node, props in graph.nodes(data=True)}, edges


def members(as_of: str) -> ImportOptions:
    return ImportOptions.parse("members", as_of=as_of)


@contextmanager
def network_on(store: GraphStore, accounts_path: Path) -> Iterator[Network]:
    """The application layer over the test's store (each open undoes imports cut short)."""
    accounts = open_accounts(accounts_path)
    try:
        with Network(store, accounts, background=False) as network:
            yield network
    finally:
        accounts.close()


def newest_report(accounts_path: Path) -> dict[str, Any]:
    accounts: AccountStore = open_accounts(accounts_path)
    try:
        (_, _, report), *_ = accounts.import_reports()
        return dict(report)
    finally:
        accounts.close()


@pytest.fixture
def accounts_path(tmp_path: Path) -> Path:
    return tmp_path / "accounts.sqlite"


@pytest.fixture
def before(store: GraphStore, accounts_path: Path, tmp_path: Path) -> Graph:
    """The store holds a network (an earlier export of some of the same members)."""
    earlier = write_members(tmp_path / "members-2024.csv", MEMBERS_BEFORE)
    with network_on(store, accounts_path) as network:
        assert network.import_file(earlier, members("2024-06-30")).written
    return everything(store)


# --- a crash ---------------------------------------------------------------------------


def _command_for(
    store: GraphStore, accounts_path: Path, file: Path
) -> tuple[list[str], dict[str, str]]:
    """``graphsvc import members FILE`` on the test's store, and its environment."""
    address = store.address
    env = {**os.environ, "GRAPHSVC_ACCOUNTS": str(accounts_path)}
    if address.backend == "falkordb":
        env["GRAPHSVC_GRAPH"] = address.graph or "network"
    command = [sys.executable, "-m", "graphsvc", "import", "members", str(file)]
    return [*command, "--store", address.target, "--as-of", "2025-06-30"], env


def _kill_once_it_writes_ties(store: GraphStore, process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the import once it writes relationships: its nodes are in the store, and
    some of their ties."""
    ties = sum(store.counts().relationships.values())
    deadline = time.monotonic() + 300
    while sum(store.counts().relationships.values()) == ties:
        assert process.poll() is None, "the import ended before it wrote anything"
        assert time.monotonic() < deadline, "the import wrote nothing in 5 minutes"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def test_an_import_killed_mid_write_is_undone_when_the_network_next_opens(
    store: GraphStore, before: Graph, accounts_path: Path, tmp_path: Path
) -> None:
    big = write_members(tmp_path / "members-2025.csv", 8000, job_title_prefix="Senior ")
    command, env = _command_for(store, accounts_path, big)
    with (tmp_path / "import.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    _kill_once_it_writes_ties(store, process)
    assert everything(store) != before, "killed part way: some of the file was written"
    (left,) = store.import_journals()
    assert left.abandoned and left.file == big.name

    with network_on(store, accounts_path):
        pass
    assert everything(store) == before, "nothing of the file remains, and the rest is as it was"
    assert store.import_journals() == []
    report = newest_report(accounts_path)
    assert report["file"] == big.name and not report["written"]
    assert "Cut short" in report["notes"][-1] and "undone" in report["notes"][-1]

    with network_on(store, accounts_path) as network:
        again = network.import_file(big, members("2025-06-30"))
    assert again.written, "the same file imports whole afterwards"
    assert store.counts().nodes["Person"] >= 8000 * 0.99
    assert store.import_journals() == []


# --- a failure part way ------------------------------------------------------------------


def _with_records_after(monkeypatch: pytest.MonkeyPatch, more: Callable[[Records], None]) -> None:
    """Make the import's records end with ``more``: the later batches fail, in a real way."""
    real = service_imports.membership_records

    def ending_badly(*args: Any, **kwargs: Any) -> Records:
        records = real(*args, **kwargs)
        more(records)
        return records

    monkeypatch.setattr(service_imports, "membership_records", ending_badly)


def test_an_import_whose_last_batch_names_a_missing_node_leaves_nothing_of_the_file(
    store: GraphStore,
    before: Graph,
    accounts_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = write_members(tmp_path / "members-2025.csv", 3000, job_title_prefix="Senior ")
    seen = store.state()
    _with_records_after(
        monkeypatch,
        lambda records: records.relationships.append(
            WorksWith(
                start="person:nobody", end="org:nowhere", provenance=records.nodes[0].provenance
            )
        ),
    )
    with network_on(store, accounts_path) as network, pytest.raises(RecordError) as failed:
        network.import_file(big, members("2025-06-30"))
    assert "what it had written was undone, so nothing of the file was imported" in str(
        failed.value
    )
    assert everything(store) == before
    assert store.import_journals() == []
    undone = store.state()
    assert undone.purged > seen.purged, "the people it had added are gone from every cache"
    report = newest_report(accounts_path)
    assert not report["written"] and report["created"] == 0
    assert report["notes"][-1].startswith("Not imported: writing stopped part way")

    monkeypatch.undo()
    with network_on(store, accounts_path) as network:
        assert network.import_file(big, members("2025-06-30")).written
    assert store.counts().nodes["Person"] >= 3000 * 0.99


class Unstorable(Organisation):
    """An organisation whose aliases no database stores: a map in a list."""

    def properties(self) -> dict[str, object]:
        return {**super().properties(), "aliases": [{"not": "storable"}]}


def test_an_import_the_database_refuses_part_way_leaves_nothing_of_the_file(
    store: GraphStore,
    before: Graph,
    accounts_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = write_members(tmp_path / "members-2025.csv", 3000, job_title_prefix="Senior ")
    _with_records_after(
        monkeypatch,
        lambda records: records.nodes.append(
            Unstorable(
                id="org:unstorable", name="Unstorable", provenance=records.nodes[0].provenance
            )
        ),
    )
    with network_on(store, accounts_path) as network, pytest.raises(Exception) as failed:
        network.import_file(big, members("2025-06-30"))
    assert not isinstance(failed.value, GraphsvcError), "the database refused the batch"
    assert everything(store) == before
    assert store.import_journals() == []
    note = newest_report(accounts_path)["notes"][-1]
    assert f"({type(failed.value).__name__})" in note and "was undone" in note
    assert "Unstorable" not in note, "the database's message, which may quote data, is not kept"


def test_an_import_finished_but_not_yet_reported_is_reported_when_the_network_next_opens(
    store: GraphStore, before: Graph, accounts_path: Path, tmp_path: Path
) -> None:
    seen = dt.date(2025, 6, 30)
    journal = store.begin_import("one.csv", "import:one.csv#1", user_id=3)
    provenance = next(iter(before[0].values()))
    written = store.upsert_nodes(
        [
            Person.model_validate(
                {
                    "id": "person:late",
                    "name": "Late Reporter",
                    "provenance": {
                        "source": str(provenance["source"]),
                        "first_seen": seen,
                        "last_seen": seen,
                    },
                }
            )
        ],
        journal=journal,
    )
    store.finish_import(journal, written)
    journal.release()  # the process stops here, before its report is kept

    with network_on(store, accounts_path):
        pass
    assert store.person("person:late") is not None, "a finished import stands"
    assert store.import_journals() == []
    report = newest_report(accounts_path)
    assert report["written"] and report["created"] == 1
    assert report["notes"][-1].startswith("Imported whole")


# --- a full disk ---------------------------------------------------------------------------


@contextmanager
def small_disk(path: Path, mib: int) -> Iterator[Path]:
    """A tmpfs of ``mib`` MiB at ``path`` (root only)."""
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={mib}m", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a full disk is not tested here: mounting a small tmpfs needs root")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path, leave_mib: int) -> Path:
    """Fill the disk but ``leave_mib`` MiB."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    filler = disk / "filler"
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave_mib * 2**20))
    return filler


def test_an_import_that_fills_the_disk_leaves_nothing_of_the_file(tmp_path: Path) -> None:
    big = write_members(tmp_path / "members-2025.csv", 20000, job_title_prefix="Senior ")
    accounts_path = tmp_path / "accounts.sqlite"  # on another disk: the report can be kept
    with small_disk(tmp_path / "disk", 40) as disk:
        store = open_store(str(disk / "store"), graph=f"t{uuid.uuid4().hex[:12]}")
        try:
            earlier = write_members(tmp_path / "members-2024.csv", MEMBERS_BEFORE)
            with network_on(store, accounts_path) as network:
                assert network.import_file(earlier, members("2024-06-30")).written
            before = everything(store)
            filler = fill(disk, leave_mib=5)
            with network_on(store, accounts_path) as network, pytest.raises(GraphsvcError):
                network.import_file(big, members("2025-06-30"))
            assert newest_report(accounts_path)["notes"][-1].startswith("Not imported")

            filler.unlink()  # space again: the next open undoes whatever is left
            with network_on(store, accounts_path):
                pass
            assert everything(store) == before
            assert store.import_journals() == []
        finally:
            store.close()
