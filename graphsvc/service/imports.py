"""Imports end to end: a file through the importers, resolved against the store, written.

The importers turn files into records and know nothing of the database; this
module is the seam, and the application layer (:mod:`graphsvc.service.network`)
is its one caller in the service and the CLI. A file whose rows fail
validation writes nothing unless the caller says to skip bad rows; every
record carries the import's name as its provenance ``source``.

A file takes effect whole or not at all, even across a failed write or a
crash: its writes carry an import journal (:mod:`graphsvc.store.journal`).
One that fails part way is undone before the failure is reported; one whose
process died is undone by :func:`undo_cut_short_imports`, which the
application layer runs when it opens the store and before each import.
"""

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from graphsvc.config import get_settings
from graphsvc.errors import GraphsvcError, ImportFileError
from graphsvc.service.options import ImportOptions
from graphsvc.store import GraphStore
from graphsvc.store.graph_store import ProgressCallback
from graphsvc.store.journal import ImportJournal, JournalHeader, UndoSummary
from importers.attendance import EventGiven, read_attendance
from importers.attendance_records import attendance_records
from importers.graph_records import Directory, KnownNode, Records
from importers.member_records import membership_records
from importers.membership import read_members
from importers.report import ImportReport, NewPerson, RowProblem
from importers.resolution import KnownOrganisation, KnownPerson

log = logging.getLogger("graphsvc.service")

# Told each stage of an import ("reading", "resolving", "writing") and, where
# known, how many records it will go through; ``on_progress`` then counts them.
StageCallback = Callable[[str, int | None], None]
# Keeps an import's report with the past imports (the application layer's accounts).
ReportKeeper = Callable[[ImportReport], None]
# The same for a report written on behalf of the user who ran an import cut short.
CutShortKeeper = Callable[[int | None, ImportReport], None]


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
        named_nodes=[
            KnownNode(node_id, kind, name, _stored_date(date))
            for kind, node_id, name, date in known.named_nodes
        ],
    )


def _stored_date(text: str | None) -> dt.date | None:
    """An event's stored ISO date, or None if it has none (or not one that parses)."""
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def import_file(
    store: GraphStore,
    path: Path,
    options: ImportOptions,
    *,
    on_stage: StageCallback | None = None,
    on_progress: ProgressCallback | None = None,
    user_id: int | None = None,
    keep: ReportKeeper | None = None,
) -> ImportReport:
    """Import a membership export or an attendance file; the report says what was
    written, or why nothing was.

    ``keep`` is given the report of every import that got as far as reading
    its rows, before the import lets go of its journal: so a process that stops
    in between still leaves word of what happened (``user_id``, who ran it, goes
    into the journal for that). If writing fails part way, what was written is
    undone, ``keep`` is told so, and the error is raised again saying so.

    This writes to the store only: a running service's caches are the
    application layer's (:meth:`graphsvc.service.Network.import_file`, which
    every front-end calls).
    """
    how = _How(on_stage or _no_stage, on_progress, user_id, keep or _keep_nowhere)
    how.stage("reading", None)
    read = read_file(path, options)
    if not read.ready:
        how.keep(read.report)
        return read.report
    return _resolve_and_write(store, read.report, read.resolve, how)


def import_members(store: GraphStore, path: Path, **options: Any) -> ImportReport:
    """Import a membership export into ``store`` (options as :class:`ImportOptions`)."""
    return import_file(store, path, ImportOptions(kind="members", **options))


def import_attendance(store: GraphStore, path: Path, **options: Any) -> ImportReport:
    """Import an attendance file into ``store`` (options as :class:`ImportOptions`)."""
    return import_file(store, path, ImportOptions(kind="attendance", **options))


@dataclass(frozen=True)
class _How:
    """What the caller of an import asked for besides the file and its options."""

    stage: StageCallback
    on_progress: ProgressCallback | None
    user_id: int | None
    keep: ReportKeeper


@dataclass(frozen=True)
class FileRead:
    """A file read and checked, not yet resolved against the store.

    ``ready`` says whether importing it would write (some rows are good, and none
    is bad unless told to skip them); ``resolve`` turns its rows into records
    against what the store holds, without writing anything.
    """

    report: ImportReport
    ready: bool
    resolve: Callable[[Directory], Records]


def read_file(path: Path, options: ImportOptions) -> FileRead:
    """Read a membership export or an attendance file as ``options`` say (no database)."""
    if options.kind == "members":
        return _read_members(path, options)
    return _read_attendance(path, options)


def _read_members(path: Path, options: ImportOptions) -> FileRead:
    """A membership export: ``as_of`` (default: the file's modification date) is
    recorded as when each fact was last seen."""
    members = read_members(path, _max_bytes(), options.mapping, options.date_order)
    report = _report(path, members.rows_read, members.problems, members.notes)
    ready = _ready(report, bool(members.members), options.skip_bad_rows)
    seen = options.as_of or dt.date.fromtimestamp(path.stat().st_mtime)
    return FileRead(
        report, ready, lambda known: membership_records(members, known, report.source, seen)
    )


def _read_attendance(path: Path, options: ImportOptions) -> FileRead:
    """An attendance file (CSV, Eventbrite, Zoom or a plain-text list); the event
    and date given are for files that do not say on each row."""
    given = EventGiven(options.event, options.date, options.date_order, options.mapping)
    attendance = read_attendance(path, _max_bytes(), options.file_format, given)
    report = _report(path, attendance.rows_read, attendance.problems, attendance.notes)
    report.format = attendance.format
    ready = _ready(report, bool(attendance.attendances), options.skip_bad_rows)
    seen = max(a.date for a in attendance.attendances)
    return FileRead(
        report, ready, lambda known: attendance_records(attendance, known, report.source, seen)
    )


def _no_stage(stage: str, total: int | None) -> None:
    pass


def _keep_nowhere(report: ImportReport) -> None:
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


def _resolve_and_write(
    store: GraphStore,
    report: ImportReport,
    resolve: Callable[[Directory], Records],
    how: _How,
) -> ImportReport:
    """Resolve the rows against the store and write them, whole or not at all.

    The journal begins before resolving: imports run one at a time, so none
    resolves against a store that another is still changing.
    """
    journal = store.begin_import(report.file, report.source, user_id=how.user_id)
    try:
        try:
            how.stage("resolving", None)
            records = resolve(directory_from(store))
            how.stage("writing", len(records.nodes) + len(records.relationships))
            _write(store, journal, report, records, how.on_progress)
        except BaseException as exc:
            _undo_and_raise(store, journal, report, how.keep, exc)
        how.keep(report)
        _forget(store, journal)
    finally:
        journal.release()
    return report


def _forget(store: GraphStore, journal: ImportJournal) -> None:
    """Delete what is left of an import's journal once its report is kept; if that
    fails, the store stands as the report says, and the journal is reported again
    and deleted the next time graphsvc opens the store."""
    try:
        store.forget_import(journal)
    except Exception as exc:
        log.warning("an import's journal was left in the store (%s)", _reason(exc))


def _write(
    store: GraphStore,
    journal: ImportJournal,
    report: ImportReport,
    records: Records,
    on_progress: ProgressCallback | None,
) -> None:
    report.merges, report.review = records.merges, records.review
    report.changed = records.changes
    report.notes += records.notes
    nodes = store.upsert_nodes(records.nodes, on_progress=on_progress, journal=journal)
    relationships = store.upsert_relationships(
        records.relationships,
        on_progress=on_progress,
        new_nodes=nodes.created_ids,
        journal=journal,
    )
    total = nodes + relationships
    report.added = [
        NewPerson(row, person)
        for person, row in records.person_rows.items()
        if person in nodes.created_ids
    ]
    store.finish_import(journal, total)
    report.created, report.updated, report.unchanged = total.created, total.updated, total.unchanged
    report.written = True


def _undo_and_raise(
    store: GraphStore,
    journal: ImportJournal,
    report: ImportReport,
    keep: ReportKeeper,
    failure: BaseException,
) -> NoReturn:
    """Undo what a failed import wrote, keep a report saying so, and raise again."""
    report.written = False
    report.created = report.updated = report.unchanged = 0
    try:
        store.undo_import(journal)
    except Exception as also:
        undone = False
        said = (
            f"writing stopped part way ({_reason(failure)}), and undoing what it had written "
            f"did not finish ({_reason(also)}); it is undone the next time graphsvc opens "
            "the store"
        )
    else:
        undone = True
        said = (
            f"writing stopped part way ({_reason(failure)}); what it had written was undone, "
            "so nothing of the file was imported"
        )
    report.notes.append(f"Not imported: {said}.")
    try:
        keep(report)
    except Exception as lost:
        failure.add_note(f"the import's report was not kept either ({_reason(lost)})")
    if undone:
        _forget(store, journal)
    if isinstance(failure, GraphsvcError):
        raise _same_kind(failure, f"{report.file}: {said}") from failure
    failure.add_note(said)
    raise failure


def _reason(exc: BaseException) -> str:
    """What went wrong, in words that cannot hold personal data: graphsvc's own
    messages, the system's for a file error, otherwise only the kind of error."""
    if isinstance(exc, GraphsvcError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return type(exc).__name__


def _same_kind(exc: GraphsvcError, message: str) -> GraphsvcError:
    """An error of the same class with another message (or a plain one, if its class
    takes more than a message)."""
    try:
        return type(exc)(message)
    except TypeError:
        return GraphsvcError(message)


def undo_cut_short_imports(store: GraphStore, keep: CutShortKeeper) -> bool:
    """Undo every import whose process stopped before it finished, and report each.

    An import that had finished writing but not yet kept its report is left
    as it is and reported as written. ``keep`` is given each report and the
    id of the user who ran the import. Imports still running, here or in
    another process, are left alone. Returns whether anything was removed or put
    back (caches computed meanwhile may show it).
    """
    undone = False
    for header in store.import_journals():
        if not header.abandoned:
            continue
        journal = store.claim_import(header)
        if journal is None:
            continue  # another process took it over first
        try:
            report, summary = _cut_short_report(store, header, journal)
            undone = undone or bool(summary.removed or summary.restored)
            keep(header.user_id, report)
            store.forget_import(journal)
        finally:
            journal.release()
    return undone


def _cut_short_report(
    store: GraphStore, header: JournalHeader, journal: ImportJournal
) -> tuple[ImportReport, UndoSummary]:
    """The report of an import whose process stopped, undoing it if it had not finished."""
    report = ImportReport(file=header.file, source=header.source)
    if header.finished:
        report.created = header.counts["created"]
        report.updated = header.counts["updated"]
        report.unchanged = header.counts["unchanged"]
        report.written = True
        report.notes.append(
            f"Imported whole (begun {header.started}), but the process stopped before its "
            "report was kept: the rows merged and those to review are not listed."
        )
        return report, UndoSummary()
    summary = store.undo_import(journal)
    undone = (
        f"What it had written was undone ({summary.removed:,} new things removed, "
        f"{summary.restored:,} put back as they were)"
        if summary.removed or summary.restored
        else "It had written nothing yet"
    )
    report.notes.append(
        f"Cut short: the import begun {header.started} stopped before it finished (the "
        f"process or the database stopped). {undone}, so nothing of the file was imported: "
        "import it again."
    )
    return report, summary


__all__ = [
    "FileRead",
    "directory_from",
    "import_attendance",
    "import_file",
    "import_members",
    "read_file",
    "source_name",
    "undo_cut_short_imports",
]
