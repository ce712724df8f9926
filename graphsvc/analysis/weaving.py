"""What a new tie between two people would change in the network: its weaving value.

A tie is worth suggesting when it reaches someone at the network's edge (a
single point of light, a member not in the room), joins two constellations
(most of all two with no tie between them), brings in a region, nation or
sector that is thin, gives a second way round a cut-point, or takes someone
beyond a London-only circle. Two people in the same dense London cluster
with dozens of mutual contacts already know each other: that tie changes
nothing, and the value says so.

Everything is computed once per collaboration graph as arrays indexed like
the engine graph (:class:`WeavingContext`), so scoring a million pairs is a
handful of vectorised operations.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.analysis.gaps import NOT_IN_THE_ROOM_AFTER, population_shares

# Defined apart so that settings can name them without the analysis stack.
from graphsvc.analysis.weights import PlausibilityWeights as PlausibilityWeights
from graphsvc.analysis.weights import WeavingWeights as WeavingWeights

LONDON = "London"
NATIONS_OUTSIDE_ENGLAND = frozenset({"Wales", "Scotland", "Northern Ireland"})
# A Londoner whose ties are nearly all in London is in a London-only circle.
LONDON_CIRCLE_SHARE = 0.8
# Adamic–Adar at which link prediction gives its whole weight. Linear below it:
# a curve that flattens sooner ranks hidden ties worse (see the README's evaluation).
LINK_SCALE = 10.0
# Words too common to show that an offer meets an ask.
_STOPWORDS = frozenset(
    {
        *("a", "an", "and", "at", "be", "for", "from", "help", "i", "in", "into", "is", "it"),
        *("me", "my", "of", "on", "or", "our", "the", "to", "with", "looking", "someone"),
        *("people", "can", "who", "work", "working", "about"),
    }
)


def nation_of(region: str | None) -> str | None:
    """The UK nation a region is in.

    >>> nation_of("Wales"), nation_of("North East"), nation_of(None)
    ('Wales', 'England', None)
    """
    if region is None:
        return None
    return region if region in NATIONS_OUTSIDE_ENGLAND else "England"


def words(phrases: list[str] | None) -> set[str]:
    """The telling words of a member's offers or asks, lower case.

    >>> sorted(words(["Help with funding bids", "a mentor"]))
    ['bids', 'funding', 'mentor']
    """
    found: set[str] = set()
    for phrase in phrases or []:
        found.update(w for w in re.findall(r"[^\W\d_]{3,}", str(phrase).lower()))
    return found - _STOPWORDS


def _thinness(counts: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """1 where a group has nobody of those expected, 0 where it has its share or more."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, counts / np.maximum(expected, 1e-12), 1.0)
    return np.clip(1.0 - ratio, 0.0, 1.0)


def _group_codes(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    lookup: dict[Any, int] = {}
    codes = np.array(
        [-1 if v is None else lookup.setdefault(v, len(lookup)) for v in values], dtype=int
    )
    return codes, list(lookup)


def _per_person(codes: np.ndarray, per_group: np.ndarray) -> np.ndarray:
    out = np.zeros(len(codes))
    known = codes >= 0
    out[known] = per_group[codes[known]]
    return out


def _token_matrix(sets: list[set[str]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    rows, cols = [], []
    for i, found in enumerate(sets):
        for w in found:
            rows.append(i)
            cols.append(vocabulary.setdefault(w, len(vocabulary)))
    return sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(len(vocabulary), 1))
    )


def _as_of(data: Sequence[Mapping[str, Any]]) -> dt.date | None:
    dates = [str(d["last_attended"]) for d in data if d.get("last_attended")]
    return dt.date.fromisoformat(max(dates)[:10]) if dates else None


def _not_in_the_room(data: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """Members who never attended, or not for a year before the latest attendance."""
    as_of = _as_of(data)
    cutoff = (as_of - NOT_IN_THE_ROOM_AFTER).isoformat() if as_of else None
    return np.array(
        [
            (not d.get("events_attended") and d.get("last_attended") is None)
            or bool(cutoff and d.get("last_attended") and str(d["last_attended"]) < cutoff)
            for d in data
        ],
        dtype=bool,
    )


def _behind_cut_point(graph: ig.Graph) -> np.ndarray:
    """People outside their part's largest biconnected block: each hangs on by a
    cut-point, and a tie from them into the block gives a second way round it."""
    n = graph.vcount()
    behind = np.zeros(n, dtype=bool)
    if n == 0 or graph.ecount() == 0:
        return behind
    component = np.array(graph.connected_components().membership)
    in_block = np.zeros(n, dtype=bool)
    best: dict[int, int] = {}
    blocks = [list(b) for b in graph.biconnected_components()]
    for i, block in enumerate(blocks):
        c = int(component[block[0]])
        if c not in best or len(block) > len(blocks[best[c]]):
            best[c] = i
    for i in best.values():
        in_block[blocks[i]] = True
    has_block = np.isin(component, list(best))
    behind = has_block & ~in_block
    return behind


@dataclass
class WeavingContext:
    """Per person: where they sit at the network's edge, and what is thin there."""

    single_point: np.ndarray  # bool
    not_in_the_room: np.ndarray  # bool
    behind_cut_point: np.ndarray  # bool
    in_london: np.ndarray  # bool
    london_circle: np.ndarray  # bool: in London, ties nearly all in London
    nation: np.ndarray  # codes
    region_thinness: np.ndarray  # 0..1, of the person's region
    sector_thinness: np.ndarray  # 0..1, of the person's sector
    place_count: np.ndarray  # members in the person's place
    linked_constellations: set[tuple[int, int]]  # constellation code pairs with a tie
    constellation_size: np.ndarray  # by constellation code
    offers: sp.csr_matrix  # person x word
    asks: sp.csr_matrix  # person x word
    _linked_keys: np.ndarray | None = None  # linked_constellations as sorted integer keys

    @property
    def edge(self) -> np.ndarray:
        """The network's edge: single points of light and members not in the room."""
        result: np.ndarray = self.single_point | self.not_in_the_room
        return result

    @classmethod
    def build(
        cls,
        graph: ig.Graph,
        data: Sequence[Mapping[str, Any]],
        adjacency: sp.csr_matrix,
        region: np.ndarray,
        sector: np.ndarray,
        place: np.ndarray,
        constellation: np.ndarray,
        single_point: np.ndarray,
    ) -> "WeavingContext":
        n = len(data)
        regions = [d.get("region") for d in data]
        region_names = {}
        for code, name in zip(region.tolist(), regions, strict=True):
            if code >= 0:
                region_names[code] = name
        shares = population_shares()
        n_regions = max(region_names, default=-1) + 1
        region_counts = np.bincount(region[region >= 0], minlength=n_regions).astype(float)
        expected = np.array([shares.get(str(region_names[c]), 0.0) for c in range(n_regions)])
        region_thin = _thinness(region_counts, expected * region_counts.sum())
        n_sectors = int(sector.max(initial=-1)) + 1
        sector_counts = np.bincount(sector[sector >= 0], minlength=n_sectors).astype(float)
        sector_thin = _thinness(
            sector_counts, np.full(n_sectors, sector_counts.sum() / max(n_sectors, 1))
        )
        n_places = int(place.max(initial=-1)) + 1
        place_counts = np.bincount(place[place >= 0], minlength=n_places).astype(float)
        in_london = np.array([r == LONDON for r in regions], dtype=bool)
        degree = np.asarray(adjacency.sum(axis=1)).ravel()
        london_ties = np.asarray(adjacency @ in_london.astype(float)).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            london_share = np.where(degree > 0, london_ties / np.maximum(degree, 1), 1.0)
        vocabulary: dict[str, int] = {}
        offers = _token_matrix([words(d.get("offers")) for d in data], vocabulary)
        asks = _token_matrix([words(d.get("asks")) for d in data], vocabulary)
        width = max(len(vocabulary), 1)
        offers.resize((n, width))
        asks.resize((n, width))
        coo = sp.triu(adjacency, k=1).tocoo()
        cu, cv = constellation[coo.row], constellation[coo.col]
        between = (cu >= 0) & (cv >= 0) & (cu != cv)
        n_constellations = int(constellation.max(initial=-1)) + 1
        # Each pair once, by an integer key: hundreds of thousands of ties join two.
        width = n_constellations + 1
        low, high = np.minimum(cu[between], cv[between]), np.maximum(cu[between], cv[between])
        keys = np.unique(low * width + high)
        linked = set(zip((keys // width).tolist(), (keys % width).tolist(), strict=True))
        nation, _ = _group_codes([nation_of(r) for r in regions])
        return cls(
            single_point=single_point,
            not_in_the_room=_not_in_the_room(data),
            behind_cut_point=_behind_cut_point(graph),
            in_london=in_london,
            london_circle=in_london & (london_share >= LONDON_CIRCLE_SHARE),
            nation=nation,
            region_thinness=_per_person(region, region_thin),
            sector_thinness=_per_person(sector, sector_thin),
            place_count=_per_person(place, place_counts),
            linked_constellations=linked,
            constellation_size=np.bincount(
                constellation[constellation >= 0], minlength=n_constellations
            ),
            offers=offers,
            asks=asks,
            _linked_keys=keys,
        )

    def unlinked(self, cu: np.ndarray, cv: np.ndarray) -> np.ndarray:
        """Whether each pair of constellation codes has no tie between them yet."""
        width = len(self.constellation_size) + 1
        if self._linked_keys is None:
            keys = sorted(a * width + b for a, b in self.linked_constellations)
            self._linked_keys = np.array(keys, dtype=int)
        linked = self._linked_keys
        low, high = np.minimum(cu, cv), np.maximum(cu, cv)
        found: np.ndarray = (low >= 0) & (low != high) & ~np.isin(low * width + high, linked)
        return found

    def unlinked_pairs(self, limit: int = 30) -> list[tuple[int, int]]:
        """Pairs of the ``limit`` largest constellations with no tie between them."""
        largest = np.argsort(-self.constellation_size, kind="stable")[:limit].tolist()
        return [
            (min(a, b), max(a, b))
            for i, a in enumerate(largest)
            for b in largest[i + 1 :]
            if (min(a, b), max(a, b)) not in self.linked_constellations
        ]


def weaving_value(f: Mapping[str, np.ndarray], weights: WeavingWeights | None = None) -> np.ndarray:
    """The weaving value of each pair from its features (see ``PairScorer.features``)."""
    w = weights or WeavingWeights()
    value: np.ndarray = (
        w.reaches_single_point * f["single_points"]
        + w.reaches_not_in_the_room * f["not_in_the_room"]
        + w.joins_constellations * f["joins_constellations"]
        + w.joins_unlinked_constellations * f["joins_unlinked"]
        + w.thin_region * f["thin_region"]
        + w.other_nation * f["other_nation"]
        + w.other_sector * f["other_sector"]
        + w.thin_sector * f["thin_sector"]
        + w.relieves_cut_point * f["relieves_cut_point"]
        + w.beyond_london * f["beyond_london"]
        + w.both_in_london * f["both_in_london"]
        + w.already_close * np.minimum(f["mutual"], 10) / 10
    )
    return value


def plausibility(
    f: Mapping[str, np.ndarray], weights: PlausibilityWeights | None = None
) -> np.ndarray:
    """How likely each pair is to meet well, 0 to 1, from its features."""
    w = weights or PlausibilityWeights()
    proximity = np.where(
        f["same_place"],
        1.0,
        np.where(f["same_region"], 2 / 3, np.where(f["same_nation"], 1 / 3, 0)),
    )
    result: np.ndarray = (
        w.shared_interests * np.minimum(f["shared_themes"], 2) / 2
        + w.offers_meet_asks * np.minimum(f["offers_meet_asks"], 1)
        + w.proximity * proximity
        + w.introducer * np.minimum(f["introducer_strength"], 1.0)
        + w.link_prediction * np.minimum(f["adamic_adar"] / LINK_SCALE, 1.0)
    )
    return result


def add_ties(G: "nx.Graph[Any]", pairs: list[tuple[Any, Any]]) -> "nx.Graph[Any]":
    """A copy of ``G`` with the suggested ties made (for measuring their effect)."""
    H: nx.Graph[Any] = nx.Graph(G)
    H.add_edges_from((a, b, {"weight": 1.0, "via": "introductions"}) for a, b in pairs)
    return H
