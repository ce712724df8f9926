"""The journal of an import: what undoes it, kept in the store beside what it wrote.

An import writes many batches, each atomic on its own; the file must still
take effect whole or not at all, across an error, a full disk or a crash. So
each write an import makes carries, in the same unit (``QueryRunner.write``),
an *undo entry*: the ids of the nodes and relationships it creates, and the
earlier values of the properties it changes (``None`` for one that was
absent, which removes it again). A write and its undo entry land together or,
after a crash, not at all. On FalkorDB a statement that fails does not stop
the others of its block, so the entry comes first: a write never lands
without it, and an entry for a write that failed undoes nothing.

- Finishing deletes the undo entries in one write: the commit point. The
  header stays until the import's report is kept, so that a process stopping
  between the two still leaves word of what happened.
- A failed import applies its entries in reverse and deletes them
  (:func:`undo`) before the failure is reported, and its report is kept
  before the header goes.
- A process that died leaves its journal behind; the application layer finds
  it the next time it opens the store, or before the next import, and undoes
  it the same way. A journal counts as abandoned when its process is gone
  (same machine) or it has not been written to for :data:`ABANDONED_AFTER_S`
  (another machine, on a shared Neo4j).

A fresh import journals cheaply: a node it creates is undone by removing it,
which removes every relationship touching it too, so an entry holds only the
created ids, and a relationship touching a new node needs no entry at all.

Imports into one store run one at a time, the header serving as the lock:
otherwise undoing one import could put back values another had since written.

Journal nodes have the label ``ImportJournal``, which is no model kind: counts,
snapshots, network reads and backups leave them out, as they leave out
``GraphMeta``. Erasing a person removes them from every journal
(``queries.FORGET_PERSON_IN_NODE_UNDO``), their earlier values above all.
"""

import datetime as dt
import itertools
import json
import os
import socket
import threading
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psutil

from graphsvc.errors import GraphsvcError
from graphsvc.store import queries
from graphsvc.store.query_runner import QueryRunner, Row, Statement

Props = dict[str, Any]
Shape = tuple[str, str, str]

# An import writes every second or so; one on another machine that has written
# nothing for this long is taken to have died.
ABANDONED_AFTER_S = 600.0

# The journals this process is writing or undoing: a journal of this process
# that is not among them was left by an import that failed and could not be undone.
_WRITING: set[str] = set()
_CLAIMING = threading.Lock()


def this_process() -> str:
    """Who owns a journal: machine, process id and the process's start time (pids are reused)."""
    started = psutil.Process().create_time()
    return f"{socket.gethostname()} {os.getpid()} {started:.3f}"


def _abandoned(owner: str, idle_s: float, journal_id: str) -> bool:
    """Whether the import that owns a journal can no longer finish or undo it."""
    host, _, rest = owner.partition(" ")
    pid, _, started = rest.partition(" ")
    if host != socket.gethostname():
        return idle_s > ABANDONED_AFTER_S
    if owner == this_process():
        return journal_id not in _WRITING
    try:
        process = psutil.Process(int(pid))
        return process.status() == psutil.STATUS_ZOMBIE or f"{process.create_time():.3f}" != started
    except (psutil.NoSuchProcess, ValueError):
        return True
    except psutil.Error:
        return False  # there, but not ours to look at: taken to be alive


def earlier_values(stored: Props, changed: Props) -> Props:
    """The stored values of the properties a write changes; ``None`` where absent."""
    return {name: stored.get(name) for name in changed}


@dataclass(frozen=True)
class JournalHeader:
    """An import's journal as found in the store."""

    id: str
    file: str
    source: str
    started: str
    owner: str
    user_id: int | None
    # Finished: written whole, only its report may be missing (with its counts).
    finished: bool
    counts: dict[str, int]
    abandoned: bool


@dataclass
class UndoSummary:
    """What undoing an import did: things it had created removed, changed ones put back."""

    removed: int = 0
    restored: int = 0


@dataclass(frozen=True)
class JournalPart:
    """An import journal's part of one write: the undo entry, written first (if the
    write needs one), and a touch of the header, written last.

    Last, so that on Neo4j two writes in flight contend for the header's lock only
    as they commit; the touch's result says the header was still there.
    """

    entries: list[Statement]
    touch: Statement

    def around(self, writes: Sequence[Statement]) -> list[Statement]:
        return [*self.entries, *writes, self.touch]

    def confirm(self, results: Sequence[list[Row]]) -> None:
        """Raise unless the header was still there when the write (``results``: those
        of :meth:`around`'s statements) landed: it has landed, with its undo entry,
        and the failure undoes it."""
        if not results[-1]:
            raise GraphsvcError(
                "the import's journal was removed while it wrote (the store was cleared, "
                "or another process took the import for abandoned); import the file again"
            )


@dataclass
class ImportJournal:
    """One import's journal while it writes: its part of each write."""

    id: str
    # Nodes this import created: removing them undoes them and their relationships.
    created_nodes: set[str] = field(default_factory=set)
    _entries: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))

    def for_nodes(
        self, kind: str, created: Collection[str], changed: Iterable[tuple[str, Props]]
    ) -> JournalPart:
        """The journal's part of a write of ``kind`` nodes. ``changed`` are (id,
        earlier values) of the nodes it changes."""
        self.created_nodes.update(created)
        ids, previous = [], []
        for node_id, earlier in changed:
            if node_id not in self.created_nodes:
                ids.append(node_id)
                previous.append(_encoded(earlier))
        if not created and not ids:
            return self._part(None)
        entry = {"kind": kind, "created": list(created), "changed": ids, "previous": previous}
        return self._part(("nodes", entry))

    def for_relationships(
        self,
        shape: Shape,
        created: Iterable[tuple[str, str]],
        changed: Iterable[tuple[tuple[str, str], Props]],
    ) -> JournalPart:
        """The same for a write of relationships of one shape, keyed (start, end).

        Those touching a node this import created are left out: removing the
        node removes them.
        """
        new = self.created_nodes
        created = [(a, b) for a, b in created if a not in new and b not in new]
        changed = [(key, earlier) for key, earlier in changed if new.isdisjoint(key)]
        if not created and not changed:
            return self._part(None)
        entry = {
            "type": shape[0],
            "start_kind": shape[1],
            "end_kind": shape[2],
            "created_starts": [a for a, _ in created],
            "created_ends": [b for _, b in created],
            "changed_starts": [a for (a, _), _ in changed],
            "changed_ends": [b for (_, b), _ in changed],
            "previous": [_encoded(earlier) for _, earlier in changed],
        }
        return self._part(("relationships", entry))

    def release(self) -> None:
        """This process no longer writes the journal: if it is left, it is abandoned."""
        _WRITING.discard(self.id)

    def _part(self, entry: tuple[str, Props] | None) -> JournalPart:
        touch = (queries.TOUCH_IMPORT_JOURNAL, {"id": self.id})
        if entry is None:
            return JournalPart([], touch)
        part, fields = entry
        seq = next(self._entries)
        props = {"id": f"{self.id}/{seq}", "import": self.id, "seq": seq, "part": part, **fields}
        return JournalPart([(queries.ADD_UNDO_ENTRY, {"props": props})], touch)


def _encoded(values: Props) -> str:
    # A property cannot hold a map: the earlier values are kept as JSON text.
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


# --- the journal's life -------------------------------------------------------------


def begin(runner: QueryRunner, file: str, source: str, user_id: int | None) -> ImportJournal:
    """Start the journal of an import, or refuse while another import's journal is there."""
    journal = ImportJournal(f"import:{uuid.uuid4().hex}")
    props: Props = {
        "id": journal.id,
        "part": "header",
        "file": file,
        "source": source,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "owner": this_process(),
    }
    if user_id is not None:
        props["user_id"] = user_id
    # Before the write: a recovery in another thread must not take it for abandoned.
    _WRITING.add(journal.id)
    try:
        begun = runner.write(
            [(queries.LOCK_GRAPH, {}), (queries.BEGIN_IMPORT_JOURNAL, {"props": props})]
        )[1]
    except BaseException:
        journal.release()
        raise
    if not begun:
        journal.release()
        raise _busy(headers(runner))
    return journal


def _busy(found: list[JournalHeader]) -> GraphsvcError:
    other = found[0] if found else None
    if other is None:
        return GraphsvcError("another import into this store is under way; try again shortly")
    if other.abandoned:
        return GraphsvcError(
            f"an import of {other.file} into this store was cut short and is not undone yet; "
            "open the store with graphsvc (any command) to undo it, then import again"
        )
    return GraphsvcError(
        f"an import of {other.file} into this store is under way (started {other.started}); "
        "import this file once it has finished"
    )


def headers(runner: QueryRunner) -> list[JournalHeader]:
    """Every import journal in the store, oldest first."""
    found = []
    for props, idle_ms in runner.read(queries.IMPORT_JOURNALS):
        header = dict(props)
        user_id = header.get("user_id")
        found.append(
            JournalHeader(
                id=str(header["id"]),
                file=str(header.get("file", "")),
                source=str(header.get("source", "")),
                started=str(header.get("started", "")),
                owner=str(header.get("owner", "")),
                user_id=int(user_id) if user_id is not None else None,
                finished=bool(header.get("finished")),
                counts={
                    name: int(header.get(name) or 0) for name in ("created", "updated", "unchanged")
                },
                abandoned=_abandoned(
                    str(header.get("owner", "")), (idle_ms or 0) / 1000, str(header["id"])
                ),
            )
        )
    return found


def claim(runner: QueryRunner, header: JournalHeader) -> ImportJournal | None:
    """Take an abandoned journal over, so that this process alone undoes it; None if
    another process took it first."""
    with _CLAIMING:
        if header.id in _WRITING:
            return None  # another thread of this process has it
        _WRITING.add(header.id)
    journal = ImportJournal(header.id)
    params = {"id": header.id, "was": header.owner, "owner": this_process()}
    try:
        taken = runner.write([(queries.LOCK_GRAPH, {}), (queries.CLAIM_IMPORT_JOURNAL, params)])[1]
    except BaseException:
        journal.release()
        raise
    if not taken:
        journal.release()
        return None
    return journal


def finish(runner: QueryRunner, journal: ImportJournal, counts: dict[str, int]) -> None:
    """The commit point: the undo entries go, and the header says the import is whole."""
    runner.write(
        [
            (queries.DELETE_UNDO_ENTRIES, {"id": journal.id}),
            (queries.MARK_IMPORT_FINISHED, {"id": journal.id, "counts": counts}),
        ]
    )


def forget(runner: QueryRunner, journal: ImportJournal) -> None:
    """Delete what is left of a journal (its report is kept) and let it go."""
    runner.write([(queries.FORGET_IMPORT_JOURNAL, {"id": journal.id})])
    journal.release()


def undo(runner: QueryRunner, journal: ImportJournal) -> UndoSummary:
    """Apply a journal's undo entries, newest first, deleting each once applied; the
    header stays, for :func:`forget` once the import's report is kept.

    Undoing an entry again changes nothing more (values put back, things
    removed), so an undo cut short in turn is simply run again; and an entry
    is deleted only after it is applied, even where a statement that fails
    does not stop the others (FalkorDB). Every write moves the graph version;
    one that removes nodes marks it purged, as an erasure does, since results
    computed meanwhile may show what is removed.
    """
    summary = UndoSummary()
    for (props,) in runner.read(queries.UNDO_ENTRIES, {"id": journal.id}):
        entry = dict(props)
        statements, removed, restored, consent = _undoing(entry)
        removes_nodes = entry["part"] == "nodes" and removed
        writes = [
            *statements,
            (queries.PURGE_VERSION if removes_nodes else queries.BUMP_VERSION, {}),
        ]
        if consent:
            writes.append((queries.MARK_CONSENT_CHANGED, {}))
        runner.write(writes)
        runner.write([(queries.DELETE_UNDO_ENTRY, {"id": entry["id"]})])
        summary.removed += removed
        summary.restored += restored
    return summary


def _undoing(entry: Props) -> tuple[list[Statement], int, int, bool]:
    """The statements that undo one entry; how many things they remove and restore,
    and whether they put someone's visibility back."""
    previous = [json.loads(text) for text in entry.get("previous") or []]
    if entry["part"] == "nodes":
        return _undoing_nodes(entry, previous)
    statements, removed, restored = _undoing_relationships(entry, previous)
    return statements, removed, restored, False


def _undoing_nodes(entry: Props, previous: list[Props]) -> tuple[list[Statement], int, int, bool]:
    kind = str(entry["kind"])
    restore = [
        {"id": node_id, "props": props}
        for node_id, props in zip(entry.get("changed") or [], previous, strict=True)
    ]
    remove = list(entry.get("created") or [])
    statements: list[Statement] = []
    if restore:
        statements.append((_known(queries.RESTORE_NODES, kind), {"rows": restore}))
    if remove:
        statements.append((_known(queries.REMOVE_NODES, kind), {"ids": remove}))
    consent = kind == "Person" and any("visibility" in row["props"] for row in restore)
    return statements, len(remove), len(restore), consent


def _undoing_relationships(entry: Props, previous: list[Props]) -> tuple[list[Statement], int, int]:
    shape = (str(entry["type"]), str(entry["start_kind"]), str(entry["end_kind"]))
    starts, ends = entry.get("changed_starts") or [], entry.get("changed_ends") or []
    restore = [
        {"start": start, "end": end, "props": props}
        for start, end, props in zip(starts, ends, previous, strict=True)
    ]
    starts, ends = entry.get("created_starts") or [], entry.get("created_ends") or []
    remove = [{"start": start, "end": end} for start, end in zip(starts, ends, strict=True)]
    statements: list[Statement] = []
    if restore:
        statements.append((_known(queries.RESTORE_RELATIONSHIPS, shape), {"rows": restore}))
    if remove:
        statements.append((_known(queries.REMOVE_RELATIONSHIPS, shape), {"rows": remove}))
    return statements, len(remove), len(restore)


def _known[K](table: dict[K, str], key: K) -> str:
    try:
        return table[key]
    except KeyError:
        raise GraphsvcError(
            f"an import journal names {key!r}, which this version of graphsvc does not know; "
            "undo it with the version that wrote it"
        ) from None
