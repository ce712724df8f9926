"""Cells, memberships and personal ties of the synthetic network."""

import datetime as dt

import numpy as np

from graphsvc.reference import Region
from graphsvc.synthetic.grouping import random_peer
from graphsvc.synthetic.plans import (
    AS_OF,
    CONNECTOR,
    CONVENOR,
    EVENTS_START,
    MEMBER,
    THOUGHT_LEADER,
    CellPlan,
)


def plan_cells(
    rng: np.random.Generator,
    themes: list[str],
    n_behaviours: int,
    regions: tuple[Region, ...],
    comm_theme: np.ndarray,
    comm_region: np.ndarray,
    comm_regional: np.ndarray,
) -> tuple[list[CellPlan], np.ndarray]:
    """The four behaviour cells, then one cell for most communities."""
    span = dt.date(2025, 6, 1).toordinal() - EVENTS_START.toordinal()
    cells = [
        CellPlan(f"{themes[b]} cell", "theme cell", [b], -1, EVENTS_START)
        for b in range(n_behaviours)
    ]
    cell_of_comm = np.full(len(comm_theme), -1)
    seen: dict[str, int] = {}
    for c in range(len(comm_theme)):
        if rng.random() < 0.15:
            continue  # a community that never formed a cell
        theme = themes[comm_theme[c]]
        if comm_regional[c]:
            base = f"{regions[comm_region[c]].name} {theme} group"
            category = "regional group"
        else:
            base, category = f"{theme} cell", "theme cell"
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base} {seen[base]}"
        start = dt.date.fromordinal(EVENTS_START.toordinal() + int(rng.integers(span)))
        cell_of_comm[c] = len(cells)
        cells.append(
            CellPlan(
                name,
                category,
                [int(comm_theme[c])],
                int(comm_region[c]) if comm_regional[c] else -1,
                start,
            )
        )
    return cells, cell_of_comm


def plan_memberships(
    rng: np.random.Generator,
    community: np.ndarray,
    cell_of_comm: np.ndarray,
    n_behaviours: int,
    n_cells: int,
) -> np.ndarray:
    """Rows (person, cell, role): most join their community's cell, a few a second."""
    members = len(community)
    home = cell_of_comm[community]
    joins_home = (home >= 0) & (rng.random(members) < 0.7)
    people = [np.flatnonzero(joins_home)]
    cells = [home[joins_home]]
    second = rng.random(members) < 0.10
    people.append(np.flatnonzero(second))
    cells.append(rng.integers(n_behaviours, max(n_behaviours + 1, n_cells), second.sum()))
    behaviour = rng.random(members) < 0.08
    people.append(np.flatnonzero(behaviour))
    cells.append(rng.integers(0, n_behaviours, behaviour.sum()))
    rows = np.unique(np.column_stack([np.concatenate(people), np.concatenate(cells)]), axis=0)
    rows = rows[rows[:, 1] < n_cells]
    roles = np.full(len(rows), MEMBER)
    draw = rng.random(len(rows))
    roles[draw < 0.10] = THOUGHT_LEADER
    roles[draw < 0.05] = CONNECTOR
    # Every cell has a convenor: its first member.
    _, first_rows = np.unique(rows[:, 1], return_index=True)
    roles[first_rows] = CONVENOR
    return np.column_stack([rows, roles])


def plan_knows(rng: np.random.Generator, community: np.ndarray, members: int) -> np.ndarray:
    """Rows (a, b, strength): about 1.5 ties a person, mostly within a community."""
    n = int(members * 1.5)
    a = rng.integers(0, members, n)
    b = rng.integers(0, members, n)
    local = rng.random(n) < 0.85
    b[local] = random_peer(rng, community, a[local])
    keep = a != b
    pairs = np.unique(np.column_stack([a[keep], b[keep]]), axis=0)
    strength = rng.integers(1, 4, len(pairs))
    return np.column_stack([pairs, strength])


def plan_introductions(
    rng: np.random.Generator, community: np.ndarray, joined: np.ndarray, members: int
) -> np.ndarray:
    """Rows (a, b, introducer, date, status): introductions across communities."""
    n = max(2, members // 50)
    a = rng.integers(0, members, n)
    b = rng.integers(0, members, n)
    introducer = random_peer(rng, community, a)
    latest_join = np.maximum(np.maximum(joined[a], joined[b]), joined[introducer])
    date = latest_join + rng.integers(0, 200, n)
    date = np.minimum(date, AS_OF.toordinal())
    status = rng.integers(0, 4, n)
    keep = (a != b) & (introducer != a) & (introducer != b) & (community[a] != community[b])
    rows = np.column_stack([a, b, introducer, date, status])[keep]
    _, first = np.unique(rows[:, :2], axis=0, return_index=True)
    unique_rows: np.ndarray = rows[np.sort(first)]
    return unique_rows
