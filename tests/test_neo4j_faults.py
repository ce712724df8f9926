"""Neo4j stopping under a running service: requests get a clear 503, and the
service answers again by itself once Neo4j is back.

The test runs a Neo4j of its own (tools/neo4j-server), so that it can stop and
start it without disturbing the one the other tests share.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from api_service import build_service
from serving import free_port

from graphsvc.access import Role
from graphsvc.store import GraphStore, open_store, queries
from graphsvc.store.neo4j_server import Neo4jRunner
from graphsvc.synthetic import NetworkRecords

SERVER = Path(__file__).parent.parent / "tools" / "neo4j-server" / "run.sh"
PASSWORD = "a password for this test's own Neo4j"


def start_neo4j(data: Path, port: int) -> subprocess.Popen[str]:
    """A Neo4j on ``port`` with its data in ``data``, once it answers."""
    env = {**os.environ, "NEO4J_TEST_PASSWORD": PASSWORD}
    server = subprocess.Popen(
        [str(SERVER), str(data), str(port)], env=env, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    assert server.stdout.readline().startswith("NEO4J_URI="), "the Neo4j server did not start"
    return server


def stop_neo4j(server: subprocess.Popen[str]) -> None:
    server.terminate()
    assert server.wait(timeout=60) == 0


def test_while_neo4j_is_down_requests_get_503_and_the_service_recovers_by_itself(
    small_network: NetworkRecords, tmp_path: Path
) -> None:
    if not os.environ.get("NEO4J_URI") or not (shutil.which("java") and shutil.which("mvn")):
        pytest.skip("Neo4j backend not tested: set NEO4J_URI to a Neo4j server to test it")
    data, port = tmp_path / "neo4j", free_port()
    server = start_neo4j(data, port)
    store = GraphStore(Neo4jRunner(f"bolt://127.0.0.1:{port}", "neo4j", PASSWORD, None))
    try:
        with build_service(store, small_network, tmp_path / "accounts.sqlite") as service:
            assert service.get("/api/people", Role.MEMBER).status_code == 200

            stop_neo4j(server)
            asked = time.monotonic()
            down = service.get("/api/people", Role.MEMBER)
            assert time.monotonic() - asked < 15, "a 503 comes after a few seconds at most"
            assert down.status_code == 503, down.text
            error = down.json()["error"]
            assert error["code"] == "store_unavailable" and "Neo4j" in error["message"]
            assert down.headers["retry-after"] == "5"
            assert service.get("/api/health", None).status_code == 503

            server = start_neo4j(data, port)
            deadline = time.monotonic() + 60
            while service.get("/api/people", Role.MEMBER).status_code != 200:
                assert time.monotonic() < deadline, "the service did not recover by itself"
                time.sleep(0.5)
            assert service.get("/api/health", None).json()["status"] == "ok"
            assert service.get("/api/people", Role.MEMBER).json()["total"] > 0
    finally:
        store.close()
        if server.poll() is None:
            stop_neo4j(server)


def test_every_acknowledged_write_survives_neo4j_being_killed(
    small_network: NetworkRecords, tmp_path: Path
) -> None:
    if not os.environ.get("NEO4J_URI") or not (shutil.which("java") and shutil.which("mvn")):
        pytest.skip("Neo4j backend not tested: set NEO4J_URI to a Neo4j server to test it")
    data, port = tmp_path / "neo4j", free_port()
    url = f"bolt://127.0.0.1:{port}"
    server = start_neo4j(data, port)
    try:
        with GraphStore(Neo4jRunner(url, "neo4j", PASSWORD, None)) as store:
            store.upsert_nodes(small_network.nodes())
            store.upsert_relationships(small_network.relationships())
            person = next(iter(store.visibilities()))
            assert store.erase_person(person)
            acknowledged = store.counts()
            # No shutdown, no checkpoint: the JVM dies where it stands.
            server.kill()
            server.wait(timeout=30)

        server = start_neo4j(data, port)
        with GraphStore(Neo4jRunner(url, "neo4j", PASSWORD, None)) as store:
            assert store.counts() == acknowledged
            assert store.person(person) is None
            assert store.state().purged == acknowledged.version
    finally:
        if server.poll() is None:
            stop_neo4j(server)


def test_the_development_server_keeps_erased_data_in_its_logs_briefly() -> None:
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("Neo4j backend not tested: set NEO4J_URI to a Neo4j server to test it")
    with open_store(url) as store:
        settings = dict(store.runner.read(queries.NEO4J_TX_LOG_SETTINGS))
    assert settings["db.tx_log.rotation.retention_policy"] == "keep_none"
    compose = (Path(__file__).parent.parent / "docker-compose.yml").read_text()
    assert 'NEO4J_db_tx__log_rotation_retention__policy: "keep_none"' in compose
