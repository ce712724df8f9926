"""What a user trial found, each put right: Recorded introductions follow the person
chosen, newest first with their date; an opted-in member who cannot be paired is
told why; signing in returns to the page asked for (and never to another site);
a duplicate open survey round is refused; People I know lists the graph's ties;
the sign-in and account pages' messages read as sentences; and the stewardship
page does not describe the invitation just made as an earlier one."""

import datetime as dt
import re
from typing import Any

import pytest
from api_service import PASSWORD, Service
from fastapi.testclient import TestClient

from graphsvc.access import Role
from graphsvc.api.errors import as_sentence
from graphsvc.api.return_to import safe_next
from graphsvc.model import IntroducedTo, IntroductionStatus, Knows, Provenance

TODAY = dt.date.today()


def _bearer(service: Service, person_id: str, role: Role = Role.MEMBER) -> dict[str, str]:
    email = f"trial-{person_id.replace(':', '-')}@test.invalid"
    user = service.accounts.user_by_email(email) or service.accounts.add_user(
        email, role, PASSWORD, person_id
    )
    return {"Authorization": f"Bearer {service.accounts.issue_token(user.id, 'bearer')[1]}"}


def _introduced(a: str, b: str, day: dt.date) -> IntroducedTo:
    seen = Provenance(source="test", first_seen=day, last_seen=day)
    return IntroducedTo(start=a, end=b, date=day, status=IntroductionStatus.MADE, provenance=seen)


# --- Recorded introductions -----------------------------------------------------------


def test_recorded_introductions_for_a_person_involve_them_newest_first_with_the_date(
    service: Service,
) -> None:
    me, x, y, far, away = service.people["network"][2:7]
    service.store.upsert_relationships(
        [
            _introduced(me, x, dt.date(2024, 1, 5)),
            _introduced(y, me, dt.date(2024, 6, 1)),
            _introduced(far, away, dt.date(2024, 9, 9)),
        ]
    )
    service.network.wait_until_current()
    asked = service.get("/api/introductions", Role.CONNECTOR, recorded="made", person=me)
    assert asked.status_code == 200, asked.text
    listed = asked.json()["items"]
    assert listed and all(me in (i["a"]["id"], i["b"]["id"]) for i in listed)
    pairs = [frozenset((i["a"]["id"], i["b"]["id"])) for i in listed]
    assert frozenset((me, y)) in pairs and frozenset((me, x)) in pairs
    assert frozenset((far, away)) not in pairs
    dated = {frozenset((i["a"]["id"], i["b"]["id"])): i["date"] for i in listed}
    assert dated[frozenset((me, x))] == "2024-01-05"
    dates = [i["date"] for i in listed if i["date"]]
    assert dates == sorted(dates, reverse=True)
    assert pairs.index(frozenset((me, y))) < pairs.index(frozenset((me, x)))
    everyone = service.get("/api/introductions", Role.CONNECTOR, recorded="made").json()
    assert frozenset((far, away)) in [
        frozenset((i["a"]["id"], i["b"]["id"])) for i in everyone["items"]
    ]


# --- buddying ---------------------------------------------------------------------------


def test_an_opted_in_member_the_network_may_not_see_is_told_they_cannot_be_paired(
    service: Service,
) -> None:
    hidden = service.people["hidden"][0]
    seen = service.people["network"][4]
    for person in (hidden, seen):
        service.network.set_buddying(person, True, None)
    service.network.wait_until_current()
    mine = service.client.get("/api/buddying/me", headers=_bearer(service, hidden)).json()
    assert mine["opted_in"] is True and mine["may_be_paired"] is False
    theirs = service.client.get("/api/buddying/me", headers=_bearer(service, seen)).json()
    assert theirs["opted_in"] is True and theirs["may_be_paired"] is True


# --- returning after sign-in ----------------------------------------------------------


@pytest.mark.parametrize(
    "asked",
    [
        "//evil.example/me",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "me",
        "/me\r\nLocation: //evil.example",
        "",
    ],
)
def test_a_next_page_elsewhere_than_this_site_is_never_followed(asked: str) -> None:
    assert safe_next(asked) is None


def test_a_next_page_on_this_site_is_followed() -> None:
    assert safe_next("/me") == "/me"
    assert safe_next("/introductions?person=person%3A1") == "/introductions?person=person%3A1"


def _signed_out(service: Service) -> TestClient:
    return TestClient(service.app, follow_redirects=False)


def test_a_page_asked_for_signed_out_is_where_signing_in_goes(service: Service) -> None:
    client = _signed_out(service)
    asked = client.get("/me/ties", headers={"accept": "text/html"})
    assert asked.status_code == 303
    assert asked.headers["location"] == "/sign-in?next=%2Fme%2Fties"
    form = client.get("/sign-in", params={"next": "/me/ties"})
    assert 'name="next" value="/me/ties"' in form.text
    signed = client.post(
        "/sign-in",
        data={"email": service.email(Role.MEMBER), "password": PASSWORD, "next": "/me/ties"},
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/me/ties"


def test_signing_in_with_a_next_page_of_another_site_lands_on_the_home_page(
    service: Service,
) -> None:
    client = _signed_out(service)
    form = client.get("/sign-in", params={"next": "//evil.example"})
    assert "evil.example" not in form.text
    signed = client.post(
        "/sign-in",
        data={"email": service.email(Role.MEMBER), "password": PASSWORD, "next": "//evil.example"},
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/"


# --- survey rounds ----------------------------------------------------------------------


def test_a_second_open_round_with_the_same_name_and_focus_is_refused(service: Service) -> None:
    closes = (TODAY + dt.timedelta(days=14)).isoformat()
    headers = service.headers(Role.CONVENOR)
    first = service.client.post(
        "/api/tie-surveys", headers=headers, json={"name": "Spring", "closes": closes}
    )
    assert first.status_code == 201, first.text
    again = service.client.post(
        "/api/tie-surveys", headers=headers, json={"name": "spring ", "closes": closes}
    )
    assert again.status_code == 409
    assert "already open" in again.json()["error"]["message"]
    elsewhere = {"name": "Spring", "closes": closes, "region": "Wales"}
    other_focus = service.client.post("/api/tie-surveys", headers=headers, json=elsewhere)
    assert other_focus.status_code == 201, other_focus.text


# --- People I know ----------------------------------------------------------------------


def test_people_i_know_lists_an_imported_tie_from_the_graph(service: Service) -> None:
    me, known = service.member_person, service.people["network"][7]
    hidden = service.people["hidden"][0]
    seen = Provenance(source="import:ties.csv", first_seen=TODAY, last_seen=TODAY)
    service.store.upsert_relationships(
        [
            Knows(start=known, end=me, strength=2, provenance=seen),
            Knows(start=me, end=hidden, strength=1, provenance=seen),
        ]
    )
    service.network.wait_until_current()
    mine: dict[str, Any] = service.get("/api/me/ties", Role.MEMBER).json()
    graph = {t["person"]["id"]: t for t in mine["in_the_graph"]}
    assert graph[known]["came_from"] == "imported" and graph[known]["strength"] == 2
    assert hidden not in graph


# --- messages as sentences --------------------------------------------------------------


def test_messages_read_as_sentences() -> None:
    assert as_sentence("wrong email or password") == "Wrong email or password."
    assert as_sentence("Already one.") == "Already one."


def test_a_wrong_sign_in_and_a_used_link_say_so_in_sentences(service: Service) -> None:
    wrong = service.client.post(
        "/api/sign-in", json={"email": service.email(Role.MEMBER), "password": "not it at all"}
    )
    assert wrong.json()["error"]["message"] == "Wrong email or password."
    gone = _signed_out(service).get("/sign-in", params={"token": "no-such-link"})
    assert gone.status_code == 410
    assert "This link is unknown, has been used, or has expired: ask an admin" in gone.text
    assert "for a new one." in gone.text


# --- stewardship: the invitation just made ----------------------------------------------


def test_the_invitation_just_made_is_not_described_as_an_earlier_one(service: Service) -> None:
    person = next(
        p
        for p in service.people["network"][20:]
        if not [u for u in service.accounts.users() if u.person_id == p]
    )
    client = _signed_out(service)
    client.post("/sign-in", data={"email": service.email(Role.ADMIN), "password": PASSWORD})
    page = client.get(f"/stewardship/people/{person}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    invite = {"csrf_token": token.group(1), "email": "first@test.invalid", "role": "member"}
    made = client.post(f"/stewardship/people/{person}/invitation", data=invite)
    assert made.status_code == 201, made.text
    assert "An earlier" not in made.text
    again = client.post(
        f"/stewardship/people/{person}/invitation",
        data={**invite, "email": "second@test.invalid"},
    )
    assert again.status_code == 201
    earlier = re.findall(r"An earlier invite link, to ([^,]+),", again.text)
    assert "second@test.invalid" not in earlier
