"""The synthetic network: deterministic, realistic, with real community structure."""

import datetime as dt
from collections import Counter
from itertools import combinations

import networkx as nx
import numpy as np
import pytest

from graphsvc.model import Sector, Visibility
from graphsvc.reference import uk_regions
from graphsvc.synthetic import NetworkRecords, generate_network, synthetic_records
from graphsvc.synthetic.plans import AS_OF


@pytest.fixture(scope="module")
def network() -> NetworkRecords:
    return synthetic_records(2000, seed=3)


def _dump(records: NetworkRecords) -> list[dict[str, object]]:
    return [r.model_dump() for r in records.nodes()] + [
        r.model_dump() for r in records.relationships()
    ]


def test_the_same_seed_gives_the_same_network_and_another_seed_another() -> None:
    assert _dump(synthetic_records(150, seed=11)) == _dump(synthetic_records(150, seed=11))
    assert _dump(synthetic_records(150, seed=11)) != _dump(synthetic_records(150, seed=12))


@pytest.mark.parametrize("members", [99, 1_000_001])
def test_sizes_outside_100_to_a_million_are_refused(members: int) -> None:
    with pytest.raises(ValueError, match="between 100 and 1,000,000"):
        generate_network(members)


def test_the_counts_it_announces_match_the_records_it_yields(network: NetworkRecords) -> None:
    nodes = list(network.nodes())
    assert len(nodes) == network.node_count
    assert sum(1 for _ in network.relationships()) == network.relationship_count
    assert len({n.id for n in nodes}) == len(nodes), "ids are unique"
    assert sum(n.KIND == "Person" for n in nodes) == 2000


def test_relationships_only_name_nodes_that_exist(network: NetworkRecords) -> None:
    ids = {n.id for n in network.nodes()}
    assert all(r.start in ids and r.end in ids for r in network.relationships())


def test_members_are_skewed_to_london_and_thin_in_the_nations_and_north_east(
    network: NetworkRecords,
) -> None:
    net = network.net
    share = Counter(uk_regions()[net.towns[t][2]].name for t in net.town)
    total = sum(share.values())
    assert share.most_common(1)[0][0] == "London"
    assert 0.25 < share["London"] / total < 0.45
    assert share["London"] + share["South East"] > 0.4 * total
    for thin in ("North East", "Wales", "Scotland", "Northern Ireland"):
        assert 0 < share[thin] / total < 0.06, thin


def test_every_sector_and_consent_setting_is_represented(network: NetworkRecords) -> None:
    people = [n for n in network.nodes() if n.KIND == "Person"]
    sectors = Counter(p.sector for p in people)  # type: ignore[attr-defined]
    assert set(sectors) == set(Sector)
    assert sectors.most_common(1)[0][0] == Sector.VOLUNTARY
    visibility = Counter(p.visibility for p in people)  # type: ignore[attr-defined]
    assert set(visibility) == set(Visibility)
    assert visibility[Visibility.HIDDEN] > 0.05 * len(people)
    assert len({p.email for p in people}) == len(people)  # type: ignore[attr-defined]


def test_events_range_from_roundtables_to_large_online_gatherings_over_years(
    network: NetworkRecords,
) -> None:
    events = network.net.events
    sizes = {
        e.category: [len(x.attendees) for x in events if x.category == e.category] for e in events
    }
    assert set(sizes) == {"gathering", "cell meeting", "roundtable", "drop-in", "online"}
    assert max(sizes["roundtable"]) <= 12
    assert any(6 <= size <= 7 for size in sizes["roundtable"]), "6-person roundtables"
    assert max(sizes["online"]) >= 500 and max(sizes["online"]) <= 800
    assert len({e.date.year for e in events}) >= 5
    assert all(e.date <= AS_OF for e in events)


def test_people_attend_only_after_joining_and_some_never_come(network: NetworkRecords) -> None:
    net = network.net
    attended: set[int] = set()
    for event in net.events:
        day = event.date.toordinal()
        assert (net.joined[event.attendees] <= day).all()
        attended.update(event.attendees.tolist())
    never = 1 - len(attended) / net.members
    assert 0.05 < never < 0.40, never
    last_seen = {}
    for event in net.events:
        for person in event.attendees.tolist():
            last_seen[person] = max(last_seen.get(person, dt.date.min), event.date)
    a_year_ago = AS_OF - dt.timedelta(days=365)
    assert sum(day < a_year_ago for day in last_seen.values()) > 0.03 * net.members


def test_planted_communities_are_real_structure_in_the_ties(network: NetworkRecords) -> None:
    """Ties from KNOWS and shared small events follow the planted communities."""
    net = network.net
    graph = nx.Graph()
    graph.add_nodes_from(range(net.members))
    graph.add_edges_from((int(a), int(b)) for a, b, _ in net.knows)
    for event in net.events:
        if len(event.attendees) <= 30:
            graph.add_edges_from(combinations(event.attendees.tolist(), 2))
    groups: dict[int, set[int]] = {}
    for person, community in enumerate(net.planted_community.tolist()):
        groups.setdefault(community, set()).add(person)
    planted = nx.community.modularity(graph, groups.values())
    shuffled = np.random.default_rng(0).permutation(net.planted_community)
    random_groups: dict[int, set[int]] = {}
    for person, community in enumerate(shuffled.tolist()):
        random_groups.setdefault(community, set()).add(person)
    assert planted > 0.3, planted
    assert nx.community.modularity(graph, random_groups.values()) < 0.05


def test_some_regions_with_members_have_no_regional_group(network: NetworkRecords) -> None:
    net = network.net
    with_groups = {c.region for c in net.cells if c.category == "regional group"}
    with_members = set(net.towns[t][2] for t in net.town)
    assert with_groups and with_members - with_groups


@pytest.mark.slow
def test_it_scales_to_a_million_members() -> None:
    net = generate_network(1_000_000, seed=1)
    assert len(net.names) == 1_000_000
    assert net.attendance_count > 2_000_000
    assert max(len(e.attendees) for e in net.events) <= 800
