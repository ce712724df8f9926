"""The compiled engine behind the analysis functions.

networkx is the API; heavy algorithms run on igraph, which is one to two
orders of magnitude faster. A networkx graph is converted once and the
conversion kept for frozen graphs (``nx.freeze``), such as the collaboration
graph, which cannot change under it.
"""

import random
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

Engine = Literal["igraph", "networkx"]
ENGINES: tuple[Engine, ...] = ("igraph", "networkx")


@dataclass(frozen=True)
class EngineGraph:
    """An igraph copy of an undirected weighted networkx graph."""

    graph: ig.Graph
    nodes: list[Any]  # vertex index -> networkx node
    index: dict[Any, int]

    def ids(self, vertices: list[int]) -> list[Any]:
        return [self.nodes[v] for v in vertices]


_converted: "weakref.WeakKeyDictionary[nx.Graph[Any], EngineGraph]" = weakref.WeakKeyDictionary()


def engine_graph(G: "nx.Graph[Any]") -> EngineGraph:
    """The igraph copy of ``G``: vertices in sorted node order, ``weight`` on edges.

    Missing weights count as 1. Sorting the nodes makes seeded algorithms
    give the same answer however the networkx graph was built. The copy of
    a frozen graph is made once and reused.
    """
    if G.is_directed() or G.is_multigraph():
        raise ValueError("analysis functions take an undirected simple graph (nx.Graph)")
    cached = _converted.get(G)
    if cached is not None:
        return cached
    nodes = sorted(G.nodes, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    edges = []
    weights = []
    for u, v, w in G.edges(data="weight", default=1.0):
        edges.append((index[u], index[v]))
        weights.append(float(w))
    graph = ig.Graph(n=len(nodes), edges=edges, directed=False)
    graph.es["weight"] = weights
    converted = EngineGraph(graph, nodes, index)
    if nx.is_frozen(G):
        _converted[G] = converted
    return converted


def adjacency_matrix(eg: EngineGraph) -> sp.csr_matrix:
    """The 0/1 adjacency of an engine graph as a sparse matrix, in vertex order.

    igraph's own ``get_adjacency_sparse`` fails on a graph with no edges (a
    network where nobody has a tie yet).
    """
    n = eg.graph.vcount()
    edges = eg.graph.get_edgelist()
    if not edges:
        return sp.csr_matrix((n, n), dtype=float)
    rows, cols = (np.array(side) for side in zip(*edges, strict=True))
    ones = np.ones(len(edges))
    one_way = sp.csr_matrix((ones, (rows, cols)), shape=(n, n))
    return (one_way + one_way.T).tocsr()


def check_engine(engine: str) -> Engine:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    return engine


_rng_lock = threading.Lock()


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms from ``seed``.

    igraph draws from one process-wide generator (Python's ``random`` by
    default); this swaps in a seeded one for the duration and restores it,
    without touching the global ``random`` state.
    """
    with _rng_lock:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)
