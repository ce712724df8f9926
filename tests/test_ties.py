"""Ties members name, relationship survey rounds and introduction requests, on every
backend: a tie waits unseen until its other end confirms it; contact details are
shared only when both people say yes."""

import datetime as dt
from typing import Any

import pytest
from api_crawl import crawl
from api_service import PASSWORD, Service

from graphsvc.access import Role
from graphsvc.model import Knows, Provenance

M, CN, CV, A = Role.MEMBER, Role.CONNECTOR, Role.CONVENOR, Role.ADMIN
TODAY = dt.date.today()


def _linked(service: Service, person_id: str) -> dict[str, str]:
    """Bearer headers of a member account linked to ``person_id`` (made if needed)."""
    email = f"{person_id.replace(':', '-')}@test.invalid"
    user = service.accounts.user_by_email(email) or service.accounts.add_user(
        email, Role.MEMBER, PASSWORD, person_id
    )
    return {"Authorization": f"Bearer {service.accounts.issue_token(user.id, 'bearer')[1]}"}


def _people(service: Service) -> tuple[str, str, str]:
    """The member, someone they know (to be), and a third person: all visible to members."""
    return service.member_person, service.people["network"][7], service.people["network"][9]


def _name_tie(service: Service, other: str, strength: str = "know_well") -> dict[str, Any]:
    named = service.client.post(
        "/api/me/ties", headers=service.headers(M), json={"person": other, "strength": strength}
    )
    assert named.status_code == 201, named.text
    body: dict[str, Any] = named.json()
    return body


def _knows(service: Service, a: str, b: str) -> list[dict[str, Any]]:
    """The KNOWS between two people, either way round, as stored."""
    held = service.store.person_data(a)
    assert held is not None
    return [
        r for r in held.relationships if r["type"] == "KNOWS" and {r["start"], r["end"]} == {a, b}
    ]


def test_a_named_tie_waits_for_its_other_end_and_only_the_two_see_it(service: Service) -> None:
    me, other, third = _people(service)
    tie = _name_tie(service, other)
    assert tie["status"] == "pending" and tie["person"]["id"] == other
    theirs = service.client.get("/api/me/ties", headers=_linked(service, other)).json()
    assert [t["id"] for t in theirs["waiting_for_you"]] == [tie["id"]]
    assert theirs["waiting_for_you"][0]["person"]["id"] == me
    someone_else = service.client.get("/api/me/ties", headers=_linked(service, third)).json()
    assert someone_else["waiting_for_you"] == someone_else["named_by_you"] == []
    assert _knows(service, me, other) == []


def _admin_views(service: Service, *people: str) -> dict[str, str]:
    """What an admin sees of the network around these people: maps, neighbourhoods,
    cards and the analysis (a person's own data export holds their waiting ties, as
    it should: it is for them, or an admin acting for them)."""
    urls = ["/api/map", "/api/analysis", "/api/introductions", "/api/bridges"]
    for person in people:
        urls += [
            f"/api/people/{person}",
            f"/api/people/{person}/neighbourhood?depth=2",
            f"/api/people/{person}/map",
            f"/api/people/{person}/introductions",
        ]
    return {url: service.get(url, A).text for url in urls}


@pytest.mark.parametrize("role", [CN, CV])
def test_a_pending_tie_changes_no_response_anyone_else_gets(service: Service, role: Role) -> None:
    me, other, _ = _people(service)
    service.network.wait_until_current()
    before = crawl(service, role), _admin_views(service, me, other)
    _name_tie(service, other)
    after = crawl(service, role), _admin_views(service, me, other)
    assert after == before, "a pending tie showed in some response"
    # and once confirmed, it does show: the comparison can see a tie
    tie = service.get("/api/me/ties", M).json()["named_by_you"][0]
    service.client.post(f"/api/me/ties/{tie['id']}/confirm", headers=_linked(service, other))
    service.network.wait_until_current()
    assert _admin_views(service, me, other) != before[1]


def test_nobody_can_confirm_a_tie_on_anothers_behalf(service: Service) -> None:
    _, other, third = _people(service)
    tie = _name_tie(service, other)
    confirm = f"/api/me/ties/{tie['id']}/confirm"
    assert service.client.post(confirm, headers=service.headers(M)).status_code == 403
    assert service.client.post(confirm, headers=_linked(service, third)).status_code == 404
    # an admin, linked to no person, cannot answer for anyone either
    admin = service.client.post(confirm, headers=service.headers(A))
    assert admin.status_code == 403 and admin.json()["error"]["code"] == "not_linked"
    assert service.client.post(confirm, headers=_linked(service, other)).status_code == 200


def test_a_confirmed_tie_enters_the_graph_as_knows_with_provenance(service: Service) -> None:
    me, other, _ = _people(service)
    version = service.store.version()
    tie = _name_tie(service, other, "work_closely")
    confirmed = service.client.post(
        f"/api/me/ties/{tie['id']}/confirm", headers=_linked(service, other)
    )
    assert confirmed.json()["status"] == "confirmed"
    (knows,) = _knows(service, me, other)
    props = knows["properties"]
    assert props["strength"] == 5 and props["named_by"] == me
    assert props["source"] == "member" and props["last_seen"] == dt.date.today().isoformat()
    assert service.store.version() > version
    service.network.wait_until_current()
    ties = service.get(f"/api/people/{me}/neighbourhood", A).json()["ties"]
    assert {"start": me, "type": "KNOWS", "end": other} in ties or {
        "start": other,
        "type": "KNOWS",
        "end": me,
    } in ties


def test_a_declined_tie_never_reaches_the_graph(service: Service) -> None:
    me, other, _ = _people(service)
    tie = _name_tie(service, other)
    declined = service.client.post(
        f"/api/me/ties/{tie['id']}/decline", headers=_linked(service, other)
    )
    assert declined.json()["status"] == "declined"
    assert _knows(service, me, other) == []
    assert service.get("/api/me/ties", M).json()["named_by_you"][0]["status"] == "declined"


def test_withdrawing_a_confirmed_tie_takes_it_out_of_the_graph(service: Service) -> None:
    me, other, _ = _people(service)
    tie = _name_tie(service, other)
    service.client.post(f"/api/me/ties/{tie['id']}/confirm", headers=_linked(service, other))
    assert _knows(service, me, other)
    withdrawn = service.client.delete(f"/api/me/ties/{tie['id']}", headers=service.headers(M))
    assert withdrawn.status_code == 204
    assert _knows(service, me, other) == []
    assert service.get("/api/me/ties", M).json()["named_by_you"] == []


def test_naming_someone_who_named_you_confirms_their_tie(service: Service) -> None:
    me, other, _ = _people(service)
    _name_tie(service, other)
    back = service.client.post("/api/me/ties", headers=_linked(service, other), json={"person": me})
    assert back.status_code == 201 and back.json()["status"] == "confirmed"
    assert len(_knows(service, me, other)) == 1


def test_a_member_may_name_only_people_they_may_see(service: Service) -> None:
    hidden = service.people["hidden"][0]
    refused = service.client.post(
        "/api/me/ties", headers=service.headers(M), json={"person": hidden}
    )
    assert refused.status_code == 404


def test_ties_and_requests_through_the_cookie_need_the_form_token(service: Service) -> None:
    _, other, _ = _people(service)
    signed = service.client.post(
        "/api/sign-in", json={"email": service.email(M), "password": PASSWORD}
    )
    csrf = signed.json()["csrf_token"]
    for path, body in (
        ("/api/me/ties", {"person": other}),
        ("/api/introduction-requests", {"person": other}),
    ):
        refused = service.client.post(path, json=body)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
        made = service.client.post(path, json=body, headers={"X-CSRF-Token": csrf})
        assert made.status_code == 201
    service.client.cookies.clear()


def test_a_survey_round_asks_members_and_counts_who_answered(service: Service) -> None:
    _, other, _ = _people(service)
    closes = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    opened = service.client.post(
        "/api/tie-surveys", headers=service.headers(CV), json={"name": "Spring", "closes": closes}
    )
    assert opened.status_code == 201, opened.text
    survey = opened.json()
    asked = service.get("/api/me/ties", M).json()["surveys"]
    assert [(s["id"], s["answered"]) for s in asked] == [(survey["id"], False)]
    _name_tie(service, other)
    assert service.get("/api/me/ties", M).json()["surveys"][0]["answered"] is True
    # two linked members (the member and the connector): small counts are not shown exactly
    (shown,) = service.get("/api/tie-surveys", CV).json()
    assert shown["overall"]["asked"] == "fewer than 3" and shown["overall"]["rate"] is None
    (exact,) = service.get("/api/tie-surveys", A).json()
    assert exact["overall"] == {"name": "everyone asked", "asked": 2, "answered": 1, "rate": 0.5}
    assert sum(r["asked"] for r in exact["by_region"]) == 2
    closed = service.client.post(
        f"/api/tie-surveys/{survey['id']}/close", headers=service.headers(CV)
    )
    assert closed.json()["open"] is False
    assert service.get("/api/me/ties", M).json()["surveys"] == []


def test_a_round_cannot_close_before_it_opens_or_name_an_unknown_cell(service: Service) -> None:
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    post = service.client.post
    body = {"name": "Old", "closes": past}
    assert post("/api/tie-surveys", headers=service.headers(CV), json=body).status_code == 422
    soon = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    body = {"name": "Cell", "closes": soon, "cell": "cell:nowhere"}
    assert post("/api/tie-surveys", headers=service.headers(CV), json=body).status_code == 404


# --- introduction requests -----------------------------------------------------------


def _ask(service: Service, other: str) -> dict[str, Any]:
    asked = service.client.post(
        "/api/introduction-requests",
        headers=service.headers(M),
        json={"person": other, "note": "We both work on housing"},
    )
    assert asked.status_code == 201, asked.text
    body: dict[str, Any] = asked.json()
    return body


def _mine(service: Service, headers: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = service.client.get(
        "/api/me/introduction-requests", headers=headers
    ).json()
    return body


def _emails(service: Service, *people: str) -> list[str]:
    found = []
    for person in people:
        stored = service.store.person(person)
        assert stored is not None and stored.get("email")
        found.append(str(stored["email"]))
    return found


def _introduced(service: Service, a: str, b: str) -> str | None:
    held = service.store.person_data(a)
    assert held is not None
    statuses = [
        r["properties"].get("status")
        for r in held.relationships
        if r["type"] == "INTRODUCED_TO" and {r["start"], r["end"]} == {a, b}
    ]
    return statuses[0] if statuses else None


def test_contact_details_are_shared_only_when_both_say_yes(service: Service) -> None:
    me, other, _ = _people(service)
    my_email, their_email = _emails(service, me, other)
    theirs = _linked(service, other)
    request = _ask(service, other)
    assert request["status"] == "requested" and request["contact_email"] is None
    # the one asked about hears nothing until someone passes it on
    assert _mine(service, theirs)["asked_of_you"] == []
    (queued,) = service.get("/api/introduction-requests", CN).json()
    assert queued["id"] == request["id"] and queued["may_pass_on"] is True
    url = f"/api/introduction-requests/{request['id']}"
    passed = service.client.post(url + "/pass-on", headers=service.headers(CN))
    assert passed.json()["status"] == "asked"
    answer = service.client.post(url + "/answer", headers=service.headers(M), json={"accept": True})
    assert answer.json()["contact_email"] is None
    seen_by_other = _mine(service, theirs)["asked_of_you"][0]
    assert seen_by_other["requester"]["id"] == me and seen_by_other["contact_email"] is None
    assert my_email not in str(_mine(service, theirs)) and their_email not in str(
        _mine(service, service.headers(M))
    )
    both = service.client.post(url + "/answer", headers=theirs, json={"accept": True})
    assert both.json()["status"] == "introduced" and both.json()["contact_email"] == my_email
    assert _mine(service, service.headers(M))["asked_by_you"][0]["contact_email"] == their_email
    # the connector who passed it on sees neither email
    handler = str(service.get("/api/introduction-requests", CN).json())
    assert my_email not in handler and their_email not in handler
    assert _introduced(service, me, other) == "made"
    led = service.client.post(url + "/led-somewhere", headers=theirs)
    assert led.json()["outcome"] == "led_somewhere"
    assert _introduced(service, me, other) == "led_somewhere"


@pytest.mark.parametrize("who", ["requester", "other"])
def test_a_no_from_either_ends_the_request_and_is_recorded_as_declined(
    service: Service, who: str
) -> None:
    me, other, _ = _people(service)
    theirs = _linked(service, other)
    request = _ask(service, other)
    url = f"/api/introduction-requests/{request['id']}"
    service.client.post(url + "/pass-on", headers=service.headers(CN))
    first, second = (service.headers(M), theirs) if who == "other" else (theirs, service.headers(M))
    service.client.post(url + "/answer", headers=first, json={"accept": True})
    ended = service.client.post(url + "/answer", headers=second, json={"accept": False})
    assert ended.json()["status"] == "declined" and ended.json()["contact_email"] is None
    late = service.client.post(url + "/answer", headers=second, json={"accept": True})
    assert late.status_code == 409
    assert _introduced(service, me, other) == "declined"
    assert _mine(service, theirs)["asked_of_you"][0]["contact_email"] is None


def test_only_the_two_answer_and_only_the_introducer_or_a_connector_passes_on(
    service: Service,
) -> None:
    _, other, third = _people(service)
    request = _ask(service, other)
    url = f"/api/introduction-requests/{request['id']}"
    outsider = _linked(service, third)
    assert service.client.post(url + "/pass-on", headers=outsider).status_code == 404
    assert service.client.post(url + "/pass-on", headers=service.headers(M)).status_code == 404
    assert service.client.post(url + "/pass-on", headers=service.headers(CN)).status_code == 200
    body = {"accept": True}
    assert service.client.post(url + "/answer", headers=outsider, json=body).status_code == 404
    connector = service.headers(CN)
    assert service.client.post(url + "/answer", headers=connector, json=body).status_code == 404


def test_a_named_introducer_with_an_account_is_asked_to_pass_it_on(service: Service) -> None:
    _, other, introducer = _people(service)
    asked = service.client.post(
        "/api/introduction-requests",
        headers=service.headers(M),
        json={"person": other, "introducer": introducer},
    ).json()
    theirs = _linked(service, introducer)
    (waiting,) = _mine(service, theirs)["to_pass_on"]
    assert waiting["id"] == asked["id"] and waiting["may_pass_on"] is True
    passed = service.client.post(
        f"/api/introduction-requests/{asked['id']}/pass-on", headers=theirs
    )
    assert passed.json()["status"] == "asked"


def test_erasing_a_person_removes_their_ties_and_requests(service: Service) -> None:
    me, other, _ = _people(service)
    _name_tie(service, other)
    _ask(service, other)
    erased = service.client.delete(f"/api/people/{other}", headers=service.headers(A))
    assert erased.status_code == 204
    mine = service.get("/api/me/ties", M).json()
    assert mine["named_by_you"] == [] and _mine(service, service.headers(M))["asked_by_you"] == []
    assert service.accounts.ties.ties_of(other) == []
    assert service.accounts.ties.introduction_requests(person=other) == []
    assert me  # the member's own record stays


def test_an_export_holds_the_ties_and_requests_its_person_knows_of(service: Service) -> None:
    me, other, _ = _people(service)
    tie = _name_tie(service, other)
    request = _ask(service, other)
    mine = service.get(f"/api/people/{me}/export", M).json()
    assert [t["id"] for t in mine["member_ties"]] == [tie["id"]]
    assert [r["id"] for r in mine["introduction_requests"]] == [request["id"]]
    theirs = service.client.get(f"/api/people/{other}/export", headers=_linked(service, other))
    # the one asked about is told of a request only once someone passes it on
    assert theirs.json()["introduction_requests"] == []
    assert [t["id"] for t in theirs.json()["member_ties"]] == [tie["id"]]
    service.client.post(
        f"/api/introduction-requests/{request['id']}/pass-on", headers=service.headers(CN)
    )
    theirs = service.client.get(f"/api/people/{other}/export", headers=_linked(service, other))
    assert [r["id"] for r in theirs.json()["introduction_requests"]] == [request["id"]]


def test_an_imported_tie_is_left_alone_by_a_members_tie_and_its_withdrawal(
    service: Service,
) -> None:
    me, other, _ = _people(service)
    seen = Provenance(source="import:ties.csv", first_seen=dt.date(2024, 1, 1), last_seen=TODAY)
    service.store.upsert_relationships([Knows(start=other, end=me, strength=2, provenance=seen)])
    tie = _name_tie(service, other, "work_closely")
    service.client.post(f"/api/me/ties/{tie['id']}/confirm", headers=_linked(service, other))
    service.client.delete(f"/api/me/ties/{tie['id']}", headers=service.headers(M))
    (kept,) = _knows(service, me, other)
    assert kept["properties"]["source"] == "import:ties.csv"
    assert kept["properties"]["strength"] == 2


def test_every_change_is_in_the_audit_log_by_ids_alone(service: Service) -> None:
    me, other, _ = _people(service)
    tie = _name_tie(service, other)
    service.client.post(f"/api/me/ties/{tie['id']}/confirm", headers=_linked(service, other))
    request = _ask(service, other)
    service.client.post(
        f"/api/introduction-requests/{request['id']}/pass-on", headers=service.headers(CN)
    )
    entries = service.accounts.audit.entries()
    actions = [e.action for e in reversed(entries)]
    for done in ("tie.named", "tie.confirmed", "introduction.requested"):
        assert done in actions
    assert "introduction.passed_on" in actions
    named = next(e for e in entries if e.action == "tie.named")
    assert named.subject == me and named.ids == {"other": other, "tie": str(tie["id"])}
    text = str([e.to_json() for e in entries])
    assert "@" not in text and "housing" not in text  # no email, no note
