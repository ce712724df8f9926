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

    Each connected part is laid out on its own and the parts are packed side
    by side, largest first, with people who have no ties in a grid of their
    own: a few unconnected people cannot push the main part into a corner.
    Seeded, so the same graph gives the same map. A part's area grows with
    its number of nodes.

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
    parts = sorted(
        (sorted(part, key=str) for part in nx.connected_components(G)),
        key=lambda part: (-len(part), str(part[0])),
    )
    connected = [part for part in parts if len(part) > 1]
    alone = [part[0] for part in parts if len(part) == 1]
    # Iterations for the whole map, not each part: many mid-sized parts at
    # full iterations would take longer than the whole at fewer.
    iterations = iterations_for(len(G))
    blocks = [_part_layout(G.subgraph(part), part, seed, iterations) for part in connected]
    if alone:
        blocks.append(_grid(alone))
    return _packed(blocks)


def _part_layout(
    G: "nx.Graph[Any]", nodes: list[Hashable], seed: int, iterations: int
) -> dict[Hashable, tuple[float, float]]:
    """One connected part's layout, centred on (0, 0)."""
    if len(nodes) == 2:
        return {nodes[0]: (-SPACING / 2, 0.0), nodes[1]: (SPACING / 2, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in G.edges()])
    weights = [math.log1p(d.get("weight", 1.0)) for _, _, d in G.edges(data=True)]
    start = _seeded_start(len(nodes), seed)
    layout = graph.layout_fruchterman_reingold(
        weights=weights or None,
        seed=start,
        grid=len(nodes) > GRID_FROM,
        niter=iterations,
    )
    return _scaled(nodes, layout.coords)


def _grid(nodes: list[Hashable]) -> dict[Hashable, tuple[float, float]]:
    """Nodes with no ties in rows, ``SPACING`` apart."""
    columns = math.ceil(math.sqrt(len(nodes)))
    return {
        node: (float(SPACING * (i % columns)), float(SPACING * (i // columns)))
        for i, node in enumerate(nodes)
    }


def _packed(
    blocks: list[dict[Hashable, tuple[float, float]]],
) -> dict[Hashable, tuple[float, float]]:
    """Blocks of positions placed in rows, left to right, no wider than the
    largest block or the square of their total area, whichever is wider."""
    boxes = [_box(block) for block in blocks]
    if not boxes:
        return {}
    gap = SPACING * 2
    area = sum((b[2] - b[0] + gap) * (b[3] - b[1] + gap) for b in boxes)
    row_width = max(boxes[0][2] - boxes[0][0], math.sqrt(area))
    placed: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, (left, top, right, bottom) in zip(blocks, boxes, strict=True):
        width, height = right - left, bottom - top
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node, (nx_, ny_) in block.items():
            placed[node] = (round(nx_ - left + x, 1), round(ny_ - top + y, 1))
        x += width + gap
        row_height = max(row_height, height)
    return placed


def _box(block: dict[Hashable, tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [x for x, _ in block.values()]
    ys = [y for _, y in block.values()]
    return min(xs), min(ys), max(xs), max(ys)


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
    # Scaled so that the area grows with the number of nodes, whatever the
    # layout's own units.
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
