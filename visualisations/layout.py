"""Where each node sits on a map: computed once on the server.

A browser running a force simulation on thousands of nodes freezes the tab,
so maps arrive with positions and the browser only draws them. Only the
strongest ties are drawn (and laid out): a shared cell of thirty makes 435
ties, which would paint the map solid without showing more.
"""

import math
import random
from collections.abc import Hashable, Mapping
from typing import Any

import igraph as ig
import networkx as nx

# Past this many nodes the force-directed layout runs on a grid (Fruchterman
# & Reingold's own speed-up).
GRID_FROM = 1000
# Iterations of the layout: igraph's default up to the largest map drawn
# person by person, fewer beyond, where only filtered parts of the map and an
# overview by constellation are drawn. The time is linear in both: at 50,000
# people 500 iterations take 70 s here, 100 take 14 s.
ITERATIONS = 500
FULL_ITERATIONS_UP_TO = 5000
MIN_ITERATIONS = 100
# Pixels between neighbouring nodes, about; vis-network zooms to fit anyway.
SPACING = 40.0


def strongest_ties(G: "nx.Graph[Any]", per_node: int = 3) -> "nx.Graph[Any]":
    """The backbone of a weighted graph: each node's ``per_node`` strongest ties.

    A tie kept by either end is kept; every node of ``G`` stays, isolated or not.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "b", 3), ("a", "c", 2), ("a", "d", 1), ("b", "c", 1)])
    >>> sorted(strongest_ties(G, per_node=1).edges())
    [('a', 'b'), ('a', 'c'), ('a', 'd')]
    """
    backbone: nx.Graph[Any] = nx.Graph()
    backbone.add_nodes_from(G.nodes)
    for node in G:
        ties = sorted(G[node].items(), key=lambda item: (-item[1].get("weight", 1.0), str(item[0])))
        for other, data in ties[:per_node]:
            backbone.add_edge(node, other, weight=data.get("weight", 1.0))
    return backbone


def positions(G: "nx.Graph[Any]", seed: int = 0) -> dict[Hashable, tuple[float, float]]:
    """Map coordinates for every node of ``G``, force-directed (Fruchterman & Reingold).

    Seeded, so the same graph gives the same map. Coordinates are scaled so
    that the map's area grows with the number of nodes.

    Examples
    --------
    >>> where = positions(nx.path_graph(3))
    >>> sorted(where) == [0, 1, 2] and all(len(xy) == 2 for xy in where.values())
    True

    References
    ----------
    Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by
    force-directed placement. Software: Practice and Experience 21(11).
    """
    nodes = list(G.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in G.edges()])
    weights = [math.log1p(d.get("weight", 1.0)) for _, _, d in G.edges(data=True)]
    start = _seeded_start(len(nodes), seed)
    layout = graph.layout_fruchterman_reingold(
        weights=weights or None,
        seed=start,
        grid=len(nodes) > GRID_FROM,
        niter=iterations_for(len(nodes)),
    )
    return _scaled(nodes, layout.coords)


def iterations_for(n: int) -> int:
    """Layout iterations for ``n`` nodes: fewer past 5,000, so that the time stays flat.

    >>> iterations_for(5000), iterations_for(10_000), iterations_for(50_000)
    (500, 250, 100)
    """
    if n <= FULL_ITERATIONS_UP_TO:
        return ITERATIONS
    return max(MIN_ITERATIONS, ITERATIONS * FULL_ITERATIONS_UP_TO // n)


def _seeded_start(n: int, seed: int) -> list[tuple[float, float]]:
    # Spread as wide as the layout will be: started in a speck, the grid
    # variant puts every node in one cell and is no faster than the plain one.
    rng = random.Random(seed)
    half = math.sqrt(n)
    return [(rng.uniform(-half, half), rng.uniform(-half, half)) for _ in range(n)]


def _scaled(
    nodes: list[Hashable], coords: list[list[float]]
) -> dict[Hashable, tuple[float, float]]:
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    size = SPACING * math.sqrt(len(nodes)) * 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        node: (round((x - cx) / span * size, 1), round((y - cy) / span * size, 1))
        for node, (x, y) in zip(nodes, coords, strict=True)
    }


def centre_of(where: Mapping[Hashable, tuple[float, float]]) -> tuple[float, float]:
    """The mean position of some nodes (where a group's bubble goes on an overview)."""
    if not where:
        return (0.0, 0.0)
    return (
        round(sum(x for x, _ in where.values()) / len(where), 1),
        round(sum(y for _, y in where.values()) / len(where), 1),
    )
