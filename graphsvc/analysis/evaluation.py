"""How well introductions find real ties: hide some, see if they come back."""

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy.stats import mannwhitneyu

from graphsvc.analysis.constellations import find_constellations
from graphsvc.analysis.introductions import suggest_introductions
from graphsvc.analysis.pair_scores import PairScorer


@dataclass
class MethodScore:
    method: str
    auc: float
    precision_at_k: float


@dataclass
class Evaluation:
    hidden: int
    k: int
    methods: list[MethodScore]


def _auc(hidden: np.ndarray, absent: np.ndarray) -> float:
    """Chance a hidden tie outscores a pair with no tie (ties count half)."""
    u = mannwhitneyu(hidden, absent, alternative="two-sided").statistic
    return round(float(u) / (len(hidden) * len(absent)), 4)


def evaluate_introductions(
    G: "nx.Graph[Any]", hide: float = 0.1, k: int = 100, samples: int = 2000, seed: int = 0
) -> Evaluation:
    """Hide a share of ties, rank pairs, and measure how many hidden ties return.

    Compares the introduction ranking with common neighbours and with a
    random ranking: AUC (a hidden tie against a pair never tied, over
    ``samples`` of each) and precision at ``k`` (share of the top ``k``
    suggestions that are hidden ties). Consent is ignored here: everyone is
    scored, and nothing is shown to anyone.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.connected_caveman_graph(20, 6)
    >>> result = evaluate_introductions(G, k=20, samples=200, seed=1)
    >>> scores = {m.method: m.auc for m in result.methods}
    >>> scores["introductions"] > scores["random"]
    True

    References
    ----------
    .. [1] D. Liben-Nowell and J. Kleinberg, "The link-prediction problem for
       social networks", J. Am. Soc. Inf. Sci. Technol. 58, 1019 (2007).
    .. [2] J. A. Hanley and B. J. McNeil, "The meaning and use of the area
       under a ROC curve", Radiology 143, 29 (1982).
    """
    rng = np.random.default_rng(seed)
    edges = sorted(G.edges, key=lambda e: (str(e[0]), str(e[1])))
    chosen = rng.choice(len(edges), size=max(1, int(hide * len(edges))), replace=False)
    hidden = [edges[i] for i in chosen]
    train: nx.Graph[Any] = nx.Graph(G)
    train.remove_edges_from(hidden)
    train = nx.freeze(train)
    found = find_constellations(train, seed=seed)
    scorer = PairScorer.build(train, found.membership, {s.person for s in found.single_points})
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

    ours = suggest_introductions(
        train,
        k=k,
        membership=found.membership,
        single_points={s.person for s in found.single_points},
        nameable=None,
        scorer=scorer,
    )
    rows = np.arange(n)
    cu, cv = scorer.two_step_candidates(rows, 50)
    mutual = scorer.mutual(cu, cv)
    top = np.lexsort((cv, cu, -mutual))
    cn_pairs: list[tuple[Any, Any]] = []
    seen: set[frozenset[Any]] = set()
    for i in top:
        pair = frozenset((scorer.nodes[cu[i]], scorer.nodes[cv[i]]))
        if pair not in seen:
            seen.add(pair)
            cn_pairs.append(tuple(pair))
        if len(cn_pairs) >= k:
            break
    random_pairs = [(scorer.nodes[a], scorer.nodes[b]) for a, b in zip(au[:k], av[:k], strict=True)]
    return Evaluation(
        hidden=len(hidden),
        k=k,
        methods=[
            MethodScore(
                "introductions",
                _auc(scorer.score(hu, hv)[0], scorer.score(au, av)[0]),
                precision([(i.a, i.b) for i in ours]),
            ),
            MethodScore(
                "common_neighbours",
                _auc(scorer.mutual(hu, hv), scorer.mutual(au, av)),
                precision(cn_pairs),
            ),
            MethodScore(
                "random",
                _auc(rng.random(len(hu)), rng.random(len(au))),
                precision(random_pairs),
            ),
        ],
    )
