"""Scoring pairs of people who are not yet tied: how likely, and how valuable,
an introduction between them would be. Vectorised over arrays of pairs."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.analysis.engine import engine_graph

# How much each reason adds to a pair's Adamic–Adar score.
SHARED_THEME = 0.4  # per shared theme, up to three
SAME_PLACE = 0.6
SAME_REGION = 0.3
OTHER_SECTOR = 0.2  # complementary sectors, when they have a mutual contact
JOINS_CONSTELLATIONS = 0.3
REACHES_SINGLE_POINT = 0.5


def _codes(values: list[Any]) -> np.ndarray:
    """Integer codes, -1 for missing, so equal values compare equal."""
    lookup: dict[Any, int] = {}
    return np.array([-1 if v is None else lookup.setdefault(v, len(lookup)) for v in values])


@dataclass
class PairScorer:
    """Everything pair scoring needs, indexed like the engine graph."""

    nodes: list[Any]
    index: dict[Any, int]
    adjacency: sp.csr_matrix  # binary
    degree: np.ndarray
    adamic_adar: sp.csr_matrix  # adjacency with columns scaled by 1/log(degree)
    themes: sp.csr_matrix  # person x theme
    theme_names: list[str]
    place: np.ndarray
    region: np.ndarray
    sector: np.ndarray
    constellation: np.ndarray
    single_point: np.ndarray  # bool
    graph: "nx.Graph[Any]"

    @classmethod
    def build(
        cls,
        G: "nx.Graph[Any]",
        membership: Mapping[Any, str] | None = None,
        single_points: set[Any] | None = None,
    ) -> "PairScorer":
        eg = engine_graph(G)
        n = len(eg.nodes)
        adjacency = sp.csr_matrix(eg.graph.get_adjacency_sparse(), dtype=float)
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
        return cls(
            nodes=eg.nodes,
            index=eg.index,
            adjacency=adjacency,
            degree=degree,
            adamic_adar=(adjacency @ sp.diags(inverse_log)).tocsr(),
            themes=themes,
            theme_names=list(theme_index),
            place=_codes([d.get("place") for d in data]),
            region=_codes([d.get("region") for d in data]),
            sector=_codes([d.get("sector") for d in data]),
            constellation=_codes([membership.get(node) for node in eg.nodes]),
            single_point=np.array([node in single_points for node in eg.nodes], dtype=bool),
            graph=G,
        )

    def mutual(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Common neighbours of each pair (Liben-Nowell & Kleinberg's baseline)."""
        return np.asarray(self.adjacency[u].multiply(self.adjacency[v]).sum(axis=1)).ravel()

    def features(self, u: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "adamic_adar": np.asarray(
                self.adjacency[u].multiply(self.adamic_adar[v]).sum(axis=1)
            ).ravel(),
            "mutual": self.mutual(u, v),
            "shared_themes": np.asarray(
                self.themes[u].multiply(self.themes[v]).sum(axis=1)
            ).ravel(),
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

    def two_step_candidates(self, rows: np.ndarray, per_row: int) -> tuple[np.ndarray, np.ndarray]:
        """For each row, its ``per_row`` best friends-of-friends by Adamic–Adar."""
        us, vs = [], []
        for start in range(0, len(rows), 2000):
            chunk = rows[start : start + 2000]
            reach = (self.adjacency[chunk] @ self.adamic_adar.T).tocsr()
            # Drop existing ties and the person themself.
            coo = sp.coo_matrix(reach - reach.multiply(self.adjacency[chunk]))
            keep = (coo.data > 0) & (chunk[coo.row] != coo.col)
            r, c, d = coo.row[keep], coo.col[keep], coo.data[keep]
            order = np.lexsort((c, -d, r))
            r, c = r[order], c[order]
            starts = np.searchsorted(r, np.arange(len(chunk)))
            rank = np.arange(len(r)) - starts[r]
            take = rank < per_row
            us.append(chunk[r[take]])
            vs.append(c[take])
        if not us:
            return np.array([], dtype=int), np.array([], dtype=int)
        return np.concatenate(us), np.concatenate(vs)
