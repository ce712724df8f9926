"""Constellation labels say what sets each constellation apart from the network."""

import networkx as nx
import pytest

from graphsvc.analysis.constellations import find_constellations
from graphsvc.analysis.projection import collaboration_graph
from graphsvc.store.snapshot import graph_from_rows
from graphsvc.synthetic import synthetic_records


@pytest.fixture(scope="module")
def network_of_1000() -> "nx.Graph[str]":
    records = synthetic_records(1000, seed=1)
    snapshot = graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    )
    return collaboration_graph(snapshot)


def test_no_two_constellations_of_the_synthetic_network_read_alike(
    network_of_1000: "nx.Graph[str]",
) -> None:
    found = find_constellations(network_of_1000, seed=0).constellations
    labels = [c.label for c in found]
    assert len(found) > 5
    assert len(set(labels)) >= 0.9 * len(labels), labels


def test_labels_are_not_the_networks_plurality_everywhere(
    network_of_1000: "nx.Graph[str]",
) -> None:
    found = find_constellations(network_of_1000, seed=0).constellations
    most_common_sector = "voluntary and community"
    assert sum(most_common_sector in c.label for c in found) <= len(found) // 3


def test_a_constellation_with_a_theme_of_its_own_is_labelled_with_it(
    network_of_1000: "nx.Graph[str]",
) -> None:
    G = nx.Graph(network_of_1000)
    keepers = [f"person:bee{i}" for i in range(12)]
    for i, person in enumerate(keepers):
        G.add_node(person, themes=["Beekeeping", "Housing"], region="Wales", sector="arts")
        for other in keepers[:i]:
            G.add_edge(person, other, weight=1.0)
    found = find_constellations(G, seed=0).constellations
    theirs = next(c for c in found if "person:bee0" in c.members)
    assert "Beekeeping" in theirs.label and theirs.themes[0] == "Beekeeping"
