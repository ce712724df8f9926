"""Shared fixtures: a real store on every available backend, seeded data.

The embedded FalkorDB is always tested. Neo4j is tested too when NEO4J_URI
points at a server (its credentials in GRAPHSVC_NEO4J_USER / _PASSWORD), as
``make test`` does with the one it starts (tools/neo4j-server/with-neo4j.sh).
"""

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphsvc.model import Provenance
from graphsvc.store import GraphStore, open_store
from graphsvc.synthetic import NetworkRecords, synthetic_records

BACKENDS = ["falkordb", "neo4j"]


@pytest.fixture(scope="session")
def embedded_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One embedded database for the session; each test gets its own graph in it."""
    path = tmp_path_factory.mktemp("embedded")
    # Holding a client open keeps the server up between tests.
    keeper = open_store(str(path), graph="keeper")
    yield path
    keeper.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, embedded_dir: Path) -> Iterator[GraphStore]:
    """A fresh, empty store on each backend."""
    if request.param == "neo4j":
        url = os.environ.get("NEO4J_URI")
        if not url:
            pytest.skip("Neo4j backend not tested: set NEO4J_URI to a Neo4j server to test it")
        graph = open_store(url)
        graph.clear()
    else:
        graph = open_store(str(embedded_dir), graph=f"t{uuid.uuid4().hex[:12]}")
    yield graph
    graph.clear()
    graph.close()


@pytest.fixture
def seen() -> Provenance:
    return Provenance(
        source="test-import", first_seen=dt.date(2024, 3, 1), last_seen=dt.date(2024, 3, 1)
    )


@pytest.fixture(scope="session")
def small_network() -> NetworkRecords:
    """A 300-member synthetic network (seed 7), generated once."""
    return synthetic_records(300, seed=7)


@pytest.fixture
def service(store: GraphStore, small_network: NetworkRecords, tmp_path: Path) -> Iterator[Any]:
    """The web service over the 300-member network, a user and token per role."""
    from api_service import build_service

    with build_service(store, small_network, tmp_path / "accounts.sqlite") as built:
        yield built


@pytest.fixture(scope="module")
def shared_service(
    embedded_dir: Path, small_network: NetworkRecords, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The same, built once per module on the embedded store: for tests that only read."""
    from api_service import service_of_its_own

    graph = f"t{uuid.uuid4().hex[:12]}"
    accounts = tmp_path_factory.mktemp("accounts")
    with service_of_its_own(embedded_dir, small_network, accounts, graph) as built:
        yield built
