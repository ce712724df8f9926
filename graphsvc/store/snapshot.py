"""Query rows to networkx graphs."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

# Nodes keyed by id, with ``kind`` and properties; edges keyed by type.
# (networkx's graphs are generic only in their type stubs.)
if TYPE_CHECKING:
    type Snapshot = nx.MultiDiGraph[str]
else:
    Snapshot = nx.MultiDiGraph


def graph_from_rows(
    node_rows: Iterable[list[Any]], relationship_rows: Iterable[list[Any]]
) -> Snapshot:
    """Build a graph from ``[kind, props]`` and ``[start, type, end, props]`` rows.

    Edge keys are relationship types: the store holds at most one relationship
    of a type between two nodes, so (start, end, type) names an edge.
    """
    graph: Snapshot = nx.MultiDiGraph()
    graph.add_nodes_from((props["id"], {**props, "kind": kind}) for kind, props in node_rows)
    for start, rel_type, end, props in relationship_rows:
        graph.add_edge(start, end, key=rel_type, **props, type=rel_type)
    return graph
