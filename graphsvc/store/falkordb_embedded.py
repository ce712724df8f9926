"""The embedded backend: FalkorDB run by ``falkordblite`` from a data directory.

falkordblite starts a private redis-server with the FalkorDB module on a
unix socket. Its defaults keep only periodic RDB snapshots, which lose the
last writes on a crash, so this runner turns on the append-only file with an
fsync before every reply. A write that returned has reached the disk.
The directory and the database's files are the owner's only: they hold
everyone's names and contact details.
"""

import atexit
import contextlib
import json
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import psutil
import redis
from falkordb.helpers import stringify_param_value
from falkordb.query_result import QueryResult
from redis.backoff import NoBackoff
from redis.retry import Retry
from redislite.falkordb_client import FalkorDB

from graphsvc.errors import StoreConfigError, StoreUnavailableError
from graphsvc.store.dialect import FALKORDB
from graphsvc.store.query_runner import Params, QueryRunner, Row, Statement, StoreAddress

log = logging.getLogger("graphsvc.store")

DB_FILENAME = "graph.db"
# The least time between two starts of the database server by one process.
RESTART_EVERY_S = 2.0
LOG_FILENAME = "falkordb.log"
# What the database server writes in the data directory (the append-only
# files are in a folder of their own).
DATABASE_FILES = (DB_FILENAME, f"{DB_FILENAME}.settings", LOG_FILENAME, "appendonlydir")

DURABLE_SERVER_CONFIG: dict[str, str] = {
    "appendonly": "yes",
    "appendfsync": "always",
    # A crash can leave half a command at the end of the AOF; drop it and start.
    "aof-load-truncated": "yes",
    "aof-use-rdb-preamble": "yes",
    # The AOF is the durable record; periodic RDB snapshots would only add I/O.
    "save": '""',
    # Uncompressed files can be searched, so an erasure can be checked on disk.
    "rdbcompression": "no",
}


def prepare_data_dir(path: Path) -> Path:
    """Create the data directory if needed and prove it is writable.

    Raises a one-line :class:`StoreConfigError` before anything is written
    when the directory cannot be used.
    """
    setting = "GRAPHSVC_STORE / --store"
    if path.exists() and not path.is_dir():
        raise StoreConfigError(
            f"{setting}: {path} is a file, not a directory; give a directory for the store"
        )
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise StoreConfigError(
            f"{setting}: cannot write to {path} ({exc.strerror or exc}); "
            "choose a directory you can write to"
        ) from None
    keep_owner_only(path)
    return path.resolve()


def keep_owner_only(data_dir: Path) -> None:
    """Make the data directory and the database's files in it owner-only, whatever
    the umask they were made with (an older version, or a server already running).

    A directory of someone else's is left as it is: only its owner may change it.
    """
    with contextlib.suppress(PermissionError):
        data_dir.chmod(0o700)
    for name in DATABASE_FILES:
        found = data_dir / name
        if found.is_symlink() or not found.exists():
            continue
        inside = sorted(found.rglob("*")) if found.is_dir() else []
        for path in [found, *inside]:
            if not path.is_symlink():
                with contextlib.suppress(PermissionError, FileNotFoundError):
                    path.chmod(0o700 if path.is_dir() else 0o600)


@contextlib.contextmanager
def _owner_only_umask() -> Iterator[None]:
    """The umask for a database server started now: it makes its files with the
    umask it inherits. (The umask is the process's: files other threads make
    meanwhile are owner-only too, which is only stricter.)"""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _forget_stale_server(settings_file: Path) -> None:
    """Remove falkordblite's record of a server that is no longer answering.

    After the server is killed its registry file still names the old socket
    and pid; if that pid is reused, falkordblite would try to attach to it.
    A socket that accepts a connection proves the server is alive.
    """
    if not settings_file.exists():
        return
    try:
        socket_path = json.loads(settings_file.read_text())["unixsocket"]
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(socket_path)
    except (OSError, ValueError, KeyError, TypeError):
        settings_file.unlink(missing_ok=True)


def running_server_pid(data_dir: Path) -> int | None:
    """The pid of the database process serving ``data_dir``, if one is recorded."""
    try:
        settings = json.loads((data_dir / f"{DB_FILENAME}.settings").read_text())
        return int(Path(settings["pidfile"]).read_text().strip())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _wait_for_exit(pid: int, timeout_s: float = 10.0) -> None:
    """Wait for the server process to end, killing it after ``timeout_s``.

    A daemonised server is reaped by init, which in some containers happens
    only every second or two; an exited (zombie) server holds no files, so it
    counts as gone. (falkordblite waits for the reaping itself.)
    """
    deadline = time.monotonic() + timeout_s
    try:
        process = psutil.Process(pid)
        while process.status() != psutil.STATUS_ZOMBIE:
            if time.monotonic() > deadline:
                process.kill()
                return
            time.sleep(0.02)
    except psutil.NoSuchProcess:
        return


def _let_go(db: FalkorDB) -> None:
    """Drop a client whose server has died, without its clean-up at exit (which
    would stop whichever server then runs in the directory)."""
    client = db.client
    with contextlib.suppress(Exception):
        atexit.unregister(client._cleanup)
        client._async_managed = True
        client.connection_pool.disconnect()


def _params_header(params: Params | None) -> str:
    if not params:
        return ""
    return "CYPHER " + " ".join(f"{k}={cypher_literal(v)}" for k, v in params.items()) + " "


def cypher_literal(value: Any) -> str:
    """A parameter value as FalkorDB's CYPHER header writes it.

    The same text as falkordb-py's ``stringify_param_value``, which the tests
    check; this one dispatches on exact types and remembers map keys, which
    makes writing a 5,000-row batch about three times faster.
    """
    kind = type(value)
    if kind is str:
        text: str = value
        if "\\" in text or '"' in text:
            text = text.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + text + '"'
    if kind is dict:
        return "{" + ",".join([_map_key(k) + cypher_literal(v) for k, v in value.items()]) + "}"
    if kind is list or kind is tuple:
        return "[" + ",".join([cypher_literal(v) for v in value]) + "]"
    if value is None:
        return "null"
    return str(stringify_param_value(value))


@lru_cache(maxsize=1024)
def _map_key(key: str) -> str:
    # "{`key`:null}" without its brace and value: the checks on keys stay falkordb-py's.
    return str(stringify_param_value({key: None}))[1:-5]


def _query_records_key(graph: str) -> str:
    return f"telemetry{{{graph}}}"


def _rewriting(persistence: dict[str, Any]) -> bool:
    return bool(
        persistence.get("aof_rewrite_in_progress") or persistence.get("aof_rewrite_scheduled")
    )


class EmbeddedFalkorDBRunner(QueryRunner):
    """Runs queries on an embedded FalkorDB kept in ``data_dir``."""

    dialect = FALKORDB

    def __init__(self, data_dir: Path, graph: str) -> None:
        self._dir = prepare_data_dir(data_dir)
        self._restarting = threading.Lock()
        self._last_start = time.monotonic()
        self._db = self._start()
        self._graph = self._db.select_graph(graph)
        self._forget_query_records()

    def _start(self) -> FalkorDB:
        """Attach to the database server of the directory, starting it if none runs
        (it then replays its append-only file)."""
        _forget_stale_server(self._dir / f"{DB_FILENAME}.settings")
        try:
            with _owner_only_umask():
                db = FalkorDB(
                    str(self._dir / DB_FILENAME),
                    serverconfig={
                        **DURABLE_SERVER_CONFIG,
                        "logfile": str(self._dir / LOG_FILENAME),
                    },
                )
            # A server left running by an earlier process may predate these settings.
            for name in ("appendonly", "appendfsync", "rdbcompression"):
                db.client.config_set(name, DURABLE_SERVER_CONFIG[name])
        except Exception as exc:
            raise StoreUnavailableError(
                f"the embedded store in {self._dir} did not start ({type(exc).__name__}); "
                f"see {self._dir / LOG_FILENAME}"
            ) from None
        keep_owner_only(self._dir)
        return db

    def _restart(self) -> bool:
        """Start the database server again after it stopped under this process
        (killed, or out of memory); whether it answers now.

        One thread restarts it while the others carry on failing fast, and not
        more often than every ``RESTART_EVERY_S``: a server that cannot start
        is not started in a loop.
        """
        if not self._restarting.acquire(blocking=False):
            return False
        try:
            if time.monotonic() - self._last_start < RESTART_EVERY_S:
                return False
            self._last_start = time.monotonic()
            dead = self._db
            try:
                self._db = self._start()
            except StoreUnavailableError:
                return False
            self._graph = self._db.select_graph(self._graph.name)
            _let_go(dead)
            log.warning("the embedded database stopped and was started again")
            return True
        finally:
            self._restarting.release()

    @property
    def description(self) -> str:
        return f"embedded FalkorDB in {self._dir}"

    @property
    def address(self) -> StoreAddress:
        return StoreAddress("falkordb", str(self._dir), graph=self._graph.name)

    @property
    def server_pid(self) -> int:
        """The pid of the database process (for crash tests and diagnostics)."""
        return int(self._db.client.pid)

    def durability_settings(self) -> dict[str, str]:
        """The server's live persistence settings (``appendonly``, ``appendfsync``)."""
        with self._translating_errors():
            settings: dict[str, str] = {}
            for name in ("appendonly", "appendfsync"):
                settings.update(self._db.client.config_get(name))
            return settings

    def compact(self, timeout_s: float = 300.0) -> None:
        """Rewrite the append-only file to the graph's current state, and wait.

        Redis does this by itself as the file grows; this runs it now.
        """
        with self._translating_errors():
            client = self._db.client
            client.bgrewriteaof()
            deadline = time.monotonic() + timeout_s
            # A rewrite asked for while a snapshot is being saved is only scheduled:
            # wait for it to start and to finish.
            while _rewriting(client.info("persistence")):
                if time.monotonic() > deadline:
                    raise StoreUnavailableError("compacting the embedded store timed out")
                time.sleep(0.05)

    def forget_history(self) -> None:
        # The log is rewritten from the graph as it is now; the RDB snapshot
        # left by the last shutdown is replaced too.
        self._forget_query_records()
        self.compact()
        with self._translating_errors():
            self._db.client.save()

    def _forget_query_records(self) -> None:
        """Drop the server's records of past queries, and keep it from making more.

        FalkorDB copies every query, parameters and all (names, emails), into a
        stream ``telemetry{graph}`` that is saved with the data, so an erased
        person would live on there. Its module arguments cannot be set through
        falkordblite and turning ``CMD_INFO`` off at run time does not stop the
        copying, but FalkorDB writes to that key only while it is a stream (or
        absent): a plain string in its place blocks it. The slow logs live only
        in memory, but anyone with access to the server could read them.
        """
        with self._translating_errors():
            client = self._db.client
            with client.pipeline(transaction=True) as block:
                block.delete(_query_records_key(self._graph.name))
                block.set(_query_records_key(self._graph.name), "not recorded")
                block.execute()
            if client.exists(self._graph.name):
                client.execute_command("GRAPH.SLOWLOG", self._graph.name, "RESET")
            client.slowlog_reset()

    def read(self, query: str, params: Params | None = None) -> list[Row]:
        with self._translating_errors():
            reply = self._db.client.execute_command(
                "GRAPH.RO_QUERY", self._graph.name, _params_header(params) + query, "--compact"
            )
            return list(QueryResult(self._graph, reply).result_set)

    def read_plain(self, query: str, params: Params | None = None) -> list[Row]:
        # The verbose reply holds strings, integers and nulls as themselves,
        # parsed by hiredis; falkordb-py's typed parse costs three times as much.
        with self._translating_errors():
            reply = self._db.client.execute_command(
                "GRAPH.RO_QUERY", self._graph.name, _params_header(params) + query
            )
        return list(reply[1]) if len(reply) == 3 else []

    def write(self, statements: Sequence[Statement]) -> list[list[Row]]:
        # MULTI/EXEC: the AOF records the block whole or, after a crash, not at all.
        with self._translating_errors():
            pipe = self._db.client.pipeline(transaction=True)
            for query, params in statements:
                pipe.execute_command(
                    "GRAPH.QUERY", self._graph.name, _params_header(params) + query, "--compact"
                )
            replies: list[Any] = pipe.execute()
            return [list(QueryResult(self._graph, reply).result_set) for reply in replies]

    def ensure_schema(self) -> None:
        for statement in self.dialect.schema_statements:
            try:
                self._graph.query(statement)
            except redis.ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise

    def clear(self) -> None:
        with self._translating_errors():
            if self._graph.name in self._db.list_graphs():
                self._graph.delete()
        self._forget_query_records()

    def detach(self) -> None:
        """Drop this process's connections and leave the server running (a child
        process built something from it for the process that serves)."""
        client = self._db.client
        atexit.unregister(client._cleanup)
        # falkordblite's own clean-up, run when the client is collected, skips
        # the shutdown for a client another owner manages.
        client._async_managed = True
        client.connection_pool.disconnect()

    def close(self) -> None:
        client = self._db.client
        atexit.unregister(client._cleanup)
        # falkordblite stops the server only when it sees a single connection,
        # so drop our pooled ones first; other processes' connections still count.
        client.connection_pool.disconnect()
        # SHUTDOWN ends with the server dropping the connection; redis-py would
        # take that for a network fault and retry with backoff for seconds.
        client.set_retry(Retry(NoBackoff(), 0))
        # The server may already be gone (killed, or stopped by another client).
        with contextlib.suppress(Exception):
            pid, scratch, registry = client.pid, client.redis_dir, client.settingregistryfile
            if pid and client._connection_count() <= 1:
                client.shutdown(save=True, now=True, force=True)
                _wait_for_exit(pid)
                # With its pid file gone, falkordblite's own clean-up below
                # skips the files it made, so they are removed here.
                shutil.rmtree(scratch, ignore_errors=True)
                Path(registry).unlink(missing_ok=True)
        with contextlib.suppress(Exception):
            self._db.close()

    @contextlib.contextmanager
    def _translating_errors(self) -> Any:
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError):
            if self._server_is_gone() and self._restart():
                raise StoreUnavailableError(
                    f"the embedded database in {self._dir} stopped and has been started "
                    "again from its append-only file; try again"
                ) from None
            raise StoreUnavailableError(
                f"the embedded database in {self._dir} stopped answering; it is started again "
                "by itself (from its append-only file): try again in a few seconds"
            ) from None

    def _server_is_gone(self) -> bool:
        """Whether the server process this client talks to has ended (not merely busy)."""
        pid = getattr(self._db.client, "pid", None)
        if not pid:
            return True
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True
