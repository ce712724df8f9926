"""Gaps: who is under-represented, where there is no cell, who is not in the room."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy.special import ndtri

from graphsvc.model import Sector
from graphsvc.reference import uk_age_bands, uk_regions


def wilson_interval(
    count: "np.ndarray[Any, Any]", total: "np.ndarray[Any, Any] | int", confidence: float
) -> tuple["np.ndarray[Any, Any]", "np.ndarray[Any, Any]"]:
    """Wilson score interval for ``count`` successes in ``total`` trials, elementwise.

    The same figures as statsmodels' ``proportion_confint(method="wilson")``
    (the tests check it), written out because importing statsmodels costs
    almost a second on every run, a third of the whole analysis at 1,000
    members.

    Examples
    --------
    >>> low, high = wilson_interval(np.array([2]), 10, 0.95)
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.0567, 0.5098)
    """
    z = ndtri(1 - (1 - confidence) / 2)
    n = np.asarray(total, dtype=float)
    p = np.asarray(count, dtype=float) / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


# The network's aim for its sector mix, until it configures its own: no
# sector more than a quarter, none below a tenth.
DEFAULT_SECTOR_TARGET: dict[str, float] = {
    Sector.VOLUNTARY: 0.25,
    Sector.PUBLIC_SERVICES: 0.15,
    Sector.LOCAL_GOVERNMENT: 0.12,
    Sector.FUNDERS: 0.10,
    Sector.UNIVERSITIES: 0.12,
    Sector.SOCIAL_ENTERPRISE: 0.13,
    Sector.INDEPENDENT: 0.13,
}
NOT_IN_THE_ROOM_AFTER = dt.timedelta(days=365)
MIN_GROUP_SIZE = 10  # smaller cells and events are not judged at all


@dataclass
class Share:
    """A category's share of a group, against what would be expected."""

    category: str
    count: int
    share: float
    low: float  # confidence interval of the share
    high: float
    expected: float
    verdict: str  # "under", "over" or "as expected": only when the interval excludes expected


@dataclass
class GroupGaps:
    id: str
    name: str
    size: int
    regions: list[Share]  # only the categories that are out of line
    sectors: list[Share]


@dataclass
class NotInTheRoom:
    person: Any
    status: str  # "never attended" or "not for a year"
    last_attended: str | None


@dataclass
class Representation:
    """A group's mix of regions, nations and sectors, each against what is expected."""

    members: int
    regions: list[Share]
    nations: list[Share]
    sectors: list[Share]


@dataclass
class Gaps:
    as_of: str | None
    members: int
    regions: list[Share]
    nations: list[Share]
    sectors: list[Share]
    sector_target: dict[str, float]
    confidence: float
    cells: list[GroupGaps] = field(default_factory=list)
    events: list[GroupGaps] = field(default_factory=list)
    regions_without_cells: list[str] = field(default_factory=list)
    not_in_the_room: list[NotInTheRoom] = field(default_factory=list)


def population_shares() -> dict[str, float]:
    """Each ONS region's and nation's share of the UK population (mid-2022)."""
    regions = uk_regions()
    total = sum(r.population for r in regions)
    return {r.name: r.population / total for r in regions}


def compare_shares(
    counts: Mapping[str, int], expected: Mapping[str, float], confidence: float = 0.95
) -> list[Share]:
    """Observed shares with Wilson intervals against expected shares.

    A category is called under- or over-represented only when its whole
    confidence interval lies below or above the expected share, so a small
    count is not over-read. Counts outside ``expected`` (e.g. unknown) are in
    the total but not compared.

    Examples
    --------
    >>> [(s.category, s.verdict) for s in compare_shares({"a": 2, "b": 3}, {"a": 0.5, "b": 0.5})]
    [('a', 'as expected'), ('b', 'as expected')]
    >>> [(s.category, s.verdict) for s in compare_shares({"a": 20, "b": 80}, {"a": 0.5, "b": 0.5})]
    [('a', 'under'), ('b', 'over')]

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and
       statistical inference", J. Am. Stat. Assoc. 22, 209 (1927).
    """
    total = sum(counts.values())
    categories = list(expected)
    observed = np.array([counts.get(c, 0) for c in categories])
    if total == 0:
        return []
    low, high = wilson_interval(observed, total, confidence)
    shares = []
    for i, category in enumerate(categories):
        exp = float(expected[category])
        verdict = "under" if high[i] < exp else "over" if low[i] > exp else "as expected"
        shares.append(
            Share(
                category=str(category),
                count=int(observed[i]),
                share=round(float(observed[i] / total), 4),
                low=round(float(low[i]), 4),
                high=round(float(high[i]), 4),
                expected=round(exp, 4),
                verdict=verdict,
            )
        )
    return shares


def _out_of_line(
    groups: list[Counter[str]], expected: Mapping[str, float], confidence: float
) -> list[list[Share]]:
    """For each group's counts, the categories whose interval excludes expected
    (one vectorised interval computation for all groups)."""
    categories = list(expected)
    counts = np.array([[g.get(c, 0) for c in categories] for g in groups], dtype=float)
    totals = np.array([sum(g.values()) for g in groups], dtype=float)[:, None]
    if not len(groups):
        return []
    nobs = np.broadcast_to(totals, counts.shape)
    low, high = wilson_interval(counts, nobs, confidence)
    exp = np.array([expected[c] for c in categories])
    found = []
    for g in range(len(groups)):
        off = []
        for i, category in enumerate(categories):
            if high[g, i] < exp[i] or low[g, i] > exp[i]:
                off.append(
                    Share(
                        category=str(category),
                        count=int(counts[g, i]),
                        share=round(float(counts[g, i] / totals[g, 0]), 4),
                        low=round(float(low[g, i]), 4),
                        high=round(float(high[g, i]), 4),
                        expected=round(float(exp[i]), 4),
                        verdict="under" if high[g, i] < exp[i] else "over",
                    )
                )
        found.append(off)
    return found


def _group_gaps(
    G: "nx.Graph[Any]",
    groups: Mapping[str, Iterable[Any]],
    names: Mapping[str, str],
    population: Mapping[str, float],
    target: Mapping[str, float],
    confidence: float,
) -> list[GroupGaps]:
    judged = []
    for gid, members in groups.items():
        people = [m for m in set(members) if m in G]
        if len(people) >= MIN_GROUP_SIZE:
            judged.append((gid, people))
    regions = [Counter(G.nodes[p].get("region") or "unknown" for p in ps) for _, ps in judged]
    sectors = [Counter(G.nodes[p].get("sector") or "unknown" for p in ps) for _, ps in judged]
    off_regions = _out_of_line(regions, population, confidence)
    off_sectors = _out_of_line(sectors, target, confidence)
    found = [
        GroupGaps(gid, names.get(gid, gid), len(people), off_regions[i], off_sectors[i])
        for i, (gid, people) in enumerate(judged)
    ]
    return sorted(found, key=lambda g: (-len(g.regions) - len(g.sectors), -g.size, g.id))


def representation(
    G: "nx.Graph[Any]",
    people: Iterable[Any],
    sector_target: Mapping[str, float] | None = None,
    confidence: float = 0.95,
) -> Representation:
    """The mix of regions, nations and sectors among ``people`` (nodes of ``G``
    with ``region`` and ``sector`` attributes), each category against its
    share of the UK population or of the sector target, with Wilson intervals.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from(range(40), region="Wales", sector="funders")
    >>> mix = representation(G, G.nodes)
    >>> [(s.category, s.count, s.verdict) for s in mix.nations]
    [('England', 0, 'under'), ('Wales', 40, 'over'), ('Scotland', 0, 'as expected'), \
('Northern Ireland', 0, 'as expected')]

    No one from Scotland among 40 is not yet proof of a gap: Scotland is 8%
    of the population and the interval for 0 in 40 reaches 8.8%.
    """
    target = dict(sector_target or DEFAULT_SECTOR_TARGET)
    if abs(sum(target.values()) - 1) > 0.01:
        raise ValueError("the sector target shares must sum to 1")
    population = population_shares()
    nation_of = {r.name: r.nation for r in uk_regions()}
    nation_population: Counter[str] = Counter()
    for region, share in population.items():
        nation_population[nation_of[region]] += share  # type: ignore[assignment]
    members = [p for p in people if p in G]
    regions = Counter(G.nodes[p].get("region") or "unknown" for p in members)
    nations = Counter(nation_of.get(r, "unknown") for r in regions.elements())
    sectors = Counter(G.nodes[p].get("sector") or "unknown" for p in members)
    return Representation(
        members=len(members),
        regions=compare_shares(regions, population, confidence),
        nations=compare_shares(nations, nation_population, confidence),
        sectors=compare_shares(sectors, target, confidence),
    )


def not_in_the_room(G: "nx.Graph[Any]", as_of: dt.date | None) -> list[NotInTheRoom]:
    """Members who joined but never attended, or not for a year before ``as_of``."""
    cutoff = (as_of - NOT_IN_THE_ROOM_AFTER).isoformat() if as_of else None
    found = []
    for person, data in sorted(G.nodes(data=True), key=lambda x: str(x[0])):
        last = data.get("last_attended")
        if not data.get("events_attended") and last is None:
            found.append(NotInTheRoom(person, "never attended", None))
        elif cutoff and last and last < cutoff:
            found.append(NotInTheRoom(person, "not for a year", last))
    return found


def representation_gaps(
    G: "nx.Graph[Any]",
    sector_target: Mapping[str, float] | None = None,
    events: Mapping[str, Iterable[Any]] | None = None,
    cell_regions: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    confidence: float = 0.95,
) -> Gaps:
    """Representation of regions, nations and sectors, overall, per cell and
    per event; regions without a cell; members not in the room.

    Parameters
    ----------
    G : networkx.Graph
        People with ``region``, ``sector``, ``cells`` (ids), ``events_attended``
        and ``last_attended`` node attributes (as :func:`collaboration_graph`
        gives them).
    sector_target : mapping, optional
        The sector mix the network aims for (shares summing to 1); default
        :data:`DEFAULT_SECTOR_TARGET`.
    events : mapping of event id to attendees, optional
        To judge each event's mix.
    cell_regions : mapping of cell id to region name, optional
        The regional groups: a region with members and none of these has
        no cell.
    names : mapping of id to name, optional
        Names for cells and events.
    as_of : datetime.date, optional
        "Today" for "not in the room"; without it only never-attenders count.
    confidence : float
        Confidence level of the intervals.

    Returns
    -------
    Gaps

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from(range(60), region="London", sector="funders", events_attended=1)
    >>> gaps = representation_gaps(G)
    >>> shown = ("London", "North West", "Wales")
    >>> {s.category: s.verdict for s in gaps.regions if s.category in shown}
    {'North West': 'under', 'London': 'over', 'Wales': 'as expected'}

    No one from Wales is not proof of a gap among 60 members, as Wales is 5%
    of the population; no one from the North West (11%) is.
    >>> gaps.regions_without_cells
    ['London']

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and
       statistical inference", J. Am. Stat. Assoc. 22, 209 (1927).
    .. [2] Office for National Statistics, "Population estimates for the UK,
       mid-2022" (2024).
    """
    target = dict(sector_target or DEFAULT_SECTOR_TARGET)
    overall = representation(G, G.nodes, target, confidence)
    population = population_shares()
    with_cells = set((cell_regions or {}).values())
    cells: dict[str, list[Any]] = {}
    for person, data in G.nodes(data=True):
        for cell in data.get("cells") or []:
            cells.setdefault(cell, []).append(person)
    names = names or {}
    return Gaps(
        as_of=as_of.isoformat() if as_of else None,
        members=overall.members,
        regions=overall.regions,
        nations=overall.nations,
        sectors=overall.sectors,
        sector_target=target,
        confidence=confidence,
        cells=_group_gaps(G, cells, names, population, target, confidence),
        events=_group_gaps(G, events or {}, names, population, target, confidence),
        regions_without_cells=sorted(
            share.category
            for share in overall.regions
            if share.count and share.category not in with_cells
        ),
        not_in_the_room=not_in_the_room(G, as_of),
    )


def age_band_shares() -> dict[str, float]:
    """Each age band's share of the UK's adults (ONS mid-2022, approximate)."""
    bands = uk_age_bands()
    total = sum(b.population for b in bands)
    return {b.name: b.population / total for b in bands}


def representation_by_age_band(counts: Mapping[str, int], confidence: float = 0.95) -> list[Share]:
    """The age bands members gave, each against the UK adult population's share,
    with Wilson intervals as for regions (:func:`compare_shares`).

    Only members who gave an age band are counted: one who chose not to say is
    in no band and in no total.

    Examples
    --------
    >>> shares = representation_by_age_band({"18-24": 2, "45-54": 60, "55-64": 38})
    >>> {s.category: s.verdict for s in shares}["18-24"]
    'under'

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and
       statistical inference", J. Am. Stat. Assoc. 22, 209 (1927).
    """
    expected = age_band_shares()
    return compare_shares({k: v for k, v in counts.items() if k in expected}, expected, confidence)
