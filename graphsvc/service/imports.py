"""Imports end to end: a file through the importers, resolved against the store, written.

The importers turn files into records and know nothing of the database; this
module is the seam, and the application layer (:mod:`graphsvc.service.network`)
is its one caller in the service and the CLI. A file whose rows fail
validation writes nothing unless the caller says to skip bad rows; every
record carries the import's name as its provenance ``source``.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphsvc.config import get_settings
from graphsvc.errors import ImportFileError
from graphsvc.service.options import ImportOptions
from graphsvc.store import GraphStore
from graphsvc.store.graph_store import ProgressCallback
from importers.attendance import EventGiven, read_attendance
from importers.attendance_records import attendance_records
from importers.graph_records import Directory, Records
from importers.member_records import membership_records
from importers.membership import read_members
from importers.report import ImportReport, RowProblem
from importers.resolution import KnownOrganisation, KnownPerson

# Told each stage of an import ("reading", "resolving", "writing") and, where
# known, how many records it will go through; ``on_progress`` then counts them.
StageCallback = Callable[[str, int | None], None]


def source_name(path: Path) -> str:
    """The provenance ``source`` of an import: the file's name and a digest of its contents."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(2**20):
            digest.update(chunk)
    return f"import:{path.name}#{digest.hexdigest()[:12]}"


def directory_from(store: GraphStore) -> Directory:
    known = store.identities()
    return Directory(
        people=[
            KnownPerson(pid, name, email, frozenset(orgs), visibility)
            for pid, name, email, visibility, orgs in known.people
        ],
        organisations=[
            KnownOrganisation(oid, name, tuple(aliases))
            for oid, name, aliases in known.organisations
        ],
        node_ids=known.node_ids,
        kept_apart=known.kept_apart,
    )


def import_file(
    store: GraphStore,
    path: Path,
    options: ImportOptions,
    *,
    on_stage: StageCallback | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import a membership export or an attendance file; the report says what was
    written, or why nothing was.

    This writes to the store only: a running service's caches are the
    application layer's (:meth:`graphsvc.service.Network.import_file`, which
    every front-end calls).
    """
    if options.kind == "members":
        return _import_members(store, path, options, on_stage or _no_stage, on_progress)
    return _import_attendance(store, path, options, on_stage or _no_stage, on_progress)


def import_members(store: GraphStore, path: Path, **options: Any) -> ImportReport:
    """Import a membership export into ``store`` (options as :class:`ImportOptions`)."""
    return import_file(store, path, ImportOptions(kind="members", **options))


def import_attendance(store: GraphStore, path: Path, **options: Any) -> ImportReport:
    """Import an attendance file into ``store`` (options as :class:`ImportOptions`)."""
    return import_file(store, path, ImportOptions(kind="attendance", **options))


def _import_members(
    store: GraphStore,
    path: Path,
    options: ImportOptions,
    stage: StageCallback,
    on_progress: ProgressCallback | None,
) -> ImportReport:
    """A membership export: ``as_of`` (default: the file's modification date) is
    recorded as when each fact was last seen."""
    stage("reading", None)
    members = read_members(path, _max_bytes(), options.mapping, options.date_order)
    report = _report(path, members.rows_read, members.problems, members.notes)
    if not _ready(report, bool(members.members), options.skip_bad_rows):
        return report
    seen = options.as_of or dt.date.fromtimestamp(path.stat().st_mtime)
    stage("resolving", None)
    records = membership_records(members, directory_from(store), report.source, seen)
    stage("writing", len(records.nodes) + len(records.relationships))
    return _write(store, report, records, on_progress)


def _import_attendance(
    store: GraphStore,
    path: Path,
    options: ImportOptions,
    stage: StageCallback,
    on_progress: ProgressCallback | None,
) -> ImportReport:
    """An attendance file (CSV, Eventbrite, Zoom or a plain-text list); the event
    and date given are for files that do not say on each row."""
    stage("reading", None)
    given = EventGiven(options.event, options.date, options.date_order)
    attendance = read_attendance(path, _max_bytes(), options.file_format, given)
    report = _report(path, attendance.rows_read, attendance.problems, attendance.notes)
    report.format = attendance.format
    if not _ready(report, bool(attendance.attendances), options.skip_bad_rows):
        return report
    seen = max(a.date for a in attendance.attendances)
    stage("resolving", None)
    records = attendance_records(attendance, directory_from(store), report.source, seen)
    stage("writing", len(records.nodes) + len(records.relationships))
    return _write(store, report, records, on_progress)


def _no_stage(stage: str, total: int | None) -> None:
    pass


def _max_bytes() -> int:
    return get_settings().import_max_mb * 2**20


def _report(
    path: Path, rows_read: int, problems: list[RowProblem], notes: list[str]
) -> ImportReport:
    return ImportReport(
        file=path.name,
        source=source_name(path),
        rows_read=rows_read,
        rejected=problems,
        notes=notes,
    )


def _ready(report: ImportReport, any_good: bool, skip_bad_rows: bool) -> bool:
    """Whether to write: some rows are good, and none is bad unless told to skip them."""
    if not any_good:
        first = report.rejected[0] if report.rejected else None
        raise ImportFileError(
            f"{report.file}: no row can be imported"
            + (f" (first problem: row {first.row} {first.reason})" if first else "")
        )
    return not report.rejected or skip_bad_rows


def _write(
    store: GraphStore,
    report: ImportReport,
    records: Records,
    on_progress: ProgressCallback | None,
) -> ImportReport:
    report.merges, report.review = records.merges, records.review
    report.notes += records.notes
    nodes = store.upsert_nodes(records.nodes, on_progress=on_progress)
    relationships = store.upsert_relationships(
        records.relationships, on_progress=on_progress, new_nodes=nodes.created_ids
    )
    total = nodes + relationships
    report.created, report.updated, report.unchanged = total.created, total.updated, total.unchanged
    report.written = True
    return report


__all__ = ["import_attendance", "import_file", "import_members", "source_name"]
