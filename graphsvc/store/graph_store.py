"""GraphStore: the graph model kept in a graph database.

One implementation serves every backend: it speaks the shared openCypher of
:mod:`graphsvc.store.queries` through a :class:`QueryRunner`, and asks the
runner's dialect where the engines differ.

The store returns what it holds, private fields included; deciding who may
see what is the API layer's job.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import batched
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from graphsvc.errors import RecordError
from graphsvc.model import (
    NODE_TYPES,
    RELATIONSHIP_TYPES,
    NodeRecord,
    RelationshipRecord,
    ReviewStatus,
    Visibility,
)
from graphsvc.model.provenance import merge_provenance
from graphsvc.model.relationships import kind_of
from graphsvc.model.text import fold_text
from graphsvc.store import journal as journals
from graphsvc.store import queries
from graphsvc.store.journal import (
    ImportJournal,
    JournalHeader,
    JournalPart,
    UndoSummary,
    earlier_values,
)
from graphsvc.store.query_runner import QueryRunner, Row, StoreAddress
from graphsvc.store.snapshot import Snapshot, graph_from_columns, graph_from_rows

if TYPE_CHECKING:
    from graphsvc.store.merging import PersonMerge, StoredTie

DEFAULT_BATCH_SIZE = 2000
# The full-text engines do not expand one-letter prefixes.
MIN_SEARCH_WORD = 2

ProgressCallback = Callable[[int], None]


@dataclass
class WriteSummary:
    """What an upsert did, counted per distinct node or relationship."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Ids of the nodes an upsert created (nodes only): relationships touching them are new.
    created_ids: set[str] = field(default_factory=set, repr=False)

    def __add__(self, other: "WriteSummary") -> "WriteSummary":
        return WriteSummary(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.created_ids | other.created_ids,
        )

    def __iadd__(self, other: "WriteSummary") -> Self:
        # In place: a large upsert adds up hundreds of batches, and copying
        # the growing set of created ids each time would take quadratic time.
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.created_ids |= other.created_ids
        return self


@dataclass
class Identities:
    """People (id, name, email, visibility, organisation ids), organisations
    (id, name, aliases) and the ids of places, cells, themes and events."""

    people: list[tuple[str, str, str | None, str | None, list[str]]]
    organisations: list[tuple[str, str, list[str]]]
    node_ids: set[str]
    # Pairs of people a person has said are different: never proposed again.
    kept_apart: set[frozenset[str]] = field(default_factory=set)
    # Cells and events: (kind, id, name, an event's ISO date or None).
    named_nodes: list[tuple[str, str, str, str | None]] = field(default_factory=list)


@dataclass(frozen=True)
class PossibleMatch:
    """Two people who may be one: ``person`` (met in an import) and ``candidate``."""

    person: str
    person_name: str
    person_email: str | None
    candidate: str
    candidate_name: str
    candidate_email: str | None
    reason: str
    source: str
    # Where each works now and is based (names, sorted; empty where none is known).
    person_organisations: tuple[str, ...] = ()
    person_places: tuple[str, ...] = ()
    candidate_organisations: tuple[str, ...] = ()
    candidate_places: tuple[str, ...] = ()


@dataclass
class GraphCounts:
    """Nodes by kind, relationships by type, and the graph version."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    version: int = 0


@dataclass(frozen=True)
class GraphState:
    """Where the graph stands: ``version`` moves with every change; ``purged`` is
    the version at the latest erasure (or clearing), and ``consent`` at the latest
    change of someone's visibility. Results computed from a version before
    ``purged`` may hold erased people and must not be served; those from before
    ``consent`` must have everyone's visibility read again before they are."""

    version: int
    purged: int
    consent: int = 0


@dataclass
class PersonData:
    """Everything the store holds about one person: their node, every relationship
    touching them (with the other end's kind and name), and the introductions
    they are named as making."""

    person: dict[str, Any]
    relationships: list[dict[str, Any]]
    introduced: list[dict[str, Any]]


Props = dict[str, Any]


def _finished(
    in_flight: "tuple[Future[WriteSummary], set[object], int]",
    on_progress: ProgressCallback | None,
) -> "WriteSummary":
    future, _, size = in_flight
    done = future.result()
    if on_progress:
        on_progress(size)
    return done


def _collapse[K](keyed: Iterable[tuple[K, Props]]) -> dict[K, Props]:
    """One property map per key; where a batch repeats a thing, later values win."""
    collapsed: dict[K, Props] = {}
    for key, props in keyed:
        earlier = collapsed.get(key)
        collapsed[key] = (
            props if earlier is None else {**earlier, **merge_provenance(earlier, props)}
        )
    return collapsed


def _changes[K](
    incoming: dict[K, Props], stored: dict[K, Props]
) -> tuple[WriteSummary, list[tuple[K, Props]]]:
    """What to write for each incoming key, given what is stored, and the tally."""
    summary = WriteSummary()
    changes: list[tuple[K, Props]] = []
    for key, props in incoming.items():
        old = stored.get(key)
        if old is None:
            summary.created += 1
            changes.append((key, props))
            continue
        final = merge_provenance(old, props)
        # Only what differs is sent: the write adds it to what is stored.
        changed = {name: value for name, value in final.items() if old.get(name) != value}
        if changed:
            summary.updated += 1
            changes.append((key, changed))
        else:
            summary.unchanged += 1
    return summary, changes


def _undo_of_nodes(
    journal: ImportJournal | None,
    kind: str,
    created: list[str],
    changes: list[tuple[str, Props]],
    stored: dict[str, Props],
) -> JournalPart | None:
    """An import journal's part of a write of nodes (none without a journal)."""
    if journal is None or not changes:
        return None
    changed = (
        (node_id, earlier_values(stored[node_id], props))
        for node_id, props in changes
        if node_id in stored
    )
    return journal.for_nodes(kind, created, changed)


def _undo_of_relationships(
    journal: ImportJournal | None,
    shape: tuple[str, str, str],
    changes: list[tuple[tuple[str, str], Props]],
    stored: dict[tuple[str, str], Props],
) -> JournalPart | None:
    """An import journal's part of a write of relationships of one shape."""
    if journal is None or not changes:
        return None
    created = [key for key, _ in changes if key not in stored]
    changed = ((key, earlier_values(stored[key], props)) for key, props in changes if key in stored)
    return journal.for_relationships(shape, created, changed)


@dataclass
class _KnownNew:
    """What one ``upsert_relationships`` call knows, so each thing is looked up once."""

    new_nodes: Collection[str]  # created by the import: their relationships are all new
    journal: ImportJournal | None = None
    written: set[tuple[str, str, str]] = field(default_factory=set)  # new ones written so far
    stored: set[str] = field(default_factory=set)  # other ends found in the store so far


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

    @property
    def address(self) -> StoreAddress:
        """How another process opens this same store."""
        return self._runner.address

    # --- writing -------------------------------------------------------------------

    def upsert_nodes(
        self,
        records: Iterable[NodeRecord],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: ProgressCallback | None = None,
        journal: ImportJournal | None = None,
    ) -> WriteSummary:
        """Create or update nodes by id, in batches; each batch is atomic.

        Properties a record leaves unset keep their stored value; provenance
        widens to cover both sightings. A batch that changes nothing writes
        nothing and leaves the graph version alone. With an import's
        ``journal`` (:meth:`begin_import`), each write carries what undoes it.
        """

        def write(kind: str, members: list[NodeRecord]) -> WriteSummary:
            return self._write_nodes(kind, members, journal)

        return self._upsert(
            records,
            lambda r: r.KIND,
            write,
            batch_size,
            on_progress,
            key_of=lambda r: r.id,
        )

    def upsert_relationships(
        self,
        records: Iterable[RelationshipRecord],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: ProgressCallback | None = None,
        new_nodes: Collection[str] = frozenset(),
        journal: ImportJournal | None = None,
    ) -> WriteSummary:
        """Create or update relationships between nodes already in the store.

        A relationship is identified by (start, type, end). A batch naming a
        node that is not stored raises :class:`RecordError` and writes nothing.

        ``new_nodes`` are ids of nodes that had no relationships before (the
        ``created_ids`` of the ``upsert_nodes`` just before): a relationship
        touching one is written without first reading its stored state, which
        roughly halves the work of a large first import. With an import's
        ``journal``, each write carries what undoes it.
        """
        known = _KnownNew(new_nodes, journal)

        def write(shape: tuple[str, str, str], members: list[RelationshipRecord]) -> WriteSummary:
            return self._write_relationships(shape, members, known)

        return self._upsert(
            records,
            lambda r: (r.TYPE, r.start_kind, r.end_kind),
            write,
            batch_size,
            on_progress,
            key_of=lambda r: (r.TYPE, r.start, r.end),
        )

    @staticmethod
    def _upsert[R, G](
        records: Iterable[R],
        group_of: Callable[[R], G],
        write_group: Callable[[G, list[R]], WriteSummary],
        batch_size: int,
        on_progress: ProgressCallback | None,
        key_of: Callable[[R], object],
    ) -> WriteSummary:
        """Split records into batches and each batch into groups that one query writes.

        Two batches are in flight at once: while the database works on one,
        Python prepares the other, which keeps both of the machine's cores busy.
        A batch that shares a record with the one in flight waits for it, so a
        record repeated across batches is still written in order.
        """

        def write_batch(batch: tuple[R, ...]) -> WriteSummary:
            groups: dict[G, list[R]] = defaultdict(list)
            for record in batch:
                groups[group_of(record)].append(record)
            done = WriteSummary()
            for group, members in groups.items():
                done += write_group(group, members)
            return done

        summary = WriteSummary()
        in_flight: tuple[Future[WriteSummary], set[object], int] | None = None
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="graphsvc-write") as pool:
            for batch in batched(records, batch_size):
                keys = {key_of(record) for record in batch}
                if in_flight is not None and not keys.isdisjoint(in_flight[1]):
                    summary += _finished(in_flight, on_progress)
                    in_flight = None
                future = pool.submit(write_batch, batch)
                if in_flight is not None:
                    summary += _finished(in_flight, on_progress)
                in_flight = (future, keys, len(batch))
            if in_flight is not None:
                summary += _finished(in_flight, on_progress)
        return summary

    def _write_nodes(
        self, kind: str, records: list[NodeRecord], journal: ImportJournal | None
    ) -> WriteSummary:
        incoming = _collapse((record.id, record.properties()) for record in records)
        stored = {
            node_id: props
            for node_id, props in self._runner.read(
                queries.NODES_BY_ID[kind], {"ids": list(incoming)}
            )
        }
        summary, changes = _changes(incoming, stored)
        created = [node_id for node_id in incoming if node_id not in stored]
        summary.created_ids = set(created)
        rows = [{"id": node_id, "props": props} for node_id, props in changes]
        consent = any("visibility" in props for node_id, props in changes if node_id in stored)
        undo = _undo_of_nodes(journal, kind, created, changes, stored)
        self._write_changes(queries.UPSERT_NODES[kind], rows, consent_changed=consent, undo=undo)
        return summary

    def _write_relationships(
        self,
        shape: tuple[str, str, str],
        records: list[RelationshipRecord],
        known: "_KnownNew",
    ) -> WriteSummary:
        incoming = _collapse(((r.start, r.end), r.properties()) for r in records)
        fresh: list[dict[str, Any]] = []
        if new_nodes := known.new_nodes:
            for (start, end), props in list(incoming.items()):
                key = (shape[0], start, end)
                # Written earlier in this upsert: its state is stored now, so read it.
                if (start in new_nodes or end in new_nodes) and key not in known.written:
                    known.written.add(key)
                    fresh.append({"start": start, "end": end, "props": props})
                    del incoming[(start, end)]
        summary = self._write_stored_relationships(shape, incoming, known.journal)
        if fresh:
            self._require_nodes(shape, fresh, known)
            created = [(row["start"], row["end"]) for row in fresh]
            undo = known.journal.for_relationships(shape, created, []) if known.journal else None
            self._write_changes(queries.UPSERT_RELATIONSHIPS[shape], fresh, undo=undo)
            summary.created += len(fresh)
        return summary

    def _require_nodes(
        self, shape: tuple[str, str, str], rows: list[dict[str, Any]], known: "_KnownNew"
    ) -> None:
        """Raise RecordError unless every end of the rows that is not new is stored."""
        for kind, end in ((shape[1], "start"), (shape[2], "end")):
            wanted = {
                row[end]
                for row in rows
                if row[end] not in known.new_nodes and row[end] not in known.stored
            }
            if not wanted:
                continue
            found = {
                node_id
                for (node_id,) in self._runner.read(
                    queries.STORED_NODE_IDS[kind], {"ids": list(wanted)}
                )
            }
            known.stored |= found
            if missing := wanted - found:
                raise RecordError(
                    f"{shape[0]} relationship(s) name {len(missing)} {kind} node(s) that are "
                    f"not in the store (first: {min(missing)}); add the nodes first"
                )

    def _write_stored_relationships(
        self,
        shape: tuple[str, str, str],
        incoming: dict[tuple[str, str], Props],
        journal: ImportJournal | None,
    ) -> WriteSummary:
        if not incoming:
            return WriteSummary()
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
        stored = {(start, end): props for start, end, _, _, props in state if props is not None}
        summary, changes = _changes(incoming, stored)
        rows = [{"start": start, "end": end, "props": props} for (start, end), props in changes]
        undo = _undo_of_relationships(journal, shape, changes, stored)
        self._write_changes(queries.UPSERT_RELATIONSHIPS[shape], rows, undo=undo)
        return summary

    def _write_changes(
        self,
        upsert: str,
        rows: list[dict[str, Any]],
        *,
        consent_changed: bool = False,
        undo: JournalPart | None = None,
    ) -> None:
        """Write changed rows and move the version, as one unit; nothing if none changed.

        ``consent_changed`` (someone's visibility changed) marks the new version so.
        ``undo`` is an import journal's part, written in the same unit (see
        :mod:`graphsvc.store.journal`)."""
        if rows:
            writes = [(upsert, {"rows": rows}), (queries.BUMP_VERSION, {})]
            if consent_changed:
                writes.append((queries.MARK_CONSENT_CHANGED, {}))
            if undo is None:
                self._runner.write(writes)
            else:
                undo.confirm(self._runner.write(undo.around(writes)))

    def erase_person(self, person_id: str) -> bool:
        """Remove a person, their relationships and their name as an introducer.

        The database's own files are rewritten so the person's data does not
        linger in them. Returns False when there was no such person.
        """
        if self.person(person_id) is None:
            return False
        self._runner.write(
            [
                (queries.ERASE_PERSON, {"id": person_id}),
                (queries.FORGET_INTRODUCER, {"id": person_id}),
                # An import's journal may hold the person's earlier values.
                (queries.FORGET_PERSON_IN_NODE_UNDO, {"id": person_id}),
                (queries.FORGET_PERSON_IN_RELATIONSHIP_UNDO, {"id": person_id}),
                (queries.PURGE_VERSION, {}),
            ]
        )
        self._runner.forget_history()
        return True

    # --- imports: whole or not at all (see graphsvc.store.journal) ----------------

    def begin_import(self, file: str, source: str, *, user_id: int | None = None) -> ImportJournal:
        """Start an import's journal; pass it to each upsert of the import.

        Raises :class:`GraphsvcError` while another import into the store is
        under way (or was cut short and is not undone yet).
        """
        return journals.begin(self._runner, file, source, user_id)

    def finish_import(self, journal: ImportJournal, summary: WriteSummary) -> None:
        """The commit point: from here the import stands whole, even if the process stops."""
        counts = {
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
        }
        journals.finish(self._runner, journal, counts)

    def undo_import(self, journal: ImportJournal) -> UndoSummary:
        """Undo everything an unfinished import wrote; its journal's header stays
        until :meth:`forget_import` (once a report says what happened)."""
        return journals.undo(self._runner, journal)

    def forget_import(self, journal: ImportJournal) -> None:
        """Delete what is left of an import's journal, once its report is kept."""
        journals.forget(self._runner, journal)

    def import_journals(self) -> list[JournalHeader]:
        """The journals of imports not yet finished or not yet reported, oldest first."""
        return journals.headers(self._runner)

    def claim_import(self, header: JournalHeader) -> ImportJournal | None:
        """Take over an abandoned import's journal, to undo or report it; None if
        another process took it first."""
        return journals.claim(self._runner, header)

    def compact(self) -> None:
        """Tidy the database's files after a bulk load, so it starts faster."""
        self._runner.compact()

    def clear(self) -> None:
        """Delete everything; the version still moves forward, never back."""
        version = self.version()
        self._runner.clear()
        self._runner.ensure_schema()
        self._runner.write(
            [(queries.SET_GRAPH_META, {"props": {"version": version + 1, "purged": version + 1}})]
        )

    def set_graph_meta(self, **props: str | int | bool) -> None:
        """Record facts about the graph itself (not part of the network)."""
        self._runner.write([(queries.SET_GRAPH_META, {"props": props})])

    # --- reading -------------------------------------------------------------------

    def graph_meta(self) -> dict[str, Any]:
        rows = self._runner.read(queries.READ_GRAPH_META)
        return dict(rows[0][0]) if rows else {}

    def version(self) -> int:
        """A number that changes whenever the network changes."""
        return self.state().version

    def state(self) -> GraphState:
        """The graph's version, and those of its latest erasure and consent change,
        in one read."""
        meta = self.graph_meta()
        return GraphState(
            int(meta.get("version", 0)), int(meta.get("purged", 0)), int(meta.get("consent", 0))
        )

    def visibilities(self) -> dict[str, Visibility]:
        """Every person's visibility, by id (missing or unknown reads as hidden)."""
        return {
            person: Visibility.parse(value)
            for person, value in self._runner.read(queries.PEOPLE_VISIBILITY)
        }

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
        read = self._runner.read
        return graph_from_rows(
            read(queries.ALL_NODES),
            (
                [start, rel_type, end, props]
                for rel_type, query in queries.RELATIONSHIPS_OF_TYPE.items()
                for start, end, props in read(query)
            ),
        )

    def network(self) -> Snapshot:
        """The network's structure, for analysis: a snapshot with fewer properties.

        The same nodes and relationships as :meth:`snapshot`, carrying only
        the properties in ``queries.NETWORK_NODE_PROPERTIES`` and
        ``NETWORK_RELATIONSHIP_PROPERTIES`` (names, sector, visibility, dates,
        tie strengths): no contact details and no provenance. Several times
        faster to read than a full snapshot.
        """
        read = self._runner.read_plain

        def typed(names: tuple[str, ...], rows: list[Row]) -> tuple[tuple[str, ...], list[Row]]:
            flags = [i for i, name in enumerate(names) if name in queries.NETWORK_FLAGS]
            for row in rows:
                for i in flags:
                    row[i + 2] = bool(row[i + 2]) if row[i + 2] is not None else None
            return names, rows

        def listed(names: tuple[str, ...], rows: list[Row]) -> list[Row]:
            lists = [i for i, name in enumerate(names) if name in queries.NETWORK_LISTS]
            for row in rows if lists else ():
                for i in lists:
                    if row[i + 1] is not None:
                        row[i + 1] = row[i + 1].split(queries.NETWORK_LIST_SEPARATOR)[:-1]
            return rows

        return graph_from_columns(
            (
                (kind, names := queries.NETWORK_NODE_PROPERTIES[kind], listed(names, read(query)))
                for kind, query in queries.NETWORK_NODES.items()
            ),
            (
                (rel_type, *typed(queries.NETWORK_RELATIONSHIP_PROPERTIES[rel_type], read(query)))
                for rel_type, query in queries.NETWORK_RELATIONSHIPS.items()
            ),
        )

    def identities(self) -> Identities:
        """Who and what is already known, for matching an import against."""
        read = self._runner.read
        return Identities(
            people=[
                (pid, name, email, visibility, list(orgs or []))
                for pid, name, email, visibility, orgs in read(queries.PEOPLE_IDENTITIES)
            ],
            organisations=[
                (oid, name, list(aliases or []))
                for oid, name, aliases in read(queries.ORGANISATION_IDENTITIES)
            ],
            node_ids={row[0] for row in read(queries.NAMED_NODE_IDS)},
            kept_apart={
                frozenset((a, b))
                for a, b, *_ in read(
                    queries.POSSIBLE_MATCHES, {"status": ReviewStatus.DIFFERENT.value}
                )
            },
            named_nodes=[
                (kind, node_id, name, None if date is None else str(date))
                for kind, node_id, name, date in read(queries.NAMED_CELLS_AND_EVENTS)
                if name
            ],
        )

    def possible_matches(self) -> list[PossibleMatch]:
        """Pairs of people imports could not tell apart, waiting for a person's decision."""
        rows = self._runner.read(queries.POSSIBLE_MATCHES, {"status": ReviewStatus.OPEN.value})
        ids = sorted({row[0] for row in rows} | {row[3] for row in rows})
        found = (
            {
                pid: (tuple(sorted(orgs)), tuple(sorted(places)))
                for pid, orgs, places in self._runner.read(
                    queries.PEOPLE_WORK_AND_PLACE, {"ids": ids}
                )
            }
            if ids
            else {}
        )
        none: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        pairs = []
        for row in rows:
            person, candidate = str(row[0]), str(row[3])
            (person_orgs, person_places), (candidate_orgs, candidate_places) = (
                found.get(person, none),
                found.get(candidate, none),
            )
            pairs.append(
                PossibleMatch(
                    person=person,
                    person_name=row[1],
                    person_email=row[2],
                    candidate=candidate,
                    candidate_name=row[4],
                    candidate_email=row[5],
                    reason=row[6],
                    source=row[7],
                    person_organisations=person_orgs,
                    person_places=person_places,
                    candidate_organisations=candidate_orgs,
                    candidate_places=candidate_places,
                )
            )
        return pairs

    def keep_apart(self, person: str, candidate: str) -> bool:
        """Record that two possibly-same people are different; False if no such pair waits."""
        waiting = {(m.person, m.candidate) for m in self.possible_matches()}
        if (person, candidate) not in waiting:
            return False
        self._runner.write(
            [
                (
                    queries.DECIDE_POSSIBLE_MATCH,
                    {"start": person, "end": candidate, "status": ReviewStatus.DIFFERENT.value},
                ),
                (queries.BUMP_VERSION, {}),
            ]
        )
        return True

    def has_relationship(self, rel_type: str, start: str, end: str) -> bool:
        """Whether a relationship of ``rel_type`` runs from ``start`` to ``end``."""
        shape = (rel_type, kind_of(start), kind_of(end))
        if shape not in queries.RELATIONSHIP_STATE:
            return False
        rows = self._runner.read(
            queries.RELATIONSHIP_STATE[shape], {"rows": [{"start": start, "end": end}]}
        )
        return any(props is not None for *_, props in rows)

    def person(self, person_id: str) -> dict[str, Any] | None:
        """Everything stored on one person's node, or None."""
        rows = self._runner.read(queries.PERSON_BY_ID, {"id": person_id})
        return dict(rows[0][0]) if rows else None

    def person_data(self, person_id: str) -> PersonData | None:
        """Everything held about a person (for an access request), or None."""
        person = self.person(person_id)
        if person is None:
            return None
        read, params = self._runner.read, {"id": person_id}
        return PersonData(
            person=person,
            relationships=[
                {
                    "start": start,
                    "type": rel_type,
                    "end": end,
                    "properties": dict(props),
                    "other_kind": kind,
                    "other_name": name,
                    "other_visibility": visibility,
                }
                for start, rel_type, end, props, kind, name, visibility in read(
                    queries.PERSON_RELATIONSHIPS, params
                )
            ],
            introduced=[
                {"start": a, "end": b, "properties": dict(props)}
                for a, b, props in read(queries.INTRODUCTIONS_MADE_BY, params)
            ],
        )

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

    def remove_member_tie(self, a: str, b: str, source: str) -> None:
        """Remove the KNOWS between two people, either way round, if ``source`` made it."""
        self._runner.write(
            [
                (queries.DELETE_MEMBER_KNOWS, {"start": a, "end": b, "source": source}),
                (queries.BUMP_VERSION, {}),
            ]
        )

    # --- lifecycle -----------------------------------------------------------------

    def detach(self) -> None:
        """Let go of the database without stopping it (a child process is done with it)."""
        self._runner.detach()

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

    # --- a member's own record -------------------------------------------------------

    def update_person(
        self, person_id: str, props: dict[str, Any], *, consent_changed: bool = False
    ) -> bool:
        """Set (a None removes) properties of one person and move the version, as one
        unit; ``consent_changed`` marks a change of visibility. False if no such person."""
        if self.person(person_id) is None:
            return False
        writes = [
            (queries.UPDATE_PERSON, {"id": person_id, "props": props}),
            (queries.BUMP_VERSION, {}),
        ]
        if consent_changed:
            writes.append((queries.MARK_CONSENT_CHANGED, {}))
        self._runner.write(writes)
        return True

    def linked(self, shape: tuple[str, str, str], start: str) -> list[str]:
        """The ids at the end of ``start``'s relationships of one (type, start, end) shape."""
        return [row[0] for row in self._runner.read(queries.PERSON_LINKS[shape], {"id": start})]

    def remove_relationships(
        self, shape: tuple[str, str, str], pairs: list[tuple[str, str]]
    ) -> None:
        """Remove relationships of one shape between (start, end) pairs, moving the version."""
        if pairs:
            rows = [{"start": start, "end": end} for start, end in pairs]
            self._runner.write(
                [(queries.REMOVE_RELATIONSHIPS[shape], {"rows": rows}), (queries.BUMP_VERSION, {})]
            )

    def erasure_requests(self) -> list[tuple[str, str, str]]:
        """(person id, name, date asked) of everyone waiting for their erasure."""
        return [(str(a), str(b), str(c)) for a, b, c in self._runner.read(queries.ERASURE_REQUESTS)]

    def self_descriptions(self) -> list[str]:
        """Every stored answer set to the optional questions (JSON), unattributed."""
        return [str(row[0]) for row in self._runner.read(queries.SELF_DESCRIPTIONS)]

    # --- an admin's stewardship: merging two records of one person -----------------------

    def person_ties(self, person_id: str) -> list["StoredTie"]:
        """Every relationship touching a person, as stored."""
        from graphsvc.store.merging import StoredTie

        rows = self._runner.read(queries.PERSON_RELATIONSHIPS, {"id": person_id})
        return [
            StoredTie(rel_type, start, end, dict(props)) for start, rel_type, end, props, *_ in rows
        ]

    def plan_person_merge(self, kept: str, gone: str) -> "PersonMerge | None":
        """What merging ``gone`` into ``kept`` would write; None unless both are people."""
        from graphsvc.store.merging import plan_merge

        kept_node, gone_node = self.person(kept), self.person(gone)
        if kept_node is None or gone_node is None or kept == gone:
            return None
        introduced = self._runner.read(queries.INTRODUCTIONS_MADE_BY, {"id": gone})
        return plan_merge(
            kept,
            gone,
            kept_node,
            gone_node,
            self.person_ties(kept),
            self.person_ties(gone),
            [(a, b) for a, b, _ in introduced],
        )

    def write_person_merge(self, plan: "PersonMerge") -> None:
        """Merge as planned, as one unit, moving the version."""
        from graphsvc.store.merging import merge_statements

        self._runner.write(merge_statements(plan))

    def undo_person_merge(self, plan: "PersonMerge") -> None:
        """Put back what a merge changed, as one unit, moving the version."""
        from graphsvc.store.merging import undo_statements

        self._runner.write(undo_statements(plan))

    # --- buddying --------------------------------------------------------------------

    def buddying_opt_ins(self) -> list[str]:
        """The ids of everyone who opted in to buddying."""
        return [str(row[0]) for row in self._runner.read(queries.BUDDYING_OPT_INS)]

    def buddying_opt_in(self, person_id: str) -> bool | None:
        """Whether one person opted in (None: never said, or no such person)."""
        rows = self._runner.read(queries.PERSON_BUDDYING_OPT_IN, {"id": person_id})
        return bool(rows[0][0]) if rows and rows[0][0] is not None else None

    def buddy_pairs(self) -> list[tuple[str, str, str, str, str, int | None]]:
        """(a, b, round, across, date, convenor's user id) of every confirmed pair, newest first."""
        return [
            (str(a), str(b), str(name), str(across), str(date), None if by is None else int(by))
            for a, b, name, across, date, by in self._runner.read(queries.BUDDY_PAIRS)
        ]

    def nodes_stored(self, kind: str, ids: list[str]) -> set[str]:
        """Which of these ids are stored as nodes of ``kind``."""
        rows = self._runner.read(queries.STORED_NODE_IDS[kind], {"ids": ids})
        return {node_id for (node_id,) in rows}
