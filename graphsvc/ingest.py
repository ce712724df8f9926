"""Imports end to end: a file through the importers, resolved against the store, written.

The importers turn files into records and know nothing of the database; this
module is the seam. A file whose rows fail validation writes nothing unless
the caller says to skip bad rows; every record carries the import's name as
its provenance ``source``.
"""

import datetime as dt
import hashlib
from pathlib import Path

from graphsvc.config import get_settings
from graphsvc.errors import ImportFileError
from graphsvc.store import GraphStore
from importers.dates import DateOrder
from importers.member_records import Directory, membership_records
from importers.membership import read_members
from importers.report import ImportReport
from importers.resolution import KnownOrganisation, KnownPerson


def source_name(path: Path) -> str:
    """The provenance ``source`` of an import: the file's name and a digest of its contents."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"import:{path.name}#{digest}"


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
    )


def import_members(
    store: GraphStore,
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    skip_bad_rows: bool = False,
    date_order: DateOrder | None = None,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Import a membership export; the report says what was written, or why nothing was.

    ``as_of`` is the date of the export (default: the file's modification
    date), recorded as when each fact was last seen.
    """
    max_bytes = get_settings().import_max_mb * 2**20
    members = read_members(path, max_bytes, mapping, date_order)
    report = ImportReport(
        file=path.name,
        source=source_name(path),
        rows_read=members.rows_read,
        rejected=members.problems,
        notes=members.notes,
    )
    if not members.members:
        raise ImportFileError(
            f"{path.name}: no row can be imported"
            + (
                f" (first problem: row {members.problems[0].row} {members.problems[0].reason})"
                if members.problems
                else ""
            )
        )
    if members.problems and not skip_bad_rows:
        return report
    seen = as_of or dt.date.fromtimestamp(path.stat().st_mtime)
    records = membership_records(members, directory_from(store), report.source, seen)
    report.merges, report.review = records.merges, records.review
    report.notes += records.notes
    nodes = store.upsert_nodes(records.nodes)
    relationships = store.upsert_relationships(records.relationships)
    total = nodes + relationships
    report.created, report.updated, report.unchanged = total.created, total.updated, total.unchanged
    report.written = True
    return report


__all__ = ["import_members", "source_name"]
