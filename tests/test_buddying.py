"""Buddying: members who opted in, paired one to one across sectors or regions."""

import datetime as dt
from typing import Any

import pytest
from api_service import PASSWORD, Service
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.access import Role
from graphsvc.analysis.buddying import Across, Candidate, propose_buddies
from graphsvc.model import Person, Provenance

SECTORS = ["health", "education", "arts", "housing"]
REGIONS = ["Wales", "London", "Scotland"]
THEMES = ["ageing well", "climate", "food", "youth"]


def candidate(i: int, sector: str | None, region: str | None, themes: set[str]) -> Candidate:
    return Candidate(f"person:{i:03}", sector, region, frozenset(themes))


candidates = st.lists(
    st.tuples(
        st.sampled_from([*SECTORS, None]),
        st.sampled_from([*REGIONS, None]),
        st.sets(st.sampled_from(THEMES)),
    ),
    max_size=30,
).map(lambda rows: [candidate(i, *row) for i, row in enumerate(rows)])


def tied_by_parity(a: str, b: str) -> bool:
    """An arbitrary set of existing ties: people whose numbers sum to a multiple of 5."""
    return (int(a[-3:]) + int(b[-3:])) % 5 == 0


@settings(max_examples=150, deadline=None)
@given(people=candidates, across=st.sampled_from(list(Across)))
def test_a_round_pairs_each_person_at_most_once_across_what_it_asks_and_never_the_tied(
    people: list[Candidate], across: Across
) -> None:
    found = propose_buddies(people, across, tied_by_parity)
    by_id = {p.id: p for p in people}
    paired = [person for pair in found.pairs for person in (pair.a, pair.b)]
    assert len(paired) == len(set(paired))
    assert sorted(paired + found.unpaired) == sorted(by_id)
    for pair in found.pairs:
        a, b = by_id[pair.a], by_id[pair.b]
        assert not tied_by_parity(pair.a, pair.b)
        if across is Across.SECTORS:
            assert a.sector and b.sector and a.sector != b.sector
        elif across is Across.REGIONS:
            assert a.region and b.region and a.region != b.region
        else:
            assert (a.sector and b.sector and a.sector != b.sector) or (
                a.region and b.region and a.region != b.region
            )


def test_a_round_prefers_the_pairs_who_share_the_most() -> None:
    people = [
        candidate(0, "health", "Wales", {"ageing well", "food"}),
        candidate(1, "arts", "Wales", {"climate"}),
        candidate(2, "education", "Wales", {"ageing well", "food"}),
        candidate(3, "housing", "Wales", {"climate"}),
    ]
    found = propose_buddies(people, "sectors")
    assert {(p.a, p.b) for p in found.pairs} == {
        ("person:000", "person:002"),
        ("person:001", "person:003"),
    }
    assert found.pairs[0].shared_themes == ("ageing well", "food")


def test_as_many_people_as_possible_get_a_buddy_even_with_nothing_shared() -> None:
    people = [candidate(i, SECTORS[i % 4], "Wales", set()) for i in range(8)]
    assert len(propose_buddies(people, "sectors").pairs) == 4


def test_an_offer_that_meets_an_ask_is_a_reason_to_pair() -> None:
    giver = Candidate("person:a", "health", "Wales", offers=("mentoring new trustees",))
    taker = Candidate("person:b", "arts", "Wales", asks=("mentoring for a first board role",))
    other = Candidate("person:c", "housing", "Wales")
    found = propose_buddies([giver, taker, other], "sectors")
    assert [(p.a, p.b) for p in found.pairs] == [("person:a", "person:b")]
    assert found.pairs[0].offers_meet_asks[0].offered_by == "person:a"


# --- through the service, on every backend -------------------------------------------


def _opt_in(service: Service, people: list[str]) -> None:
    for person_id in people:
        answer = service.client.put(
            f"/api/buddying/opt-ins/{person_id}",
            json={"opted_in": True},
            headers=service.headers(Role.ADMIN),
        )
        assert answer.status_code == 204, answer.text


def _propose(service: Service, across: str) -> Any:
    answer = service.client.post(
        "/api/buddying/proposals",
        json={"name": "Spring round", "across": across},
        headers=service.headers(Role.CONVENOR),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_convenor_proposes_and_confirms_a_round_and_members_see_their_buddy(
    service: Service,
) -> None:
    members = service.people["network"][:30]
    hidden = service.people["hidden"][:3]
    _opt_in(service, [*members, *hidden])
    proposal = _propose(service, "sectors")
    assert proposal["pairs"], proposal
    shown = {p[side]["id"] for p in proposal["pairs"] for side in ("a", "b")}
    shown |= {p["id"] for p in proposal["unpaired"]}
    assert shown <= set(members) and not shown & set(hidden)
    for pair in proposal["pairs"]:
        assert pair["a"]["sector"] != pair["b"]["sector"]
        assert any("works in" in reason for reason in pair["reasons"])
    chosen = [[p["a"]["id"], p["b"]["id"]] for p in proposal["pairs"]]
    confirmed = service.client.post(
        "/api/buddying/rounds",
        json={"name": "Spring round", "across": "sectors", "pairs": chosen},
        headers=service.headers(Role.CONVENOR),
    )
    assert confirmed.status_code == 201, confirmed.text
    assert len(confirmed.json()) == len(chosen)
    listed = service.get("/api/buddying/rounds", Role.ADMIN).json()
    assert listed["total"] == len(chosen)
    a, b = chosen[0]
    linked_member = service.accounts.add_user("buddy@test.invalid", Role.MEMBER, PASSWORD, a)
    token = service.accounts.issue_token(linked_member.id, "bearer", "test")[1]
    mine = service.client.get(
        "/api/buddying/me", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert mine["opted_in"] is True
    assert [buddy["buddy"]["id"] for buddy in mine["buddies"]] == [b]
    # Buddies are tied now: the next round does not pair them again.
    again = _propose(service, "sectors")
    assert [a, b] not in [[p["a"]["id"], p["b"]["id"]] for p in again["pairs"]]
    twice = service.client.post(
        "/api/buddying/rounds",
        json={"name": "Again", "across": "sectors", "pairs": [[a, b]]},
        headers=service.headers(Role.CONVENOR),
    )
    assert twice.status_code == 422


def test_nobody_hidden_is_ever_paired_even_when_named_in_a_confirmation(
    service: Service,
) -> None:
    member, hidden = service.people["network"][3], service.people["hidden"][0]
    _opt_in(service, [member, hidden])
    refused = service.client.post(
        "/api/buddying/rounds",
        json={"name": "Sly", "across": "either", "pairs": [[member, hidden]]},
        headers=service.headers(Role.ADMIN),
    )
    assert refused.status_code == 422
    assert hidden not in refused.text
    assert service.store.buddy_pairs() == []


def test_a_confirmation_may_not_give_anyone_two_buddies(service: Service) -> None:
    people = service.people["network"][:3]
    _opt_in(service, people)
    refused = service.client.post(
        "/api/buddying/rounds",
        json={
            "name": "Greedy",
            "across": "either",
            "pairs": [[people[0], people[1]], [people[0], people[2]]],
        },
        headers=service.headers(Role.ADMIN),
    )
    assert refused.status_code == 422 and service.store.buddy_pairs() == []


def test_an_import_that_says_nothing_of_buddying_leaves_an_opt_in_alone(
    service: Service,
) -> None:
    person_id = service.people["network"][4]
    service.network.set_buddying(person_id, True, None)
    stored = service.store.person(person_id)
    assert stored is not None
    today = dt.date.today()
    again = Person(
        id=person_id,
        name=str(stored["name"]),
        provenance=Provenance(source="reimport", first_seen=today, last_seen=today),
    )
    service.store.upsert_nodes([again])
    assert service.store.buddying_opt_in(person_id) is True
    service.network.set_buddying(person_id, False, None)
    assert service.store.buddying_opt_in(person_id) is False


def test_opting_in_for_nobody_is_a_404(service: Service) -> None:
    answer = service.client.put(
        "/api/buddying/opt-ins/person:nobody",
        json={"opted_in": True},
        headers=service.headers(Role.ADMIN),
    )
    assert answer.status_code == 404
    with pytest.raises(KeyError):
        service.network.set_buddying("person:nobody", True, None)


def test_erasing_a_person_removes_their_buddy_ties(service: Service) -> None:
    _opt_in(service, service.people["network"][:20])
    first = service.network.propose_buddies("Any", "either").pairs[0].pair
    service.network.confirm_buddies("Any", "either", [(first.a, first.b)], None)
    assert len(service.store.buddy_pairs()) == 1
    assert service.network.erase_person(first.a)
    assert service.store.buddy_pairs() == []


def test_marking_an_opt_in_through_the_session_cookie_needs_the_csrf_token(
    service: Service,
) -> None:
    client = TestClient(service.app)
    signed = client.post(
        "/api/sign-in", json={"email": service.email(Role.ADMIN), "password": PASSWORD}
    )
    person_id = service.people["network"][8]
    url = f"/api/buddying/opt-ins/{person_id}"
    forged = client.put(url, json={"opted_in": True}, headers={"X-CSRF-Token": "0" * 64})
    assert forged.status_code == 403 and service.store.buddying_opt_in(person_id) is None
    token = signed.json()["csrf_token"]
    marked = client.put(url, json={"opted_in": True}, headers={"X-CSRF-Token": token})
    assert marked.status_code == 204 and service.store.buddying_opt_in(person_id) is True


def test_the_proposal_only_pairs_across_regions_when_asked(service: Service) -> None:
    _opt_in(service, service.people["network"][:40])
    proposal = _propose(service, "regions")
    assert proposal["pairs"]
    for pair in proposal["pairs"]:
        assert pair["a"]["region"] and pair["a"]["region"] != pair["b"]["region"]
    people = [p[side]["id"] for p in proposal["pairs"] for side in ("a", "b")]
    assert len(people) == len(set(people))
    ties = service.network.analysis().collaboration
    assert ties is not None
    assert not any(ties.has_edge(p["a"]["id"], p["b"]["id"]) for p in proposal["pairs"])
