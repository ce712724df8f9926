"""Grouping people by community or cell, vectorised."""

import numpy as np


def group_members(groups: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices sorted by group, and where each group starts and ends in them.

    Members of group ``g`` are ``order[bounds[g]:bounds[g + 1]]``.
    """
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(n_groups + 1))
    return order, bounds


def random_peer(rng: np.random.Generator, community: np.ndarray, people: np.ndarray) -> np.ndarray:
    """For each person, a random member of their community (possibly themselves)."""
    order, bounds = group_members(community, int(community.max()) + 1)
    start, stop = bounds[community[people]], bounds[community[people] + 1]
    peers: np.ndarray = order[start + (rng.random(len(people)) * (stop - start)).astype(int)]
    return peers
