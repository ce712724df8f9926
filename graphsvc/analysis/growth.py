"""Growth over time: members, ties and constellations, month by month.

The store keeps when each person joined but not when each tie began, so a
tie is counted from the month the later of its two people joined: the
earliest it could have existed. A constellation is counted as formed in the
month its third member joined (or its last, if it has fewer), when it first
had enough people to be more than a pair. Both are read from the network as
it is now: people who left are not in the counts for the months they were
members.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

FORMED_AT = 3  # members a constellation needs to count as formed


@dataclass
class Growth:
    months: list[str]  # "2024-03", every month from the first join to the last
    members: list[int]  # members who had joined by the end of each month
    ties: list[int]  # ties both of whose people had joined by then
    constellations: list[int]  # constellations formed by then
    formed: list[list[str]] = field(default_factory=list)  # labels of those formed each month
    undated: int = 0  # members with no joined date, in no month


def _month(text: str | None) -> int | None:
    """Months since year 0 of an ISO date, or None when it is not one."""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None
    return day.year * 12 + day.month - 1


def network_growth(
    G: "nx.Graph[Any]",
    constellations: Iterable[tuple[str, Iterable[Any]]] = (),
    until: dt.date | None = None,
) -> Growth:
    """Members, ties and constellations month by month.

    Parameters
    ----------
    G : networkx.Graph
        People with a ``joined`` ISO date attribute; its edges are the ties.
    constellations : iterable of (label, members)
        The constellations found now.
    until : datetime.date, optional
        The last month to show; default the month of the latest join.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", joined="2024-01-05")
    >>> G.add_node("b", joined="2024-03-20")
    >>> G.add_node("c", joined="2024-03-02")
    >>> G.add_node("d")
    >>> G.add_edges_from([("a", "b"), ("b", "c")])
    >>> growth = network_growth(G, [("Housing in Leeds", ["a", "b", "c"])])
    >>> growth.months, growth.members, growth.ties, growth.constellations
    (['2024-01', '2024-02', '2024-03'], [1, 1, 3], [0, 0, 2], [0, 0, 1])
    >>> growth.formed[2], growth.undated
    (['Housing in Leeds'], 1)
    """
    joined: Mapping[Any, int | None] = {p: _month(d.get("joined")) for p, d in G.nodes(data=True)}
    dated = np.array([m for m in joined.values() if m is not None], dtype=np.int64)
    undated = len(joined) - len(dated)
    if not len(dated):
        return Growth([], [], [], [], [], undated)
    first = int(dated.min())
    last = int(dated.max())
    if until is not None:
        last = max(last, until.year * 12 + until.month - 1)
    span = last - first + 1

    def cumulative(months: "np.ndarray[Any, Any]") -> list[int]:
        months = months[(months >= first) & (months <= last)] - first
        return [int(x) for x in np.cumsum(np.bincount(months, minlength=span))]

    tie_months = np.array(
        [
            max(a, b)
            for u, v in G.edges()
            if (a := joined[u]) is not None and (b := joined[v]) is not None
        ],
        dtype=np.int64,
    )
    formed: list[list[str]] = [[] for _ in range(span)]
    formed_months = []
    for label, members in constellations:
        months = sorted(m for p in members if (m := joined.get(p)) is not None)
        if months:
            month = months[min(FORMED_AT, len(months)) - 1]
            formed_months.append(month)
            if first <= month <= last:
                formed[month - first].append(label)
    return Growth(
        months=[f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)],
        members=cumulative(dated),
        ties=cumulative(tie_months),
        constellations=cumulative(np.array(formed_months, dtype=np.int64)),
        formed=formed,
        undated=undated,
    )
