"""What importing a file would do, row by row, with nothing written.

A preview reads the file and resolves its rows against the store exactly as
an import does (:func:`graphsvc.service.imports.read_file`), then compares
the records with what is stored instead of writing them: no journal is
begun, no report is kept, and the store's version does not move. What it
shows (who would be created, who a row matched and why, each field of a
known person that would change, old and new, what would be skipped) is
personal data, for admins only, and is never kept.

An import under way meanwhile is not waited for: a preview is what the
store would take now, and importing the file afterwards resolves it again.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from itertools import islice
from pathlib import Path
from typing import Any

from graphsvc import model as m
from graphsvc.service.imports import directory_from, read_file
from graphsvc.service.options import ImportOptions
from graphsvc.store import GraphStore, queries
from importers.graph_records import Directory, Records
from importers.report import ImportReport, RowProblem

# The details of a person a file can change, in the order a preview lists them.
PERSON_FIELDS = ("name", "email", "phone", "job_title", "sector", "visibility", "joined")
# People read from the store per query when comparing them.
READ_BATCH = 5_000


@dataclass(frozen=True)
class FieldChange:
    """One stored detail of a known person and what the file would make it."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PersonCreated:
    """Someone the file would add, by the first row that names them."""

    row: int | None
    person: str
    name: str
    email: str | None


@dataclass(frozen=True)
class PersonMatched:
    """A row taken to be someone already known, or someone an earlier row adds (``new``)."""

    row: int
    person: str
    name: str
    reason: str
    new: bool = False


@dataclass(frozen=True)
class PersonChanged:
    """A known person whose stored details the file would change."""

    row: int | None
    person: str
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class PairToReview:
    """A row that may be someone known: it would be kept apart, for a person to decide."""

    row: int
    person: str
    name: str
    candidate: str
    candidate_name: str
    reason: str


@dataclass
class ImportPreview:
    """What importing the file would do; ``would_write`` is False where it would write
    nothing (bad rows, and not told to skip them)."""

    file: str
    source: str
    format: str | None
    rows_read: int
    would_write: bool
    created: list[PersonCreated] = field(default_factory=list)
    matched: list[PersonMatched] = field(default_factory=list)
    changed: list[PersonChanged] = field(default_factory=list)
    review: list[PairToReview] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    # Things other than people the file would add, by kind (Organisation: 3).
    new_nodes: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        for name in ("created", "matched", "review"):
            data[name] = [dict(vars(row)) for row in data[name]]
        data["changed"] = [
            {**vars(row), "changes": [dict(vars(change)) for change in row.changes]}
            for row in self.changed
        ]
        data["skipped"] = [{"row": p.row, "reason": p.reason} for p in self.skipped]
        data["new_nodes"] = dict(self.new_nodes)
        data["notes"] = list(self.notes)
        return data


def preview_file(store: GraphStore, path: Path, options: ImportOptions) -> ImportPreview:
    """What importing ``path`` with ``options`` would do to ``store``; writes nothing.

    Raises as an import does for a file that cannot be read at all.
    """
    read = read_file(path, options)
    directory = directory_from(store)
    records = read.resolve(directory)
    return _preview(store, read.report, read.ready, directory, records)


def _preview(
    store: GraphStore,
    report: ImportReport,
    would_write: bool,
    directory: Directory,
    records: Records,
) -> ImportPreview:
    stored = {person.id: person for person in directory.people}
    people = {node.id: node for node in records.nodes if isinstance(node, m.Person)}
    preview = ImportPreview(
        file=report.file,
        source=report.source,
        format=report.format,
        rows_read=report.rows_read,
        would_write=would_write,
        skipped=list(report.rejected),
        notes=[*report.notes, *records.notes],
    )
    preview.created = [
        PersonCreated(records.person_rows.get(pid), pid, person.name, person.email)
        for pid, person in people.items()
        if pid not in stored
    ]
    preview.created.sort(key=lambda created: created.row or 0)

    def name_of(pid: str) -> str:
        known = stored.get(pid)
        return known.name if known else people[pid].name if pid in people else pid

    preview.matched = [
        PersonMatched(
            merge.row, merge.person, name_of(merge.person), merge.reason, merge.person not in stored
        )
        for merge in records.merges
    ]
    preview.review = [
        PairToReview(
            item.row,
            item.person,
            name_of(item.person),
            item.candidate,
            name_of(item.candidate),
            item.reason,
        )
        for item in records.review
    ]
    preview.changed = list(_changed_people(store, people, records.person_rows))
    preview.new_nodes = _new_nodes(records, directory)
    if not would_write:
        preview.notes.append(
            f"Nothing would be written: {len(report.rejected):,} rows cannot be imported "
            "(fix them, or skip bad rows to import the rest)."
        )
    return preview


def _changed_people(
    store: GraphStore, people: dict[str, m.Person], first_rows: dict[str, int]
) -> Iterator[PersonChanged]:
    """Each stored person the records would change, with every field old and new."""
    for stored_id, stored in _stored_people(store, list(people)):
        incoming = people[stored_id].properties()
        changes = tuple(
            FieldChange(name, stored.get(name), incoming[name])
            for name in PERSON_FIELDS
            if name in incoming and stored.get(name) != incoming[name]
        )
        if changes:
            shown = stored.get("name") or stored_id
            yield PersonChanged(first_rows.get(stored_id), stored_id, shown, changes)


def _stored_people(store: GraphStore, ids: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The stored properties of those of ``ids`` that are stored, a batch at a time."""
    for batch in _batches(ids, READ_BATCH):
        for person_id, props in store.runner.read(queries.NODES_BY_ID["Person"], {"ids": batch}):
            yield person_id, dict(props)


def people_named(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """The stored names of those of ``ids`` that are people still in the store."""
    return {pid: props.get("name") or pid for pid, props in _stored_people(store, list(ids))}


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _new_nodes(records: Records, directory: Directory) -> dict[str, int]:
    """How many organisations, places, cells, events and themes the records add."""
    known = directory.node_ids | {org.id for org in directory.organisations}
    counts: dict[str, int] = {}
    for node in records.nodes:
        if not isinstance(node, m.Person) and node.id not in known:
            counts[node.KIND] = counts.get(node.KIND, 0) + 1
    return dict(sorted(counts.items()))


__all__ = ["ImportPreview", "people_named", "preview_file"]
