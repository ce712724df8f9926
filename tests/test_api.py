"""The web service over a real embedded store."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graphsvc.api import create_app
from graphsvc.store import GraphStore
from graphsvc.synthetic import NetworkRecords


@pytest.fixture
def client(store: GraphStore, small_network: NetworkRecords) -> Iterator[TestClient]:
    store.upsert_nodes(small_network.nodes())
    store.upsert_relationships(small_network.relationships())
    with TestClient(create_app(store)) as test_client:
        yield test_client


def test_the_first_page_shows_what_is_in_the_graph(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<strong id="member-count">300</strong>' in response.text
    assert "London" in response.text and "voluntary and community" in response.text


def test_every_response_carries_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/health", "/static/style.css", "/nowhere"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_the_page_loads_nothing_from_other_hosts(client: TestClient) -> None:
    page = client.get("/").text
    assert (
        "http://" not in page
        and "https://" not in page
        and "//" not in page.replace("<!doctype", "")
    )


def test_stats_and_health_report_the_graph(client: TestClient, store: GraphStore) -> None:
    counts = store.counts()
    assert client.get("/api/stats").json() == {
        "nodes": counts.nodes,
        "relationships": counts.relationships,
        "graph_version": counts.version,
    }
    assert client.get("/api/health").json() == {"status": "ok", "graph_version": counts.version}


def test_membership_counts_add_up_and_name_nobody(client: TestClient) -> None:
    body = client.get("/api/membership").json()
    assert body["members"] == 300
    assert sum(r["members"] for r in body["by_region"]) == 300
    assert sum(s["members"] for s in body["by_sector"]) == 300
    assert "@" not in str(body)


def test_the_summary_follows_the_graph_version(client: TestClient, store: GraphStore) -> None:
    assert client.get("/api/membership").json()["members"] == 300
    store.erase_person("person:0000000")
    assert client.get("/api/membership").json()["members"] == 299


def test_the_openapi_schema_lists_the_json_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/health", "/api/stats", "/api/membership"} <= set(paths)


def test_the_analysis_is_served_in_aggregate_and_recomputed_after_a_write(
    client: TestClient, store: GraphStore
) -> None:
    first = client.get("/api/analysis")
    assert first.status_code == 200
    body = first.json()
    assert body["people"] == 300 and body["constellations"]
    assert {s["category"] for s in body["regions"]} >= {"London", "Wales"}
    # Aggregates only: no person id or name anywhere until sign-in exists.
    assert "person:" not in first.text
    assert client.get("/api/analysis").json()["graph_version"] == body["graph_version"]
    store.erase_person("person:0000001")
    again = client.get("/api/analysis").json()
    assert again["graph_version"] > body["graph_version"] and again["people"] == 299
