"""A whole graph read out of a store and written into another, exactly.

Backups, restores and copies between backends all move a graph this way:
every node with all its properties, every relationship with its ends and
all its properties (provenance, possible matches and review decisions
among them), and the graph's own facts (its version and marks). The rows
are plain JSON values, so any backend can write what any other read.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from graphsvc.errors import GraphsvcError
from graphsvc.store import queries
from graphsvc.store.graph_store import GraphCounts, GraphStore

WRITE_BATCH = 2000


@dataclass(frozen=True)
class NodeRow:
    kind: str
    props: dict[str, Any]


@dataclass(frozen=True)
class RelationshipRow:
    type: str
    start_kind: str
    start: str
    end_kind: str
    end: str
    props: dict[str, Any]

    @property
    def shape(self) -> tuple[str, str, str]:
        return (self.type, self.start_kind, self.end_kind)


def read_nodes(store: GraphStore) -> Iterator[NodeRow]:
    """Every node but the graph's metadata, with all its properties."""
    for kind, props in store.runner.read(queries.ALL_NODES):
        yield NodeRow(kind, dict(props))


def read_relationships(store: GraphStore) -> Iterator[RelationshipRow]:
    """Every relationship, one type at a time, with its ends and all its properties."""
    for rel_type, query in queries.RELATIONSHIPS_WITH_ENDS.items():
        for start_kind, start, end_kind, end, props in store.runner.read(query):
            yield RelationshipRow(rel_type, start_kind, start, end_kind, end, dict(props))


def is_empty(store: GraphStore) -> bool:
    """Whether the store holds no node at all (its metadata aside)."""
    counts = store.counts()
    return not any(counts.nodes.values()) and not any(counts.relationships.values())


def write_nodes(
    store: GraphStore, rows: Iterable[NodeRow], on_written: Callable[[int], None] | None = None
) -> None:
    """Create the nodes in an emptied store, in batches of one kind each."""
    _write_grouped(
        store,
        ((row.kind, row.props) for row in rows),
        lambda kind: _query_for(queries.CREATE_NODES, kind, "node kind"),
        on_written,
    )


def write_relationships(
    store: GraphStore,
    rows: Iterable[RelationshipRow],
    on_written: Callable[[int], None] | None = None,
) -> None:
    """Create the relationships between nodes already written, in batches of one shape."""
    _write_grouped(
        store,
        ((row.shape, {"start": row.start, "end": row.end, "props": row.props}) for row in rows),
        lambda shape: _query_for(queries.CREATE_RELATIONSHIPS, shape, "relationship"),
        on_written,
        as_row=lambda row: row,
    )


def replace_meta(store: GraphStore, meta: dict[str, Any]) -> None:
    """Set the graph's own facts to exactly ``meta``."""
    store.runner.write([(queries.REPLACE_GRAPH_META, {"props": {**meta, "id": "graph"}})])


def count_differences(expected: GraphCounts, found: GraphCounts) -> list[str]:
    """Each kind or type whose count differs, as "Person: 1,000 expected, 998 found"."""
    differences = []
    for label, want, have in (
        *((kind, n, found.nodes.get(kind, 0)) for kind, n in expected.nodes.items()),
        *((t, n, found.relationships.get(t, 0)) for t, n in expected.relationships.items()),
    ):
        if want != have:
            differences.append(f"{label}: {want:,} expected, {have:,} found")
    return differences


def _query_for[K](table: dict[K, str], key: K, what: str) -> str:
    try:
        return table[key]
    except KeyError:
        raise GraphsvcError(
            f"the data holds a {what} this version of graphsvc does not know: {key!r}"
        ) from None


def _write_grouped[K](
    store: GraphStore,
    keyed: Iterable[tuple[K, dict[str, Any]]],
    query_of: Callable[[K], str],
    on_written: Callable[[int], None] | None,
    as_row: Callable[[dict[str, Any]], dict[str, Any]] = lambda props: {"props": props},
) -> None:
    """Write rows in batches that one query each can take; each batch is atomic."""
    pending: dict[K, list[dict[str, Any]]] = defaultdict(list)

    def flush(key: K) -> None:
        rows = pending.pop(key)
        store.runner.write([(query_of(key), {"rows": rows})])
        if on_written:
            on_written(len(rows))

    for key, value in keyed:
        batch = pending[key]
        batch.append(as_row(value))
        if len(batch) >= WRITE_BATCH:
            flush(key)
    for key in list(pending):
        flush(key)
