"""Brokerage: who sits between others (betweenness, constraint, effective size,
Gould–Fernandez roles)."""

import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis.engine import Engine, check_engine, engine_graph

# Exact betweenness costs a search from every person, O(nm). By default it is
# estimated from as many sampled sources (Brandes & Pich 2007) as this many
# edge visits allow: exact up to a few thousand people, about 800 sources at
# 10,000 members (top-50 overlap with the exact answer about 35 of 50) and
# about 90 at 100,000, where only the strongest brokers stand out clearly.
BETWEENNESS_BUDGET = 100_000_000
MIN_SAMPLE = 50

ROLES = ("coordinator", "itinerant", "gatekeeper_representative", "liaison")


def default_sample(G: "nx.Graph[Any]") -> int:
    """Sources to sample for betweenness within :data:`BETWEENNESS_BUDGET`."""
    return max(MIN_SAMPLE, BETWEENNESS_BUDGET // max(G.number_of_edges(), 1))


def betweenness(
    G: "nx.Graph[Any]", sample: int | None = None, seed: int = 0, engine: Engine = "igraph"
) -> dict[Any, float]:
    """Normalised betweenness of each person, on the ties (not their weights).

    Weights are left out on purpose: weighted shortest paths are nearly
    always unique, and a sampled estimate of them is mostly noise.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    sample : int or None
        Estimate from this many randomly chosen sources when the graph has
        more nodes; by default as many as :func:`default_sample` allows.
        Pass ``G.number_of_nodes()`` for the exact value.
    seed : int
        Seed for choosing the sample.
    engine : {"igraph", "networkx"}

    Returns
    -------
    dict
        Node to betweenness in [0, 1], as networkx normalises it.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> betweenness(G)
    {0: 0.0, 1: 1.0, 2: 0.0}

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality",
       J. Math. Sociol. 25, 163 (2001).
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large networks",
       Int. J. Bifurc. Chaos 17, 2303 (2007).
    """
    n = G.number_of_nodes()
    sample = default_sample(G) if sample is None else sample
    k = sample if n > sample else None
    if check_engine(engine) == "networkx":
        found: dict[Any, float] = nx.betweenness_centrality(G, k=k, seed=seed)
        return found
    eg = engine_graph(G)
    if n < 3:
        return dict.fromkeys(eg.nodes, 0.0)
    if k is None:
        raw = np.array(eg.graph.betweenness(directed=False))
        scale = 2.0 / ((n - 1) * (n - 2))
    else:
        sources = sorted(random.Random(seed).sample(range(n), k))
        raw = np.array(eg.graph.betweenness(directed=False, sources=sources))
        # Paths from k of n sources: scale up to all sources, then normalise
        # as above.
        scale = (n / k) * 2.0 / ((n - 1) * (n - 2))
    return dict(zip(eg.nodes, (raw * scale).tolist(), strict=True))


def constraint(G: "nx.Graph[Any]", engine: Engine = "igraph") -> dict[Any, float]:
    """Burt's constraint: how much a person's ties lead to each other (low = broker).

    Isolated nodes get ``nan``, as in networkx.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.star_graph(3)
    >>> {n: round(c, 3) for n, c in constraint(G).items()}
    {0: 0.333, 1: 1.0, 2: 1.0, 3: 1.0}

    References
    ----------
    .. [1] R. S. Burt, *Structural Holes: The Social Structure of
       Competition*, Harvard University Press (1992).
    """
    if check_engine(engine) == "networkx":
        return dict(nx.constraint(G, weight="weight"))
    eg = engine_graph(G)
    values = eg.graph.constraint(weights="weight")
    degree = eg.graph.degree()
    return {
        node: (float("nan") if d == 0 else float(c))
        for node, c, d in zip(eg.nodes, values, degree, strict=True)
    }


def effective_size(G: "nx.Graph[Any]", engine: Engine = "igraph") -> dict[Any, float]:
    """Burt's effective size of each person's network, on unweighted ties.

    ``degree - 2 * ties among neighbours / degree`` (Borgatti 1997); isolated
    nodes get ``nan``.

    Examples
    --------
    >>> import networkx as nx
    >>> effective_size(nx.star_graph(3))[0], effective_size(nx.complete_graph(3))[0]
    (3.0, 1.0)

    References
    ----------
    .. [1] R. S. Burt, *Structural Holes* (1992).
    .. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy
       measures", Connections 20, 35 (1997).
    """
    if check_engine(engine) == "networkx":
        return dict(nx.effective_size(G))
    eg = engine_graph(G)
    degree = np.array(eg.graph.degree(), dtype=float)
    clustering = np.array(eg.graph.transitivity_local_undirected(mode="zero"))
    triangles = clustering * degree * (degree - 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(degree > 0, degree - 2 * triangles / degree, np.nan)
    return dict(zip(eg.nodes, size.tolist(), strict=True))


def brokerage_roles(
    G: "nx.Graph[Any]", attribute: str, nodes: Iterable[Any] | None = None
) -> dict[Any, dict[str, int]]:
    """Gould and Fernandez's brokerage roles, for undirected ties.

    For each broker ``v`` and each pair of its neighbours ``a``, ``b`` that
    are not tied to each other, the pair is counted under the role the three
    groups (``attribute``, e.g. sector or region) give ``v``:
    *coordinator* (all one group), *itinerant* (``a`` and ``b`` in one group,
    ``v`` in another), *gatekeeper_representative* (``v`` shares a group with
    one of them; the two roles are one without direction) or *liaison* (three
    groups). People without the attribute form no group and are left out.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("v", "a"), ("v", "b"), ("v", "c")])
    >>> nx.set_node_attributes(G, {"v": "x", "a": "x", "b": "y", "c": "z"}, "sector")
    >>> brokerage_roles(G, "sector", ["v"])["v"]
    {'coordinator': 0, 'itinerant': 0, 'gatekeeper_representative': 2, 'liaison': 1}

    References
    ----------
    .. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal
       approach to brokerage in transaction networks", Sociol. Methodol. 19,
       89 (1989).
    """
    chosen = list(G.nodes) if nodes is None else list(nodes)
    found: dict[Any, dict[str, int]] = {}
    for v in chosen:
        own = G.nodes[v].get(attribute)
        neighbours = [n for n in G[v] if G.nodes[n].get(attribute) is not None]
        roles = dict.fromkeys(ROLES, 0)
        if own is not None and len(neighbours) >= 2:
            groups = Counter(G.nodes[n][attribute] for n in neighbours)
            pairs: Counter[tuple[bool, bool]] = Counter()
            # Every pair of neighbours, by (same group as each other, how many share v's)
            for g, count in groups.items():
                pairs[(True, g == own)] += count * (count - 1) // 2
            others = list(groups.items())
            for i, (g, c) in enumerate(others):
                for h, d in others[i + 1 :]:
                    pairs[(False, g == own or h == own)] += c * d
            in_set = set(neighbours)
            for a in neighbours:
                for b in G[a]:
                    if b in in_set and str(a) < str(b):
                        ga, gb = G.nodes[a][attribute], G.nodes[b][attribute]
                        pairs[(ga == gb, ga == own or gb == own)] -= 1
            roles["coordinator"] = pairs[(True, True)]
            roles["itinerant"] = pairs[(True, False)]
            roles["gatekeeper_representative"] = pairs[(False, True)]
            roles["liaison"] = pairs[(False, False)]
        found[v] = roles
    return found
