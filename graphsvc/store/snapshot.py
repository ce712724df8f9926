"""Query rows to networkx graphs."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

# Nodes keyed by id, with ``kind`` and properties; edges keyed by type.
# (networkx's graphs are generic only in their type stubs.)
if TYPE_CHECKING:
    type Snapshot = nx.MultiDiGraph[str]
else:
    Snapshot = nx.MultiDiGraph

# (start, end, key, data): networkx takes these for a multigraph's edges,
# though its type stubs know only the 2- and 3-tuples.
type MultiEdge = Any


def graph_from_rows(
    node_rows: Iterable[list[Any]], relationship_rows: Iterable[list[Any]]
) -> Snapshot:
    """Build a graph from ``[kind, props]`` and ``[start, type, end, props]`` rows.

    Edge keys are relationship types: the store holds at most one relationship
    of a type between two nodes, so (start, end, type) names an edge.
    """
    graph: Snapshot = nx.MultiDiGraph()
    graph.add_nodes_from((props["id"], {**props, "kind": kind}) for kind, props in node_rows)
    edges: Iterable[MultiEdge] = (
        (start, end, rel_type, {**props, "type": rel_type})
        for start, rel_type, end, props in relationship_rows
    )
    graph.add_edges_from(edges)
    return graph


# (kind or type, the names of the value columns, rows)
type ColumnRows = tuple[str, Sequence[str], Iterable[list[Any]]]


def graph_from_columns(
    nodes: Iterable[ColumnRows], relationships: Iterable[ColumnRows]
) -> Snapshot:
    """Build a graph from rows read per kind and per relationship type.

    Node rows are ``[id, *values]`` and relationship rows ``[start, end,
    *values]``, each value named by the names given with its rows; nulls are
    left out, as a property that is not set.
    """
    graph: Snapshot = nx.MultiDiGraph()
    for kind, names, rows in nodes:
        graph.add_nodes_from(
            (
                node_id,
                {"kind": kind, "id": node_id}
                | {k: v for k, v in zip(names, values, strict=True) if v is not None},
            )
            for node_id, *values in rows
        )
    for rel_type, names, rows in relationships:
        edges: Iterable[MultiEdge] = (
            (
                start,
                end,
                rel_type,
                {"type": rel_type}
                | {k: v for k, v in zip(names, values, strict=True) if v is not None},
            )
            for start, end, *values in rows
        )
        graph.add_edges_from(edges)
    return graph
