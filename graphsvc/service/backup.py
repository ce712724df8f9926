"""Backups, restores and copies of a whole network, between stores of either backend.

A backup is one zip file (deflate-compressed, readable by any zip tool):

- ``manifest.json``: the format, when and from where it was taken, the
  graph's own facts (its version and marks) and the count of every node
  kind and relationship type, which a restore checks at the end;
- ``nodes.jsonl`` and ``relationships.jsonl``: one JSON object a line, every
  node and relationship with all its properties (provenance, possible
  matches and review decisions among them);
- ``accounts.sqlite``: the users, sign-ins and import reports, when the
  store has an accounts file.

It is taken while the service runs. Every change to the graph moves its
version in the same transaction, so a read that finds the same graph facts
before and after it saw no change in between; one that did not is read again.
A copy between stores is a backup read back at once.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graphsvc import __version__
from graphsvc.errors import GraphsvcError
from graphsvc.service.imports import StageCallback
from graphsvc.service.network import store_identity
from graphsvc.store import GraphCounts, GraphState, GraphStore
from graphsvc.store.graph_store import ProgressCallback
from graphsvc.store.transfer import (
    NodeRow,
    RelationshipRow,
    count_differences,
    is_empty,
    read_nodes,
    read_relationships,
    replace_meta,
    write_nodes,
    write_relationships,
)

FORMAT = "graphsvc-backup"
FORMAT_VERSION = 1
MANIFEST, NODES, RELATIONSHIPS, ACCOUNTS = (
    "manifest.json",
    "nodes.jsonl",
    "relationships.jsonl",
    "accounts.sqlite",
)
# A network that changes this many times while it is being read is too busy to
# back up now; each attempt reads the whole graph. Before trying again the read
# waits for the graph to stay unchanged a moment (an import to finish).
READ_ATTEMPTS = 5
QUIET_S = 1.0
QUIET_WAIT_S = 120.0


class BackupError(GraphsvcError):
    """A backup that cannot be taken, read or restored; the message says why."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, read from its ``manifest.json``."""

    created: str
    graphsvc_version: str
    source: str
    meta: dict[str, Any]
    nodes: dict[str, int]
    relationships: dict[str, int]
    accounts: bool

    @property
    def counts(self) -> GraphCounts:
        return GraphCounts(dict(self.nodes), dict(self.relationships), int(self.meta["version"]))


@dataclass(frozen=True)
class Progress:
    """Where long work reports to: a stage with its total, then steps done."""

    on_stage: StageCallback | None = None
    on_progress: ProgressCallback | None = None

    def stage(self, name: str, total: int | None) -> None:
        if self.on_stage:
            self.on_stage(name, total)

    def advance(self, done: int) -> None:
        if self.on_progress:
            self.on_progress(done)


# --- taking a backup ---------------------------------------------------------------


def write_backup(
    store: GraphStore,
    file: Path,
    *,
    accounts: Path | None = None,
    progress: Progress = Progress(),
) -> Manifest:
    """Write a consistent backup of ``store`` (and the ``accounts`` file, if it
    exists) to ``file``, owner-only, replacing it only once complete."""
    file = file.expanduser()
    if file.is_dir():
        raise BackupError(f"{file} is a directory; give the backup a file name")
    if not file.parent.is_dir():
        raise BackupError(f"{file.parent} does not exist; create it or pick another place")
    with _private_aside(file) as partial:
        manifest = _write_graph(store, partial, progress)
        with zipfile.ZipFile(partial, "a", zipfile.ZIP_DEFLATED) as archive:
            if accounts is not None and accounts.is_file():
                _add_accounts(archive, accounts)
                manifest = Manifest(**{**asdict(manifest), "accounts": True})
            header = {"format": FORMAT, "format_version": FORMAT_VERSION}
            archive.writestr(MANIFEST, json.dumps(header | asdict(manifest), indent=2))
    return manifest


def _write_graph(store: GraphStore, file: Path, progress: Progress) -> Manifest:
    """The graph's nodes and relationships into a new zip ``file``, read again
    until no change happened while they were read."""
    for attempt in range(READ_ATTEMPTS):
        if attempt:
            _wait_for_quiet(store, progress)
        before = store.graph_meta()
        counts = store.counts()
        with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
            progress.stage("Reading nodes", sum(counts.nodes.values()))
            _write_lines(archive, NODES, (asdict(row) for row in read_nodes(store)), progress)
            progress.stage("Reading relationships", sum(counts.relationships.values()))
            _write_lines(
                archive,
                RELATIONSHIPS,
                (asdict(row) for row in read_relationships(store)),
                progress,
            )
        # An import part way through is changing the graph even between its
        # writes: what it wrote so far would come back without its undo.
        unfinished = store.import_journals()
        if not unfinished and store.graph_meta() == before and store.counts() == counts:
            return _manifest(store, before, counts)
    raise BackupError(
        f"the network changed while it was read, {READ_ATTEMPTS} times running; "
        "try again when no import is running"
    )


def _manifest(store: GraphStore, meta: dict[str, Any], counts: GraphCounts) -> Manifest:
    return Manifest(
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        graphsvc_version=__version__,
        source=store.description,
        meta=meta,
        nodes={kind: n for kind, n in counts.nodes.items() if n},
        relationships={t: n for t, n in counts.relationships.items() if n},
        accounts=False,
    )


def _wait_for_quiet(store: GraphStore, progress: Progress) -> None:
    """Return once the graph has not changed for ``QUIET_S`` and no import is part
    way through (or after ``QUIET_WAIT_S``)."""
    progress.stage("Waiting for changes to end", None)
    deadline = time.monotonic() + QUIET_WAIT_S
    last, since = store.graph_meta(), time.monotonic()
    while time.monotonic() < deadline and (
        time.monotonic() - since < QUIET_S or store.import_journals()
    ):
        time.sleep(QUIET_S / 5)
        now = store.graph_meta()
        if now != last:
            last, since = now, time.monotonic()


def _write_lines(
    archive: zipfile.ZipFile, name: str, rows: Iterator[dict[str, Any]], progress: Progress
) -> None:
    entry = zipfile.ZipInfo(name, dt.datetime.now().timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    # Zip64 from the start: the size of a large network's lines is not known ahead.
    with archive.open(entry, "w", force_zip64=True) as out:
        written = 0
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode())
            out.write(b"\n")
            written += 1
            if written % 1000 == 0:
                progress.advance(1000)
        progress.advance(written % 1000)


def _add_accounts(archive: zipfile.ZipFile, accounts: Path) -> None:
    """A consistent copy of the accounts file, taken with SQLite's own backup."""
    with tempfile.TemporaryDirectory(prefix="graphsvc-backup-") as scratch:
        copy = Path(scratch) / ACCOUNTS
        _sqlite_copy(accounts, copy)
        archive.write(copy, ACCOUNTS)


def _sqlite_copy(source: Path, target: Path) -> None:
    reading = _read_only(source)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def _read_only(database: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)


@contextmanager
def _private_aside(file: Path) -> Iterator[Path]:
    """A owner-only file beside ``file``, renamed to it if the block completes."""
    descriptor, name = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    os.close(descriptor)
    partial = Path(name)
    try:
        os.chmod(partial, 0o600)
        yield partial
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)


# --- reading one back --------------------------------------------------------------


def read_manifest(file: Path) -> Manifest:
    """What the backup ``file`` holds; :class:`BackupError` if it is not one."""
    with _open_backup(file) as archive:
        return _manifest_of(archive, file)


@contextmanager
def _open_backup(file: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(file.expanduser()) as archive:
            yield archive
    except FileNotFoundError:
        raise BackupError(f"{file}: no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{file} is not a graphsvc backup ({exc})") from None


def _manifest_of(archive: zipfile.ZipFile, file: Path) -> Manifest:
    try:
        raw = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise BackupError(f"{file} is not a graphsvc backup: it has no readable manifest") from None
    if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{file} is a backup in a format this version of graphsvc does not read "
            f"({raw.get('format')} {raw.get('format_version')})"
        )
    try:
        return Manifest(**{k: raw[k] for k in Manifest.__dataclass_fields__})
    except KeyError as missing:
        raise BackupError(f"{file}: its manifest has no {missing}") from None


def restore_backup(
    file: Path,
    store: GraphStore,
    *,
    accounts: Path | None = None,
    saved_analysis: Path | None = None,
    replace: bool = False,
    progress: Progress = Progress(),
    mark: dict[str, Any] | None = None,
) -> Manifest:
    """Write the backup ``file`` into ``store`` (and its accounts into ``accounts``).

    The store must be empty, and the accounts file absent or without users,
    unless ``replace``: then what they hold is deleted first. The counts are
    checked at the end. An analysis a service saved for the store
    (``saved_analysis``) is deleted; ``mark`` is added to the graph's facts as
    soon as the store is emptied.
    """
    with _open_backup(file) as archive:
        manifest = _manifest_of(archive, file)
        if not replace:
            _refuse_if_in_use(store, accounts if manifest.accounts else None)
        if saved_analysis is not None:
            saved_analysis.unlink(missing_ok=True)
        _restore_graph(archive, manifest, store, progress, mark or {})
        if manifest.accounts and accounts is not None:
            _restore_accounts(archive, accounts)
    return manifest


def _refuse_if_in_use(store: GraphStore, accounts: Path | None) -> None:
    if not is_empty(store):
        raise BackupError(
            f"{store.description} is not empty; restore into an empty store, "
            "or pass --replace to delete what it holds first"
        )
    if accounts is not None and _has_users(accounts):
        raise BackupError(
            f"the accounts file {accounts} already has users; "
            "pass --replace to overwrite it, or set GRAPHSVC_ACCOUNTS to another file"
        )


def _has_users(accounts: Path) -> bool:
    if not accounts.is_file():
        return False
    db = _read_only(accounts)
    try:
        (users,) = db.execute("SELECT count(*) FROM users").fetchone()
    except sqlite3.DatabaseError:
        users = 1  # something that is not an empty accounts file
    finally:
        db.close()
    return bool(users)


def _restore_graph(
    archive: zipfile.ZipFile,
    manifest: Manifest,
    store: GraphStore,
    progress: Progress,
    mark: dict[str, Any],
) -> None:
    held = None if is_empty(store) else store.state()
    store.clear()
    if mark:
        store.set_graph_meta(**mark)
    progress.stage("Writing nodes", sum(manifest.nodes.values()))
    write_nodes(store, (NodeRow(**row) for row in _lines(archive, NODES)), progress.advance)
    progress.stage("Writing relationships", sum(manifest.relationships.values()))
    write_relationships(
        store,
        (RelationshipRow(**row) for row in _lines(archive, RELATIONSHIPS)),
        progress.advance,
    )
    replace_meta(store, _meta_after_restore(manifest.meta, held) | mark)
    if problems := count_differences(manifest.counts, store.counts()):
        raise BackupError(
            "the restored graph does not match the backup (" + "; ".join(problems) + "); "
            "restore again with --replace"
        )


def _meta_after_restore(meta: dict[str, Any], held: GraphState | None) -> dict[str, Any]:
    """The backup's graph facts; if the store ``held`` a graph, with the version
    moved past that graph's and marked as an erasure: a service that answered
    from what the store held must drop it, and not mistake the restored graph
    for it."""
    if held is None:
        return meta
    version = max(int(meta.get("version", 0)), held.version + 1)
    return {**meta, "version": version, "purged": version, "consent": version}


def _lines(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, Any]]:
    with archive.open(name) as lines:
        for line in lines:
            yield json.loads(line)


def _restore_accounts(archive: zipfile.ZipFile, accounts: Path) -> None:
    accounts = accounts.expanduser()
    accounts.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (
        _private_aside(accounts) as partial,
        archive.open(ACCOUNTS) as packed,
        partial.open("wb") as out,
    ):
        shutil.copyfileobj(packed, out, length=1 << 20)
    for side in ("-wal", "-shm", "-journal"):
        accounts.with_name(accounts.name + side).unlink(missing_ok=True)


# --- copying between stores ----------------------------------------------------------

COPIED_FROM, COPIED_VERSION = "copied_from", "copied_version"


def copy_store(
    source: GraphStore,
    target: GraphStore,
    *,
    replace: bool = False,
    saved_analysis: Path | None = None,
    progress: Progress = Progress(),
    scratch: Path | None = None,
) -> Manifest:
    """Make ``target`` hold exactly what ``source`` holds, counts checked.

    The target must be empty, or an earlier copy of the same source, unless
    ``replace``. A copy run again leaves a finished copy of the source as it
    is now alone, and makes one cut short again. The source is read as a
    backup is, into a private file in ``scratch`` (default: the system's
    temporary directory), so it may be in use.
    """
    origin = store_identity(source)
    if origin == store_identity(target):
        raise BackupError("--from and --to name the same store")
    held = target.graph_meta()
    if not replace and not is_empty(target) and held.get(COPIED_FROM) != origin:
        raise BackupError(
            f"{target.description} is not empty and not a copy of {source.description}; "
            "copy into an empty store, or pass --replace to delete what it holds first"
        )
    if not replace and _is_finished_copy(held, source, target):
        return _manifest(source, source.graph_meta(), source.counts())
    with tempfile.TemporaryDirectory(prefix="graphsvc-copy-", dir=scratch) as directory:
        file = Path(directory) / "copy.zip"
        write_backup(source, file, progress=progress)
        # Marked as soon as it is emptied, so a copy cut short is known as one when run again.
        manifest = restore_backup(
            file,
            target,
            replace=True,
            saved_analysis=saved_analysis,
            progress=progress,
            mark={COPIED_FROM: origin},
        )
    target.set_graph_meta(**{COPIED_VERSION: manifest.meta["version"]})
    return manifest


def _is_finished_copy(held: dict[str, Any], source: GraphStore, target: GraphStore) -> bool:
    """Whether the target's facts ``held`` say it is a finished copy of the source
    as it is now (the same version), and the counts agree."""
    if held.get(COPIED_FROM) != store_identity(source):
        return False
    counts = source.counts()
    if held.get(COPIED_VERSION) != counts.version:
        return False
    found = target.counts()
    return (found.nodes, found.relationships) == (counts.nodes, counts.relationships)
