"""Scoring pairs of people who are not yet tied: how likely, and how valuable,
an introduction between them would be. Vectorised over arrays of pairs.

:meth:`PairScorer.score` is the earlier ranking (Adamic–Adar with small
bonuses), kept as the baseline the evaluation compares with;
:meth:`PairScorer.weave` gives the two scores introductions are ranked by:
plausibility and weaving value (see :mod:`graphsvc.analysis.weaving`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.analysis.engine import adjacency_matrix, engine_graph
from graphsvc.analysis.weaving import (
    PlausibilityWeights,
    WeavingContext,
    WeavingWeights,
    nation_of,
    plausibility,
    weaving_value,
)
from graphsvc.model import Visibility

# How much each reason adds to a pair's Adamic–Adar score (the baseline ranking).
SHARED_THEME = 0.4  # per shared theme, up to three
SAME_PLACE = 0.6
SAME_REGION = 0.3
OTHER_SECTOR = 0.2  # complementary sectors, when they have a mutual contact
JOINS_CONSTELLATIONS = 0.3
REACHES_SINGLE_POINT = 0.5

# How much reaching someone at the network's edge counts when the partner is at the edge too.
EDGE_PARTNER = 0.4
# People whose friends of friends are found in one sparse product: about a
# million entries at a time on the synthetic network.
BLOCK = 2000
# Themes up to this many are kept as one bit each, so shared themes are counted
# without copying a matrix row per pair.
THEME_BITS = 63


def _codes(values: list[Any]) -> np.ndarray:
    """Integer codes, -1 for missing, so equal values compare equal."""
    return _coded(values)[0]


def _coded(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Integer codes, -1 for missing, and the value of each code."""
    lookup: dict[Any, int] = {}
    # An integer array even when empty (a network with nobody in it).
    codes = [-1 if v is None else lookup.setdefault(v, len(lookup)) for v in values]
    return np.array(codes, dtype=int), list(lookup)


@dataclass
class Lists:
    """Lists of people by an integer key, each best first: the people of
    ``keys[i]`` are ``people[starts[i] : starts[i + 1]]``."""

    keys: np.ndarray
    starts: np.ndarray
    people: np.ndarray

    @classmethod
    def first(cls, keys: np.ndarray, people: np.ndarray, cap: int) -> "Lists":
        """The first ``cap`` people of each key, from entries best first."""
        order = np.argsort(keys, kind="stable")
        keys, people = keys[order], people[order]
        begins = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys[:0]
        sizes = np.diff(np.r_[begins, len(keys)])
        keep = np.arange(len(keys)) - np.repeat(begins, sizes) < cap
        keys, people = keys[keep], people[keep]
        unique, starts = np.unique(keys, return_index=True)
        return cls(unique, np.r_[starts, len(keys)].astype(int), people.astype(int))

    def get(self, key: int) -> np.ndarray:
        i = int(np.searchsorted(self.keys, key))
        if i < len(self.keys) and self.keys[i] == key:
            found: np.ndarray = self.people[self.starts[i] : self.starts[i + 1]]
            return found
        return self.people[:0]

    def spans(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each key's list starts in ``people`` and how long it is (0 if none)."""
        i = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        if len(self.keys) == 0:
            return np.zeros(len(keys), dtype=int), np.zeros(len(keys), dtype=int)
        found = self.keys[i] == keys
        return self.starts[i], np.where(found, self.starts[i + 1] - self.starts[i], 0)

    def expand(self, keys: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
        """The first ``cap`` people of each key's list, with the position of the key
        each came from."""
        starts, sizes = self.spans(keys)
        sizes = np.minimum(sizes, cap)
        source = np.repeat(np.arange(len(keys)), sizes)
        offsets = np.arange(len(source)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return source, self.people[starts[source] + offsets]


@dataclass
class ThemeIndex:
    """Who to look among for a person's partners, by theme: the best connected
    near them and anywhere, the network's edge, and each constellation's best
    connected, each list best first."""

    near: Lists  # by theme * regions + region
    anywhere: Lists  # by theme
    edge: Lists  # by theme
    by_constellation: Lists  # by constellation * themes + theme
    regions: int
    themes: int

    @classmethod
    def build(cls, scorer: "PairScorer", per_list: int = 24) -> "ThemeIndex":
        themes = scorer.themes.tocoo()
        person, theme = themes.row.astype(int), themes.col.astype(int)
        regions = int(scorer.region.max(initial=-1)) + 1
        n_themes = scorer.themes.shape[1]
        # Best connected first; ties by index, so the lists are the same every time.
        order = np.lexsort((person, -scorer.degree[person]))
        p, t = person[order], theme[order]
        region, constellation = scorer.region[p], scorer.constellation[p]
        w = scorer.weaving
        # At the edge: single points first, then members not in the room, then
        # members of thin regions; the least connected of each first.
        edge_rank = np.where(w.single_point, 0, np.where(w.not_in_the_room, 1, 2))
        edge_order = np.lexsort((person, scorer.degree[person], edge_rank[person]))
        at_edge = (w.edge | (w.region_thinness > 0))[person[edge_order]]
        near, placed = t * regions + region, region >= 0
        joined = constellation >= 0
        return cls(
            near=Lists.first(near[placed], p[placed], per_list),
            anywhere=Lists.first(t, p, per_list),
            edge=Lists.first(theme[edge_order][at_edge], person[edge_order][at_edge], per_list),
            by_constellation=Lists.first(
                constellation[joined] * n_themes + t[joined], p[joined], 8
            ),
            regions=regions,
            themes=n_themes,
        )


def _look_up(reach: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``reach[rows, cols]`` for many positions at once, by the entries' sorted keys."""
    reach.sort_indices()
    width = reach.shape[1]
    keys = np.repeat(np.arange(reach.shape[0], dtype=np.int64), np.diff(reach.indptr))
    keys = keys * width + reach.indices
    found = np.zeros(len(rows), dtype=reach.dtype)
    if len(keys) == 0:
        return found
    wanted = rows.astype(np.int64) * width + cols
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    hit = keys[at] == wanted
    found[hit] = reach.data[at[hit]]
    return found


def _root_weights(graph: ig.Graph, n: int) -> sp.csr_matrix:
    """The square root of each tie's weight, both ways round."""
    edges = graph.get_edgelist()
    if not edges:
        return sp.csr_matrix((n, n), dtype=float)
    rows, cols = (np.array(side) for side in zip(*edges, strict=True))
    roots = np.sqrt(np.maximum(np.array(graph.es["weight"], dtype=float), 0.0))
    one_way = sp.csr_matrix((roots, (rows, cols)), shape=(n, n))
    return (one_way + one_way.T).tocsr()


def _theme_bits(themes: sp.csr_matrix) -> np.ndarray | None:
    """Each person's themes as the bits of one integer, or None if there are too many."""
    if themes.shape[1] > THEME_BITS:
        return None
    coo = themes.tocoo()
    bits = np.zeros(themes.shape[0], dtype=np.int64)
    np.bitwise_or.at(bits, coo.row, np.left_shift(np.int64(1), coo.col.astype(np.int64)))
    return bits


@dataclass
class PairScorer:
    """Everything pair scoring needs, indexed like the engine graph."""

    nodes: list[Any]
    index: dict[Any, int]
    adjacency: sp.csr_matrix  # binary
    degree: np.ndarray
    adamic_adar: sp.csr_matrix  # adjacency with columns scaled by 1/log(degree)
    # Adjacency with each row w as 1 + i/log(degree w): one product with it counts
    # a pair's mutual contacts (the real part) and sums their Adamic–Adar (the imaginary).
    counted: sp.csr_matrix
    two_hop: np.ndarray  # walks of two steps from each person: what listing them costs
    themes: sp.csr_matrix  # person x theme
    theme_names: list[str]
    theme_bits: np.ndarray | None  # a bit per theme, when there are few enough
    place: np.ndarray
    region: np.ndarray
    sector: np.ndarray
    region_names: list[Any]  # by code
    sector_names: list[Any]
    visibility: np.ndarray  # codes of each person's consent as read back (Visibility.parse)
    visibility_names: list[Any]
    constellation: np.ndarray
    single_point: np.ndarray  # bool
    graph: "nx.Graph[Any]"
    root_weight: sp.csr_matrix  # sqrt of each tie's weight, for the introducer's strength
    weaving: WeavingContext
    _theme_index: ThemeIndex | None = None
    # Who may appear in a suggestion, by the consent rule asked (see _eligible).
    _eligible: dict[frozenset[str] | None, np.ndarray] = field(default_factory=dict)
    # The people of each region, nation, sector and cell (see groups).
    _groups: dict[tuple[str, str], np.ndarray] | None = None

    def groups(self) -> dict[tuple[str, str], np.ndarray]:
        """The rows of each ("region", name), ("nation", name), ("sector", name) and
        ("cell", id), kept with the scorer: a scope then reads no one's record."""
        if self._groups is None:
            found: dict[tuple[str, str], np.ndarray] = {}
            for kind, codes, names in (
                ("region", self.region, self.region_names),
                ("sector", self.sector, self.sector_names),
            ):
                order = np.argsort(codes, kind="stable")
                bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
                for code, name in enumerate(names):
                    found[(kind, str(name))] = order[bounds[code] : bounds[code + 1]]
            nations: dict[str, list[np.ndarray]] = {}
            for name in self.region_names:
                nations.setdefault(str(nation_of(name)), []).append(found[("region", str(name))])
            for nation, parts in nations.items():
                found[("nation", nation)] = np.sort(np.concatenate(parts))
            cells: dict[str, list[int]] = {}
            for i, node in enumerate(self.nodes):
                for cell in self.graph.nodes[node].get("cells") or ():
                    cells.setdefault(str(cell), []).append(i)
            found |= {("cell", c): np.array(rows, dtype=int) for c, rows in cells.items()}
            self._groups = found
        return self._groups

    def theme_index(self) -> ThemeIndex:
        """Candidates by theme, kept with the scorer."""
        if self._theme_index is None:
            self._theme_index = ThemeIndex.build(self)
        return self._theme_index

    @classmethod
    def build(
        cls,
        G: "nx.Graph[Any]",
        membership: Mapping[Any, str] | None = None,
        single_points: set[Any] | None = None,
    ) -> "PairScorer":
        eg = engine_graph(G)
        n = len(eg.nodes)
        adjacency = adjacency_matrix(eg)
        adjacency.data[:] = 1.0
        degree = np.asarray(adjacency.sum(axis=1)).ravel()
        with np.errstate(divide="ignore"):
            inverse_log = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
        data = [G.nodes[node] for node in eg.nodes]
        theme_index: dict[str, int] = {}
        rows, cols = [], []
        for i, d in enumerate(data):
            for t in d.get("themes") or []:
                rows.append(i)
                cols.append(theme_index.setdefault(t, len(theme_index)))
        themes = sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(n, max(len(theme_index), 1))
        )
        membership = membership or {}
        single_points = single_points or set()
        root_weight = _root_weights(eg.graph, n)
        place = _codes([d.get("place") for d in data])
        region, region_names = _coded([d.get("region") for d in data])
        sector, sector_names = _coded([d.get("sector") for d in data])
        visibility, visibility_names = _coded([Visibility.parse(d.get("visibility")) for d in data])
        constellation = _codes([membership.get(node) for node in eg.nodes])
        single = np.array([node in single_points for node in eg.nodes], dtype=bool)
        scorer = cls(
            nodes=eg.nodes,
            index=eg.index,
            adjacency=adjacency,
            degree=degree,
            adamic_adar=(adjacency @ sp.diags(inverse_log)).tocsr(),
            counted=(sp.diags(1.0 + 1j * inverse_log) @ adjacency).tocsr(),
            two_hop=np.asarray(adjacency @ degree).ravel(),
            themes=themes,
            theme_names=list(theme_index),
            theme_bits=_theme_bits(themes),
            place=place,
            region=region,
            sector=sector,
            region_names=region_names,
            sector_names=sector_names,
            visibility=visibility,
            visibility_names=visibility_names,
            constellation=constellation,
            single_point=single,
            graph=G,
            root_weight=root_weight,
            weaving=WeavingContext.build(
                eg.graph, data, adjacency, region, sector, place, constellation, single
            ),
        )
        # A tenth of a second each at 100,000 members, better spent here than
        # by the first person or region asked for.
        scorer.theme_index()
        scorer.groups()
        return scorer

    def common_neighbours(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each pair's mutual contacts and Adamic–Adar score.

        When many pairs share a person (one person's candidates, pairs of a
        connector's contacts) their friends of friends are listed once, in one
        sparse product per block of people; otherwise each pair's two rows are
        compared, whichever reads fewer entries.
        """
        u, v = np.asarray(u, dtype=int), np.asarray(v, dtype=int)
        if len(u) == 0:
            return np.zeros(0), np.zeros(0)
        recurs = np.bincount(np.concatenate([u, v]), minlength=len(self.nodes))
        swap = recurs[v] > recurs[u]
        left, right = np.where(swap, v, u), np.where(swap, u, v)
        rows, local = np.unique(left, return_inverse=True)
        by_rows = self.two_hop[rows].sum()
        by_pairs = 3 * (self.degree[u].sum() + self.degree[v].sum())
        if by_rows > by_pairs:
            first = self.adjacency[u]
            mutual = np.asarray(first.multiply(self.adjacency[v]).sum(axis=1)).ravel()
            adamic_adar = np.asarray(first.multiply(self.adamic_adar[v]).sum(axis=1)).ravel()
            return mutual, adamic_adar
        mutual, adamic_adar = np.zeros(len(u)), np.zeros(len(u))
        order = np.argsort(local, kind="stable")
        bounds = np.searchsorted(local[order], np.arange(0, len(rows) + BLOCK, BLOCK))
        for block, start in enumerate(range(0, len(rows), BLOCK)):
            pairs = order[bounds[block] : bounds[block + 1]]
            reach = (self.adjacency[rows[start : start + BLOCK]] @ self.counted).tocsr()
            found = _look_up(reach, local[pairs] - start, right[pairs])
            mutual[pairs], adamic_adar[pairs] = np.rint(found.real), found.imag
        return mutual, adamic_adar

    def mutual(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Common neighbours of each pair (Liben-Nowell & Kleinberg's baseline)."""
        return self.common_neighbours(u, v)[0]

    def shared_themes(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        if self.theme_bits is not None:
            shared: np.ndarray = np.bitwise_count(self.theme_bits[u] & self.theme_bits[v])
            return shared.astype(float)
        return np.asarray(self.themes[u].multiply(self.themes[v]).sum(axis=1)).ravel()

    def features(self, u: np.ndarray, v: np.ndarray, links: bool = True) -> dict[str, np.ndarray]:
        if links:
            mutual, adamic_adar = self.common_neighbours(u, v)
        else:
            mutual, adamic_adar = np.zeros(len(u)), np.zeros(len(u))
        return {
            "adamic_adar": adamic_adar,
            "mutual": mutual,
            "shared_themes": self.shared_themes(u, v),
            "same_place": (self.place[u] == self.place[v]) & (self.place[u] >= 0),
            "same_region": (self.region[u] == self.region[v]) & (self.region[u] >= 0),
            "other_sector": (self.sector[u] != self.sector[v])
            & (self.sector[u] >= 0)
            & (self.sector[v] >= 0),
            "joins_constellations": (self.constellation[u] != self.constellation[v])
            & (self.constellation[u] >= 0)
            & (self.constellation[v] >= 0),
            "single_point": self.single_point[u] | self.single_point[v],
        }

    def score(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        f = self.features(u, v)
        has_mutual = f["mutual"] > 0
        score = (
            f["adamic_adar"]
            + SHARED_THEME * np.minimum(f["shared_themes"], 3)
            + SAME_PLACE * f["same_place"]
            + SAME_REGION * (f["same_region"] & ~f["same_place"])
            + OTHER_SECTOR * (f["other_sector"] & has_mutual)
            + JOINS_CONSTELLATIONS * (f["joins_constellations"] & has_mutual)
            + REACHES_SINGLE_POINT * f["single_point"]
        )
        return score, f

    def introducer_strength(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """For each pair, the strongest mutual contact's tie to both (the geometric
        mean of its two ties' weights), 0 where they have none."""
        if len(u) == 0:
            return np.zeros(0)
        both = self.root_weight[u].multiply(self.root_weight[v]).tocsr()
        return np.asarray(both.max(axis=1).todense()).ravel()

    def weaving_features(
        self, u: np.ndarray, v: np.ndarray, links: bool = True
    ) -> dict[str, np.ndarray]:
        """The features of :meth:`features` and what a tie would change.

        Without ``links``, the features read from everyone's ties (mutual
        contacts, Adamic–Adar and the introducer's strength: nearly all the
        cost) are left at 0, for :meth:`fill_links` to fill in for the pairs
        that need them."""
        f = self.features(u, v, links)
        w = self.weaving
        region_u, region_v = self.region[u], self.region[v]
        other_region = (region_u != region_v) & (region_u >= 0) & (region_v >= 0)
        meets = np.zeros(len(u))
        if w.offers.nnz and w.asks.nnz:
            meets = (
                np.asarray(w.offers[u].multiply(w.asks[v]).sum(axis=1)).ravel()
                + np.asarray(w.offers[v].multiply(w.asks[u]).sum(axis=1)).ravel()
            )
        in_block = ~w.behind_cut_point
        # Someone at the edge is brought in by a partner who is in the room and in
        # a constellation; two people at the edge meeting reach each other less.
        anchor = np.where(w.edge, EDGE_PARTNER, 1.0)
        f.update(
            single_points=w.single_point[u] * anchor[v] + w.single_point[v] * anchor[u],
            not_in_the_room=w.not_in_the_room[u] * anchor[v] + w.not_in_the_room[v] * anchor[u],
            joins_unlinked=f["joins_constellations"]
            & w.unlinked(self.constellation[u], self.constellation[v]),
            thin_region=other_region * np.maximum(w.region_thinness[u], w.region_thinness[v]),
            other_nation=(w.nation[u] != w.nation[v]) & (w.nation[u] >= 0) & (w.nation[v] >= 0),
            thin_sector=f["other_sector"] * np.maximum(w.sector_thinness[u], w.sector_thinness[v]),
            relieves_cut_point=(w.behind_cut_point[u] & in_block[v])
            | (w.behind_cut_point[v] & in_block[u]),
            beyond_london=(w.london_circle[u] & ~w.in_london[v] & (region_v >= 0))
            | (w.london_circle[v] & ~w.in_london[u] & (region_u >= 0)),
            both_in_london=w.in_london[u] & w.in_london[v],
            same_nation=(w.nation[u] == w.nation[v]) & (w.nation[u] >= 0),
            offers_meet_asks=meets,
            introducer_strength=self.introducer_strength(u, v) if links else np.zeros(len(u)),
        )
        return f

    def fill_links(
        self, u: np.ndarray, v: np.ndarray, f: dict[str, np.ndarray], at: np.ndarray
    ) -> None:
        """Fill in mutual contacts and Adamic–Adar at positions ``at`` of features
        made without links (the introducer's strength: see :meth:`fill_introducer`)."""
        f["mutual"][at], f["adamic_adar"][at] = self.common_neighbours(u[at], v[at])

    def fill_introducer(
        self, u: np.ndarray, v: np.ndarray, f: dict[str, np.ndarray], at: np.ndarray
    ) -> None:
        f["introducer_strength"][at] = self.introducer_strength(u[at], v[at])

    def weave(
        self,
        u: np.ndarray,
        v: np.ndarray,
        plausibility_weights: PlausibilityWeights | None = None,
        weaving_weights: WeavingWeights | None = None,
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Plausibility (0 to 1), weaving value and the features of each pair."""
        f = self.weaving_features(u, v)
        return plausibility(f, plausibility_weights), weaving_value(f, weaving_weights), f

    def two_step_candidates(self, rows: np.ndarray, per_row: int) -> tuple[np.ndarray, np.ndarray]:
        """For each row, its ``per_row`` best friends-of-friends by Adamic–Adar."""
        us, vs = [], []
        for start in range(0, len(rows), BLOCK):
            chunk = rows[start : start + BLOCK]
            # A @ (A W)^T = (A W) @ A for a symmetric A: both stay CSR, so no
            # transposed copy of the whole matrix is made for each request.
            reach = (self.adamic_adar[chunk] @ self.adjacency).tocsr()
            # Drop existing ties and the person themself.
            reach = (reach - reach.multiply(self.adjacency[chunk])).tocsr()
            r = np.repeat(np.arange(len(chunk)), np.diff(reach.indptr))
            c, d = reach.indices, reach.data
            keep = (d > 0) & (chunk[r] != c)
            r, c, d = r[keep], c[keep], d[keep]
            # Best first within each row, ties in the product's order: one stable
            # sort of a single key (row, then score) is ten times quicker than
            # sorting by three.
            top = d.max(initial=0.0) + 1.0
            order = np.argsort(r * (top + 1.0) + (top - d), kind="stable")
            r, c = r[order], c[order]
            starts = np.searchsorted(r, np.arange(len(chunk)))
            rank = np.arange(len(r)) - starts[r]
            take = rank < per_row
            us.append(chunk[r[take]])
            vs.append(c[take])
        if not us:
            return np.array([], dtype=int), np.array([], dtype=int)
        return np.concatenate(us), np.concatenate(vs)
