"""GraphStore: the graph model kept in a graph database.

One implementation serves every backend: it speaks the shared openCypher of
:mod:`graphsvc.store.queries` through a :class:`QueryRunner`, and asks the
runner's dialect where the engines differ.

The store returns what it holds, private fields included; deciding who may
see what is the API layer's job.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import TracebackType
from typing import Any, Self

from graphsvc.errors import RecordError
from graphsvc.model import NODE_TYPES, RELATIONSHIP_TYPES, NodeRecord, RelationshipRecord
from graphsvc.model.provenance import merge_provenance
from graphsvc.model.text import fold_text
from graphsvc.store import queries
from graphsvc.store.query_runner import QueryRunner, Row
from graphsvc.store.snapshot import Snapshot, graph_from_rows

DEFAULT_BATCH_SIZE = 5000
# The full-text engines do not expand one-letter prefixes.
MIN_SEARCH_WORD = 2

ProgressCallback = Callable[[int], None]


@dataclass
class WriteSummary:
    """What an upsert did, counted per distinct node or relationship."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: "WriteSummary") -> "WriteSummary":
        return WriteSummary(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    @property
    def written(self) -> int:
        return self.created + self.updated


@dataclass
class GraphCounts:
    """Nodes by kind, relationships by type, and the graph version."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    version: int = 0


def _batches[T](items: Iterable[T], size: int) -> Iterable[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _changed(stored: dict[str, Any], final: dict[str, Any]) -> bool:
    return any(stored.get(key) != value for key, value in final.items())


class GraphStore:
    """The network's graph, in whichever database the runner speaks to."""

    def __init__(self, runner: QueryRunner) -> None:
        self._runner = runner
        self._runner.ensure_schema()

    @property
    def description(self) -> str:
        """Where the data lives, for messages."""
        return self._runner.description

    @property
    def runner(self) -> QueryRunner:
        return self._runner

    # --- writing -------------------------------------------------------------------

    def upsert_nodes(
        self,
        records: Iterable[NodeRecord],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: ProgressCallback | None = None,
    ) -> WriteSummary:
        """Create or update nodes by id, in batches; each batch is atomic.

        Properties a record leaves unset keep their stored value; provenance
        widens to cover both sightings. A batch that changes nothing writes
        nothing and leaves the graph version alone.
        """
        summary = WriteSummary()
        for batch in _batches(records, batch_size):
            by_kind: dict[str, list[NodeRecord]] = defaultdict(list)
            for record in batch:
                by_kind[record.KIND].append(record)
            for kind, kind_records in by_kind.items():
                summary += self._upsert_node_batch(kind, kind_records)
            if on_progress:
                on_progress(len(batch))
        return summary

    def _upsert_node_batch(self, kind: str, records: Sequence[NodeRecord]) -> WriteSummary:
        incoming: dict[str, dict[str, Any]] = {}
        for record in records:
            props = record.properties()
            earlier = incoming.get(record.id)
            incoming[record.id] = props if earlier is None else self._combine(earlier, props)
        stored: dict[str, dict[str, Any]] = {
            node_id: props
            for node_id, props in self._runner.read(
                queries.NODES_BY_ID[kind], {"ids": list(incoming)}
            )
        }
        summary = WriteSummary()
        rows = []
        for node_id, props in incoming.items():
            old = stored.get(node_id)
            if old is None:
                summary.created += 1
                rows.append({"id": node_id, "props": props})
                continue
            final = merge_provenance(old, props)
            if _changed(old, final):
                summary.updated += 1
                rows.append({"id": node_id, "props": final})
            else:
                summary.unchanged += 1
        if rows:
            self._runner.write(
                [(queries.UPSERT_NODES[kind], {"rows": rows}), (queries.BUMP_VERSION, {})]
            )
        return summary

    def upsert_relationships(
        self,
        records: Iterable[RelationshipRecord],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: ProgressCallback | None = None,
    ) -> WriteSummary:
        """Create or update relationships between nodes already in the store.

        A relationship is identified by (start, type, end). A batch naming a
        node that is not stored raises :class:`RecordError` and writes nothing.
        """
        summary = WriteSummary()
        for batch in _batches(records, batch_size):
            by_shape: dict[tuple[str, str, str], list[RelationshipRecord]] = defaultdict(list)
            for record in batch:
                by_shape[(record.TYPE, record.start_kind, record.end_kind)].append(record)
            for shape, shape_records in by_shape.items():
                summary += self._upsert_relationship_batch(shape, shape_records)
            if on_progress:
                on_progress(len(batch))
        return summary

    def _upsert_relationship_batch(
        self, shape: tuple[str, str, str], records: Sequence[RelationshipRecord]
    ) -> WriteSummary:
        incoming: dict[tuple[str, str], dict[str, Any]] = {}
        for record in records:
            props = record.properties()
            key = (record.start, record.end)
            earlier = incoming.get(key)
            incoming[key] = props if earlier is None else self._combine(earlier, props)
        keys = [{"start": start, "end": end} for start, end in incoming]
        state = self._runner.read(queries.RELATIONSHIP_STATE[shape], {"rows": keys})
        missing = [
            (start, end)
            for start, end, has_start, has_end, _ in state
            if not (has_start and has_end)
        ]
        if missing:
            start, end = missing[0]
            raise RecordError(
                f"{len(missing)} {shape[0]} relationship(s) name nodes that are not in the "
                f"store (first: {start} -> {end}); add the nodes first"
            )
        stored = {(start, end): props for start, end, _, _, props in state}
        summary = WriteSummary()
        rows = []
        for (start, end), props in incoming.items():
            old = stored.get((start, end))
            if old is None:
                summary.created += 1
                rows.append({"start": start, "end": end, "props": props})
                continue
            final = merge_provenance(old, props)
            if _changed(old, final):
                summary.updated += 1
                rows.append({"start": start, "end": end, "props": final})
            else:
                summary.unchanged += 1
        if rows:
            self._runner.write(
                [(queries.UPSERT_RELATIONSHIPS[shape], {"rows": rows}), (queries.BUMP_VERSION, {})]
            )
        return summary

    @staticmethod
    def _combine(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
        """Two records of the same thing in one batch: later values win."""
        return {**earlier, **merge_provenance(earlier, later)}

    def erase_person(self, person_id: str) -> bool:
        """Remove a person, their relationships and their name as an introducer.

        Returns False when there was no such person.
        """
        if self.person(person_id) is None:
            return False
        self._runner.write(
            [
                (queries.ERASE_PERSON, {"id": person_id}),
                (queries.FORGET_INTRODUCER, {"id": person_id}),
                (queries.BUMP_VERSION, {}),
            ]
        )
        return True

    def clear(self) -> None:
        """Delete everything; the version still moves forward, never back."""
        version = self.version()
        self._runner.clear()
        self._runner.ensure_schema()
        self._runner.write([(queries.SET_GRAPH_META, {"props": {"version": version + 1}})])

    def set_graph_meta(self, **props: str | int | bool) -> None:
        """Record facts about the graph itself (not part of the network)."""
        self._runner.write([(queries.SET_GRAPH_META, {"props": props})])

    # --- reading -------------------------------------------------------------------

    def graph_meta(self) -> dict[str, Any]:
        rows = self._runner.read(queries.READ_GRAPH_META)
        return dict(rows[0][0]) if rows else {}

    def version(self) -> int:
        """A number that changes whenever the network changes."""
        return int(self.graph_meta().get("version", 0))

    def counts(self) -> GraphCounts:
        nodes = dict.fromkeys(NODE_TYPES, 0)
        nodes.update({kind: int(n) for kind, n in self._runner.read(queries.COUNT_NODES_BY_KIND)})
        relationships = dict.fromkeys(RELATIONSHIP_TYPES, 0)
        relationships.update(
            {kind: int(n) for kind, n in self._runner.read(queries.COUNT_RELATIONSHIPS_BY_TYPE)}
        )
        return GraphCounts(nodes=nodes, relationships=relationships, version=self.version())

    def snapshot(self) -> Snapshot:
        """The whole network as a networkx graph.

        Nodes are keyed by id and carry ``kind`` (their label) and their
        properties; edges are keyed by relationship type and carry ``type``
        and their properties.
        """
        return graph_from_rows(
            self._runner.read(queries.ALL_NODES), self._runner.read(queries.ALL_RELATIONSHIPS)
        )

    def person(self, person_id: str) -> dict[str, Any] | None:
        """Everything stored on one person's node, or None."""
        rows = self._runner.read(queries.PERSON_BY_ID, {"id": person_id})
        return dict(rows[0][0]) if rows else None

    def neighbourhood(self, person_id: str, depth: int = 1) -> Snapshot | None:
        """The person and everything within ``depth`` (1 or 2) steps, or None."""
        if depth not in queries.NEIGHBOURHOOD_NODES:
            raise ValueError("depth must be 1 or 2")
        if self.person(person_id) is None:
            return None
        params = {"id": person_id}
        return graph_from_rows(
            self._runner.read(queries.NEIGHBOURHOOD_NODES[depth], params),
            self._runner.read(queries.NEIGHBOURHOOD_RELATIONSHIPS[depth], params),
        )

    def search_people(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """People whose names contain words starting with each word of ``text``.

        Case, accents and punctuation are ignored ("zoe obr" finds "Zoë
        O'Brien"); words of one letter are skipped.
        """
        words = [w for w in fold_text(text).split() if len(w) >= MIN_SEARCH_WORD]
        if not words or limit < 1:
            return []
        dialect = self._runner.dialect
        rows: list[Row] = self._runner.read(
            dialect.search_people, {"query": dialect.fulltext_query(words), "limit": limit}
        )
        return [dict(props) for props, _score in rows]

    # --- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        self._runner.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
