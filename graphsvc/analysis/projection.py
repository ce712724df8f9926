"""The collaboration projection: who works with whom, and how strongly.

Shared groups become person–person ties weighted as Newman (2001) weights
co-authorship: a group of ``n`` people adds ``1/(n-1)`` to each pair, so every
member gets the same total from a group whatever its size, and a 6-person
roundtable ties its members far more strongly than an 800-person plenary.
Groups larger than ``max_group_size`` only strengthen ties that exist for
other reasons: their cliques would be millions of pairs and, at those
weights, noise. Shared themes do the same at any size: a shared interest is
not a collaboration, and if it made a tie by itself everyone who shares one
would count as already connected and nobody would be isolated.
"""

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.analysis.profiles import (
    INTRODUCTION_TIE_STATUSES,
    NetworkProfile,
    PersonProfile,
    profile_network,
)
from graphsvc.store.snapshot import Snapshot

# Where a tie's weight comes from; each edge's ``via`` names its main source.
TIE_SOURCES = ("cells", "events", "organisations", "knows", "introductions", "themes")


@dataclass(frozen=True)
class TieWeights:
    """How much each kind of shared context counts towards a tie."""

    cells: float = 1.0
    events: float = 1.0
    organisations: float = 1.0
    past_organisations: float = 0.5
    knows: float = 0.5  # per point of KNOWS strength (1 to 5)
    introductions: float = 1.0  # introductions that were made
    themes: float = 0.25
    max_group_size: int = 150
    # A tie needs at least this much evidence from shared small groups and
    # explicit ties: one meeting of up to 21 people, or a KNOWS. Below it are
    # the pairs that merely share a 50-person cell, millions of them at scale.
    min_weight: float = 0.05


def person_attributes(person: PersonProfile, names: dict[str, str]) -> dict[str, object]:
    """The node attributes the analyses read, as carried on the projection."""
    return {
        "name": person.name,
        "sector": person.sector,
        "region": person.region,
        "place": names.get(person.place) if person.place else None,
        "organisation": names.get(person.organisation) if person.organisation else None,
        "themes": sorted(names[t] for t in person.themes),
        "cells": person.cells,
        "visibility": person.visibility,
        "joined": person.joined,
        "events_attended": person.events_attended,
        "last_attended": person.last_attended,
    }


class _Pairs:
    """Sparse person × person weights, one matrix per tie source."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        self.n = len(index)

    def incidence(
        self, groups: dict[str, list[str]], factor: float, small: bool, cap: int
    ) -> sp.csr_matrix:
        """Person × group matrix with sqrt of each group's Newman weight."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        col = 0
        for members in groups.values():
            unique = sorted({self.index[m] for m in members if m in self.index})
            size = len(unique)
            if size < 2 or (size <= cap) != small:
                continue
            rows.extend(unique)
            cols.extend([col] * size)
            vals.extend([np.sqrt(factor / (size - 1))] * size)
            col += 1
        return sp.csr_matrix((vals, (rows, cols)), shape=(self.n, max(col, 1)))

    def from_groups(self, groups: dict[str, list[str]], factor: float, cap: int) -> sp.csr_matrix:
        b = self.incidence(groups, factor, small=True, cap=cap)
        pairs: sp.csr_matrix = (b @ b.T).tocsr()
        pairs.setdiag(0)
        pairs.eliminate_zeros()
        return pairs

    def from_ties(self, ties: list[tuple[str, str, float]]) -> sp.csr_matrix:
        a = [self.index[u] for u, _, _ in ties]
        b = [self.index[v] for _, v, _ in ties]
        w = [weight for _, _, weight in ties]
        one_way = sp.csr_matrix((w, (a, b)), shape=(self.n, self.n))
        # A tie recorded both ways counts once, at its stronger weight.
        both: sp.csr_matrix = one_way.maximum(one_way.T).tocsr()
        both.setdiag(0)
        both.eliminate_zeros()
        return both


def _large_group_strengthening(
    pairs: _Pairs,
    groups: dict[str, list[str]],
    factor: float,
    cap: int,
    u: np.ndarray,
    v: np.ndarray,
) -> np.ndarray:
    """For each tie (u, v), the summed weights of the large groups both are in."""
    big = pairs.incidence(groups, factor, small=False, cap=cap)
    if big.nnz == 0 or len(u) == 0:
        return np.zeros(len(u))
    return np.asarray(big[u].multiply(big[v]).sum(axis=1)).ravel()


def _weights_at(matrix: sp.csr_matrix, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The entries (u[i], v[i]) of ``matrix``, as a flat array.

    Indexing a sparse matrix with no pairs gives a 1 × 0 matrix, not an empty
    array, which would not stack beside the others (a network with no ties).
    """
    if len(u) == 0:
        return np.zeros(0)
    return np.asarray(matrix[u, v]).ravel()


def collaboration_graph(
    snapshot: Snapshot, weights: TieWeights | None = None, profile: NetworkProfile | None = None
) -> "nx.Graph[str]":
    """Project the store's snapshot onto a weighted person–person graph.

    Parameters
    ----------
    snapshot : networkx.MultiDiGraph
        The store's snapshot (:meth:`graphsvc.store.GraphStore.snapshot`).
    weights : TieWeights, optional
        How much each shared context counts; the defaults count a shared
        cell, event or organisation fully, KNOWS at half a point per point of
        strength, and a shared theme at a quarter.
    profile : NetworkProfile, optional
        The snapshot already read by :func:`profile_network`.

    Returns
    -------
    networkx.Graph
        Nodes are Person ids, with ``name``, ``sector``, ``region``,
        ``place``, ``organisation`` and ``themes`` (names), ``cells`` (ids), ``visibility``,
        ``joined``, ``events_attended`` and ``last_attended``. Each edge has
        ``weight`` and ``via``: which of :data:`TIE_SOURCES` gave it most.
        The graph is frozen; copy it (``nx.Graph(g)``) to change it.

    Examples
    --------
    >>> import networkx as nx
    >>> s = nx.MultiDiGraph()
    >>> for p in ("person:a", "person:b", "person:c"):
    ...     s.add_node(p, kind="Person", name=p[-1])
    >>> s.add_node("event:roundtable", kind="Event", date="2025-01-01")
    >>> for p in ("person:a", "person:b", "person:c"):
    ...     _ = s.add_edge(p, "event:roundtable", key="ATTENDED", type="ATTENDED")
    >>> g = collaboration_graph(s)
    >>> round(g["person:a"]["person:b"]["weight"], 2)  # 1/(3-1)
    0.5

    References
    ----------
    .. [1] M. E. J. Newman, "Scientific collaboration networks. II. Shortest
       paths, weighted networks, and centrality", Phys. Rev. E 64, 016132
       (2001).
    """
    weights = weights or TieWeights()
    profile = profile or profile_network(snapshot)
    ids = sorted(profile.people)
    pairs = _Pairs({pid: i for i, pid in enumerate(ids)})
    cap = weights.max_group_size
    orgs = pairs.from_groups(profile.organisations, weights.organisations, cap) + pairs.from_groups(
        profile.past_organisations, weights.past_organisations, cap
    )
    by_source = {
        "cells": pairs.from_groups(profile.cells, weights.cells, cap),
        "events": pairs.from_groups(profile.events, weights.events, cap),
        "organisations": orgs,
        "knows": pairs.from_ties([(a, b, weights.knows * s) for a, b, s in profile.knows]),
        "introductions": pairs.from_ties(
            [
                (a, b, weights.introductions)
                for a, b, _, status in profile.introductions
                if status in INTRODUCTION_TIE_STATUSES
            ]
        ),
    }
    base = sp.triu(sum(by_source.values()), k=1).tocsr()
    base.data[base.data < weights.min_weight] = 0
    base.eliminate_zeros()
    total = base.tocoo()
    u, v = total.row, total.col
    via = np.column_stack(
        [_weights_at(by_source[s], u, v) for s in TIE_SOURCES if s in by_source]
        + [np.zeros(len(u))]
    )
    for column, (groups, factor) in enumerate(
        [
            (profile.cells, weights.cells),
            (profile.events, weights.events),
            (profile.organisations, weights.organisations),
        ]
    ):
        via[:, column] += _large_group_strengthening(pairs, groups, factor, cap, u, v)
    via[:, TIE_SOURCES.index("themes")] = _large_group_strengthening(
        pairs, profile.themes, weights.themes, 0, u, v
    )
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(
        (pid, person_attributes(profile.people[pid], profile.node_names)) for pid in ids
    )
    weight = via.sum(axis=1).tolist()
    strongest = [TIE_SOURCES[i] for i in via.argmax(axis=1).tolist()]
    graph.add_edges_from(
        (ids[a], ids[b], {"weight": w, "via": source})
        for a, b, w, source in zip(u.tolist(), v.tolist(), weight, strongest, strict=True)
    )
    # Analyses share one compiled copy of it (see engine.engine_graph).
    frozen: nx.Graph[str] = nx.freeze(graph)
    return frozen
