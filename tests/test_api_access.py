"""Roles and consent on every route: nothing returns more than the role may see."""

import io
import json

import pytest
from api_crawl import api_routes, crawl
from api_service import PASSWORD, Service

from graphsvc.access import Role

M, CN, CV, A = Role.MEMBER, Role.CONNECTOR, Role.CONVENOR, Role.ADMIN
EVERYONE = {M: 200, CN: 200, CV: 200, A: 200}


def only(allowed: dict[Role, int], denied: int = 403) -> dict[Role, int]:
    return {role: allowed.get(role, denied) for role in Role}


# (method, path) -> expected status for each role; None (anonymous) is 401 unless said.
MATRIX: dict[tuple[str, str], dict[Role | None, int]] = {
    ("GET", "/api/health"): {None: 200, **EVERYONE},
    ("GET", "/api/stats"): {**EVERYONE},
    ("GET", "/api/freshness"): {**EVERYONE},
    ("GET", "/api/membership"): {**EVERYONE},
    ("GET", "/api/analysis"): {**only({CV: 200, A: 200})},
    ("POST", "/api/sign-in"): {None: 401, M: 401, CN: 401, CV: 401, A: 401},  # wrong password
    ("POST", "/api/sign-out"): {M: 204, CN: 204, CV: 204, A: 204},
    ("GET", "/api/me"): {**EVERYONE},
    ("GET", "/api/me/tokens"): {**EVERYONE},
    ("POST", "/api/me/tokens"): {M: 201, CN: 201, CV: 201, A: 201},
    ("DELETE", "/api/me/tokens/{token_id}"): {M: 404, CN: 404, CV: 404, A: 404},
    ("GET", "/api/people"): {**EVERYONE},
    ("GET", "/api/people/{person_id}"): {**EVERYONE},
    ("GET", "/api/people/{person_id}/neighbourhood"): {**EVERYONE},
    ("GET", "/api/people/{person_id}/introductions"): {**only({M: 200, CN: 200, A: 200})},
    ("GET", "/api/people/{person_id}/export"): {**only({M: 200, A: 200})},
    ("DELETE", "/api/people/{person_id}"): {**only({A: 404})},  # asked for nobody
    ("GET", "/api/map"): {**EVERYONE},
    ("GET", "/api/people/{person_id}/map"): {**EVERYONE},
    ("GET", "/api/organisations"): {**EVERYONE},
    ("GET", "/api/organisations/{org_id}"): {**EVERYONE},
    ("GET", "/api/places"): {**EVERYONE},
    ("GET", "/api/cells"): {**EVERYONE},
    ("GET", "/api/cells/{cell_id}"): {**EVERYONE},
    ("GET", "/api/events"): {**EVERYONE},
    ("GET", "/api/events/{event_id}"): {**EVERYONE},
    ("GET", "/api/constellations"): {**EVERYONE},
    # the member's own constellation: others' are not shown to members and connectors
    ("GET", "/api/constellations/{constellation_id}"): {M: 200, CN: 404, CV: 200, A: 200},
    ("GET", "/api/single-points"): {**only({CV: 200, A: 200})},
    ("GET", "/api/potential-constellations"): {**only({CV: 200, A: 200})},
    ("GET", "/api/bridges"): {**only({CN: 200, CV: 200, A: 200})},
    ("GET", "/api/gaps"): {**only({CV: 200, A: 200})},
    ("GET", "/api/gaps/events"): {**only({CV: 200, A: 200})},
    ("GET", "/api/gaps/not-in-the-room"): {**only({CV: 200, A: 200})},
    ("GET", "/api/gaps/charts"): {**only({CV: 200, A: 200})},
    ("GET", "/api/growth"): {**only({CV: 200, A: 200})},
    ("GET", "/api/introductions"): {**only({CN: 200, A: 200})},
    ("GET", "/api/connectors/{person_id}/introductions"): {**only({CN: 200, A: 200})},
    ("POST", "/api/introductions"): {**only({CN: 201, A: 201})},
    ("POST", "/api/imports"): {**only({A: 201})},
    ("GET", "/api/imports"): {**only({A: 200})},
    ("GET", "/api/imports/{report_id}"): {**only({A: 404})},  # none with that id
    ("GET", "/api/review"): {**only({A: 200})},
    ("POST", "/api/review"): {**only({A: 404})},  # no such pair waits
    ("GET", "/api/users"): {**only({A: 200})},
    ("POST", "/api/users"): {**only({A: 201})},
    ("DELETE", "/api/users/{user_id}"): {**only({A: 404})},  # no such user
    ("GET", "/api/buddying/me"): {**EVERYONE},
    ("POST", "/api/buddying/proposals"): {**only({CV: 200, A: 200})},
    ("POST", "/api/buddying/rounds"): {**only({CV: 422, A: 422})},  # no pairs chosen
    ("GET", "/api/buddying/rounds"): {**only({CV: 200, A: 200})},
    ("GET", "/api/buddying/opt-ins"): {**only({CV: 200, A: 200})},
    ("PUT", "/api/buddying/opt-ins/{person_id}"): {**only({A: 204})},
    # accounts: my password, signing out everywhere, links; an admin's stewardship
    ("POST", "/api/me/password"): {M: 204, CN: 204, CV: 204, A: 204},  # to the same again
    ("POST", "/api/me/sign-out-everywhere"): {M: 204, CN: 204, CV: 204, A: 204},
    ("POST", "/api/set-password"): {None: 410, M: 410, CN: 410, CV: 410, A: 410},  # no such link
    ("POST", "/api/people/{person_id}/invitation"): {**only({A: 409})},  # has an account
    ("POST", "/api/users/{user_id}/password-reset"): {**only({A: 404})},  # no such user
    ("PATCH", "/api/users/{user_id}"): {**only({A: 404})},  # no such user
    ("PATCH", "/api/people/{person_id}"): {**only({A: 200})},  # nothing to correct
    ("POST", "/api/merges"): {**only({A: 422})},  # not a pair on the review list
    ("GET", "/api/merges"): {**only({A: 200})},
    ("POST", "/api/merges/{merge_id}/undo"): {**only({A: 404})},  # no such merge
    ("GET", "/api/audit"): {**only({A: 200})},
    # ties members name, survey rounds, introduction requests; accounts linked to no
    # person (here the convenor's and the admin's) may not name or ask
    ("GET", "/api/me/ties"): {**EVERYONE},
    ("POST", "/api/me/ties"): {M: 201, CN: 201, CV: 403, A: 403},
    ("POST", "/api/me/ties/{tie_id}/confirm"): {M: 404, CN: 404, CV: 403, A: 403},  # no such tie
    ("POST", "/api/me/ties/{tie_id}/decline"): {M: 404, CN: 404, CV: 403, A: 403},
    ("DELETE", "/api/me/ties/{tie_id}"): {M: 404, CN: 404, CV: 403, A: 403},
    ("GET", "/api/tie-surveys"): {**only({CV: 200, A: 200})},
    ("POST", "/api/tie-surveys"): {**only({CV: 201, A: 201})},
    ("POST", "/api/tie-surveys/{survey_id}/close"): {**only({CV: 404, A: 404})},  # no such round
    ("GET", "/api/me/introduction-requests"): {**EVERYONE},
    ("POST", "/api/introduction-requests"): {M: 201, CN: 201, CV: 403, A: 403},
    ("GET", "/api/introduction-requests"): {**only({CN: 200, A: 200})},
    # no such request: not found for anyone, whatever their role
    ("POST", "/api/introduction-requests/{request_id}/pass-on"): {r: 404 for r in Role},
    ("POST", "/api/introduction-requests/{request_id}/refuse"): {r: 404 for r in Role},
    ("POST", "/api/introduction-requests/{request_id}/answer"): {r: 404 for r in Role},
    ("POST", "/api/introduction-requests/{request_id}/led-somewhere"): {r: 404 for r in Role},
    ("POST", "/api/introduction-requests/{request_id}/withdraw"): {r: 404 for r in Role},
    # my own record (accounts linked to no person, here the convenor's and the admin's,
    # have none), erasure requests and the questions members may answer about themselves
    ("GET", "/api/me/record"): {M: 200, CN: 200, CV: 404, A: 404},
    ("PATCH", "/api/me/record"): {M: 200, CN: 200, CV: 404, A: 404},
    ("POST", "/api/me/erasure-request"): {M: 201, CN: 201, CV: 404, A: 404},
    ("DELETE", "/api/me/erasure-request"): {M: 204, CN: 204, CV: 404, A: 404},
    ("GET", "/api/erasure-requests"): {**only({A: 200})},
    # the requests were withdrawn just above: none waits
    ("POST", "/api/erasure-requests/{person_id}/confirm"): {**only({A: 404})},
    ("DELETE", "/api/erasure-requests/{person_id}"): {**only({A: 404})},
    ("GET", "/api/self-description/questions"): {**EVERYONE},
    ("PUT", "/api/self-description/questions"): {**only({A: 200})},
    ("GET", "/api/gaps/self-description"): {**only({CV: 200, A: 200})},
}


def _call(service: Service, method: str, path: str, role: Role | None, n: int) -> int:
    member_constellation = service.client.get(
        f"/api/people/{service.member_person}", headers=service.headers(A)
    ).json()["constellation"]
    url = (
        path.replace("{token_id}", "none")
        .replace("{person_id}", "person:nobody" if method == "DELETE" else service.member_person)
        .replace("{org_id}", "org:nobody")
        .replace("{cell_id}", "cell:nobody")
        .replace("{event_id}", "event:nobody")
        .replace("{constellation_id}", member_constellation)
        .replace("{report_id}", "999")
        .replace("{user_id}", "999")
        .replace("{merge_id}", "999")
        .replace("{tie_id}", "999")
        .replace("{survey_id}", "999")
        .replace("{request_id}", "999")
    )
    headers = service.headers(role)
    if "{org_id}" in path or "{cell_id}" in path or "{event_id}" in path:
        kind = path.split("/")[2]
        first = service.client.get(f"/api/{kind}", headers=service.headers(A)).json()["items"][0]
        url = f"/api/{kind}/{first['id']}"
    bodies = {
        "/api/sign-in": {"email": service.email(role or M), "password": "not the password"},
        "/api/me/tokens": {"name": "matrix"},
        "/api/introductions": {
            "a": service.member_person,
            "b": service.people["network"][7],
            "status": "made",
        },
        "/api/review": {"person": "person:nobody", "candidate": "person:nobody2"},
        "/api/me/record": {"bio": "A bio the matrix wrote"},
        "/api/self-description/questions": [],
        "/api/buddying/proposals": {"name": "Matrix", "across": "either"},
        "/api/buddying/rounds": {"name": "Matrix", "across": "either", "pairs": []},
        "/api/buddying/opt-ins/{person_id}": {"opted_in": True},
        "/api/users": {"email": f"new{n}@test.invalid", "role": "member", "password": PASSWORD},
        "/api/me/password": {"current_password": PASSWORD, "new_password": PASSWORD},
        "/api/set-password": {"token": "no-such-link-token", "password": PASSWORD},
        "/api/people/{person_id}/invitation": {"role": "member"},
        "/api/users/{user_id}": {"role": "member"},
        "/api/people/{person_id}": {},
        "/api/merges": {"kept": "person:nobody", "gone": "person:nobody2"},
        "/api/me/ties": {"person": service.people["network"][7]},
        "/api/tie-surveys": {"name": f"Matrix {n} {role}", "closes": "2999-01-01"},
        "/api/introduction-requests": {"person": service.people["network"][7]},
        "/api/introduction-requests/{request_id}/answer": {"accept": True},
    }
    if method == "POST" and path == "/api/imports":
        csv = f"Name,Email\nMatrix Person {n},matrix{n}@example.org\n".encode()
        response = service.client.post(
            url,
            headers=headers,
            files={"file": ("members.csv", io.BytesIO(csv), "text/csv")},
            data={"kind": "members"},
        )
    else:
        response = service.client.request(method, url, headers=headers, json=bodies.get(path))
    return response.status_code


def test_the_matrix_covers_every_route(shared_service: Service) -> None:
    assert set(api_routes(shared_service)) == set(MATRIX)


def test_each_role_gets_exactly_what_the_matrix_says_on_every_route(service: Service) -> None:
    wrong = []
    for n, ((method, path), expected) in enumerate(MATRIX.items()):
        for role in (None, *Role):
            want = expected.get(role, 401)
            got = _call(service, method, path, role, n)
            if got != want:
                wrong.append(f"{method} {path} as {role}: {got}, expected {want}")
            service.ensure_users()  # signing out revokes the token used
    assert not wrong, "\n".join(wrong)


def _forbidden_ids(service: Service, role: Role) -> set[str]:
    """The people a role must never see named, whatever the route."""
    people = service.people
    if role is Role.MEMBER:
        return set(people["hidden"]) | set(people["connectors"])
    return set(people["hidden"])


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CONNECTOR, Role.CONVENOR])
def test_no_response_names_anyone_the_role_may_not_see(shared_service: Service, role: Role) -> None:
    bodies = crawl(shared_service, role)
    assert len(bodies) > 40
    forbidden = _forbidden_ids(shared_service, role)
    leaks = {
        url: sorted(pid for pid in forbidden if f'"{pid}"' in text) for url, text in bodies.items()
    }
    assert not {url: found for url, found in leaks.items() if found}
    # and the crawl did reach people they may see
    allowed = shared_service.people["network"][10]
    assert any(f'"{allowed}"' in text for text in bodies.values())


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CONNECTOR, Role.CONVENOR])
def test_no_response_shows_anyone_elses_contact_details(
    shared_service: Service, role: Role
) -> None:
    own = {
        Role.MEMBER: shared_service.member_person,
        Role.CONNECTOR: shared_service.connector_person,
    }
    emails = {
        pid: data["email"]
        for pid, data in shared_service.store.snapshot().nodes(data=True)
        if data.get("kind") == "Person" and data.get("email") and pid != own.get(role)
    }
    bodies = crawl(shared_service, role)
    leaked = {url for url, text in bodies.items() for e in emails.values() if e in text}
    assert not leaked


def test_a_member_sees_their_own_record_in_full_and_others_without_contact_details(
    shared_service: Service,
) -> None:
    me = shared_service.get(f"/api/people/{shared_service.member_person}", M).json()
    stored = shared_service.store.person(shared_service.member_person)
    assert stored is not None
    assert me["email"] == stored["email"] and me["visibility"] == "network"
    other = shared_service.people["network"][3]
    card = shared_service.get(f"/api/people/{other}", M).json()
    assert card["name"] and card["email"] is None and card["visibility"] is None
    assert shared_service.get(f"/api/people/{other}", A).json()["email"] is not None


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        ("network", {M: 200, CN: 200, CV: 200, A: 200}),
        ("connectors", {M: 404, CN: 200, CV: 200, A: 200}),
        ("hidden", {M: 404, CN: 404, CV: 404, A: 200}),
    ],
)
def test_asking_for_a_person_by_id_follows_their_consent(
    shared_service: Service, visibility: str, expected: dict[Role, int]
) -> None:
    person = shared_service.people[visibility][2]
    for path in ("", "/neighbourhood", "/introductions"):
        for role, status in expected.items():
            got = shared_service.get(f"/api/people/{person}{path}", role).status_code
            if path == "/introductions" and role in (M, CV):
                status = 403  # members see only their own; convenors none
            assert got == status, (path, role)


def test_the_neighbourhood_shows_a_tie_only_when_both_people_may_be_shown(
    shared_service: Service,
) -> None:
    forbidden = _forbidden_ids(shared_service, M)
    for pid in shared_service.people["network"][:20]:
        body = shared_service.get(f"/api/people/{pid}/neighbourhood", M, depth=2).json()
        shown = {n["id"] for n in body["nodes"]}
        assert not shown & forbidden
        assert all(t["start"] in shown and t["end"] in shown for t in body["ties"])
        assert "MAY_BE_SAME" not in json.dumps(body)


def test_pages_are_capped(shared_service: Service) -> None:
    assert shared_service.get("/api/people", A, limit=201).status_code == 422
    page = shared_service.get("/api/people", A, limit=200).json()
    assert len(page["items"]) == 200 and page["total"] == 300
    rest = shared_service.get("/api/people", A, limit=200, offset=200).json()
    assert len(rest["items"]) == 100
    assert {p["id"] for p in page["items"]}.isdisjoint({p["id"] for p in rest["items"]})
