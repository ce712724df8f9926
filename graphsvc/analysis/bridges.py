"""Bridges: the brokers, and the people and ties the network hangs on."""

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphsvc.analysis.brokerage import (
    betweenness,
    brokerage_roles,
    constraint,
    effective_size,
)
from graphsvc.analysis.engine import Engine, check_engine, engine_graph

TOP_BROKERS = 50


@dataclass
class Brokerage:
    person: Any
    betweenness: float
    constraint: float | None
    effective_size: float | None


@dataclass
class Broker(Brokerage):
    sector_roles: dict[str, int] = field(default_factory=dict)
    region_roles: dict[str, int] = field(default_factory=dict)


@dataclass
class BridgeTie:
    a: Any
    b: Any
    pendant: bool  # one end has no other tie


@dataclass
class HeldTogether:
    """A constellation that one person holds together: without them, ``cut_off``
    of its members (two or more) lose touch with the rest."""

    constellation: str
    person: Any
    cut_off: int


@dataclass
class Bridges:
    scores: dict[Any, Brokerage]
    brokers: list[Broker]
    cut_points: list[Any]
    bridge_ties: list[BridgeTie]
    held_together: list[HeldTogether]
    unlinked_constellations: list[tuple[str, str]]
    isolated_constellations: list[str]


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def cut_points_and_bridges(
    G: "nx.Graph[Any]", engine: Engine = "igraph"
) -> tuple[list[Any], list[tuple[Any, Any]]]:
    """The people and the ties whose loss splits a part of the network.

    Examples
    --------
    >>> import networkx as nx
    >>> cut_points_and_bridges(nx.barbell_graph(3, 0))
    ([2, 3], [(2, 3)])
    """
    if check_engine(engine) == "networkx":
        points = sorted(nx.articulation_points(G), key=str)
        ties = sorted((tuple(sorted(e, key=str)) for e in nx.bridges(G)), key=str)
        return points, ties
    eg = engine_graph(G)
    points = sorted(eg.ids(eg.graph.articulation_points()), key=str)
    edges = [eg.graph.es[i].tuple for i in eg.graph.bridges()]
    ties = sorted((tuple(sorted(eg.ids(list(e)), key=str)) for e in edges), key=str)
    return points, ties


def _cut_off_by(G: "nx.Graph[Any]", members: list[Any], engine: Engine) -> dict[Any, int]:
    """For each member whose loss splits the group, how many others it strands."""
    found: dict[Any, int] = {}
    if engine == "networkx":
        sub = G.subgraph(members)
        for point in nx.articulation_points(sub):
            rest = sub.subgraph(m for m in members if m != point)
            found[point] = len(members) - 1 - max(len(c) for c in nx.connected_components(rest))
        return found
    eg = engine_graph(G)
    ordered = sorted(members, key=eg.index.__getitem__)
    # induced_subgraph keeps vertices in index order, so vertex i is ordered[i].
    sub = eg.graph.induced_subgraph([eg.index[m] for m in ordered])
    for point in sub.articulation_points():
        rest = sub.copy()
        rest.delete_vertices([point])
        found[ordered[point]] = len(members) - 1 - max(rest.connected_components().sizes())
    return found


def _held_together(
    G: "nx.Graph[Any]", constellations: Mapping[str, list[Any]], engine: Engine
) -> list[HeldTogether]:
    found = [
        HeldTogether(cid, person, cut_off)
        for cid, members in constellations.items()
        if len(members) >= 4
        for person, cut_off in _cut_off_by(G, members, engine).items()
        if cut_off >= 2
    ]
    return sorted(found, key=lambda h: (-h.cut_off, h.constellation, str(h.person)))


def _links_between(
    G: "nx.Graph[Any]", constellations: Mapping[str, list[Any]], limit: int
) -> tuple[list[tuple[str, str]], list[str]]:
    owner = {m: cid for cid, members in constellations.items() for m in members}
    linked: Counter[tuple[str, str]] = Counter()
    for u, v in G.edges:
        cu, cv = owner.get(u), owner.get(v)
        if cu is not None and cv is not None and cu != cv:
            linked[(min(cu, cv), max(cu, cv))] += 1
    touched = {c for pair in linked for c in pair}
    isolated = [cid for cid in constellations if cid not in touched]
    # The largest first: a gap between two big constellations matters most.
    largest = sorted(constellations, key=lambda c: (-len(constellations[c]), c))[:limit]
    unlinked = [
        (a, b)
        for i, a in enumerate(largest)
        for b in largest[i + 1 :]
        if (min(a, b), max(a, b)) not in linked
    ]
    return unlinked, isolated


def find_bridges(
    G: "nx.Graph[Any]",
    constellations: Mapping[str, list[Any]] | None = None,
    top: int = TOP_BROKERS,
    sample: int | None = None,
    seed: int = 0,
    engine: Engine = "igraph",
) -> Bridges:
    """Brokerage for every person, the top brokers' roles, and the network's
    fragile points.

    Parameters
    ----------
    G : networkx.Graph
        Weighted person–person graph; ``sector`` and ``region`` node
        attributes give the brokers' roles.
    constellations : mapping of id to members, optional
        From :func:`find_constellations`: adds who holds a constellation
        together and which constellations have no tie between them.
    top : int
        How many brokers, by betweenness, to describe with their roles.
    sample : int or None
        Sources to estimate betweenness from on large graphs (default: see
        :func:`betweenness`).
    seed : int
        Seed for that sample.
    engine : {"igraph", "networkx"}

    Returns
    -------
    Bridges
        ``scores`` (betweenness, constraint, effective size by person),
        ``brokers`` (the top ones, with Gould–Fernandez roles across sectors
        and regions), ``cut_points`` and ``bridge_ties`` (whose loss splits
        the network), ``held_together`` (constellations that one member
        holds together), ``unlinked_constellations`` (pairs of the 30
        largest with no tie between them) and ``isolated_constellations``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 1)  # two groups joined through node 4
    >>> result = find_bridges(G)
    >>> result.brokers[0].person, result.cut_points
    (4, [3, 4, 5])

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality" (2001).
    .. [2] R. S. Burt, *Structural Holes* (1992).
    .. [3] R. V. Gould and R. M. Fernandez, "Structures of mediation" (1989).
    .. [4] R. E. Tarjan, "Depth-first search and linear graph algorithms",
       SIAM J. Comput. 1, 146 (1972), for cut-points and bridges.
    """
    between = betweenness(G, sample=sample, seed=seed, engine=engine)
    constrained = constraint(G, engine=engine)
    esize = effective_size(G, engine=engine)
    scores = {
        p: Brokerage(p, round(between[p], 8), _finite(constrained[p]), _finite(esize[p]))
        for p in sorted(G.nodes, key=str)
    }
    ranked = sorted(scores.values(), key=lambda s: (-s.betweenness, str(s.person)))[:top]
    ranked = [s for s in ranked if s.betweenness > 0]
    people = [s.person for s in ranked]
    sector_roles = brokerage_roles(G, "sector", people)
    region_roles = brokerage_roles(G, "region", people)
    brokers = [
        Broker(**vars(s), sector_roles=sector_roles[s.person], region_roles=region_roles[s.person])
        for s in ranked
    ]
    points, ties = cut_points_and_bridges(G, engine)
    degree = dict(G.degree)
    bridge_ties = [BridgeTie(a, b, pendant=min(degree[a], degree[b]) == 1) for a, b in ties]
    held: list[HeldTogether] = []
    unlinked: list[tuple[str, str]] = []
    isolated: list[str] = []
    if constellations:
        held = _held_together(G, constellations, engine)
        unlinked, isolated = _links_between(G, constellations, limit=30)
    return Bridges(scores, brokers, points, bridge_ties, held, unlinked, isolated)
