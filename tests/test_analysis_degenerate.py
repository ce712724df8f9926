"""The whole analysis on the networks a user may really have: empty, tiny, cut up.

Each network is written to a real store and analysed through the application
layer, as the service and ``graphsvc analyse`` do; nothing may fail, and what
comes back must describe the network as it is.
"""

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphsvc import model as m
from graphsvc.access import Role
from graphsvc.accounts import open_accounts
from graphsvc.analysis.pipeline import Analysis
from graphsvc.api import create_app
from graphsvc.api.navigation import PAGES
from graphsvc.service import Network
from graphsvc.store import GraphStore
from graphsvc.synthetic import synthetic_records

SEEN = m.Provenance(source="test", first_seen=dt.date(2024, 3, 1), last_seen=dt.date(2024, 3, 1))
PASSWORD = "a long enough test password"


def person(i: int, visibility: str = "network") -> m.Person:
    return m.Person(
        id=f"person:p{i}", name=f"Person {i}", visibility=m.Visibility(visibility), provenance=SEEN
    )


def event(i: int) -> m.Event:
    return m.Event(
        id=f"event:e{i}",
        name=f"Event {i}",
        date=dt.date(2024, 1, 1) + dt.timedelta(days=i),
        category=m.EventKind.GATHERING,
        provenance=SEEN,
    )


def attended(p: int, e: int) -> m.Attended:
    return m.Attended(start=f"person:p{p}", end=f"event:e{e}", provenance=SEEN)


def analysed(
    store: GraphStore,
    nodes: Iterable[m.NodeRecord],
    relationships: Iterable[m.RelationshipRecord],
    tmp_path: Path,
) -> Analysis:
    """The analysis of a network written to ``store``, as the service computes it."""
    store.upsert_nodes(list(nodes))
    store.upsert_relationships(list(relationships))
    accounts = open_accounts(tmp_path / "accounts.sqlite")
    network = Network(store, accounts, background=False)
    try:
        result = network.analyse()[1]
    finally:
        network.close()
        accounts.close()
    result.to_json()  # what `graphsvc analyse --json` prints
    return result


def test_an_empty_store_is_analysed_as_an_empty_network(store: GraphStore, tmp_path: Path) -> None:
    result = analysed(store, [], [], tmp_path)
    assert (result.people, result.ties) == (0, 0)
    assert result.constellations.constellations == [] and result.introductions == []


def test_one_person_is_one_isolated_member(store: GraphStore, tmp_path: Path) -> None:
    result = analysed(store, [person(0)], [], tmp_path)
    assert (result.people, result.ties) == (1, 0)
    assert [s.person for s in result.constellations.single_points] == ["person:p0"]


def test_people_with_no_ties_are_all_single_points(store: GraphStore, tmp_path: Path) -> None:
    result = analysed(store, [person(i) for i in range(6)], [], tmp_path)
    assert result.ties == 0 and result.constellations.constellations == []
    assert len(result.constellations.single_points) == 6


def test_a_network_where_everyone_is_hidden_is_still_analysed(
    store: GraphStore, tmp_path: Path
) -> None:
    records = synthetic_records(120, seed=5)
    nodes = [
        n.model_copy(update={"visibility": m.Visibility.HIDDEN}) if isinstance(n, m.Person) else n
        for n in records.nodes()
    ]
    result = analysed(store, nodes, records.relationships(), tmp_path)
    assert result.people == 120 and result.ties > 0


def test_one_huge_event_alone_makes_no_ties(store: GraphStore, tmp_path: Path) -> None:
    # Past the group-size cap a crowd only strengthens ties made elsewhere.
    people = [person(i) for i in range(200)]
    result = analysed(store, [*people, event(0)], [attended(i, 0) for i in range(200)], tmp_path)
    assert (result.people, result.ties) == (200, 0)


def test_a_network_with_no_cells_is_analysed(store: GraphStore, tmp_path: Path) -> None:
    records = synthetic_records(150, seed=2)
    nodes = [n for n in records.nodes() if not isinstance(n, m.Cell)]
    relationships = [r for r in records.relationships() if "cell:" not in (r.start[:5], r.end[:5])]
    result = analysed(store, nodes, relationships, tmp_path)
    assert result.people == 150 and result.constellations.constellations


def test_two_people_who_know_each_other_are_one_tie(store: GraphStore, tmp_path: Path) -> None:
    knows = m.Knows(start="person:p0", end="person:p1", provenance=SEEN)
    result = analysed(store, [person(0), person(1)], [knows], tmp_path)
    assert (result.people, result.ties) == (2, 1)


@st.composite
def small_networks(draw: st.DrawFn) -> tuple[list[m.NodeRecord], list[m.RelationshipRecord]]:
    """Up to 9 people of any visibility, up to 4 events and some KNOWS ties."""
    count = draw(st.integers(0, 9))
    visibility = st.sampled_from([str(v) for v in m.Visibility])
    people = [person(i, draw(visibility)) for i in range(count)]
    events = [event(e) for e in range(draw(st.integers(0, 4)))]
    relationships: list[m.RelationshipRecord] = []
    if count:
        for e in range(len(events)):
            for p in draw(st.sets(st.integers(0, count - 1), max_size=count)):
                relationships.append(attended(p, e))
    if count > 1:
        for a, b in draw(st.sets(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)))):
            if a != b:
                strength = draw(st.integers(1, 5))
                relationships.append(
                    m.Knows(
                        start=f"person:p{a}", end=f"person:p{b}", strength=strength, provenance=SEEN
                    )
                )
    return [*people, *events], relationships


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(network=small_networks())
def test_any_small_network_is_analysed_without_failing(
    store: GraphStore,
    tmp_path: Path,
    network: tuple[list[m.NodeRecord], list[m.RelationshipRecord]],
) -> None:
    store.clear()
    nodes, relationships = network
    (tmp_path / "accounts.sqlite").unlink(missing_ok=True)
    result = analysed(store, nodes, relationships, tmp_path)
    people = sum(isinstance(n, m.Person) for n in nodes)
    assert result.people == people
    assert result.collaboration is not None
    alone = {p for p, ties in result.collaboration.degree if ties == 0}
    found = result.constellations
    assert {s.person for s in found.single_points if s.status == "isolated"} == alone
    placed = [p for c in found.constellations for p in c.members]
    assert len(placed) == len(set(placed)) and alone.isdisjoint(placed)


def test_graphsvc_analyse_and_evaluate_work_on_a_fresh_store(tmp_path: Path) -> None:
    env = {**os.environ, "GRAPHSVC_STORE": str(tmp_path / "fresh")}
    for command in (["analyse"], ["analyse", "--json"], ["evaluate"]):
        ran = subprocess.run(
            [sys.executable, "-m", "graphsvc", *command],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert ran.returncode == 0, (command, ran.stderr)
        assert "Traceback" not in ran.stderr


@pytest.fixture
def empty_service(
    store: GraphStore, tmp_path: Path
) -> Iterator[tuple[TestClient, Network, dict[Role, str]]]:
    """The web service over an empty store, a bearer token for a user of every role
    (linked to nobody, since nobody is in the store)."""
    accounts = open_accounts(tmp_path / "accounts.sqlite")
    tokens = {}
    for role in Role:
        user = accounts.add_user(f"{role.value}@test.invalid", role, PASSWORD, None)
        tokens[role] = accounts.issue_token(user.id, "bearer", "test")[1]
    network = Network(store, accounts)
    try:
        with TestClient(create_app(network)) as client:
            yield client, network, tokens
    finally:
        network.close()
        accounts.close()


def test_every_route_and_page_answers_on_an_empty_store(
    empty_service: tuple[TestClient, Network, dict[Role, str]],
) -> None:
    client, network, tokens = empty_service
    network.wait_until_current()
    paths = client.get("/openapi.json").json()["paths"]
    for role in Role:
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        for path, operations in paths.items():
            if "get" not in operations:
                continue
            url = path
            for name in ("person_id", "org_id", "cell_id", "event_id", "constellation_id"):
                url = url.replace(f"{{{name}}}", f"{name.split('_')[0]}:nobody")
            url = url.replace("{report_id}", "1").replace("{user_id}", "1")
            url = url.replace("{token_id}", "none")
            answer = client.get(url, headers=headers)
            # An id nobody has is 404; a route a role may not use is 403.
            expected = {403, 404} if "{" in path else {200, 403}
            if answer.status_code == 404 and "{" not in path:
                # A route about the user's own record: these users have none.
                assert answer.json()["error"]["code"] == "not_linked", url
                continue
            assert answer.status_code in expected, (role, url, answer.status_code, answer.text)
    for role in Role:
        page_client = TestClient(client.app)
        page_client.post(
            "/sign-in", data={"email": f"{role.value}@test.invalid", "password": PASSWORD}
        )
        for page in PAGES:
            opened = page_client.get(page.path, headers={"accept": "text/html"})
            # Pages of the user's own record: these users have none.
            allowed = {200, 403, 404} if page.needs_person else {200, 403}
            assert opened.status_code in allowed, (role, page.path, opened.status_code)
            assert "Traceback" not in opened.text
