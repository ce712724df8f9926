"""Events of the synthetic network, and who came to each.

Sizes span the real range: 6-person roundtables, cell meetings of a dozen
or two, drop-ins, online gatherings of up to 800 and an annual gathering.
Only people who had joined by the date and had not drifted away attend.
"""

import datetime as dt

import numpy as np

from graphsvc.synthetic.grouping import group_members
from graphsvc.synthetic.plans import (
    AS_OF,
    ATTENDEE,
    CONVENOR,
    EVENTS_START,
    HOST,
    SPEAKER,
    CellPlan,
    EventPlan,
)
from graphsvc.synthetic.vocabulary import GATHERING_PARTS


class _Sampler:
    """Draws attendees, weighted by how active people are, among those eligible."""

    def __init__(
        self,
        rng: np.random.Generator,
        activity: np.ndarray,
        joined: np.ndarray,
        lapsed_at: np.ndarray,
    ) -> None:
        self.rng = rng
        self.activity = activity
        self.joined = joined
        self.lapsed_at = lapsed_at
        self.cumulative = np.cumsum(activity)

    def _eligible(self, people: np.ndarray, day: int) -> np.ndarray:
        ok = (self.joined[people] <= day) & (self.lapsed_at[people] > day)
        eligible: np.ndarray = people[ok & (self.activity[people] > 0)]
        return eligible

    def from_pool(self, pool: np.ndarray, size: int, day: int) -> np.ndarray:
        eligible = self._eligible(np.unique(pool), day)
        if len(eligible) == 0:
            return eligible
        weights = self.activity[eligible]
        take = min(size, len(eligible))
        return self.rng.choice(eligible, size=take, replace=False, p=weights / weights.sum())

    def from_everyone(self, size: int, day: int) -> np.ndarray:
        # Drawing from the running total keeps a network-wide event O(size log n).
        chosen: np.ndarray = np.empty(0, dtype=int)
        for _ in range(4):
            draws = self.rng.random(size * 3) * self.cumulative[-1]
            candidates = np.searchsorted(self.cumulative, draws, side="right")
            candidates = np.minimum(candidates, len(self.activity) - 1)
            chosen = np.unique(np.concatenate([chosen, self._eligible(candidates, day)]))
            if len(chosen) >= size:
                break
        return self.rng.permutation(chosen)[:size]


def _random_day(rng: np.random.Generator, start: dt.date, end: dt.date = AS_OF) -> int:
    return start.toordinal() + int(rng.integers(max(1, end.toordinal() - start.toordinal())))


def _roles(rng: np.random.Generator, n: int, speakers: int) -> np.ndarray:
    roles = np.full(n, ATTENDEE)
    if n:
        roles[0] = HOST
        roles[1 : 1 + speakers] = SPEAKER
    return roles


def plan_events(
    rng: np.random.Generator,
    members: int,
    themes: list[str],
    n_behaviours: int,
    cells: list[CellPlan],
    cell_of_comm: np.ndarray,
    community: np.ndarray,
    memberships: np.ndarray,
    activity: np.ndarray,
    joined: np.ndarray,
    lapsed_at: np.ndarray,
) -> list[EventPlan]:
    """Every event, with attendees, roles and (for gatherings) parts."""
    sample = _Sampler(rng, activity, joined, lapsed_at)
    events: list[EventPlan] = []
    by_cell, cell_bounds = group_members(memberships[:, 1], len(cells))
    members_of = [
        memberships[by_cell[cell_bounds[c] : cell_bounds[c + 1]], 0] for c in range(len(cells))
    ]
    convenors = memberships[memberships[:, 2] == CONVENOR]
    convenor_of = dict(zip(convenors[:, 1].tolist(), convenors[:, 0].tolist(), strict=True))
    comm_of_cell = {int(cell): c for c, cell in enumerate(cell_of_comm) if cell >= 0}
    order, bounds = group_members(community, int(community.max()) + 1)

    def add(
        name: str,
        day: int,
        category: str,
        held_by: int,
        people: np.ndarray,
        speakers: int,
        host: int | None = None,
    ) -> None:
        if len(people) == 0:
            return
        if host is not None and host in people:
            people = np.concatenate([[host], people[people != host]])
        parts = None
        if category == "gathering":
            parts = list(rng.choice(GATHERING_PARTS, size=len(people), p=[0.75, 0.1, 0.15]))
        events.append(
            EventPlan(
                name,
                dt.date.fromordinal(day),
                category,
                held_by,
                people,
                _roles(rng, len(people), speakers),
                parts,
            )
        )

    # Cell meetings: mostly the cell's members, some of their wider community.
    for cell_index, cell in enumerate(cells):
        years = (AS_OF - cell.start).days / 365.25
        pool = members_of[cell_index]
        if cell_index in comm_of_cell:
            c = comm_of_cell[cell_index]
            pool = np.concatenate([pool, order[bounds[c] : bounds[c + 1]][: len(pool) // 4 + 1]])
        for _ in range(rng.poisson(3 * years)):
            day = _random_day(rng, cell.start)
            size = int(rng.integers(8, 31))
            add(
                f"{cell.name} meeting",
                day,
                "cell meeting",
                cell_index,
                sample.from_pool(pool, size, day),
                0,
                convenor_of.get(cell_index),
            )

    # Roundtables: 6 to 12 people from two or three communities.
    n_comm = int(community.max()) + 1
    for _ in range(max(2, members // 40)):
        day = _random_day(rng, EVENTS_START)
        picked = rng.choice(n_comm, size=min(3, n_comm), replace=False)
        pool = np.concatenate([order[bounds[c] : bounds[c + 1]] for c in picked])
        theme = themes[int(rng.integers(n_behaviours, len(themes)))]
        held_by = int(rng.integers(len(cells))) if rng.random() < 0.5 else -1
        add(
            f"Roundtable: {theme}",
            day,
            "roundtable",
            held_by,
            sample.from_pool(pool, int(rng.integers(6, 13)), day),
            1,
        )

    # Drop-ins run by the behaviour cells, open to everyone.
    for _ in range(max(2, members // 60)):
        day = _random_day(rng, EVENTS_START)
        behaviour = int(rng.integers(n_behaviours))
        add(
            f"Drop-in: {themes[behaviour]}",
            day,
            "drop-in",
            behaviour,
            sample.from_everyone(int(rng.integers(5, 21)), day),
            0,
            convenor_of.get(behaviour),
        )

    # Online gatherings, up to 800 people.
    for _ in range(max(4, members // 250)):
        day = _random_day(rng, EVENTS_START)
        size = min(int(rng.integers(50, 801)), int(0.6 * members))
        theme = themes[int(rng.integers(len(themes)))]
        add(f"Online gathering: {theme}", day, "online", -1, sample.from_everyone(size, day), 3)

    # One annual gathering a year, in person.
    for year in range(EVENTS_START.year, AS_OF.year + 1):
        day = dt.date(year, 6, 10).toordinal() + int(rng.integers(0, 30))
        if day > AS_OF.toordinal():
            continue
        size = min(int(rng.integers(150, 401)), int(0.4 * members))
        add(f"Annual gathering {year}", day, "gathering", -1, sample.from_everyone(size, day), 5)

    events.sort(key=lambda e: (e.date, e.name))
    return events
