"""Who the members are: counts by region or nation and by sector.

Aggregates only: no person is named. The counts here are exact; a count small
enough to single someone out is shown as "fewer than N" to all but admins
(:meth:`graphsvc.access.policy.Viewer.count_as_shown`).
"""

from collections import Counter
from dataclasses import dataclass, field

from graphsvc.analysis.profiles import region_names_by_place
from graphsvc.store.snapshot import Snapshot

UNKNOWN = "unknown"


def members_by_region(snapshot: Snapshot) -> Counter[str]:
    """Members per ONS region or nation, by the place each is based in.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("place:E12000007", kind="Place", ons_code="E12000007")
    >>> g.add_node("place:camden", kind="Place")
    >>> g.add_edge("place:camden", "place:E12000007", key="PART_OF", type="PART_OF")
    'PART_OF'
    >>> g.add_node("person:1", kind="Person")
    >>> g.add_edge("person:1", "place:camden", key="BASED_IN", type="BASED_IN")
    'BASED_IN'
    >>> members_by_region(g)
    Counter({'London': 1})
    """
    region_of = region_names_by_place(snapshot)
    counts: Counter[str] = Counter()
    for person, data in snapshot.nodes(data=True):
        if data.get("kind") != "Person":
            continue
        places = [v for _, v, t in snapshot.out_edges(person, keys=True) if t == "BASED_IN"]
        counts[region_of.get(places[0], UNKNOWN) if places else UNKNOWN] += 1
    return counts


def members_by_sector(snapshot: Snapshot) -> Counter[str]:
    """Members per sector (``unknown`` where none is recorded)."""
    return Counter(
        data.get("sector") or UNKNOWN
        for _, data in snapshot.nodes(data=True)
        if data.get("kind") == "Person"
    )


@dataclass
class MembershipSummary:
    members: int = 0
    by_region: list[tuple[str, int]] = field(default_factory=list)
    by_sector: list[tuple[str, int]] = field(default_factory=list)


def summarise_membership(snapshot: Snapshot) -> MembershipSummary:
    """Members in all, and by region and sector, largest first."""
    by_region = members_by_region(snapshot)
    return MembershipSummary(
        members=sum(by_region.values()),
        by_region=by_region.most_common(),
        by_sector=members_by_sector(snapshot).most_common(),
    )
