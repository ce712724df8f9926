"""What a person's surroundings and the network's counts could tell about someone
hidden: nothing is reached through a person the viewer may not see, and no count
of one or two people is shown to anyone but admins."""

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_crawl import crawl
from api_service import PASSWORD, Service
from fastapi.testclient import TestClient

from graphsvc.access import Role
from graphsvc.model import (
    Attended,
    BasedIn,
    Cell,
    CellKind,
    Event,
    EventKind,
    InterestedIn,
    Knows,
    MemberOf,
    Organisation,
    Person,
    Place,
    PlaceLevel,
    Provenance,
    Theme,
    Visibility,
    WorksWith,
)

SEEN = Provenance(source="test", first_seen=dt.date(2026, 1, 1), last_seen=dt.date(2026, 1, 1))
NON_ADMINS = (Role.MEMBER, Role.CONNECTOR, Role.CONVENOR)
FEWER = "fewer than 3"  # the default small-count threshold, GRAPHSVC_SMALL_COUNT=3
# Keys whose numbers count people in an aggregate (a map's "people" counts only
# those it names, so it is not one of them).
PEOPLE_COUNTS = frozenset(
    {"members", "attendees", "size", "count", "isolated", "peripheral", "not_in_the_room"}
)


@dataclass
class Planted:
    """A hidden person, the only one at an event, with an interest, in an
    organisation, a place and a cell; and a visible person tied only to them."""

    hidden: Person
    behind: Person
    event: Event
    theme: Theme
    organisation: Organisation
    place: Place
    cell: Cell

    @property
    def reached_only_through_the_hidden(self) -> dict[str, str]:
        """Id to name of everything no one but an admin may reach."""
        nodes = (
            self.hidden,
            self.behind,
            self.event,
            self.theme,
            self.organisation,
            self.place,
            self.cell,
        )
        return {n.id: n.name for n in nodes}


def _plant_a_hidden_person(service: Service) -> Planted:
    """Written before the service's first request, so its first view holds them."""
    planted = Planted(
        hidden=Person(
            id="person:hidden-attendee",
            name="Hester Unseenworth",
            visibility=Visibility.HIDDEN,
            provenance=SEEN,
        ),
        behind=Person(
            id="person:behind-the-hidden",
            name="Vera Farbehind",
            visibility=Visibility.NETWORK,
            provenance=SEEN,
        ),
        event=Event(
            id="event:sign-language-roundtable",
            name="Roundtable: Sign language in rural courts",
            date=dt.date(2026, 1, 15),
            category=EventKind.ROUNDTABLE,
            provenance=SEEN,
        ),
        theme=Theme(
            id="theme:sign-language-in-courts",
            name="Sign language in rural courts",
            provenance=SEEN,
        ),
        organisation=Organisation(
            id="org:unseenworth-consulting", name="Unseenworth Consulting", provenance=SEEN
        ),
        place=Place(
            id="place:tiny-hamlet", name="Tiny Hamlet", level=PlaceLevel.TOWN, provenance=SEEN
        ),
        cell=Cell(
            id="cell:quiet-corner",
            name="The quiet corner",
            category=CellKind.THEME_CELL,
            provenance=SEEN,
        ),
    )
    hidden = planted.hidden.id
    service.store.upsert_nodes(
        [
            planted.hidden,
            planted.behind,
            planted.event,
            planted.theme,
            planted.organisation,
            planted.place,
            planted.cell,
        ]
    )
    service.store.upsert_relationships(
        [
            Knows(start=service.member_person, end=hidden, strength=4, provenance=SEEN),
            Knows(start=planted.behind.id, end=hidden, strength=4, provenance=SEEN),
            Attended(start=hidden, end=planted.event.id, provenance=SEEN),
            InterestedIn(start=hidden, end=planted.theme.id, provenance=SEEN),
            WorksWith(start=hidden, end=planted.organisation.id, provenance=SEEN),
            # A place in no region, and no sector: "unknown" counts one person each.
            BasedIn(start=hidden, end=planted.place.id, provenance=SEEN),
            MemberOf(start=hidden, end=planted.cell.id, provenance=SEEN),
        ]
    )
    return planted


@pytest.fixture
def planted(service: Service) -> Planted:
    return _plant_a_hidden_person(service)


def _people_counts(body: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every count of people in a JSON body, with where it is."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in PEOPLE_COUNTS and not isinstance(value, dict | list):
                yield f"{path}.{key}", value
            yield from _people_counts(value, f"{path}.{key}")
    elif isinstance(body, list):
        for i, value in enumerate(body):
            yield from _people_counts(value, f"{path}[{i}]")


def _all_items(service: Service, url: str, role: Role, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = service.get(url, role, offset=len(items), limit=200, **params).json()
        items += page["items"]
        if len(items) >= page["total"]:
            return items


def _signed_in_client(service: Service, role: Role) -> TestClient:
    client = TestClient(service.app)
    client.post("/sign-in", data={"email": service.email(role), "password": PASSWORD})
    return client


def test_nothing_reached_only_through_a_hidden_person_is_in_a_neighbourhood_or_map(
    service: Service, planted: Planted
) -> None:
    unseen = planted.reached_only_through_the_hidden
    me = service.member_person
    for role in NON_ADMINS:
        response = service.get(f"/api/people/{me}/neighbourhood", role, depth=2)
        body = response.json()
        assert not body["truncated"]
        assert len(body["nodes"]) > 1  # the member's own events, cells and people stay
        assert not {n["id"] for n in body["nodes"]} & set(unseen), role
        assert not any(name in response.text for name in unseen.values()), role
        drawn = service.get(f"/api/people/{me}/map", role)
        assert not {n["id"] for n in drawn.json()["nodes"]} & set(unseen), role
        assert not any(name in drawn.text for name in unseen.values())
    # An admin may see the hidden person, and so everything reached through them.
    admin = service.get(f"/api/people/{me}/neighbourhood", Role.ADMIN, depth=2).json()
    assert set(unseen) <= {n["id"] for n in admin["nodes"]}
    admin_map = service.get(f"/api/people/{me}/map", Role.ADMIN).json()
    assert {planted.hidden.id, planted.behind.id} <= {n["id"] for n in admin_map["nodes"]}


def test_someone_tied_only_to_a_hidden_person_has_nothing_else_in_their_neighbourhood(
    service: Service, planted: Planted
) -> None:
    behind = planted.behind.id
    body = service.get(f"/api/people/{behind}/neighbourhood", Role.MEMBER, depth=2).json()
    assert [n["id"] for n in body["nodes"]] == [behind] and body["ties"] == []


def test_the_groups_of_one_hidden_person_count_fewer_than_three_to_all_but_admins(
    service: Service, planted: Planted
) -> None:
    for role, shown in [*((r, FEWER) for r in NON_ADMINS), (Role.ADMIN, 1)]:
        event = service.get(f"/api/events/{planted.event.id}", role).json()
        assert event["attendees"] == shown, role
        organisation = service.get(f"/api/organisations/{planted.organisation.id}", role).json()
        assert organisation["members"] == shown, role
        cell = service.get(f"/api/cells/{planted.cell.id}", role).json()
        assert cell["members"] == shown, role
        place = service.get("/api/places", role, q="Tiny Hamlet").json()["items"]
        assert [p["members"] for p in place] == [shown], role
        # No region or sector is known for them, nor for the person tied to them.
        unknown = {"name": "unknown", "members": 2 if role is Role.ADMIN else FEWER}
        membership = service.get("/api/membership", role).json()
        assert unknown in membership["by_region"] and unknown in membership["by_sector"], role
        if role is not Role.ADMIN:
            assert event["people"] == organisation["people"] == cell["people"] == []


@pytest.mark.parametrize("kind", ["organisations", "events", "cells", "places"])
def test_every_group_of_one_or_two_counts_fewer_than_three_and_the_rest_exactly(
    service: Service, planted: Planted, kind: str
) -> None:
    key = "attendees" if kind == "events" else "members"
    exact = {g["id"]: g[key] for g in _all_items(service, f"/api/{kind}", Role.ADMIN)}
    assert any(0 < n < 3 for n in exact.values())
    for role in NON_ADMINS:
        shown = {g["id"]: g[key] for g in _all_items(service, f"/api/{kind}", role)}
        assert shown == {g: FEWER if 0 < n < 3 else n for g, n in exact.items()}, role


def test_no_response_to_a_member_or_connector_counts_one_or_two_people(
    service: Service, planted: Planted
) -> None:
    for role in (Role.MEMBER, Role.CONNECTOR):
        for url, text in crawl(service, role).items():
            if not text.startswith(("{", "[")):
                continue
            small = [(at, n) for at, n in _people_counts(json.loads(text)) if n in (1, 2)]
            assert not small, (role, url, small)


def _northern_ireland_down_to_one(service: Service) -> None:
    """Erase all but one of the network's members in Northern Ireland."""
    people = service.network.view().profile.people.values()
    there = sorted(p.id for p in people if p.region == "Northern Ireland")
    users = {service.member_person, service.connector_person}
    for person in [p for p in there if p not in users][: len(there) - 1]:
        service.store.erase_person(person)


def _shares(gaps: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from (*gaps["regions"], *gaps["nations"], *gaps["sectors"])
    for group in gaps.get("cells", []):
        yield from (*group["regions"], *group["sectors"])


def test_a_share_of_one_person_is_fewer_than_three_with_no_share_or_interval_to_convenors(
    service: Service,
) -> None:
    _northern_ireland_down_to_one(service)
    for url in ("/api/gaps", "/api/analysis"):
        for role, shown in ((Role.CONVENOR, FEWER), (Role.ADMIN, 1)):
            figures = service.get(url, role).json()
            ni = next(s for s in figures["regions"] if s["category"] == "Northern Ireland")
            nation = next(s for s in figures["nations"] if s["category"] == "Northern Ireland")
            assert ni["count"] == nation["count"] == shown, (url, role)
            assert (ni["share"] is None) is (role is Role.CONVENOR), (url, role)
            assert ni["verdict"] in ("under", "over", "as expected") and ni["expected"] > 0
    gaps = service.get("/api/gaps", Role.CONVENOR).json()
    events = service.get("/api/gaps/events", Role.CONVENOR, limit=200).json()["items"]
    shares = [*_shares(gaps), *(s for e in events for s in (*e["regions"], *e["sectors"]))]
    assert all(
        (s["share"], s["low"], s["high"]) == (None, None, None)
        for s in shares
        if s["count"] == FEWER
    )
    assert not any(s["count"] in (1, 2) for s in shares)
    region = service.get("/api/membership", Role.MEMBER).json()["by_region"]
    assert {"name": "Northern Ireland", "members": FEWER} in region


def test_the_home_and_gaps_pages_say_fewer_than_three_for_one_hidden_person(
    service: Service, planted: Planted
) -> None:
    home = _signed_in_client(service, Role.MEMBER).get("/").text
    assert f'<tr><td>unknown</td><td class="num">{FEWER}</td>' in home
    assert 'value="fewer' not in home
    gaps = _signed_in_client(service, Role.CONVENOR).get("/gaps").text
    assert f"The quiet corner ({FEWER} members: too few to judge)" in gaps
    admin_gaps = _signed_in_client(service, Role.ADMIN).get("/gaps").text
    assert "The quiet corner (1 members: too few to judge)" in admin_gaps


def _region_bar_and_area(charts: dict[str, Any], region: str) -> tuple[Any, Any, str, str]:
    """A region's bar (its value, label and hover text) and its area's hover text."""
    [bars] = [t for t in charts["regions"]["data"] if t["type"] == "bar"]
    at = next(i for i, label in enumerate(bars["y"]) if label.startswith(region))
    [area] = [t for t in charts["regions_map"]["data"] if t.get("name") == region and t.get("fill")]
    return bars["x"][at], bars["y"][at], bars["hovertext"][at], area["text"]


def test_the_representation_charts_draw_no_share_of_one_person_for_convenors(
    service: Service,
) -> None:
    _northern_ireland_down_to_one(service)
    charts = service.get("/api/gaps/charts", Role.CONVENOR).json()["charts"]
    value, label, hover, area = _region_bar_and_area(charts, "Northern Ireland")
    assert value is None and label == f"Northern Ireland ({FEWER}, not shown)"
    for text in (hover, area):
        assert f"{FEWER} members: too few to show their share" in text
        assert "interval" not in text
    assert not re.search(r"(?<![\d.])[12] members?\b", json.dumps(charts))
    # Admins keep the exact figures.
    charts = service.get("/api/gaps/charts", Role.ADMIN).json()["charts"]
    value, label, hover, area = _region_bar_and_area(charts, "Northern Ireland")
    assert value > 0 and label == "Northern Ireland"
    assert "1 member, " in hover and "1 member, " in area and "interval" in hover


def _pairing(intros: list[dict[str, Any]], one: str, other: str) -> list[dict[str, Any]]:
    return [i for i in intros if {i["a"]["id"], i["b"]["id"]} == {one, other}]


def test_no_one_is_suggested_to_a_viewer_only_through_a_hidden_mutual_contact(
    service: Service, planted: Planted
) -> None:
    me, behind = service.member_person, planted.behind.id
    # The person tied only to the hidden one has one friend of a friend: the member.
    theirs = f"/api/people/{behind}/introductions"
    assert service.get(theirs, Role.CONNECTOR).json() == []
    mine = service.get(f"/api/people/{me}/introductions", Role.MEMBER, limit=100).json()
    assert _pairing(mine, me, behind) == []
    everyone = _all_items(service, "/api/introductions", Role.CONNECTOR)
    assert _pairing(everyone, me, behind) == []
    # An admin may see the hidden person, and so the one contact the two share.
    [seen] = service.get(theirs, Role.ADMIN).json()
    assert {seen["a"]["id"], seen["b"]["id"]} == {me, behind}
    assert seen["mutual_contacts"] == 1 and "1 mutual contact" in seen["reasons"]
    assert seen["introducer"] is None  # hidden people are never put forward


def test_mutual_contacts_are_counted_among_the_people_the_viewer_may_see(
    service: Service, planted: Planted
) -> None:
    me, behind = service.member_person, planted.behind.id
    both_know = Person(
        id="person:knows-both", name="Bea Knowsboth", visibility=Visibility.NETWORK, provenance=SEEN
    )
    service.store.upsert_nodes([both_know])
    service.store.upsert_relationships(
        [Knows(start=both_know.id, end=p, strength=4, provenance=SEEN) for p in (me, behind)]
    )
    for role, mutual in ((Role.CONNECTOR, 1), (Role.ADMIN, 2)):
        found = service.get(f"/api/people/{behind}/introductions", role).json()
        [suggestion] = _pairing(found, me, behind)
        assert suggestion["mutual_contacts"] == mutual, role
        reasons = [r for r in suggestion["reasons"] if "mutual" in r]
        assert reasons == ["1 mutual contact" if mutual == 1 else "2 mutual contacts"], role
        assert suggestion["introducer"]["id"] == both_know.id, role
