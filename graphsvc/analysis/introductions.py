"""Introductions: who to introduce to whom, why, and through whom."""

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.access.policy import SUGGESTABLE
from graphsvc.analysis.pair_scores import PairScorer
from graphsvc.model import Visibility

PER_PERSON = 2  # in the network-wide list, so a few hubs do not fill it
CANDIDATES_PER_PERSON = 10


@dataclass
class Introduction:
    a: Any
    b: Any
    score: float
    reasons: list[str]
    introducer: Any | None  # a mutual contact, the strongest link between them
    mutual_contacts: int = 0


def _reasons(scorer: PairScorer, u: int, v: int, f: Mapping[str, Any], i: int) -> list[str]:
    G, a, b = scorer.graph, scorer.nodes[u], scorer.nodes[v]
    reasons = []
    if f["mutual"][i]:
        reasons.append(f"{int(f['mutual'][i])} mutual contacts")
    shared = sorted(set(G.nodes[a].get("themes") or []) & set(G.nodes[b].get("themes") or []))
    if shared:
        reasons.append("shared interests: " + ", ".join(shared))
    if f["same_place"][i]:
        reasons.append(f"both in {G.nodes[a].get('place')}")
    elif f["same_region"][i]:
        reasons.append(f"both in {G.nodes[a].get('region')}")
    if f["other_sector"][i]:
        reasons.append(
            f"complementary sectors: {G.nodes[a].get('sector')} and {G.nodes[b].get('sector')}"
        )
    if f["joins_constellations"][i]:
        reasons.append("would join two constellations")
    if f["single_point"][i]:
        reasons.append("would reach a single point of light")
    return reasons


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


def _attribute_candidates(
    scorer: PairScorer, people: np.ndarray, eligible: np.ndarray, per_row: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each person, the best-connected others who share a theme and a region."""
    degree = scorer.degree
    themes = scorer.themes.tocoo()
    by_group: dict[tuple[int, int], list[int]] = {}
    order = np.lexsort((themes.row, -degree[themes.row]))
    for person, theme in zip(themes.row[order].tolist(), themes.col[order].tolist(), strict=True):
        region = int(scorer.region[person])
        if region >= 0 and eligible[person]:
            group = by_group.setdefault((theme, region), [])
            if len(group) < per_row * 2:
                group.append(person)
    us: list[int] = []
    vs: list[int] = []
    for p in people.tolist():
        tied = set(scorer.adjacency[p].indices.tolist())
        found: set[int] = set()
        for theme in scorer.themes[p].indices.tolist():
            found.update(by_group.get((theme, int(scorer.region[p])), ()))
        found -= tied | {p}
        best = sorted(found, key=lambda q: (-degree[q], q))[:per_row]
        us.extend([p] * len(best))
        vs.extend(best)
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
) -> list[Introduction]:
    """Ranked introductions between people not yet tied, with reasons and an introducer.

    Pairs are friends of friends, scored by Adamic–Adar, plus members who share
    an interest and a region with a single point of light; each pair's score
    adds its reasons: shared interests, the same place, complementary sectors
    (with a mutual contact), joining two constellations, reaching a single
    point of light.

    Parameters
    ----------
    G : networkx.Graph
        Weighted person–person graph with ``themes``, ``place``, ``region``,
        ``sector`` and ``visibility`` node attributes where known.
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
    >>> (best.a, best.b, best.introducer), best.reasons
    (('ann', 'bo', 'cy'), ['1 mutual contacts', 'shared interests: Housing'])

    References
    ----------
    .. [1] L. A. Adamic and E. Adar, "Friends and neighbors on the Web",
       Social Networks 25, 211 (2003).
    .. [2] D. Liben-Nowell and J. Kleinberg, "The link-prediction problem for
       social networks", J. Am. Soc. Inf. Sci. Technol. 58, 1019 (2007).
    """
    single = set(single_points or ())
    scorer = scorer or PairScorer.build(G, membership, single)
    n = len(scorer.nodes)
    eligible = np.array(
        [
            nameable is None or Visibility.parse(G.nodes[node].get("visibility")) in nameable
            for node in scorer.nodes
        ],
        dtype=bool,
    )
    if for_connector is not None:
        u, v = _untied_contacts(G, scorer, for_connector, eligible)
    else:
        if for_person is not None:
            rows = np.array([scorer.index[for_person]])
            if not eligible[rows[0]]:
                return []
        else:
            rows = np.flatnonzero(eligible)
        u, v = scorer.two_step_candidates(rows, CANDIDATES_PER_PERSON)
        lonely = rows if for_person is not None else np.flatnonzero(scorer.single_point & eligible)
        au, av = _attribute_candidates(scorer, lonely, eligible, CANDIDATES_PER_PERSON)
        u, v = np.concatenate([u, au]), np.concatenate([v, av])
    keep = eligible[u] & eligible[v] & (u != v)
    u, v = u[keep], v[keep]
    u, v = np.minimum(u, v), np.maximum(u, v)
    if len(u):
        pairs = np.unique(np.column_stack([u, v]), axis=0)
        u, v = pairs[:, 0], pairs[:, 1]
    skip = {
        tuple(sorted((scorer.index[a], scorer.index[b])))
        for a, b in exclude
        if a in scorer.index and b in scorer.index
    }
    if skip:
        keep = np.array(
            [(a, b) not in skip for a, b in zip(u.tolist(), v.tolist(), strict=True)], dtype=bool
        )
        u, v = u[keep], v[keep]
    score, features = scorer.score(u, v)
    order = np.lexsort((v, u, -score))
    chosen: list[Introduction] = []
    appearances: Counter[int] = Counter()
    cap = PER_PERSON if for_person is None and for_connector is None else n
    for i in order.tolist():
        a, b = int(u[i]), int(v[i])
        if appearances[a] >= cap or appearances[b] >= cap:
            continue
        appearances.update((a, b))
        first, second = scorer.nodes[a], scorer.nodes[b]
        introducer = for_connector
        if introducer is None:
            introducer = _introducer(G, first, second, eligible, scorer.index)
        chosen.append(
            Introduction(
                a=first,
                b=second,
                score=round(float(score[i]), 4),
                reasons=_reasons(scorer, a, b, features, i),
                introducer=introducer,
                mutual_contacts=int(features["mutual"][i]),
            )
        )
        if len(chosen) >= k:
            break
    return chosen
