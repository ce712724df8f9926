"""Introductions that weave the network: the targets on the synthetic 1,000-member
network, consent in every scope, and the API's scopes and recorded outcomes."""

from typing import Any

import pytest

from graphsvc.access import Role
from graphsvc.access.policy import SUGGESTABLE
from graphsvc.analysis.evaluation import evaluate_introductions
from graphsvc.analysis.introductions import Scope, suggest_introductions
from graphsvc.analysis.pipeline import Analysis, analyse
from graphsvc.analysis.weaving import nation_of
from graphsvc.store.snapshot import graph_from_rows
from graphsvc.synthetic import synthetic_records


@pytest.fixture(scope="module")
def thousand() -> Analysis:
    """The demo's network: 1,000 members, the default seed."""
    records = synthetic_records(1000, seed=42)
    snapshot = graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    )
    return analyse(snapshot)


def _nameable(analysis: Analysis, person: Any) -> bool:
    assert analysis.profile is not None
    return analysis.profile.people[person].visibility in SUGGESTABLE


def _in_top(analysis: Analysis) -> set[Any]:
    return {p for i in analysis.introductions for p in (i.a, i.b)}


def test_the_top_50_involve_at_least_25_people_from_the_networks_edge(
    thousand: Analysis,
) -> None:
    assert len(thousand.introductions) == 50
    edge = {s.person for s in thousand.constellations.single_points}
    edge |= {n.person for n in thousand.gaps.not_in_the_room}
    assert len(_in_top(thousand) & edge) >= 25


def test_the_top_50_reach_every_single_point_who_may_be_named(thousand: Analysis) -> None:
    nameable = {
        s.person for s in thousand.constellations.single_points if _nameable(thousand, s.person)
    }
    assert nameable and nameable <= _in_top(thousand)


def test_the_top_50_join_every_pair_of_constellations_with_no_tie_between_them(
    thousand: Analysis,
) -> None:
    unlinked = {tuple(sorted(pair)) for pair in thousand.bridges.unlinked_constellations}
    membership = thousand.constellations.membership
    joined = {
        tuple(sorted((membership[i.a], membership[i.b])))
        for i in thousand.introductions
        if i.a in membership and i.b in membership
    }
    assert unlinked and unlinked <= joined


def test_no_more_than_one_pair_in_ten_has_both_people_in_london(thousand: Analysis) -> None:
    G = thousand.collaboration
    assert G is not None
    both = [
        i
        for i in thousand.introductions
        if G.nodes[i.a].get("region") == "London" == G.nodes[i.b].get("region")
    ]
    assert len(both) <= len(thousand.introductions) / 10


def test_no_person_fills_the_list_and_each_suggestion_has_both_scores(thousand: Analysis) -> None:
    from collections import Counter

    counts = Counter(p for i in thousand.introductions for p in (i.a, i.b))
    assert max(counts.values()) <= 2
    assert all(i.plausibility > 0 and i.reasons for i in thousand.introductions)
    assert [i.value for i in thousand.introductions] != sorted(
        i.plausibility for i in thousand.introductions
    )


def test_plausibility_on_hidden_ties_is_not_below_common_neighbours(thousand: Analysis) -> None:
    assert thousand.collaboration is not None
    result = evaluate_introductions(thousand.collaboration, hide=0.1, k=100, seed=0)
    scores = {m.method: m for m in result.methods}
    assert scores["plausibility"].auc >= scores["common_neighbours"].auc
    assert scores["plausibility"].precision_at_k >= scores["common_neighbours"].precision_at_k
    effects = {e.method: e for e in result.effects}
    ours, before = effects["introductions"], effects["adamic_adar_baseline"]
    assert ours.edge_people > before.edge_people
    assert ours.single_points == ours.single_points_nameable
    assert ours.unlinked_constellation_pairs_joined == ours.unlinked_constellation_pairs
    assert ours.harmonic_closeness_change > effects["common_neighbours"].harmonic_closeness_change
    assert {"random", "common_neighbours"} <= set(effects)


def test_recorded_outcomes_are_reported_by_plausibility_band(thousand: Analysis) -> None:
    assert thousand.collaboration is not None and thousand.profile is not None
    result = evaluate_introductions(
        thousand.collaboration, k=20, recorded=thousand.profile.introductions
    )
    assert sum(b.recorded for b in result.outcomes) == len(
        [r for r in thousand.profile.introductions if r[0] != r[1]]
    )
    assert any(b.acceptance is not None for b in result.outcomes)


@pytest.mark.parametrize(
    "scope",
    [
        Scope(region="Wales"),
        Scope(nation="Scotland"),
        Scope(sector="funders"),
    ],
    ids=["region", "nation", "sector"],
)
def test_a_scope_gets_only_suggestions_that_involve_its_people(
    thousand: Analysis, scope: Scope
) -> None:
    G = thousand.collaboration
    assert G is not None
    found = suggest_introductions(
        G,
        k=20,
        scope=scope,
        membership=thousand.constellations.membership,
        single_points={s.person for s in thousand.constellations.single_points},
    )
    assert found

    def inside(person: Any) -> bool:
        data = G.nodes[person]
        return (
            (scope.region is None or data.get("region") == scope.region)
            and (scope.nation is None or nation_of(data.get("region")) == scope.nation)
            and (scope.sector is None or data.get("sector") == scope.sector)
        )

    assert all(inside(i.a) or inside(i.b) for i in found)


def test_a_cells_suggestions_involve_its_members(thousand: Analysis) -> None:
    G = thousand.collaboration
    assert G is not None
    cell = next(c for _, d in G.nodes(data=True) for c in d.get("cells") or [])
    found = suggest_introductions(G, k=10, scope=Scope(cell=cell))
    assert found
    assert all(
        cell in (G.nodes[i.a]["cells"] or []) or cell in G.nodes[i.b]["cells"] for i in found
    )


def test_nobody_hidden_is_suggested_or_named_as_introducer_in_any_scope(
    thousand: Analysis,
) -> None:
    G = thousand.collaboration
    assert G is not None
    busiest = sorted(G, key=lambda p: (-G.degree(p), p))[:5]
    scopes = [Scope(region="Wales"), Scope(nation="Scotland"), Scope(sector="funders")]
    scopes += [Scope(person=p) for p in busiest] + [Scope(connector=p) for p in busiest]
    lists = [thousand.introductions] + [suggest_introductions(G, k=20, scope=s) for s in scopes]
    assert sum(map(len, lists)) > 100
    for found in lists:
        for i in found:
            assert _nameable(thousand, i.a) and _nameable(thousand, i.b)
            if i.introducer is not None and i.introducer not in busiest:
                assert _nameable(thousand, i.introducer)


def test_a_hidden_person_has_no_suggestions_of_their_own(thousand: Analysis) -> None:
    G = thousand.collaboration
    assert G is not None
    hidden = next(p for p in G if not _nameable(thousand, p))
    assert suggest_introductions(G, scope=Scope(person=hidden)) == []


def test_reasons_say_how_the_introducer_knows_each_of_the_two(thousand: Analysis) -> None:
    with_introducer = [i for i in thousand.introductions if i.introducer is not None]
    assert with_introducer
    assert all(len(i.introducer_knows) == 2 for i in with_introducer)


# -- the API -----------------------------------------------------------------


def test_the_api_answers_for_a_region_and_for_a_person(shared_service: Any) -> None:
    service = shared_service
    service.ensure_users()
    wales = service.get("/api/introductions", Role.CONNECTOR, region="Wales")
    assert wales.status_code == 200
    items = wales.json()["items"]
    assert all("Wales" in (i["a"]["region"], i["b"]["region"]) for i in items)
    person = service.connector_person
    mine = service.get("/api/introductions", Role.CONNECTOR, person=person).json()["items"]
    assert all(person in (i["a"]["id"], i["b"]["id"]) for i in mine)
    for i in mine:
        assert {"plausibility", "value", "introducer_knows"} <= set(i)


def test_the_api_never_names_a_hidden_person_in_a_scope(shared_service: Any) -> None:
    service = shared_service
    service.ensure_users()
    hidden = set(service.people["hidden"])
    for params in ({"region": "London"}, {"sector": "funders"}, {"nation": "England"}):
        body = service.get("/api/introductions", Role.CONNECTOR, **params).json()
        for i in body["items"]:
            named = {i["a"]["id"], i["b"]["id"]} | (
                {i["introducer"]["id"]} if i["introducer"] else set()
            )
            assert not named & hidden
    asked = service.get("/api/introductions", Role.CONNECTOR, person=sorted(hidden)[0])
    assert asked.status_code == 404


def test_a_member_may_not_ask_for_the_networks_or_anothers_introductions(
    shared_service: Any,
) -> None:
    service = shared_service
    service.ensure_users()
    other = service.connector_person
    assert service.get("/api/introductions", Role.MEMBER, person=other).status_code == 403
    own = service.get(f"/api/people/{service.member_person}/introductions", Role.MEMBER)
    assert own.status_code == 200
    assert all(service.member_person in (i["a"]["id"], i["b"]["id"]) for i in own.json())


def test_a_made_introduction_is_listed_as_made(service: Any) -> None:
    service.ensure_users()
    a, b = service.people["network"][2], service.people["network"][3]
    made = service.client.post(
        "/api/introductions",
        headers=service.headers(Role.CONNECTOR),
        json={"a": a, "b": b, "status": "made"},
    )
    assert made.status_code == 201
    service.network.wait_until_current()
    listed = service.get("/api/introductions", Role.CONNECTOR, recorded="made").json()["items"]
    assert {frozenset((i["a"]["id"], i["b"]["id"])) for i in listed} >= {frozenset((a, b))}
    assert all(i["status"] == "made" for i in listed)
