"""A member's own record: they read it in plain words and change what is theirs to
change; nobody changes another's; special-category answers stay with the member."""

import json
from pathlib import Path

import pytest
from api_crawl import crawl
from api_service import PASSWORD, Service

from graphsvc.access import Role, Viewer
from graphsvc.accounts.audit import AuditFilter
from graphsvc.analysis.gaps import age_band_shares
from graphsvc.service.my_record import describe_source
from graphsvc.store import GraphStore
from visualisations.export import edges_csv, export_text, nodes_csv, shareable_graph

M, CN, CV, A = Role.MEMBER, Role.CONNECTOR, Role.CONVENOR, Role.ADMIN


def _patch(service: Service, role: Role, body: dict[str, object]) -> object:
    return service.client.patch("/api/me/record", json=body, headers=service.headers(role))


def _refreshed(service: Service) -> None:
    service.network.wait_until_current(120)


def test_a_member_reads_everything_held_about_them_in_plain_words(service: Service) -> None:
    record = service.get("/api/me/record", M).json()
    stored = service.store.person(service.member_person)
    assert stored is not None
    assert record["person_id"] == service.member_person and record["name"] == stored["name"]
    assert record["email"] == stored["email"]
    assert {c["value"] for c in record["visibility_choices"]} == {"network", "connectors", "hidden"}
    assert [c["chosen"] for c in record["visibility_choices"]].count(True) == 1
    assert all("see" in c["explanation"] for c in record["visibility_choices"])
    held = record["cells"] + record["events"] + record["interests"] + record["organisations"]
    assert held and all(h["source"] and h["what"] for h in held)
    assert {q["question"]["key"] for q in record["questions"]} >= {"age_band", "lived_experience"}


def test_an_account_without_a_person_is_told_why_it_has_no_record(service: Service) -> None:
    answer = service.get("/api/me/record", CV)
    assert (
        answer.status_code == 404 and "not linked to a person" in answer.json()["error"]["message"]
    )
    assert _patch(service, CV, {"bio": "x"}).status_code == 404  # type: ignore[attr-defined]


def test_a_member_changes_offers_asks_bio_place_and_interests(service: Service) -> None:
    answer = _patch(
        service,
        M,
        {
            "bio": "  I run a food bank.  ",
            "offers": ["Grant writing for small charities", "grant writing for small charities"],
            "asks": ["A mentor in local government"],
            "place": "Hebden Bridge",
            "interests": ["Allotment cooperatives"],
        },
    )
    record = answer.json()  # type: ignore[attr-defined]
    assert answer.status_code == 200, record  # type: ignore[attr-defined]
    assert record["bio"] == "I run a food bank."
    assert record["offers"] == ["Grant writing for small charities"]  # said once
    assert record["asks"] == ["A mentor in local government"]
    assert (
        record["place"]["name"] == "Hebden Bridge"
        and "you, on your record" in record["place"]["source"]
    )
    assert [i["name"] for i in record["interests"]] == ["Allotment cooperatives"]
    # The whole list replaces the interests held, and a name already known is reused.
    again = _patch(service, M, {"interests": ["allotment COOPERATIVES"]}).json()  # type: ignore[attr-defined]
    assert [i["id"] for i in again["interests"]] == [i["id"] for i in record["interests"]]
    # Each change is recorded with who made it, by ids alone.
    entries = service.accounts.audit.entries(AuditFilter(mentions=service.member_person))
    assert any(e.action == "record.changed" for e in entries)
    assert not any("food bank" in json.dumps(e.to_json()) for e in entries)


def test_what_a_member_offers_is_found_by_others_who_may_see_them(service: Service) -> None:
    _patch(service, M, {"offers": ["Participatory budgeting workshops"]})
    hidden = service.people["hidden"][0]
    service.network.store.update_person(hidden, {"offers": ["Participatory budgeting too"]})
    _refreshed(service)
    for role in (M, CN, A):
        found = service.get("/api/people", role, q="participatory budg").json()["items"]
        assert [p["id"] for p in found] == [service.member_person], role
    # Someone who may not see the member does not find them by what they offer.
    _patch(service, M, {"visibility": "connectors"})
    assert service.get("/api/people", M, q="participatory").json()["total"] == 1  # themselves
    other = service.accounts.add_user(
        "other@test.invalid", M, PASSWORD, service.people["network"][5]
    )
    token = service.accounts.issue_token(other.id, "bearer", "t")[1]
    seen = service.client.get(
        "/api/people", params={"q": "participatory"}, headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert seen["total"] == 0


def test_nobody_changes_another_persons_record_through_their_own(service: Service) -> None:
    other = service.people["network"][1]  # the connector's person
    before = service.store.person(other)
    answer = service.client.patch(
        "/api/me/record",
        json={"bio": "changed", "person_id": other},
        headers=service.headers(M),
    )
    assert answer.status_code == 422  # no field names another person
    # An admin corrects another's record (rectification); a member may not.
    rectified = service.client.patch(
        f"/api/people/{other}", json={"bio": "x"}, headers=service.headers(M)
    )
    assert rectified.status_code in (403, 405)
    _patch(service, M, {"bio": "mine"})
    assert service.store.person(other) == before


def test_a_change_through_the_cookie_needs_the_form_token(service: Service) -> None:
    signed = service.client.post(
        "/api/sign-in", json={"email": service.email(M), "password": PASSWORD}
    ).json()
    refused = service.client.patch("/api/me/record", json={"bio": "x"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    assert service.client.post("/api/me/erasure-request").status_code == 403
    made = service.client.patch(
        "/api/me/record", json={"bio": "x"}, headers={"X-CSRF-Token": signed["csrf_token"]}
    )
    assert made.status_code == 200 and made.json()["bio"] == "x"


def test_choosing_hidden_removes_the_member_by_name_from_everything_at_once(
    service: Service,
) -> None:
    me = service.member_person
    name = service.store.person(me)["name"]  # type: ignore[index]
    other = service.people["network"][3]
    assert any(p["id"] == me for p in service.get("/api/people", CN, limit=200).json()["items"])
    assert _patch(service, M, {"visibility": "hidden"}).status_code == 200  # type: ignore[attr-defined]
    # No waiting for the refresh: the next answer of every route leaves them out.
    for role in (CN, CV):
        bodies = crawl(service, role)
        assert not [url for url, text in bodies.items() if f'"{me}"' in text], role
    for audience in (M, CN):
        graph = _export(service, audience)
        assert me not in graph
        for text in (export_text(graph, "gexf"), export_text(graph, "graphml"), nodes_csv(graph)):
            assert name not in text and me not in text
    assert service.get(f"/api/people/{other}", M).status_code == 200
    assert service.get(f"/api/people/{me}", CN).status_code == 404
    assert service.get("/api/me/record", M).json()["visibility"] == "hidden"


def _export(service: Service, role: Role) -> object:
    current = service.network.current()
    viewer = Viewer(role)

    def may_name(person: str, visibility: str | None) -> bool:
        profile = current.view.person(person)
        return viewer.may_name(person, profile.visibility if profile else visibility)

    return shareable_graph(current.view.snapshot, service.network.analysis(current), may_name)


def test_a_special_category_answer_is_kept_only_with_consent(service: Service) -> None:
    refused = _patch(
        service, M, {"answers": {"lived_experience": {"answer": "yes", "consent": False}}}
    ).json()  # type: ignore[attr-defined]
    asked = {q["question"]["key"]: q for q in refused["questions"]}
    assert asked["lived_experience"]["answer"] is None and refused["notes"]
    assert "self_description" not in (service.store.person(service.member_person) or {})
    kept = _patch(
        service,
        M,
        {
            "answers": {
                "lived_experience": {"answer": "yes", "consent": True},
                "age_band": {"answer": "18-24"},
            }
        },
    ).json()  # type: ignore[attr-defined]
    asked = {q["question"]["key"]: q for q in kept["questions"]}
    assert (
        asked["lived_experience"]["answer"] == "yes" and asked["lived_experience"]["consent_given"]
    )
    assert asked["age_band"]["answer"] == "18-24"
    # Withdrawing consent removes the answer.
    withdrawn = _patch(
        service, M, {"answers": {"lived_experience": {"answer": "yes", "consent": False}}}
    ).json()  # type: ignore[attr-defined]
    assert {q["question"]["key"]: q["answer"] for q in withdrawn["questions"]}[
        "lived_experience"
    ] is None
    bad = _patch(service, M, {"answers": {"age_band": {"answer": "twelve"}}})
    assert bad.status_code == 422  # type: ignore[attr-defined]


def test_answers_about_oneself_reach_nobody_else_and_no_export(
    service: Service, tmp_path: Path
) -> None:
    marker = "Marker answer 7f3a"
    body = [
        {
            "key": "caring",
            "label": "Do you care for someone?",
            "purpose": "To see whether carers are in the room.",
            "options": [marker, "no"],
            "special_category": False,
        }
    ]
    put = service.client.put(
        "/api/self-description/questions", json=body, headers=service.headers(A)
    )
    assert put.status_code == 200, put.text
    assert (
        service.client.put(
            "/api/self-description/questions", json=body, headers=service.headers(M)
        ).status_code
        == 403
    )
    _patch(service, M, {"answers": {"caring": {"answer": marker}, "age_band": {"answer": "65+"}}})
    _refreshed(service)
    for role in (CN, CV):
        bodies = crawl(service, role)
        # The question itself, with the answers to choose from, is asked of everyone.
        asked = ("questions", "/me/record", "/gaps/self-description")
        leaked = [
            url
            for url, text in bodies.items()
            if marker in text and not any(a in url for a in asked)
        ]
        assert not leaked, role
        assert "self_description" not in "".join(bodies.values())
    own = service.get("/api/me/record", CN).json()["questions"]
    assert {q["question"]["key"]: q["answer"] for q in own}["caring"] is None
    counted = service.get("/api/gaps/self-description", CV).json()["questions"]
    caring = next(q for q in counted if q["question"]["key"] == "caring")
    assert {a["answer"]: a["count"] for a in caring["answers"]}[marker] == "fewer than 3"
    graph = _export(service, A)
    for text in (
        export_text(graph, "gexf"),
        export_text(graph, "graphml"),
        nodes_csv(graph),
        edges_csv(graph),
    ):
        assert marker not in text and "self_description" not in text and "65+" not in text
    # Admins and the member see it person by person; the member's own download holds it.
    assert marker in service.get(f"/api/people/{service.member_person}/export", M).text
    assert marker in service.get(f"/api/people/{service.member_person}/export", A).text


def test_the_gaps_count_answers_only_in_aggregate_with_small_counts_hidden(
    service: Service,
) -> None:
    _patch(service, M, {"answers": {"age_band": {"answer": "18-24"}}})
    convenor = service.get("/api/gaps/self-description", CV).json()
    bands = {s["category"]: s for s in convenor["age_bands"]}
    assert bands["18-24"]["count"] == "fewer than 3" and bands["18-24"]["share"] is None
    assert bands["65+"]["expected"] == pytest.approx(age_band_shares()["65+"], abs=1e-4)
    assert "Office for National Statistics" in convenor["age_source"]
    assert service.get("/api/gaps/self-description", A).json()["age_bands"][0]["count"] == 1
    assert service.get("/api/gaps/self-description", M).status_code == 403
    assert service.get("/api/gaps/self-description", CN).status_code == 403


def test_a_member_asks_for_erasure_and_an_admin_confirms_it(service: Service) -> None:
    me = service.member_person
    asked = service.client.post("/api/me/erasure-request", headers=service.headers(M))
    assert asked.status_code == 201 and asked.json()["erasure_requested"]
    waiting = service.get("/api/erasure-requests", A).json()
    assert [r["person_id"] for r in waiting] == [me]
    assert service.get("/api/erasure-requests", M).status_code == 403
    nobody = service.people["network"][4]
    assert (
        service.client.post(
            f"/api/erasure-requests/{nobody}/confirm", headers=service.headers(A)
        ).status_code
        == 404
    )
    assert service.store.person(nobody) is not None  # nobody asked: nothing erased
    done = service.client.post(f"/api/erasure-requests/{me}/confirm", headers=service.headers(A))
    assert done.status_code == 204
    assert service.store.person(me) is None
    assert service.get("/api/erasure-requests", A).json() == []


def test_a_member_may_withdraw_their_request_and_an_admin_may_set_one_aside(
    service: Service,
) -> None:
    service.client.post("/api/me/erasure-request", headers=service.headers(M))
    assert (
        service.client.delete("/api/me/erasure-request", headers=service.headers(M)).status_code
        == 204
    )
    assert service.get("/api/erasure-requests", A).json() == []
    service.client.post("/api/me/erasure-request", headers=service.headers(CN))
    connector = service.connector_person
    assert (
        service.client.delete(
            f"/api/erasure-requests/{connector}", headers=service.headers(A)
        ).status_code
        == 204
    )
    assert service.store.person(connector) is not None


def test_the_home_page_greets_the_member_by_name(service: Service) -> None:
    service.client.post("/sign-in", data={"email": service.email(M), "password": PASSWORD})
    page = service.client.get("/").text
    name = service.store.person(service.member_person)["name"]  # type: ignore[index]
    assert f"Welcome, {name}" in page and 'href="/me"' in page
    assert "What the database holds" not in page and "MAY_BE_SAME" not in page
    admin = service.client
    admin.post("/sign-out")
    admin.post("/sign-in", data={"email": service.email(A), "password": PASSWORD})
    assert "What the database holds" in admin.get("/").text


def test_the_record_pages_open_for_the_member_and_explain_an_unlinked_account(
    service: Service,
) -> None:
    service.client.post("/sign-in", data={"email": service.email(M), "password": PASSWORD})
    page = service.client.get("/me")
    assert page.status_code == 200 and "Who may see you" in page.text
    data = service.client.get("/me/data")
    assert data.status_code == 200 and service.member_person in data.text
    assert service.client.get("/records-admin").status_code == 403
    service.client.post("/sign-in", data={"email": service.email(CV), "password": PASSWORD})
    assert "not linked to a person" in service.client.get("/me").text


def test_where_something_came_from_is_said_in_plain_words() -> None:
    assert describe_source("cli") == "an admin, on the command line"
    assert describe_source(None) == "not recorded"


def test_offers_and_asks_survive_a_reimport_of_the_member(
    store: GraphStore, service: Service
) -> None:
    _patch(service, M, {"offers": ["Community energy"]})
    person = service.store.person(service.member_person)
    assert person is not None
    from graphsvc.model import Person, Provenance

    again = Person(
        id=service.member_person,
        name=person["name"],
        provenance=Provenance(
            source="import:x.csv#1", first_seen="2025-01-01", last_seen="2025-01-01"
        ),
    )
    store.upsert_nodes([again])
    assert service.store.person(service.member_person)["offers"] == ["Community energy"]  # type: ignore[index]


def test_an_admin_cannot_add_a_question_that_cannot_be_asked(shared_service: Service) -> None:
    def put(questions: list[dict[str, object]]) -> int:
        return shared_service.client.put(
            "/api/self-description/questions", json=questions, headers=shared_service.headers(A)
        ).status_code

    asked = {"label": "Q?", "purpose": "Why.", "options": ["a", "b"]}
    assert put([{**asked, "key": "age_band"}]) == 422  # always asked already
    assert put([{**asked, "key": "x"}, {**asked, "key": "x"}]) == 422
    assert put([{**asked, "key": "Bad Key"}]) == 422
    assert put([{**asked, "key": "one", "options": ["only"]}]) == 422
    assert put([{**asked, "key": "one", "purpose": " "}]) == 422
    assert put([{**asked, "key": "ok"}]) == 200
    keys = [q["key"] for q in shared_service.get("/api/self-description/questions", M).json()]
    assert keys == ["age_band", "lived_experience", "ok"]
    assert put([]) == 200


def test_an_offer_is_one_short_line(shared_service: Service) -> None:
    too_long = _patch(shared_service, M, {"offers": ["x" * 121]})
    assert too_long.status_code == 422  # type: ignore[attr-defined]
    spread = _patch(shared_service, M, {"offers": ["two\nlines  here"]}).json()  # type: ignore[attr-defined]
    assert spread["offers"] == ["two lines here"]
    _patch(shared_service, M, {"offers": []})
