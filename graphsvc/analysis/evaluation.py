"""How good introductions are: by their effect on the network, by whether hidden
ties come back, and by what came of those recorded.

*Effect*: add each ranking's top ``k`` suggestions to the graph as ties and
measure what changes (single points and members not in the room reached,
constellation pairs and regions newly linked, cross-sector ties, the change
in average harmonic closeness, cut-points relieved, and the share of pairs
with both people in London). *Plausibility*: hide a share of ties and see
whether plausibility ranks them above pairs never tied (AUC, precision@k).
*Outcomes*: the recorded introductions, made, declined or led somewhere, by
their plausibility band.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy.stats import mannwhitneyu

from graphsvc.access.policy import SUGGESTABLE
from graphsvc.analysis.constellations import find_constellations
from graphsvc.analysis.engine import engine_graph
from graphsvc.analysis.introductions import (
    _distinct_untied,
    _eligible,
    baseline_introductions,
    suggest_introductions,
)
from graphsvc.analysis.pair_scores import PairScorer
from graphsvc.analysis.weaving import LONDON, add_ties
from graphsvc.analysis.weights import IntroductionWeights
from graphsvc.model import IntroductionStatus

# Harmonic closeness is averaged over this many sampled people on larger networks.
CLOSENESS_SAMPLE = 500
BANDS = ((0.0, 0.1, "low"), (0.1, 0.25, "middle"), (0.25, 1.01, "high"))


@dataclass
class MethodScore:
    method: str
    auc: float
    precision_at_k: float


@dataclass
class Effect:
    """What one ranking's top ``k`` would change, made as ties."""

    method: str
    pairs: int
    people: int  # different people in the pairs
    edge_people: int  # single points of light and members not in the room
    single_points: int  # of those who may be named
    single_points_nameable: int
    unlinked_constellation_pairs_joined: int
    unlinked_constellation_pairs: int
    region_pairs_newly_linked: int
    cross_sector_ties: int
    both_in_london_share: float
    harmonic_closeness_change: float  # in the average over people, as a share of before
    cut_points_relieved: int


@dataclass
class OutcomeBand:
    band: str
    recorded: int
    made: int  # made or led somewhere
    declined: int
    led_somewhere: int
    acceptance: float | None  # (made + led somewhere) / (those with an outcome)


@dataclass
class Evaluation:
    hidden: int
    k: int
    methods: list[MethodScore]
    effects: list[Effect] = field(default_factory=list)
    outcomes: list[OutcomeBand] = field(default_factory=list)


def _auc(hidden: np.ndarray, absent: np.ndarray) -> float:
    """Chance a hidden tie outscores a pair with no tie (ties count half)."""
    u = mannwhitneyu(hidden, absent, alternative="two-sided").statistic
    return round(float(u) / (len(hidden) * len(absent)), 4)


def _mean_harmonic(G: "nx.Graph[Any]", sample: list[int]) -> float:
    eg = engine_graph(G)
    if eg.graph.vcount() < 2:
        return 0.0
    values = eg.graph.harmonic_centrality(vertices=sample, normalized=True)
    return float(np.mean(values)) if len(values) else 0.0


def _sample(n: int, seed: int) -> list[int]:
    if n <= CLOSENESS_SAMPLE:
        return list(range(n))
    return sorted(np.random.default_rng(seed).choice(n, CLOSENESS_SAMPLE, replace=False).tolist())


def _region_pairs(G: "nx.Graph[Any]", edges: Iterable[tuple[Any, Any]]) -> set[tuple[str, str]]:
    found = set()
    for a, b in edges:
        ra, rb = G.nodes[a].get("region"), G.nodes[b].get("region")
        if ra and rb and ra != rb:
            found.add((min(ra, rb), max(ra, rb)))
    return found


def measure_effect(
    G: "nx.Graph[Any]",
    scorer: PairScorer,
    method: str,
    pairs: list[tuple[Any, Any]],
    seed: int = 0,
    cut_points_before: int | None = None,
    closeness_before: float | None = None,
) -> Effect:
    """Make ``pairs`` ties in a copy of ``G`` and measure what changes."""
    w, index = scorer.weaving, scorer.index
    rows = [(index[a], index[b]) for a, b in pairs]
    people = {p for pair in rows for p in pair}
    eligible = _eligible(G, scorer, SUGGESTABLE)
    nameable_single = set(np.flatnonzero(w.single_point & eligible).tolist())
    unlinked = set(w.unlinked_pairs())
    joined = set()
    for a, b in rows:
        ca, cb = int(scorer.constellation[a]), int(scorer.constellation[b])
        if (min(ca, cb), max(ca, cb)) in unlinked:
            joined.add((min(ca, cb), max(ca, cb)))
    H = nx.freeze(add_ties(G, pairs))
    sample = _sample(len(scorer.nodes), seed)
    before = closeness_before if closeness_before is not None else _mean_harmonic(G, sample)
    after = _mean_harmonic(H, sample)
    cuts_before = cut_points_before
    if cuts_before is None:
        cuts_before = len(engine_graph(G).graph.articulation_points())
    cuts_after = len(engine_graph(H).graph.articulation_points())
    sectors = [(G.nodes[a].get("sector"), G.nodes[b].get("sector")) for a, b in pairs]
    london = [
        G.nodes[a].get("region") == LONDON and G.nodes[b].get("region") == LONDON for a, b in pairs
    ]
    return Effect(
        method=method,
        pairs=len(pairs),
        people=len(people),
        edge_people=int(sum(bool(w.edge[p]) for p in people)),
        single_points=len(people & nameable_single),
        single_points_nameable=len(nameable_single),
        unlinked_constellation_pairs_joined=len(joined),
        unlinked_constellation_pairs=len(unlinked),
        region_pairs_newly_linked=len(_region_pairs(G, pairs) - _region_pairs(G, G.edges)),
        cross_sector_ties=sum(bool(a and b and a != b) for a, b in sectors),
        both_in_london_share=round(sum(london) / len(pairs), 4) if pairs else 0.0,
        harmonic_closeness_change=round((after - before) / before, 4) if before else 0.0,
        cut_points_relieved=max(0, cuts_before - cuts_after),
    )


def _common_neighbour_pairs(
    scorer: PairScorer, eligible: np.ndarray, k: int, exclude: Iterable[tuple[Any, Any]] = ()
) -> list[tuple[Any, Any]]:
    rows = np.flatnonzero(eligible)
    cu, cv = _distinct_untied(scorer, *scorer.two_step_candidates(rows, 50), eligible, exclude)
    if len(cu) == 0:
        return []
    mutual = scorer.mutual(cu, cv)
    top = np.lexsort((cv, cu, -mutual))[:k]
    return [(scorer.nodes[cu[i]], scorer.nodes[cv[i]]) for i in top.tolist()]


def _random_pairs(
    scorer: PairScorer, eligible: np.ndarray, k: int, rng: np.random.Generator
) -> list[tuple[Any, Any]]:
    rows = np.flatnonzero(eligible)
    if len(rows) < 2:
        return []
    found: set[tuple[int, int]] = set()
    for _ in range(k * 20):
        a, b = (int(x) for x in rng.choice(rows, 2, replace=False))
        if not scorer.adjacency[a, b]:
            found.add((min(a, b), max(a, b)))
        if len(found) >= k:
            break
    return [(scorer.nodes[a], scorer.nodes[b]) for a, b in sorted(found)]


def _weighted(weights: IntroductionWeights | None) -> dict[str, Any]:
    """The keyword arguments that score introductions by ``weights``."""
    chosen = weights or IntroductionWeights()
    return {"plausibility_weights": chosen.plausibility, "weaving_weights": chosen.weaving}


def evaluate_effects(
    G: "nx.Graph[Any]",
    k: int = 50,
    seed: int = 0,
    exclude: Iterable[tuple[Any, Any]] = (),
    names: Mapping[str, str] | None = None,
    weights: IntroductionWeights | None = None,
    tried: IntroductionWeights | None = None,
) -> list[Effect]:
    """The effect of each ranking's top ``k``, with consent as it is served:
    the weaving ranking (by ``weights``, and by ``tried`` too if given, as
    "introductions (tried)"), the earlier Adamic–Adar ranking, common
    neighbours and random."""
    found = find_constellations(G, seed=seed)
    single = {s.person for s in found.single_points}
    scorer = PairScorer.build(G, found.membership, single)
    eligible = _eligible(G, scorer, SUGGESTABLE)
    exclude = list(exclude)

    def ours(by: IntroductionWeights | None) -> list[tuple[Any, Any]]:
        found_pairs = suggest_introductions(
            G,
            k=k,
            membership=found.membership,
            single_points=single,
            exclude=exclude,
            scorer=scorer,
            names=names,
            **_weighted(by),
        )
        return [(i.a, i.b) for i in found_pairs]

    rankings = {
        "introductions": ours(weights),
        **({"introductions (tried)": ours(tried)} if tried else {}),
        "adamic_adar_baseline": baseline_introductions(G, scorer, k, eligible, exclude),
        "common_neighbours": _common_neighbour_pairs(scorer, eligible, k, exclude),
        "random": _random_pairs(scorer, eligible, k, np.random.default_rng(seed)),
    }
    sample = _sample(len(scorer.nodes), seed)
    closeness = _mean_harmonic(G, sample)
    cut_points = len(engine_graph(G).graph.articulation_points())
    return [
        measure_effect(G, scorer, method, pairs, seed, cut_points, closeness)
        for method, pairs in rankings.items()
    ]


def evaluate_outcomes(
    G: "nx.Graph[Any]",
    recorded: Iterable[tuple[Any, Any, Any, IntroductionStatus]],
    membership: Mapping[Any, str] | None = None,
    single_points: Iterable[Any] = (),
    weights: IntroductionWeights | None = None,
) -> list[OutcomeBand]:
    """Acceptance of recorded introductions by plausibility band (scored as if the
    introduction's own tie were not there yet)."""
    recorded = [r for r in recorded if r[0] in G and r[1] in G and r[0] != r[1]]
    if not recorded:
        return []
    before: nx.Graph[Any] = nx.Graph(G)
    before.remove_edges_from((a, b) for a, b, _, _ in recorded)
    scorer = PairScorer.build(nx.freeze(before), membership, set(single_points))
    u = np.array([scorer.index[a] for a, _, _, _ in recorded])
    v = np.array([scorer.index[b] for _, b, _, _ in recorded])
    plausible, _, _ = scorer.weave(u, v, **_weighted(weights))
    bands = []
    for low, high, name in BANDS:
        statuses = [
            r[3] for r, p in zip(recorded, plausible.tolist(), strict=True) if low <= p < high
        ]
        made = sum(s == IntroductionStatus.MADE for s in statuses)
        led = sum(s == IntroductionStatus.LED_SOMEWHERE for s in statuses)
        declined = sum(s == IntroductionStatus.DECLINED for s in statuses)
        decided = made + led + declined
        bands.append(
            OutcomeBand(
                band=name,
                recorded=len(statuses),
                made=made + led,
                declined=declined,
                led_somewhere=led,
                acceptance=round((made + led) / decided, 4) if decided else None,
            )
        )
    return bands


def evaluate_introductions(
    G: "nx.Graph[Any]",
    hide: float = 0.1,
    k: int = 100,
    samples: int = 2000,
    seed: int = 0,
    effect_k: int = 50,
    recorded: Iterable[tuple[Any, Any, Any, IntroductionStatus]] = (),
    names: Mapping[str, str] | None = None,
    weights: IntroductionWeights | None = None,
    tried: IntroductionWeights | None = None,
) -> Evaluation:
    """Hide a share of ties, rank pairs, and measure how many hidden ties return;
    then measure each ranking's effect on the whole network, and the outcomes recorded.

    Plausibility is compared with the earlier ranking (Adamic–Adar with
    bonuses), common neighbours and a random ranking: AUC (a hidden tie
    against a pair never tied, over ``samples`` of each) and precision at
    ``k`` (share of the top ``k`` pairs by each score, among friends of
    friends and people who share a theme, that are hidden ties). Consent is
    ignored for this part: everyone is scored, and nothing is shown to anyone.

    The scores use ``weights`` (default: the defaults); ``tried``, other
    weights to compare, adds its rows, named with "(tried)", to the
    plausibility and effect tables.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.connected_caveman_graph(20, 6)
    >>> result = evaluate_introductions(G, k=20, samples=200, seed=1)
    >>> scores = {m.method: m.auc for m in result.methods}
    >>> scores["plausibility"] > scores["random"]
    True

    References
    ----------
    .. [1] D. Liben-Nowell and J. Kleinberg, "The link-prediction problem for
       social networks", J. Am. Soc. Inf. Sci. Technol. 58, 1019 (2007).
    .. [2] J. A. Hanley and B. J. McNeil, "The meaning and use of the area
       under a ROC curve", Radiology 143, 29 (1982).
    """
    recorded = list(recorded)
    rng = np.random.default_rng(seed)
    edges = sorted(G.edges, key=lambda e: (str(e[0]), str(e[1])))
    chosen = rng.choice(len(edges), size=max(1, int(hide * len(edges))), replace=False)
    hidden = [edges[i] for i in chosen]
    train: nx.Graph[Any] = nx.Graph(G)
    train.remove_edges_from(hidden)
    train = nx.freeze(train)
    found = find_constellations(train, seed=seed)
    single = {s.person for s in found.single_points}
    scorer = PairScorer.build(train, found.membership, single)
    index, n = scorer.index, len(scorer.nodes)
    pick = rng.choice(len(hidden), size=min(samples, len(hidden)), replace=False)
    hu = np.array([index[hidden[i][0]] for i in pick])
    hv = np.array([index[hidden[i][1]] for i in pick])
    au, av = rng.integers(0, n, samples * 2), rng.integers(0, n, samples * 2)
    tied = np.array(
        [G.has_edge(scorer.nodes[a], scorer.nodes[b]) for a, b in zip(au, av, strict=True)]
    )
    keep = (au != av) & ~tied
    au, av = au[keep][:samples], av[keep][:samples]
    hidden_set = {frozenset(e) for e in hidden}

    def precision(pairs: list[tuple[Any, Any]]) -> float:
        return round(sum(frozenset(p) in hidden_set for p in pairs) / k, 4)

    everyone = np.ones(n, dtype=bool)
    cu, cv = _distinct_untied(scorer, *scorer.two_step_candidates(np.arange(n), 50), everyone, ())

    def top_by(score: np.ndarray) -> list[tuple[Any, Any]]:
        order = np.lexsort((cv, cu, -score))[:k]
        return [(scorer.nodes[cu[i]], scorer.nodes[cv[i]]) for i in order.tolist()]

    def weighted_methods(by: IntroductionWeights | None, label: str) -> list[MethodScore]:
        ours = suggest_introductions(
            train,
            k=k,
            membership=found.membership,
            single_points=single,
            nameable=None,
            scorer=scorer,
            **_weighted(by),
        )
        hidden_scores = scorer.weave(hu, hv, **_weighted(by))
        absent_scores = scorer.weave(au, av, **_weighted(by))
        return [
            MethodScore(
                f"plausibility{label}",
                _auc(hidden_scores[0], absent_scores[0]),
                precision(top_by(scorer.weave(cu, cv, **_weighted(by))[0])) if len(cu) else 0.0,
            ),
            MethodScore(
                f"weaving_value{label}",
                _auc(hidden_scores[1], absent_scores[1]),
                precision([(i.a, i.b) for i in ours]),
            ),
        ]

    methods = [
        *weighted_methods(weights, ""),
        *(weighted_methods(tried, " (tried)") if tried else []),
        MethodScore(
            "adamic_adar_baseline",
            _auc(scorer.score(hu, hv)[0], scorer.score(au, av)[0]),
            precision(baseline_introductions(train, scorer, k, everyone)),
        ),
        MethodScore(
            "common_neighbours",
            _auc(scorer.mutual(hu, hv), scorer.mutual(au, av)),
            precision(top_by(scorer.mutual(cu, cv))) if len(cu) else 0.0,
        ),
        MethodScore(
            "random",
            _auc(rng.random(len(hu)), rng.random(len(au))),
            precision(
                [(scorer.nodes[a], scorer.nodes[b]) for a, b in zip(au[:k], av[:k], strict=True)]
            ),
        ),
    ]
    everyone_found = find_constellations(G, seed=seed)
    return Evaluation(
        hidden=len(hidden),
        k=k,
        methods=methods,
        effects=evaluate_effects(
            G,
            k=effect_k,
            seed=seed,
            exclude=[(a, b) for a, b, _, _ in recorded],
            names=names,
            weights=weights,
            tried=tried,
        ),
        outcomes=evaluate_outcomes(
            G,
            recorded,
            everyone_found.membership,
            {s.person for s in everyone_found.single_points},
            weights=weights,
        ),
    )
