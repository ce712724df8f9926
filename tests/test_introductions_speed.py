"""The shortcuts that make introductions fast give the answers of the slow way:
friends of friends listed once per person, the pool of pairs read lazily,
theme lists built with arrays and scopes read from prepared groups.
(Timings are in benchmarks/bench_introductions.py.)"""

from typing import Any

import networkx as nx
import numpy as np
import pytest

from graphsvc.access.policy import SUGGESTABLE
from graphsvc.analysis.introductions import (
    Scope,
    _candidates,
    _distinct_untied,
    _eligible,
    _plausible_pool,
    _theme_candidates,
    suggest_introductions,
)
from graphsvc.analysis.pair_scores import PairScorer
from graphsvc.analysis.pipeline import Analysis, analyse
from graphsvc.analysis.weaving import PlausibilityWeights, WeavingWeights, nation_of
from graphsvc.model import Visibility
from graphsvc.store.snapshot import graph_from_rows
from graphsvc.synthetic import synthetic_records


@pytest.fixture(scope="module")
def thousand() -> Analysis:
    records = synthetic_records(1000, seed=42)
    snapshot = graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    )
    return analyse(snapshot)


@pytest.fixture(scope="module")
def scorer(thousand: Analysis) -> PairScorer:
    assert thousand.collaboration is not None
    return PairScorer.build(
        thousand.collaboration,
        thousand.constellations.membership,
        {s.person for s in thousand.constellations.single_points},
    )


def _busiest(G: "nx.Graph[Any]") -> Any:
    return max(G, key=lambda p: (G.degree(p), str(p)))


def test_mutual_contacts_and_adamic_adar_agree_with_networkx_read_either_way(
    scorer: PairScorer,
) -> None:
    G = scorer.graph
    rng = np.random.default_rng(0)
    n = len(scorer.nodes)
    one = scorer.index[_busiest(G)]
    # One person against many (friends of friends listed once) and scattered pairs.
    for u, v in (
        (np.full(300, one), rng.integers(0, n, 300)),
        (rng.integers(0, n, 300), rng.integers(0, n, 300)),
    ):
        keep = u != v
        u, v = u[keep], v[keep]
        mutual, adamic_adar = scorer.common_neighbours(u, v)
        pairs = [(scorer.nodes[a], scorer.nodes[b]) for a, b in zip(u, v, strict=True)]
        expected = [len(list(nx.common_neighbors(G, a, b))) for a, b in pairs]
        assert mutual.tolist() == expected
        expected_aa = [s for _, _, s in nx.adamic_adar_index(G, pairs)]
        assert np.allclose(adamic_adar, expected_aa)


@pytest.mark.parametrize(
    "weights",
    [
        (PlausibilityWeights(), WeavingWeights()),
        # Weights that turn the shortcuts' bounds round: closeness counting for a
        # pair, an introducer against it, and a floor that only ties can reach.
        (
            PlausibilityWeights(introducer=-0.1, floor=0.08),
            WeavingWeights(already_close=1.0),
        ),
    ],
    ids=["defaults", "turned-round"],
)
def test_the_pool_read_lazily_is_the_pool_scored_in_full(
    scorer: PairScorer, weights: tuple[PlausibilityWeights, WeavingWeights]
) -> None:
    eligible = _eligible(scorer.graph, scorer, SUGGESTABLE)
    u, v = _distinct_untied(
        scorer, *_candidates(scorer.graph, scorer, Scope(), eligible), eligible, ()
    )
    plausible_weights, value_weights = weights
    pool = 200
    assert len(u) > 10 * pool  # so most pairs are never read in full
    lazy_u, lazy_v, lazy_value, _ = _plausible_pool(
        scorer, u, v, plausible_weights, value_weights, pool
    )
    plausible, value, _ = scorer.weave(u, v, plausible_weights, value_weights)
    passing = np.flatnonzero(plausible >= plausible_weights.floor)
    best = passing[np.argsort(-value[passing], kind="stable")[:pool]]
    pairs = zip(lazy_u.tolist(), lazy_v.tolist(), strict=True)
    lazy = dict(zip(pairs, lazy_value.tolist(), strict=True))
    for i in best.tolist():
        assert lazy[(int(u[i]), int(v[i]))] == pytest.approx(value[i])
    assert len(lazy) < len(passing)


def test_theme_candidates_share_a_theme_and_include_the_best_connected_sharing_it(
    scorer: PairScorer,
) -> None:
    G = scorer.graph
    eligible = _eligible(G, scorer, SUGGESTABLE)
    people = np.flatnonzero(eligible)[:50]
    u, v = _theme_candidates(scorer, people, eligible, 4)
    assert len(u)
    for a, b in zip(u.tolist(), v.tolist(), strict=True):
        assert a != b and eligible[b]
        themes_a = set(G.nodes[scorer.nodes[a]].get("themes") or [])
        assert themes_a & set(G.nodes[scorer.nodes[b]].get("themes") or [])
    person = int(people[0])
    theme = (G.nodes[scorer.nodes[person]].get("themes") or [])[0]
    sharing = [
        i for i, node in enumerate(scorer.nodes) if theme in (G.nodes[node].get("themes") or [])
    ]
    best = min(sharing, key=lambda i: (-scorer.degree[i], i))
    if best != person and eligible[best]:
        assert best in set(v[u == person].tolist())


def test_a_scope_finds_the_people_its_records_say(scorer: PairScorer) -> None:
    G = scorer.graph
    groups = scorer.groups()
    cell = next(c for _, d in G.nodes(data=True) for c in d.get("cells") or [])
    for kind, name, inside in (
        ("region", "Wales", lambda d: d.get("region") == "Wales"),
        ("nation", "Scotland", lambda d: nation_of(d.get("region")) == "Scotland"),
        ("sector", "funders", lambda d: d.get("sector") == "funders"),
        ("cell", cell, lambda d: cell in (d.get("cells") or ())),
    ):
        expected = [i for i, node in enumerate(scorer.nodes) if inside(G.nodes[node])]
        assert expected and sorted(groups[(kind, name)].tolist()) == expected


def test_answers_from_the_kept_scorer_are_those_of_a_fresh_one(
    thousand: Analysis, scorer: PairScorer
) -> None:
    G = thousand.collaboration
    assert G is not None
    membership = thousand.constellations.membership
    single = {s.person for s in thousand.constellations.single_points}
    # Someone who may not be suggested has an empty list of their own: take one who may.
    named = sorted(
        s for s in single if Visibility.parse(G.nodes[s].get("visibility")) in SUGGESTABLE
    )
    scopes = [Scope(), Scope(region="Wales"), Scope(person=named[0])]
    scopes.append(Scope(connector=_busiest(G)))
    for scope in scopes:
        kept = suggest_introductions(G, k=20, scope=scope, scorer=scorer)
        kept_again = suggest_introductions(G, k=20, scope=scope, scorer=scorer)
        fresh = suggest_introductions(
            G, k=20, scope=scope, membership=membership, single_points=single
        )
        assert kept == kept_again == fresh and kept


@pytest.mark.parametrize("nameable", [SUGGESTABLE, {"network"}, None], ids=str)
def test_who_may_be_suggested_is_each_persons_consent_as_read_back(
    scorer: PairScorer, nameable: Any
) -> None:
    G = scorer.graph
    expected = [
        nameable is None or Visibility.parse(G.nodes[node].get("visibility")) in nameable
        for node in scorer.nodes
    ]
    assert _eligible(G, scorer, nameable).tolist() == expected
    assert not all(expected) or nameable is None
