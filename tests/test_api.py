"""The web service over a real embedded store: pages, headers, aggregates."""

import io
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from api_service import PASSWORD, Service
from fastapi.testclient import TestClient

from graphsvc.access import Role, Viewer
from graphsvc.api.navigation import PAGES, pages_for
from graphsvc.store import GraphStore


def _signed_in_page(service: Service) -> str:
    service.client.post(
        "/sign-in",
        data={"email": service.email(Role.MEMBER), "password": "a long enough test password"},
    )
    response = service.client.get("/")
    assert response.status_code == 200
    return response.text


def test_the_first_page_asks_to_sign_in_then_shows_what_is_in_the_graph(
    service: Service,
) -> None:
    response = service.client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"
    page = _signed_in_page(service)
    assert '<strong id="member-count">300</strong>' in page
    assert "London" in page and "voluntary and community" in page


def test_browsers_get_error_pages_and_programs_get_json(service: Service) -> None:
    html = {"accept": "text/html,application/xhtml+xml"}
    for page in ("/gaps", "/imports", "/introductions", "/explore"):
        response = service.client.get(page, headers=html, follow_redirects=False)
        back_to = "/sign-in?next=" + page.replace("/", "%2F")
        assert response.status_code == 303 and response.headers["location"] == back_to
    _signed_in_page(service)  # a member
    refused = service.client.get("/gaps", headers=html)
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    assert "<h1>Forbidden</h1>" in refused.text and "for convenors and admins" in refused.text
    missing = service.client.get("/nowhere/<script>", headers=html)
    assert missing.status_code == 404 and "<script>" not in missing.text
    # The same error for a program is the JSON body, and the API is always JSON.
    assert service.client.get("/gaps").json()["error"]["code"] == "forbidden"
    api = service.client.get("/api/gaps", headers=html)
    assert api.status_code == 403 and api.json()["error"]["code"] == "forbidden"


def test_each_role_is_offered_exactly_the_pages_it_may_open(service: Service) -> None:
    html = {"accept": "text/html"}
    for role in Role:
        client = TestClient(service.app)
        client.post("/sign-in", data={"email": service.email(role), "password": PASSWORD})
        home = client.get("/")
        assert home.status_code == 200
        linked = service.accounts.user_by_email(service.email(role))
        assert linked is not None
        offered = {p.path for p in pages_for(Viewer(role, linked.person_id))}
        for page in PAGES:
            opened = client.get(page.path, headers=html)
            assert (opened.status_code == 200) == (page.path in offered), (role, page.path)
            assert (f'href="{page.path}"' in home.text) == (page.path in offered), (role, page)


def test_every_response_carries_security_headers(service: Service) -> None:
    for path in ("/", "/sign-in", "/api/health", "/api/people", "/static/style.css", "/nowhere"):
        headers = service.client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_the_page_loads_nothing_from_other_hosts(service: Service) -> None:
    for page in (service.client.get("/sign-in").text, _signed_in_page(service)):
        assert "http://" not in page and "https://" not in page
        assert "//" not in page.replace("<!doctype", "")


def test_stats_and_health_report_the_graph(service: Service, store: GraphStore) -> None:
    counts = store.counts()
    assert service.get("/api/stats", Role.MEMBER).json() == {
        "nodes": counts.nodes,
        "relationships": counts.relationships,
        "graph_version": counts.version,
    }
    health = service.get("/api/health", None).json()
    assert health["status"] == "ok" and health["graph_version"] == counts.version
    # Nothing computed yet: the health check itself computes nothing.
    assert health["analysis"]["answered_version"] is None
    service.get("/api/analysis", Role.ADMIN)
    analysis = service.get("/api/health", None).json()["analysis"]
    assert analysis["answered_version"] == counts.version and not analysis["stale"]


def test_membership_counts_add_up_and_name_nobody(service: Service) -> None:
    body = service.get("/api/membership", Role.MEMBER).json()
    assert body["members"] == 300
    assert sum(r["members"] for r in body["by_region"]) == 300
    assert sum(s["members"] for s in body["by_sector"]) == 300
    assert "@" not in str(body)


def test_the_summary_follows_the_graph_version(service: Service, store: GraphStore) -> None:
    assert service.get("/api/membership", Role.MEMBER).json()["members"] == 300
    store.erase_person("person:0000000")
    assert service.get("/api/membership", Role.MEMBER).json()["members"] == 299


def test_the_openapi_schema_lists_the_json_routes(service: Service) -> None:
    paths = service.client.get("/openapi.json").json()["paths"]
    assert {"/api/health", "/api/people", "/api/gaps", "/api/sign-in"} <= set(paths)


def test_the_analysis_is_served_in_aggregate_and_recomputed_after_a_write(
    service: Service, store: GraphStore
) -> None:
    first = service.get("/api/analysis", Role.CONVENOR)
    assert first.status_code == 200
    body = first.json()
    assert body["people"] == 300 and body["constellations"]
    assert {s["category"] for s in body["regions"]} >= {"London", "Wales"}
    assert "person:" not in first.text  # aggregates only
    again = service.get("/api/analysis", Role.CONVENOR).json()
    assert again["graph_version"] == body["graph_version"]
    store.erase_person("person:0000001")
    again = service.get("/api/analysis", Role.CONVENOR).json()
    assert again["graph_version"] > body["graph_version"] and again["people"] == 299


def test_a_failed_page_sign_in_says_so_and_escapes_what_was_typed(service: Service) -> None:
    typed = '"><script>alert(1)</script>'
    response = service.client.post("/sign-in", data={"email": typed, "password": "wrong"})
    assert response.status_code == 401
    assert "Wrong email or password." in response.text
    assert "<script>" not in response.text and "&lt;script&gt;" in response.text


def test_signing_out_of_a_page_needs_the_form_token(service: Service) -> None:
    page = _signed_in_page(service)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    service.client.post("/sign-out", data={"csrf_token": "forged"})
    assert service.client.get("/api/me").status_code == 200
    service.client.post("/sign-out", data={"csrf_token": token})
    assert service.client.get("/api/me").status_code == 401


def test_the_map_layout_is_computed_once_however_many_ask_at_once(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    import visualisations.network_map as network_map

    real = network_map.network_positions
    calls = []

    def counted(analysis: Any, seed: int = 0) -> Any:
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive meanwhile
        return real(analysis, seed)

    monkeypatch.setattr(network_map, "network_positions", counted)
    generation = service.network.current().generation
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: generation.positions(), range(4)))
    assert len(calls) == 1
    assert all(f is found[0] for f in found) and len(found[0]) == 300


def _upload_import(service: Service, name: str, body: str, **form: str) -> Any:
    return service.client.post(
        "/api/imports",
        headers=service.headers(Role.ADMIN),
        files={"file": (name, io.BytesIO(body.encode()), "text/csv")},
        data={"kind": "members", **form},
    )


def test_an_import_previewed_through_the_api_writes_nothing_and_shows_old_and_new(
    service: Service,
) -> None:
    first = _upload_import(
        service, "first.csv", "Name,Email,Organisation\nOrla Preview,orla@old.example,Acme Ltd\n"
    )
    assert first.status_code == 201, first.text
    before, state = service.store.counts(), service.store.state()
    reports = service.get("/api/imports", Role.ADMIN).json()["total"]
    again = (
        "Name,Email,Organisation\n"
        "Orla Preview,orla@new.example,Acme Ltd\n"
        "Piet Fresh,piet@fresh.example,Acme Ltd\n"
    )
    previewed = _upload_import(service, "again.csv", again, dry_run="true")
    assert previewed.status_code == 200, previewed.text
    preview = previewed.json()["preview"]
    assert service.store.counts() == before and service.store.state() == state
    assert service.get("/api/imports", Role.ADMIN).json()["total"] == reports
    assert [(c["row"], c["name"]) for c in preview["created"]] == [(3, "Piet Fresh")]
    [matched] = preview["matched"]
    assert (matched["row"], matched["name"], matched["new"]) == (2, "Orla Preview", False)
    [changed] = preview["changed"]
    assert changed["changes"] == [
        {"field": "email", "old": "orla@old.example", "new": "orla@new.example"}
    ]
    assert preview["would_write"] is True and preview["skipped"] == []

    imported = _upload_import(service, "again.csv", again)
    assert imported.status_code == 201, imported.text
    done = imported.json()
    people = done["people"]
    assert [people[a["person"]] for a in done["report"]["added"]] == ["Piet Fresh"]
    assert [people[m["person"]] for m in done["report"]["merges"]] == ["Orla Preview"]
    assert [c["fields"] for c in done["report"]["changed"]] == [["email"]]
    kept = service.get(f"/api/imports/{done['id']}", Role.ADMIN).json()
    assert kept["people"] == people


def test_an_import_preview_of_an_unreadable_file_is_refused_like_an_import(
    service: Service,
) -> None:
    refused = _upload_import(service, "empty.csv", "", dry_run="true")
    assert refused.status_code == 422, refused.text
