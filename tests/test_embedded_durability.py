"""The embedded store keeps every acknowledged write, and recovers by itself."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from graphsvc.errors import StoreConfigError
from graphsvc.model import Person, Provenance
from graphsvc.store import GraphStore, open_store
from graphsvc.store.falkordb_embedded import EmbeddedFalkorDBRunner

# Writes people one at a time, printing each id once its write has returned.
WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from graphsvc.model import Person, Provenance
    from graphsvc.store import GraphStore, open_store
    seen = Provenance(source="crash-test", first_seen=dt.date(2024, 1, 1),
                      last_seen=dt.date(2024, 1, 1))
    store = open_store(sys.argv[1], graph="durable")
    print("server", store.runner.server_pid, flush=True)
    for i in range(100_000):
        store.upsert_nodes([Person(id=f"person:{i}", name=f"Person {i}", provenance=seen)])
        print("ack", i, flush=True)
""")


def _start_writer(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert writer.stdout is not None
    first = writer.stdout.readline().split()
    assert first[0] == "server", first
    return writer, int(first[1])


def _read_acks(writer: subprocess.Popen[str], at_least: int) -> list[int]:
    assert writer.stdout is not None
    acks = []
    while len(acks) < at_least:
        line = writer.stdout.readline()
        assert line, "the writer stopped early"
        acks.append(int(line.split()[1]))
    return acks


def _stored_people(data_dir: Path) -> set[str]:
    with open_store(str(data_dir), graph="durable") as store:
        return {n for n, kind in store.snapshot().nodes(data="kind") if kind == "Person"}


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, f"process {pid} did not stop"
        time.sleep(0.05)


def test_every_acknowledged_write_survives_killing_the_database(tmp_path: Path) -> None:
    writer, server_pid = _start_writer(tmp_path)
    acks = _read_acks(writer, at_least=200)
    os.kill(server_pid, signal.SIGKILL)  # mid-stream: the writer is still writing
    _wait_gone(server_pid)
    rest, _ = writer.communicate(timeout=30)
    acks += [int(line.split()[1]) for line in rest.splitlines() if line.startswith("ack")]
    assert writer.returncode != 0, "the writer should have noticed the database stop"

    stored = _stored_people(tmp_path)  # restarts the database: no manual clean-up
    assert {f"person:{i}" for i in acks} <= stored
    assert len(stored) - len(acks) <= 1, "at most the one unacknowledged write may be there"


def test_a_killed_client_leaves_the_store_usable(tmp_path: Path) -> None:
    writer, server_pid = _start_writer(tmp_path)
    acks = _read_acks(writer, at_least=50)
    writer.kill()
    writer.wait(timeout=10)
    assert {f"person:{i}" for i in acks} <= _stored_people(tmp_path)
    # The last client to close stops the database the dead one left running.
    _wait_gone(server_pid)


def test_the_store_recovers_after_its_log_was_compacted_and_then_killed(tmp_path: Path) -> None:
    import datetime as dt

    from graphsvc.model import Person, Provenance

    seen = Provenance(source="t", first_seen=dt.date(2024, 1, 1), last_seen=dt.date(2024, 1, 1))
    store = open_store(str(tmp_path), graph="durable")
    runner = store.runner
    assert isinstance(runner, EmbeddedFalkorDBRunner)
    store.upsert_nodes(Person(id=f"person:{i}", name=f"P {i}", provenance=seen) for i in range(50))
    runner.compact()
    store.upsert_nodes(
        Person(id=f"person:{i}", name=f"P {i}", provenance=seen) for i in range(50, 80)
    )
    os.kill(runner.server_pid, signal.SIGKILL)
    _wait_gone(runner.server_pid)
    store.close()
    assert _stored_people(tmp_path) == {f"person:{i}" for i in range(80)}


def test_closing_a_store_used_from_several_threads_stops_its_database(tmp_path: Path) -> None:
    import threading

    store = open_store(str(tmp_path))
    server_pid = store.runner.server_pid  # type: ignore[attr-defined]

    def read_counts() -> None:
        for _ in range(10):
            store.counts()

    threads = [threading.Thread(target=read_counts) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    _wait_gone(server_pid)


def test_an_erased_person_is_gone_from_every_file_of_the_store(tmp_path: Path) -> None:
    """Including the server's records of the queries that wrote and read them."""
    email = "erasmus@example.org"
    erased = _person("person:1", "Erasmus Forgettable", email=email)
    with open_store(str(tmp_path)) as store:
        store.upsert_nodes([erased, _person("person:2", "Keeper Remembered")])
    # A clean shutdown left an RDB snapshot holding them, besides the log.
    with open_store(str(tmp_path)) as store:
        # As on a server that records queries (a store kept before this was
        # stopped): each query's text and parameters go into a saved stream.
        _client(store).delete(RECORDS.format(graph="network"))
        assert _recorded(store, "network", email)
        assert store.erase_person("person:1")
        files = b"".join(f.read_bytes() for f in tmp_path.rglob("*") if f.is_file())
        assert b"Keeper Remembered" in files
        assert b"Forgettable" not in files and email.encode() not in files


def test_the_database_keeps_no_record_of_queries(tmp_path: Path) -> None:
    email = "private@example.org"
    with (
        open_store(str(tmp_path), graph="quiet") as quiet,
        open_store(str(tmp_path), graph="control") as control,
    ):
        for store in (quiet, control):
            store.upsert_nodes([_person("person:1", "Private Name", email=email)])
        # The control shows that the server did copy queries out meanwhile.
        _client(control).delete(RECORDS.format(graph="control"))
        assert _recorded(control, "control", email, also=quiet)
        assert email.encode() not in (_client(quiet).dump(RECORDS.format(graph="quiet")) or b"")


# FalkorDB's stream of finished queries, per graph.
RECORDS = "telemetry{{{graph}}}"


def _person(person_id: str, name: str, email: str | None = None) -> Person:
    seen = Provenance(source="t", first_seen=dt.date(2024, 1, 1), last_seen=dt.date(2024, 1, 1))
    return Person(id=person_id, name=name, email=email, provenance=seen)


def _client(store: GraphStore) -> Any:
    return store.runner._db.client  # type: ignore[attr-defined]


def _recorded(store: GraphStore, graph: str, email: str, also: GraphStore | None = None) -> bool:
    """Query by ``email`` until the server's records of ``graph`` hold it.

    The server copies queries out every 0.25 to 3 s; ``also`` is queried alike.
    """
    query = "MATCH (p:Person {email: $email}) RETURN p.id"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for each in (store, also) if also else (store,):
            each.runner.read(query, {"email": email})
        if email.encode() in (_client(store).dump(RECORDS.format(graph=graph)) or b""):
            return True
        time.sleep(0.05)
    return False


def test_a_stale_record_of_a_dead_server_is_cleaned_up(tmp_path: Path) -> None:
    # The record names a pid that is alive (this process) but no server socket.
    pidfile = tmp_path / "old.pid"
    pidfile.write_text(str(os.getpid()))
    (tmp_path / "graph.db.settings").write_text(
        json.dumps(
            {
                "pidfile": str(pidfile),
                "unixsocket": str(tmp_path / "gone.socket"),
                "dbdir": str(tmp_path),
                "dbfilename": "graph.db",
            }
        )
    )
    with open_store(str(tmp_path), graph="durable") as store:
        assert store.counts().nodes["Person"] == 0


def test_the_database_runs_with_an_append_only_file_synced_on_every_write(
    tmp_path: Path,
) -> None:
    with open_store(str(tmp_path)) as store:
        runner = store.runner
        assert isinstance(runner, EmbeddedFalkorDBRunner)
        assert runner.durability_settings() == {"appendonly": "yes", "appendfsync": "always"}
    assert (tmp_path / "appendonlydir").is_dir()


@pytest.mark.parametrize(
    "make_path",
    [
        lambda tmp: tmp / "a-file" / "data",  # under a regular file
        lambda tmp: Path("/proc/graphsvc-test/data"),  # a filesystem nobody can write
    ],
)
def test_an_unusable_data_directory_is_refused_before_anything_is_written(
    tmp_path: Path, make_path: object
) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    path = make_path(tmp_path)  # type: ignore[operator]
    with pytest.raises(StoreConfigError, match="GRAPHSVC_STORE / --store: cannot write"):
        open_store(str(path))
    assert not path.exists()


def test_a_file_given_as_the_data_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    with pytest.raises(StoreConfigError, match="is a file, not a directory"):
        open_store(str(tmp_path / "a-file"))
    assert (tmp_path / "a-file").read_text() == "not a directory"


def test_the_service_answers_503_while_its_database_is_down_and_recovers_by_itself(
    small_network: Any, tmp_path: Path
) -> None:
    from api_service import build_service

    from graphsvc.access import Role

    store = open_store(str(tmp_path / "store"))
    assert isinstance(store.runner, EmbeddedFalkorDBRunner)
    with build_service(store, small_network, tmp_path / "accounts.sqlite") as service:
        people = service.get("/api/people", Role.MEMBER).json()["total"]
        pid = store.runner.server_pid
        time.sleep(2.1)  # past the least time between two starts

        os.kill(pid, signal.SIGKILL)
        psutil.Process(pid).wait(10)
        down = service.get("/api/health", None)
        assert down.status_code == 503, down.text
        error = down.json()["error"]
        assert error["code"] == "store_unavailable"
        assert "store: the embedded database" in error["message"]
        parts = {detail["loc"][0]: detail["msg"] for detail in error["details"]}
        assert parts["accounts"] == "ok" and "embedded database" in parts["store"]
        assert down.headers["retry-after"] == "5"

        deadline = time.monotonic() + 30
        while (answer := service.get("/api/people", Role.MEMBER)).status_code != 200:
            assert answer.status_code == 503, answer.text
            assert time.monotonic() < deadline, "the service did not recover by itself"
            time.sleep(0.2)
        assert answer.json()["total"] == people
        assert store.runner.server_pid != pid
        assert service.get("/api/health", None).json()["status"] == "ok"
