"""Introductions: who to introduce to whom, why, and through whom.

Each pair not yet tied gets two scores (:mod:`graphsvc.analysis.weaving`):
its *plausibility* (shared interests, offers that meet asks, proximity, an
introducer who knows both, link prediction) and its *weaving value* (what
the tie would change). Pairs below the plausibility floor are dropped; the
rest are ranked by value, greedily, so that reaching a single point of
light or joining two unlinked constellations counts only the first time
and no person or constellation fills the list.
"""

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.access.policy import SUGGESTABLE
from graphsvc.analysis.pair_scores import PairScorer
from graphsvc.analysis.weaving import (
    PlausibilityWeights,
    WeavingWeights,
    plausibility,
    weaving_value,
    words,
)
from graphsvc.model import Visibility

PER_PERSON = 2  # in a list for many people, so a few do not fill it
PER_CONSTELLATION_PAIR = 3
CANDIDATES_PER_PERSON = 10
POOL = 50_000  # the best pairs by value the greedy re-ranking considers
SCOPE_ROWS = 400  # people of a region, sector or cell whose candidates are scored
FEW_IN_PLACE = 10  # a place with this many members or fewer is named as thin


@dataclass
class Introduction:
    a: Any
    b: Any
    score: float  # the weaving value it is ranked by
    reasons: list[str]
    introducer: Any | None  # a mutual contact, the strongest link between them
    mutual_contacts: int = 0
    plausibility: float = 0.0
    value: float = 0.0
    # How the introducer knows a, then b ("through the Listening cell").
    introducer_knows: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """Whose introductions: one person, a connector's contacts, or the people of a
    region, nation, sector or cell (None everywhere: the whole network)."""

    person: Any | None = None
    connector: Any | None = None
    region: str | None = None
    nation: str | None = None
    sector: str | None = None
    cell: str | None = None

    @property
    def whole_network(self) -> bool:
        return self == Scope()


def _theme_phrase(theme: str) -> str:
    return theme if theme[1:2].isupper() else theme[:1].lower() + theme[1:]


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _offer_for(G: "nx.Graph[Any]", giver: Any, taker: Any) -> str | None:
    wanted = words(G.nodes[taker].get("asks"))
    for offer in G.nodes[giver].get("offers") or []:
        if words([offer]) & wanted:
            return str(offer)
    return None


def _edge_reasons(scorer: PairScorer, i: int, name: str) -> list[str]:
    """Why one of the pair sits at the network's edge, in words."""
    G, w, node = scorer.graph, scorer.weaving, scorer.nodes[i]
    found = []
    if w.single_point[i]:
        if scorer.degree[i] == 0:
            found.append(f"{name} has no ties in the network yet")
        else:
            found.append(f"{name} is a single point of light, in no constellation yet")
    elif w.not_in_the_room[i]:
        if G.nodes[node].get("last_attended"):
            found.append(f"{name} has not been to a gathering for a year")
        else:
            found.append(f"{name} has not been to a gathering yet")
    place, count = G.nodes[node].get("place"), int(w.place_count[i])
    if place and 0 < count <= FEW_IN_PLACE:
        members = f"one of {count} members" if count >= 3 else "one of very few members"
        found.append(f"{name} is {members} in {place}")
    return found


def _reasons(scorer: PairScorer, u: int, v: int, f: Mapping[str, Any], i: int) -> list[str]:
    G, w = scorer.graph, scorer.weaving
    a, b = scorer.nodes[u], scorer.nodes[v]
    na, nb = (str(G.nodes[x].get("name") or x) for x in (a, b))
    reasons = []
    if f["mutual"][i]:
        reasons.append(f"{int(f['mutual'][i])} mutual contacts")
    shared = sorted(set(G.nodes[a].get("themes") or []) & set(G.nodes[b].get("themes") or []))
    if shared:
        reasons.append("both work on " + _listing([_theme_phrase(t) for t in shared]))
    for giver, taker, gn, tn in ((a, b, na, nb), (b, a, nb, na)):
        if (offer := _offer_for(G, giver, taker)) is not None:
            reasons.append(f"{gn} offers “{offer}”, which {tn} is looking for")
    reasons += _edge_reasons(scorer, u, na) + _edge_reasons(scorer, v, nb)
    if f["joins_unlinked"][i]:
        reasons.append("the first tie between their two constellations")
    elif f["joins_constellations"][i]:
        reasons.append("would join two constellations")
    ra, rb = G.nodes[a].get("region"), G.nodes[b].get("region")
    if f["thin_region"][i] > 0:
        thin, other = (ra, rb) if w.region_thinness[u] >= w.region_thinness[v] else (rb, ra)
        reasons.append(f"brings in {thin}, thin in the network, with {other}")
    elif f["other_nation"][i]:
        reasons.append(f"links {ra} and {rb}")
    if f["beyond_london"][i]:
        who = na if w.london_circle[u] else nb
        reasons.append(f"takes {who} beyond a London-only circle")
    if f["relieves_cut_point"][i]:
        who = na if w.behind_cut_point[u] else nb
        reasons.append(f"a second way into the network for {who}, who hangs on by one link")
    if f["same_place"][i]:
        reasons.append(f"both in {G.nodes[a].get('place')}")
    elif f["same_region"][i]:
        reasons.append(f"both in {ra}")
    if f["other_sector"][i]:
        reasons.append(
            f"complementary sectors: {G.nodes[a].get('sector')} and {G.nodes[b].get('sector')}"
        )
    return reasons


def how_they_know(
    G: "nx.Graph[Any]", x: Any, y: Any, names: Mapping[str, str] | None = None
) -> str:
    """How ``x`` knows ``y``, in words: a cell or organisation they share, or the
    kind of tie (events, knowing each other, an introduction).

    >>> import networkx as nx
    >>> G = nx.Graph([("rhys", "ann", {"via": "cells"})])
    >>> G.nodes["rhys"]["cells"] = G.nodes["ann"]["cells"] = ["cell:1"]
    >>> how_they_know(G, "rhys", "ann", {"cell:1": "Listening"})
    'through the Listening cell'
    """
    cells = sorted(set(G.nodes[x].get("cells") or []) & set(G.nodes[y].get("cells") or []))
    if cells and names and cells[0] in names:
        cell = names[cells[0]]
        return (
            f"through the {cell}" if cell.lower().endswith(" cell") else f"through the {cell} cell"
        )
    organisation = G.nodes[x].get("organisation")
    if organisation and organisation == G.nodes[y].get("organisation"):
        return f"through {organisation}"
    via = G[x][y].get("via") if G.has_edge(x, y) else None
    return {
        "cells": "through a cell they share",
        "events": "from gatherings they both came to",
        "organisations": "through work",
        "knows": "knows them personally",
        "introductions": "through an earlier introduction",
    }.get(str(via), "knows them")


def _introducer(
    G: "nx.Graph[Any]", a: Any, b: Any, eligible: np.ndarray, index: Mapping[Any, int]
) -> Any | None:
    """The eligible mutual contact whose weaker tie to the two is strongest."""
    best, best_strength = None, 0.0
    for c in sorted(set(G[a]) & set(G[b]), key=str):
        if not eligible[index[c]]:
            continue
        strength = min(G[a][c].get("weight", 1.0), G[c][b].get("weight", 1.0))
        if strength > best_strength:
            best, best_strength = c, strength
    return best


def _eligible(G: "nx.Graph[Any]", scorer: PairScorer, nameable: Collection[str] | None) -> Any:
    """Who may appear in a suggestion; kept with the scorer, which is of one graph
    (reading every person's consent took most of one person's request)."""
    key = None if nameable is None else frozenset(str(v) for v in nameable)
    found = scorer._eligible.get(key)
    if found is None and G is scorer.graph:
        # Each kind of consent checked once, not each person's.
        allowed = [
            code
            for code, visibility in enumerate(scorer.visibility_names)
            if nameable is None or visibility in nameable
        ]
        found = np.isin(scorer.visibility, allowed)
        scorer._eligible[key] = found
    elif G is not scorer.graph:
        found = np.array(
            [
                nameable is None or Visibility.parse(G.nodes[node].get("visibility")) in nameable
                for node in scorer.nodes
            ],
            dtype=bool,
        )
    return found


def _theme_candidates(
    scorer: PairScorer, people: np.ndarray, eligible: np.ndarray, per_row: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each person, others who share a theme: the best connected nearby and
    anywhere, and people at the network's edge, so a tie can reach them.
    (Pairs already tied, or found twice, are dropped by the caller.)"""
    index = scorer.theme_index()
    people = np.asarray(people, dtype=int)
    if len(people) == 0:
        return people, people
    themes = scorer.themes[people].tocoo()
    person, theme = people[themes.row], themes.col.astype(int)
    region = scorer.region[person]
    placed = region >= 0
    us: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    for lists, keys, whose in (
        (index.near, theme[placed] * index.regions + region[placed], person[placed]),
        (index.anywhere, theme, person),
        (index.edge, theme, person),
    ):
        source, found = lists.expand(keys, per_row)
        us.append(whose[source])
        vs.append(found)
    u, v = np.concatenate(us), np.concatenate(vs)
    keep = (u != v) & eligible[v]
    return u[keep], v[keep]


def _unlinked_candidates(scorer: PairScorer, eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs across two constellations with no tie between them, sharing a theme."""
    index = scorer.theme_index()
    us: list[int] = []
    vs: list[int] = []
    for ca, cb in scorer.weaving.unlinked_pairs():
        for theme in range(index.themes):
            left = index.by_constellation.get(ca * index.themes + theme)
            right = index.by_constellation.get(cb * index.themes + theme)
            for p in left[eligible[left]][:4].tolist():
                for q in right[eligible[right]][:4].tolist():
                    us.append(p)
                    vs.append(q)
    return np.array(us, dtype=int), np.array(vs, dtype=int)


def _untied_contacts(
    G: "nx.Graph[Any]", scorer: PairScorer, connector: Any, eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of a connector's eligible contacts not yet tied to each other."""
    contacts = np.array(sorted(scorer.index[c] for c in G[connector]), dtype=int)
    contacts = contacts[eligible[contacts]]
    iu, iv = np.triu_indices(len(contacts), k=1)
    u, v = contacts[iu], contacts[iv]
    if len(u) == 0:
        # Fewer than two contacts: no pair, and scipy cannot index a matrix by empty arrays.
        return u, v
    tied = np.asarray(scorer.adjacency[u, v]).ravel() > 0
    return u[~tied], v[~tied]


def scope_rows(scorer: PairScorer, scope: Scope, eligible: np.ndarray) -> np.ndarray:
    """The people a scope is about (a person, or a region's, nation's, sector's or
    cell's members), the network's edge first, at most :data:`SCOPE_ROWS` of a group."""
    if scope.person is not None:
        row = scorer.index.get(scope.person)
        return np.array([row] if row is not None and eligible[row] else [], dtype=int)
    wanted = np.ones(len(scorer.nodes), dtype=bool)
    groups = scorer.groups()
    for kind, name in (
        ("region", scope.region),
        ("nation", scope.nation),
        ("sector", scope.sector),
        ("cell", scope.cell),
    ):
        if name is not None:
            members = np.zeros(len(scorer.nodes), dtype=bool)
            members[groups.get((kind, str(name)), np.zeros(0, dtype=int))] = True
            wanted &= members
    rows = np.flatnonzero(wanted & eligible)
    order = np.lexsort((rows, scorer.degree[rows], ~scorer.weaving.edge[rows]))
    result: np.ndarray = rows[order][:SCOPE_ROWS]
    return result


def _candidates(
    G: "nx.Graph[Any]", scorer: PairScorer, scope: Scope, eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    if scope.connector is not None:
        return _untied_contacts(G, scorer, scope.connector, eligible)
    if scope.whole_network:
        rows = np.flatnonzero(eligible)
        u, v = scorer.two_step_candidates(rows, CANDIDATES_PER_PERSON)
        w = scorer.weaving
        reach = np.flatnonzero(
            eligible & (w.edge | w.behind_cut_point | w.london_circle | (w.region_thinness > 0))
        )
        tu, tv = _theme_candidates(scorer, reach, eligible, 4)
        cu, cv = _unlinked_candidates(scorer, eligible)
        return np.concatenate([u, tu, cu]), np.concatenate([v, tv, cv])
    rows = scope_rows(scorer, scope, eligible)
    u, v = scorer.two_step_candidates(rows, CANDIDATES_PER_PERSON)
    tu, tv = _theme_candidates(scorer, rows, eligible, CANDIDATES_PER_PERSON)
    return np.concatenate([u, tu]), np.concatenate([v, tv])


def _distinct_untied(
    scorer: PairScorer,
    u: np.ndarray,
    v: np.ndarray,
    eligible: np.ndarray,
    exclude: Iterable[tuple[Any, Any]],
) -> tuple[np.ndarray, np.ndarray]:
    keep = eligible[u] & eligible[v] & (u != v)
    u, v = u[keep], v[keep]
    n = max(len(scorer.nodes), 1)
    # One integer per pair: sorting and isin on them are far quicker than on rows.
    keys = np.sort(np.minimum(u, v).astype(np.int64) * n + np.maximum(u, v))
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    u, v = keys // n, keys % n
    if len(u):
        tied = np.asarray(scorer.adjacency[u, v]).ravel() > 0
        u, v, keys = u[~tied], v[~tied], keys[~tied]
    skip = [
        min(scorer.index[a], scorer.index[b]) * n + max(scorer.index[a], scorer.index[b])
        for a, b in exclude
        if a in scorer.index and b in scorer.index
    ]
    if skip and len(u):
        keep = ~np.isin(keys, np.array(skip, dtype=np.int64))
        u, v = u[keep], v[keep]
    return u.astype(int), v.astype(int)


def rerank(
    scorer: PairScorer,
    u: np.ndarray,
    v: np.ndarray,
    value: np.ndarray,
    f: Mapping[str, np.ndarray],
    k: int,
    per_person: int,
    weights: WeavingWeights,
) -> list[int]:
    """Greedy diverse ranking: each step takes the pair whose value, counting
    only what is not yet reached, is highest, within caps per person and per
    pair of constellations. Returns positions in ``u``/``v``."""
    if len(u) == 0:
        return []
    w = scorer.weaving
    if len(u) > POOL:
        # In pair order, so that equal gains are broken the same way every time.
        top = np.sort(np.argpartition(-value, POOL)[:POOL])
        u, v, value = u[top], v[top], value[top]
        f = {name: np.asarray(column)[top] for name, column in f.items()}
        positions = top
    else:
        positions = np.arange(len(u))
    first_time = (
        weights.reaches_single_point * f["single_points"]
        + weights.reaches_not_in_the_room * f["not_in_the_room"]
        + weights.joins_unlinked_constellations * f["joins_unlinked"]
    )
    base = value - first_time
    cu, cv = scorer.constellation[u], scorer.constellation[v]
    low, high = np.minimum(cu, cv), np.maximum(cu, cv)
    pair_key = low * (len(scorer.nodes) + 1) + high
    unlinked = np.asarray(f["joins_unlinked"], dtype=bool)
    # What each pair would still reach: single points and members not in the
    # room not yet in the list, an unlinked pair of constellations not yet joined.
    single_u, single_v = w.single_point[u], w.single_point[v]
    away_u, away_v = w.not_in_the_room[u], w.not_in_the_room[v]
    fresh = unlinked.copy()
    alive = np.ones(len(u), dtype=bool)
    people: Counter[int] = Counter()
    pairs: Counter[int] = Counter()
    chosen: list[int] = []
    while len(chosen) < k and alive.any():
        gain = (
            base
            + weights.reaches_single_point * (single_u + single_v)
            + weights.reaches_not_in_the_room * (away_u + away_v)
            + weights.joins_unlinked_constellations * fresh
        )
        gain[~alive] = -np.inf
        best = int(np.argmax(gain))
        chosen.append(int(positions[best]))
        a, b = int(u[best]), int(v[best])
        alive[best] = False
        people.update((a, b))
        for person in (a, b):
            as_u, as_v = u == person, v == person
            single_u[as_u] = away_u[as_u] = single_v[as_v] = away_v[as_v] = False
            if people[person] >= per_person:
                alive &= ~(as_u | as_v)
        key = int(pair_key[best])
        if unlinked[best]:
            fresh &= pair_key != key
        pairs[key] += 1
        if pairs[key] >= PER_CONSTELLATION_PAIR and low[best] >= 0:
            alive &= pair_key != key
    return chosen


def _bounds(
    f: Mapping[str, np.ndarray], weights: PlausibilityWeights
) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most plausibility can be when the introducer's strength
    (0 to 1 as it counts, 0 without a mutual contact) is not read yet."""
    known = plausibility(f, weights)
    has_mutual = f["mutual"] > 0
    least = known + np.where(has_mutual, min(weights.introducer, 0.0), 0.0)
    most = known + np.where(has_mutual, max(weights.introducer, 0.0), 0.0)
    return least, most


def _plausible_pool(
    scorer: PairScorer,
    u: np.ndarray,
    v: np.ndarray,
    plausible_weights: PlausibilityWeights,
    value_weights: WeavingWeights,
    pool: int = POOL,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The pairs at or above the plausibility floor that can be among the
    ``pool`` most valuable, with their exact values and features.

    Everything but the features read from ties (mutual contacts, Adamic–Adar,
    the introducer) is cheap, and mutual contacts can only lower a value (or
    raise it by at most the weight of being already close). So pairs are
    taken by that upper bound, their ties read in doubling batches, until the
    pool's last value beats every bound not yet read: the same pool as
    scoring every pair in full, for a small part of the cost (millions of
    pairs in the whole network's list). The introducer's strength is read
    only where it decides the floor; the caller reads it for those chosen.
    """
    f = scorer.weaving_features(u, v, links=False)
    bound = weaving_value(f, value_weights) + max(value_weights.already_close, 0.0)
    order = np.argsort(-bound, kind="stable")
    floor = plausible_weights.floor
    read = np.zeros(len(u), dtype=bool)
    done, batch = 0, 2 * pool
    while True:
        at = order[done : done + batch]
        done += len(at)
        scorer.fill_links(u, v, f, at)
        read[at] = True
        least, most = _bounds({name: c[at] for name, c in f.items()}, plausible_weights)
        undecided = at[(least < floor) & (most >= floor)]
        scorer.fill_introducer(u, v, f, undecided)
        value = weaving_value(f, value_weights)
        passing = read & (plausibility(f, plausible_weights) >= floor)
        if done >= len(u):
            break
        best = value[passing]
        if len(best) >= pool and -np.partition(-best, pool - 1)[pool - 1] > bound[order[done]]:
            break
        batch *= 2
    keep = np.flatnonzero(passing)
    return u[keep], v[keep], value[keep], {name: c[keep] for name, c in f.items()}


def suggest_introductions(
    G: "nx.Graph[Any]",
    for_person: Any | None = None,
    for_connector: Any | None = None,
    k: int = 20,
    membership: Mapping[Any, str] | None = None,
    single_points: Iterable[Any] | None = None,
    exclude: Iterable[tuple[Any, Any]] = (),
    nameable: Collection[str] | None = SUGGESTABLE,
    scorer: PairScorer | None = None,
    scope: Scope | None = None,
    names: Mapping[str, str] | None = None,
    plausibility_weights: PlausibilityWeights | None = None,
    weaving_weights: WeavingWeights | None = None,
) -> list[Introduction]:
    """Ranked introductions between people not yet tied, with reasons and an introducer.

    Candidates are friends of friends, people who share a theme (nearby, the
    best connected anywhere, and people at the network's edge) and, across
    constellations with no tie between them, members who share a theme.
    Pairs less plausible than the floor are dropped; the rest are ranked by
    weaving value with diversity (see :func:`rerank`).

    Parameters
    ----------
    G : networkx.Graph
        Weighted person–person graph with ``themes``, ``place``, ``region``,
        ``sector``, ``cells``, ``offers``, ``asks`` and ``visibility`` node
        attributes where known.
    for_person : node, optional
        Introductions for this person only.
    for_connector : node, optional
        Introductions this person could make: pairs of their own contacts.
    k : int
        How many to return.
    membership : mapping of person to constellation id, optional
    single_points : iterable, optional
        People outside constellations (see :func:`find_constellations`).
    exclude : iterable of pairs
        Pairs never to suggest (e.g. introductions already recorded).
    nameable : collection of Visibility (or their values), or None
        Visibility values a person must have to appear in a suggestion, as
        one of the pair or as introducer; a missing or unknown visibility is
        hidden. By default the consent rule,
        :data:`graphsvc.access.policy.SUGGESTABLE`, which never suggests
        hidden people; None allows everyone (for evaluation only).
    scorer : PairScorer, optional
        A prepared scorer for ``G``.
    scope : Scope, optional
        Whose introductions (a region's, nation's, sector's or cell's, or as
        ``for_person``/``for_connector``); by default the whole network's.
    names : mapping of node id to name, optional
        Names of cells, to say how an introducer knows each of the two.
    plausibility_weights, weaving_weights : optional
        The scores' weights and the plausibility floor.

    Returns
    -------
    list of Introduction
        Best first.

    Examples
    --------
    >>> import networkx as nx
    >>> from graphsvc.model import Visibility
    >>> G = nx.Graph([("ann", "cy"), ("cy", "bo"), ("cy", "di")])
    >>> nx.set_node_attributes(G, Visibility.NETWORK, "visibility")
    >>> G.nodes["ann"]["themes"] = G.nodes["bo"]["themes"] = ["Housing"]
    >>> best = suggest_introductions(G, k=1)[0]
    >>> (best.a, best.b, best.introducer), best.reasons[:2]
    (('ann', 'bo', 'cy'), ['1 mutual contacts', 'both work on housing'])

    References
    ----------
    .. [1] L. A. Adamic and E. Adar, "Friends and neighbors on the Web",
       Social Networks 25, 211 (2003).
    .. [2] M. S. Granovetter, "The strength of weak ties", Am. J. Sociol. 78,
       1360 (1973).
    .. [3] R. S. Burt, "Structural holes and good ideas", Am. J. Sociol. 110,
       349 (2004).
    """
    scope = scope or Scope(person=for_person, connector=for_connector)
    scorer = scorer or PairScorer.build(G, membership, set(single_points or ()))
    plausible_weights = plausibility_weights or PlausibilityWeights()
    value_weights = weaving_weights or WeavingWeights()
    eligible = _eligible(G, scorer, nameable)
    if scope.person is not None and (
        scope.person not in scorer.index or not eligible[scorer.index[scope.person]]
    ):
        return []
    if scope.connector is not None and scope.connector not in scorer.index:
        return []
    u, v = _distinct_untied(scorer, *_candidates(G, scorer, scope, eligible), eligible, exclude)
    if len(u) == 0:
        return []
    u, v, value, features = _plausible_pool(scorer, u, v, plausible_weights, value_weights)
    many = scope.person is None and scope.connector is None
    order = rerank(
        scorer, u, v, value, features, k, PER_PERSON if many else len(scorer.nodes), value_weights
    )
    chosen_at = np.array(order, dtype=int)
    scorer.fill_introducer(u, v, features, chosen_at)
    plausible = np.zeros(len(u))
    plausible[chosen_at] = plausibility(
        {name: column[chosen_at] for name, column in features.items()}, plausible_weights
    )
    chosen = []
    for i in order:
        chosen.append(
            _introduction(G, scorer, scope, eligible, names, u, v, plausible, value, features, i)
        )
    return chosen


def _introduction(
    G: "nx.Graph[Any]",
    scorer: PairScorer,
    scope: Scope,
    eligible: np.ndarray,
    names: Mapping[str, str] | None,
    u: np.ndarray,
    v: np.ndarray,
    plausible: np.ndarray,
    value: np.ndarray,
    features: Mapping[str, np.ndarray],
    i: int,
) -> Introduction:
    a, b = int(u[i]), int(v[i])
    first, second = scorer.nodes[a], scorer.nodes[b]
    introducer = scope.connector
    if introducer is None:
        introducer = _introducer(G, first, second, eligible, scorer.index)
    knows = []
    if introducer is not None:
        knows = [how_they_know(G, introducer, x, names) for x in (first, second)]
    return Introduction(
        a=first,
        b=second,
        score=round(float(value[i]), 4),
        reasons=_reasons(scorer, a, b, features, i),
        introducer=introducer,
        mutual_contacts=int(features["mutual"][i]),
        plausibility=round(float(plausible[i]), 4),
        value=round(float(value[i]), 4),
        introducer_knows=knows,
    )


def baseline_introductions(
    G: "nx.Graph[Any]",
    scorer: PairScorer,
    k: int,
    eligible: np.ndarray | None = None,
    exclude: Iterable[tuple[Any, Any]] = (),
) -> list[tuple[Any, Any]]:
    """The earlier ranking: friends of friends by Adamic–Adar with small bonuses,
    at most :data:`PER_PERSON` each (kept as a baseline for the evaluation)."""
    allowed = np.ones(len(scorer.nodes), dtype=bool) if eligible is None else eligible
    rows = np.flatnonzero(allowed)
    u, v = _distinct_untied(
        scorer, *scorer.two_step_candidates(rows, CANDIDATES_PER_PERSON), allowed, exclude
    )
    if len(u) == 0:
        return []
    score, _ = scorer.score(u, v)
    appearances: Counter[int] = Counter()
    found: list[tuple[Any, Any]] = []
    for i in np.lexsort((v, u, -score)).tolist():
        a, b = int(u[i]), int(v[i])
        if appearances[a] >= PER_PERSON or appearances[b] >= PER_PERSON:
            continue
        appearances.update((a, b))
        found.append((scorer.nodes[a], scorer.nodes[b]))
        if len(found) >= k:
            break
    return found
