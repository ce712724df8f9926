"""Constellations: communities of the collaboration graph, and who is outside them."""

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphsvc.analysis.distinctive import label_groups
from graphsvc.analysis.engine import Engine, check_engine, engine_graph, seeded
from graphsvc.model import SinglePointStatus

MIN_CONSTELLATION_SIZE = 3
# Leiden's refinement converges in a few passes; running it to a fixed point
# gains about 0.002 of modularity at 100,000 members for ten times the time.
LEIDEN_ITERATIONS = 4


@dataclass
class Constellation:
    id: str
    members: list[str]
    size: int
    density: float  # share of possible ties inside that exist
    cohesion: float  # share of its members' tie weight that stays inside
    themes: list[str]
    regions: list[str]
    sectors: list[str]
    label: str


@dataclass
class SinglePoint:
    """A member outside every constellation, or hanging on by one tie."""

    person: str
    ties: int
    status: SinglePointStatus  # isolated (no ties) or peripheral
    would_join: str | None  # the constellation they would most naturally join
    constellation: str | None = None  # the one they are in, if any


@dataclass
class PotentialConstellation:
    """Members who share an interest and a region but no tie among themselves."""

    theme: str
    region: str
    members: list[str]


@dataclass
class Constellations:
    constellations: list[Constellation]
    single_points: list[SinglePoint]
    potential: list[PotentialConstellation]
    modularity: float
    membership: dict[str, str] = field(default_factory=dict)  # person -> constellation id


def detect_communities(
    G: "nx.Graph[Any]", seed: int = 0, resolution: float = 1.0, engine: Engine = "igraph"
) -> list[set[Any]]:
    """Communities of ``G`` by modularity: Leiden on igraph, or networkx's Louvain.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph; ``weight`` on edges counts where present.
    seed : int
        Seed for the algorithm's random choices: the same graph and seed give
        the same communities.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.
    engine : {"igraph", "networkx"}
        Leiden (Traag et al. 2019) in igraph, or Louvain (Blondel et al.
        2008) in plain networkx.

    Returns
    -------
    list of set
        Communities, largest first (ties broken by smallest member).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(5, 0)
    >>> sorted(sorted(c) for c in detect_communities(G, seed=1))
    [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]

    References
    ----------
    .. [1] V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden:
       guaranteeing well-connected communities", Sci. Rep. 9, 5233 (2019).
    .. [2] V. D. Blondel et al., "Fast unfolding of communities in large
       networks", J. Stat. Mech. P10008 (2008).
    """
    if check_engine(engine) == "networkx":
        found = nx.community.louvain_communities(
            G, weight="weight", resolution=resolution, seed=seed
        )
    else:
        eg = engine_graph(G)
        with seeded(seed):
            partition = eg.graph.community_leiden(
                objective_function="modularity",
                weights="weight",
                resolution=resolution,
                n_iterations=LEIDEN_ITERATIONS,
            )
        found = [set(eg.ids(list(part))) for part in partition if part]
    return sorted(found, key=lambda c: (-len(c), min(map(str, c))))


def _modularity(G: "nx.Graph[Any]", communities: list[set[Any]], engine: Engine) -> float:
    if G.number_of_edges() == 0:
        return 0.0
    if engine == "networkx":
        return float(nx.community.modularity(G, communities, weight="weight"))
    eg = engine_graph(G)
    membership = [0] * len(eg.nodes)
    for i, community in enumerate(communities):
        for node in community:
            membership[eg.index[node]] = i
    return float(eg.graph.modularity(membership, weights="weight"))


def _stable_id(members: Iterable[Any]) -> str:
    """An id that survives small changes: from the smallest member, hashed so
    that it names no one."""
    anchor = min(map(str, members))
    return "constellation:" + hashlib.sha256(anchor.encode()).hexdigest()[:10]


def _carry_ids(found: list[set[Any]], previous: Mapping[str, Iterable[Any]] | None) -> list[str]:
    """Ids for ``found``: a previous constellation's where most members are the
    same (Jaccard over 0.5), otherwise a new stable id."""
    ids = [_stable_id(c) for c in found]
    if not previous:
        return ids
    taken: set[str] = set()
    earlier = {cid: set(members) for cid, members in previous.items()}
    owner = {m: cid for cid, members in earlier.items() for m in members}
    for i, community in enumerate(found):
        overlap = Counter(owner[m] for m in community if m in owner)
        for cid, shared in overlap.most_common():
            if cid in taken:
                continue
            if shared / len(community | earlier[cid]) > 0.5:
                ids[i] = cid
                taken.add(cid)
            break
    clashes = Counter(ids)
    return [
        cid if clashes[cid] == 1 or cid in taken else _stable_id(c)
        for cid, c in zip(ids, found, strict=True)
    ]


def _natural_home(
    G: "nx.Graph[Any]",
    person: Any,
    membership: Mapping[Any, str],
    profiles: dict[str, dict[str, Counter[str]]],
) -> str | None:
    """The constellation a person's ties lead to, or failing ties, the one whose
    members most share their interests and region."""
    pull: Counter[str] = Counter()
    for other, data in G[person].items():
        if other in membership:
            pull[membership[other]] += data.get("weight", 1.0)
    if pull:
        return min(pull, key=lambda c: (-pull[c], c))
    data = G.nodes[person]
    wanted = [("themes", t) for t in data.get("themes") or []]
    if data.get("region"):
        wanted.append(("region", data["region"]))
    best, best_score = None, 0.0
    for cid, profile in profiles.items():
        score = sum(profile[key][value] for key, value in wanted) / max(profile["size"]["n"], 1)
        if score > best_score or (score == best_score and best is not None and cid < best):
            best, best_score = cid, score
    return best


def potential_constellations(
    G: "nx.Graph[Any]", min_size: int = MIN_CONSTELLATION_SIZE
) -> list[PotentialConstellation]:
    """Groups sharing an interest and a region with no tie among themselves.

    Each group is the members with one theme in one region who have no tie
    to anyone else there with that theme: candidates for a new cell or
    regional group.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> for i in range(4):
    ...     G.add_node(i, themes=["Housing"], region="Wales")
    >>> G.add_edge(2, 3)
    >>> [(p.theme, p.region, p.members) for p in potential_constellations(G)]
    []
    >>> G.add_node(4, themes=["Housing"], region="Wales")
    >>> [(p.theme, p.region, p.members) for p in potential_constellations(G)]
    [('Housing', 'Wales', [0, 1, 4])]
    """
    groups: dict[tuple[str, str], list[Any]] = {}
    for node, data in G.nodes(data=True):
        if data.get("region"):
            for theme in data.get("themes") or []:
                groups.setdefault((theme, data["region"]), []).append(node)
    found = []
    for (theme, region), members in groups.items():
        inside = set(members)
        alone = [m for m in members if not any(n in inside for n in G[m])]
        if len(alone) >= min_size:
            found.append(PotentialConstellation(theme, region, sorted(alone, key=str)))
    return sorted(found, key=lambda p: (-len(p.members), p.region, p.theme))


def find_constellations(
    G: "nx.Graph[Any]",
    seed: int = 0,
    resolution: float = 1.0,
    min_size: int = MIN_CONSTELLATION_SIZE,
    previous: Mapping[str, Iterable[Any]] | None = None,
    engine: Engine = "igraph",
) -> Constellations:
    """Constellations of a collaboration graph, its single points of light, and
    the constellations that could form.

    Parameters
    ----------
    G : networkx.Graph
        Weighted person–person graph (:func:`collaboration_graph`, or any
        graph); node attributes ``themes``, ``region`` and ``sector`` label
        the constellations where present.
    seed : int
        Seed for community detection.
    resolution : float
        Modularity resolution (see :func:`detect_communities`).
    min_size : int
        Communities smaller than this are not constellations: their members
        are single points of light.
    previous : mapping of id to members, optional
        An earlier run's constellations: a community that is mostly the same
        keeps its id.
    engine : {"igraph", "networkx"}
        Where community detection runs.

    Returns
    -------
    Constellations
        ``constellations`` largest first, each with its members, density,
        cohesion and label; ``single_points`` (isolated members, and members
        with one tie or outside any constellation) each with the
        constellation they would most naturally join; ``potential`` (see
        :func:`potential_constellations`); ``modularity``; ``membership``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.karate_club_graph()
    >>> result = find_constellations(G, seed=1)
    >>> len(result.constellations) >= 2, result.modularity > 0.35
    (True, True)

    References
    ----------
    .. [1] V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden:
       guaranteeing well-connected communities", Sci. Rep. 9, 5233 (2019).
    .. [2] M. E. J. Newman, "Modularity and community structure in
       networks", PNAS 103, 8577 (2006).
    """
    communities = detect_communities(G, seed=seed, resolution=resolution, engine=engine)
    modularity = _modularity(G, communities, engine)
    kept = [c for c in communities if len(c) >= min_size]
    ids = _carry_ids(kept, previous)
    membership = {m: cid for cid, c in zip(ids, kept, strict=True) for m in c}
    inside_ties: Counter[str] = Counter()
    inside_weight: dict[str, float] = dict.fromkeys(ids, 0.0)
    strength: dict[str, float] = dict.fromkeys(ids, 0.0)
    for u, v, w in G.edges(data="weight", default=1.0):
        cu, cv = membership.get(u), membership.get(v)
        if cu is not None:
            strength[cu] += w
        if cv is not None:
            strength[cv] += w
        if cu is not None and cu == cv:
            inside_ties[cu] += 1
            inside_weight[cu] += w
    described = label_groups(G, kept)
    constellations = []
    profiles: dict[str, dict[str, Counter[str]]] = {}
    for cid, members, about in zip(ids, kept, described, strict=True):
        size = len(members)
        constellations.append(
            Constellation(
                id=cid,
                members=sorted(members, key=str),
                size=size,
                density=round(2 * inside_ties[cid] / (size * (size - 1)), 4),
                cohesion=round(2 * inside_weight[cid] / strength[cid], 4) if strength[cid] else 0.0,
                themes=about.themes,
                regions=about.regions,
                sectors=about.sectors,
                label=about.label,
            )
        )
        profiles[cid] = {
            "themes": Counter(t for m in members for t in G.nodes[m].get("themes") or []),
            "region": Counter(str(G.nodes[m].get("region")) for m in members),
            "size": Counter({"n": len(members)}),
        }
    single_points = []
    for node in sorted(G.nodes, key=str):
        ties = G.degree(node)
        if node in membership and ties > 1:
            continue
        single_points.append(
            SinglePoint(
                person=node,
                ties=ties,
                status=SinglePointStatus.ISOLATED if ties == 0 else SinglePointStatus.PERIPHERAL,
                would_join=_natural_home(G, node, membership, profiles),
                constellation=membership.get(node),
            )
        )
    return Constellations(
        constellations=constellations,
        single_points=single_points,
        potential=potential_constellations(G, min_size),
        modularity=round(modularity, 4),
        membership=membership,
    )
