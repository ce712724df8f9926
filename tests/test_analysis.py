"""Analysis: answers checked against published results, networkx, and the
synthetic network's planted structure."""

from collections import Counter
from typing import Any

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.bridges import cut_points_and_bridges, find_bridges
from graphsvc.analysis.brokerage import betweenness, brokerage_roles, constraint, effective_size
from graphsvc.analysis.constellations import detect_communities, find_constellations
from graphsvc.analysis.evaluation import evaluate_introductions
from graphsvc.analysis.gaps import representation_gaps, wilson_interval
from graphsvc.analysis.introductions import suggest_introductions
from graphsvc.analysis.pipeline import analyse
from graphsvc.analysis.projection import collaboration_graph
from graphsvc.model import SinglePointStatus, Visibility
from graphsvc.store.snapshot import Snapshot, graph_from_rows
from graphsvc.synthetic import NetworkRecords, synthetic_records


def snapshot_of(records: NetworkRecords) -> Snapshot:
    return graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    )


@pytest.fixture(scope="module")
def network() -> NetworkRecords:
    return synthetic_records(1000, seed=11)


@pytest.fixture(scope="module")
def projection(network: NetworkRecords) -> "nx.Graph[str]":
    return collaboration_graph(snapshot_of(network))


def weighted_random_graph(seed: int) -> "nx.Graph[int]":
    G = nx.connected_watts_strogatz_graph(150, 6, 0.2, seed=seed)
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.choice([0.1, 0.5, 1.0, 2.0]))
    G.add_node(999)  # an isolated person
    return G


# -- the projection ---------------------------------------------------------


def test_a_small_roundtable_ties_its_members_more_than_a_plenary() -> None:
    s = nx.MultiDiGraph()
    people = [f"person:{i}" for i in range(200)]
    for p in people:
        s.add_node(p, kind="Person", name=p)
    s.add_node("event:roundtable", kind="Event", date="2025-01-01")
    s.add_node("event:plenary", kind="Event", date="2025-02-01")
    for p in people[:6]:
        s.add_edge(p, "event:roundtable", key="ATTENDED", type="ATTENDED")
    for p in people:
        s.add_edge(p, "event:plenary", key="ATTENDED", type="ATTENDED")
    G = collaboration_graph(s)
    # Newman: 1/(6-1) from the roundtable, plus 1/199 from the plenary.
    assert G["person:0"]["person:1"]["weight"] == pytest.approx(1 / 5 + 1 / 199)
    # The plenary alone ties nobody: it only strengthens existing ties.
    assert not G.has_edge("person:10", "person:11")
    assert G.nodes["person:10"]["events_attended"] == 1


def test_knows_and_made_introductions_are_ties_but_suggestions_are_not() -> None:
    s = nx.MultiDiGraph()
    for p in ("person:a", "person:b", "person:c", "person:d"):
        s.add_node(p, kind="Person", name=p)
    s.add_edge("person:a", "person:b", key="KNOWS", type="KNOWS", strength=2)
    s.add_edge("person:c", "person:d", key="INTRODUCED_TO", type="INTRODUCED_TO", status="made")
    s.add_edge(
        "person:a", "person:d", key="INTRODUCED_TO", type="INTRODUCED_TO", status="suggested"
    )
    G = collaboration_graph(s)
    assert G["person:a"]["person:b"] == {"weight": 1.0, "via": "knows"}
    assert G["person:c"]["person:d"]["via"] == "introductions"
    assert not G.has_edge("person:a", "person:d")


def test_the_projection_carries_people_and_their_attributes(
    projection: "nx.Graph[str]", network: NetworkRecords
) -> None:
    assert projection.number_of_nodes() == network.net.members
    person = projection.nodes["person:0000000"]
    assert person["region"] and person["sector"] and person["themes"]
    assert all(d["weight"] >= 0.05 for _, _, d in projection.edges(data=True))


# -- igraph gives networkx's answers ----------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_igraph_measures_match_networkx(seed: int) -> None:
    G = weighted_random_graph(seed)
    for measure in (constraint, effective_size):
        fast, slow = measure(G), measure(G, engine="networkx")
        assert set(fast) == set(slow)
        for node in G:
            assert fast[node] == pytest.approx(slow[node], nan_ok=True)
    exact = G.number_of_nodes()
    fast_b = betweenness(G, sample=exact)
    slow_b = betweenness(G, sample=exact, engine="networkx")
    assert all(fast_b[n] == pytest.approx(slow_b[n], abs=1e-12) for n in G)
    assert cut_points_and_bridges(G) == cut_points_and_bridges(G, engine="networkx")


def test_sampled_betweenness_estimates_the_exact_one() -> None:
    G = nx.connected_caveman_graph(30, 8)
    exact = betweenness(G, sample=G.number_of_nodes())
    estimate = betweenness(G, sample=120, seed=4)
    nodes = list(G)
    correlation = np.corrcoef([exact[n] for n in nodes], [estimate[n] for n in nodes])[0, 1]
    assert correlation > 0.9
    assert sum(estimate.values()) == pytest.approx(sum(exact.values()), rel=0.15)


def test_both_engines_find_the_same_communities_in_a_clear_structure() -> None:
    G = nx.connected_caveman_graph(6, 7)
    fast = {frozenset(c) for c in detect_communities(G, seed=3)}
    slow = {frozenset(c) for c in detect_communities(G, seed=3, engine="networkx")}
    assert fast == slow
    assert len(fast) == 6


# -- published answers ------------------------------------------------------


def test_communities_recover_the_karate_club_factions() -> None:
    G = nx.karate_club_graph()
    communities = detect_communities(G, seed=0)
    # Zachary (1977): each community found lies (almost) wholly in one faction.
    for community in communities:
        factions = Counter(G.nodes[m]["club"] for m in community)
        assert factions.most_common(1)[0][1] / len(community) >= 0.8
    assert 2 <= len(communities) <= 4


def test_the_medici_are_the_best_known_brokers() -> None:
    # Padgett and Ansell (1993): the Medici rose by brokering between families.
    G = nx.florentine_families_graph()
    result = find_bridges(G)
    assert result.brokers[0].person == "Medici"
    assert result.scores["Medici"].betweenness == pytest.approx(0.5219, abs=1e-3)
    assert "Medici" in result.cut_points


def test_brokerage_roles_count_open_pairs_by_group() -> None:
    G = nx.Graph([("v", "a"), ("v", "b"), ("v", "c"), ("v", "d"), ("a", "b")])
    groups = {"v": "x", "a": "x", "b": "x", "c": "y", "d": "y"}
    nx.set_node_attributes(G, groups, "sector")
    roles = brokerage_roles(G, "sector", ["v"])["v"]
    # Open pairs: a-c, a-d, b-c, b-d (gatekeeper/representative), c-d (itinerant);
    # a-b are tied to each other, so v does not broker them.
    assert roles == {
        "coordinator": 0,
        "itinerant": 1,
        "gatekeeper_representative": 4,
        "liaison": 0,
    }


# -- the synthetic network's planted structure ------------------------------


def test_constellations_recover_the_planted_communities(
    projection: "nx.Graph[str]", network: NetworkRecords
) -> None:
    found = find_constellations(projection, seed=0)
    planted = network.net.planted_community
    purity = []
    for community in np.unique(planted):
        members = [f"person:{i:07d}" for i in np.flatnonzero(planted == community)]
        placed = Counter(found.membership.get(m) for m in members if m in found.membership)
        if len(members) >= 20 and placed:
            purity.append(placed.most_common(1)[0][1] / len(members))
    assert np.mean(purity) > 0.6
    assert found.modularity > 0.4
    assert all(c.label and c.size >= 3 for c in found.constellations)


def test_constellation_ids_are_stable_across_runs_and_small_changes(
    projection: "nx.Graph[str]",
) -> None:
    first = find_constellations(projection, seed=0)
    again = find_constellations(projection, seed=0)
    assert [c.id for c in first.constellations] == [c.id for c in again.constellations]
    changed = nx.Graph(projection)
    a, b = "person:0000001", "person:0000999"
    changed.add_edge(a, b, weight=0.1)
    previous = {c.id: c.members for c in first.constellations}
    later = find_constellations(changed, seed=0, previous=previous)
    assert len(set(previous) & {c.id for c in later.constellations}) >= 0.8 * len(previous)


def test_single_points_of_light_get_a_constellation_to_join(
    projection: "nx.Graph[str]",
) -> None:
    G = nx.Graph(projection)
    found = find_constellations(G, seed=0)
    biggest = found.constellations[0]
    like = G.nodes[biggest.members[0]]
    G.add_node("person:newcomer", themes=biggest.themes, region=like["region"])
    found = find_constellations(G, seed=0)
    isolated = {s.person: s for s in found.single_points if s.status is SinglePointStatus.ISOLATED}
    assert all(G.degree(p) == 0 for p in isolated)
    home = next(c for c in found.constellations if c.id == isolated["person:newcomer"].would_join)
    # It is pointed to a constellation where people like it are common.
    alike = sum(
        1
        for m in home.members
        if G.nodes[m]["region"] == like["region"] or set(G.nodes[m]["themes"]) & set(biggest.themes)
    )
    assert alike >= 0.5 * home.size
    ids = {c.id for c in found.constellations}
    assert found.single_points and all(s.would_join in ids for s in found.single_points)


# -- gaps -------------------------------------------------------------------


def test_gaps_show_the_london_skew_and_thin_nations(network: NetworkRecords) -> None:
    snapshot = snapshot_of(network)
    result = analyse(snapshot)
    regions = {s.category: s for s in result.gaps.regions}
    assert regions["London"].verdict == "over"
    assert regions["North East"].verdict == "under"
    assert regions["London"].low < regions["London"].share < regions["London"].high
    # The synthetic network has no regional group in the North East.
    assert "North East" in result.gaps.regions_without_cells
    never = {n.person for n in result.gaps.not_in_the_room if n.status == "never attended"}
    assert never and all(result_node_never_attended(snapshot, p) for p in never)
    assert result.gaps.cells and result.gaps.events


def result_node_never_attended(snapshot: Snapshot, person: Any) -> bool:
    return not any(t == "ATTENDED" for _, _, t in snapshot.out_edges(person, keys=True))


def test_wilson_intervals_match_statsmodels() -> None:
    from statsmodels.stats.proportion import proportion_confint

    counts = np.array([[0, 1, 2, 5], [50, 99, 100, 7]])
    totals = np.array([[1, 3, 10, 100], [100, 100, 100, 7]])
    for confidence in (0.9, 0.95, 0.99):
        ours = wilson_interval(counts, totals, confidence)
        theirs = proportion_confint(counts, totals, alpha=1 - confidence, method="wilson")
        np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_a_sector_target_must_add_up() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        representation_gaps(nx.Graph(), sector_target={"funders": 0.5})


# -- introductions ----------------------------------------------------------


def test_introductions_never_name_people_whose_consent_forbids_it(
    projection: "nx.Graph[str]",
) -> None:
    found = find_constellations(projection, seed=0)
    suggestions = suggest_introductions(
        projection,
        k=200,
        membership=found.membership,
        single_points={s.person for s in found.single_points},
    )
    assert len(suggestions) == 200
    for s in suggestions:
        for person in (s.a, s.b, s.introducer):
            if person is not None:
                assert projection.nodes[person]["visibility"] is not Visibility.HIDDEN
        assert not projection.has_edge(s.a, s.b)
        assert s.reasons
        if s.introducer is not None:
            assert projection.has_edge(s.a, s.introducer)
            assert projection.has_edge(s.introducer, s.b)


def test_introductions_for_a_person_and_for_a_connector(projection: "nx.Graph[str]") -> None:
    visible = [n for n, d in projection.nodes(data=True) if d["visibility"] is Visibility.NETWORK]
    person = max(visible, key=projection.degree)
    mine = suggest_introductions(projection, for_person=person, k=5)
    assert mine and all(person in (s.a, s.b) for s in mine)
    theirs = suggest_introductions(projection, for_connector=person, k=5)
    assert theirs and all(s.introducer == person for s in theirs)
    assert all(
        projection.has_edge(person, s.a) and projection.has_edge(person, s.b) for s in theirs
    )
    excluded = suggest_introductions(
        projection, for_person=person, k=5, exclude=[(mine[0].a, mine[0].b)]
    )
    assert (mine[0].a, mine[0].b) not in {(s.a, s.b) for s in excluded}


def test_a_hidden_person_gets_no_suggestions(projection: "nx.Graph[str]") -> None:
    hidden = next(n for n, d in projection.nodes(data=True) if d["visibility"] is Visibility.HIDDEN)
    assert suggest_introductions(projection, for_person=hidden) == []


def test_plausibility_recovers_hidden_ties_better_than_the_baselines(
    projection: "nx.Graph[str]",
) -> None:
    result = evaluate_introductions(projection, hide=0.1, k=50, seed=2)
    scores = {m.method: m for m in result.methods}
    assert scores["plausibility"].auc > scores["common_neighbours"].auc
    assert scores["plausibility"].auc > 0.9 > 0.6 > scores["random"].auc
    assert scores["plausibility"].precision_at_k > scores["random"].precision_at_k


# -- the pipeline -----------------------------------------------------------


def test_the_whole_analysis_runs_the_same_on_both_engines(network: NetworkRecords) -> None:
    snapshot = snapshot_of(synthetic_records(300, seed=5))
    fast = analyse(snapshot, engine="igraph")
    slow = analyse(snapshot, engine="networkx")
    assert fast.bridges.cut_points == slow.bridges.cut_points
    assert fast.gaps == slow.gaps
    assert abs(fast.constellations.modularity - slow.constellations.modularity) < 0.05
    assert set(fast.to_json()) == {
        "graph_version",
        "people",
        "ties",
        "constellations",
        "bridges",
        "gaps",
        "introductions",
        "growth",
    }
