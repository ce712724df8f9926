"""What the service benchmarks share: the command that loads a synthetic network,
starting ``graphsvc serve``, and the stores they measure on (``--backend``).

``--backend embedded`` (the default) measures a new embedded store in a
temporary directory; ``--backend neo4j`` the Neo4j at ``NEO4J_URI``
(credentials in ``GRAPHSVC_NEO4J_USER`` / ``GRAPHSVC_NEO4J_PASSWORD``), whose
database is cleared before each measurement. Given both, each figure is
measured on each in the same run, so that the ratio between them is fair on a
shared machine.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx2 as httpx
import psutil

from graphsvc.store import open_store
from graphsvc.store.falkordb_embedded import running_server_pid

BACKENDS = ("embedded", "neo4j")
NEO4J_SETTINGS = ("NEO4J_URI", "GRAPHSVC_NEO4J_USER", "GRAPHSVC_NEO4J_PASSWORD")
BOLT_PORT = 7687


@dataclass(frozen=True)
class Backend:
    """One store to measure on: the embedded FalkorDB, or the Neo4j at ``neo4j_uri``."""

    name: str
    neo4j_uri: str | None = None

    def fresh_store(self, folder: Path) -> str:
        """An empty store for one measurement, as ``--store`` takes it: a new
        directory in ``folder``, or the Neo4j database, cleared."""
        if self.neo4j_uri is None:
            return str(folder / "store")
        with open_store(self.neo4j_uri) as store:
            store.clear()
        return self.neo4j_uri

    def environment(self, folder: Path) -> dict[str, str]:
        """The environment for graphsvc commands: the accounts file, and the
        saved analysis beside it, in ``folder`` (for Neo4j they would be in
        the working directory)."""
        return {**os.environ, "GRAPHSVC_ACCOUNTS": str(folder / "accounts.sqlite")}

    def database_pid(self, store: str) -> int | None:
        """The database server's process, if it runs on this machine: the
        embedded store's, or the one listening on Neo4j's Bolt port (the JVM)."""
        if self.neo4j_uri is None:
            return running_server_pid(Path(store))
        address = urlsplit(self.neo4j_uri)
        if address.hostname not in ("127.0.0.1", "localhost", "::1"):
            return None
        port = address.port or BOLT_PORT
        for connection in psutil.net_connections(kind="tcp"):
            if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port:
                return connection.pid
        return None


def parse_with_backends(
    parser: argparse.ArgumentParser,
) -> tuple[argparse.Namespace, list[Backend]]:
    """Parse the command line with ``--backend`` added; refuses Neo4j without its settings."""
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        action="append",
        help="the store to measure on (repeatable; default embedded): neo4j is the one at "
        "NEO4J_URI, GRAPHSVC_NEO4J_USER, GRAPHSVC_NEO4J_PASSWORD, cleared before each measurement",
    )
    args = parser.parse_args()
    chosen: list[Backend] = []
    for name in dict.fromkeys(args.backend or ["embedded"]):
        if name == "embedded":
            chosen.append(Backend(name))
            continue
        if missing := [setting for setting in NEO4J_SETTINGS if not os.environ.get(setting)]:
            parser.exit(
                2,
                f"--backend neo4j needs {', '.join(missing)} set (tools/neo4j-server/run.sh "
                "prints all three)\n",
            )
        chosen.append(Backend(name, os.environ["NEO4J_URI"]))
    return args, chosen


def ratio(neo4j: float | None, embedded: float | None) -> str:
    """Neo4j's figure over the embedded store's, as a table cell."""
    if not neo4j or not embedded:
        return ""
    return f"{neo4j / embedded:.2f}×"


def ratio_cells(
    figures: Mapping[str, Mapping[str, float | None]], columns: Sequence[str]
) -> list[str] | None:
    """Neo4j / embedded for each column, or None unless both backends were measured."""
    if not {"embedded", "neo4j"} <= figures.keys():
        return None
    neo4j, embedded = figures["neo4j"], figures["embedded"]
    return [ratio(neo4j.get(column), embedded.get(column)) for column in columns]


@dataclass(frozen=True)
class Sampled:
    """A command's wall time and peak memory: its own process tree's, and the database's
    (None where the database process could not be found)."""

    seconds: float
    peak_command: int
    peak_database: int | None
    returncode: int


def _rss(pid: int) -> int:
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


def run_sampled(
    command: list[str],
    env: Mapping[str, str],
    backend: Backend,
    store: str,
    stdout: Path | None = None,
) -> tuple[Sampled, str]:
    """Run ``command`` on ``store``, sampling its tree's and the database's resident
    memory every 0.2 s; returns the figures and the end of its stderr."""
    # Neo4j runs already; the embedded store's process starts with the command.
    database = backend.database_pid(store) if backend.neo4j_uri else None
    started = time.perf_counter()
    # Output goes to a file: a pipe left unread would fill and stall the command.
    with open(stdout or os.devnull, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=dict(env))
    own = psutil.Process(process.pid)
    peak_command = peak_database = 0
    while process.poll() is None:
        database = database or backend.database_pid(store)
        try:
            tree = [own, *own.children(recursive=True)]
        except psutil.Error:
            tree = [own]
        peak_command = max(peak_command, sum(_rss(p.pid) for p in tree if p.pid != database))
        if database is not None:
            peak_database = max(peak_database, _rss(database))
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    _, stderr = process.communicate()
    figures = Sampled(elapsed, peak_command, peak_database or None, process.returncode)
    return figures, stderr.decode(errors="replace")[-2000:]


def mib(size: int | None) -> float | None:
    return round(size / 2**20) if size else None


def demo_command(members: int, store: str | Path) -> list[str]:
    """``graphsvc demo --no-serve`` for ``members`` people into ``store``."""
    return [
        sys.executable,
        "-m",
        "graphsvc",
        "demo",
        "--no-serve",
        "--members",
        str(members),
        "--store",
        str(store),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(store: str | Path, accounts: Path, port: int) -> subprocess.Popen[bytes]:
    """``graphsvc serve`` on 127.0.0.1, once ``/api/health`` answers (5 minutes at most)."""
    command = [sys.executable, "-m", "graphsvc", "serve", "--store", str(store)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "GRAPHSVC_ACCOUNTS": str(accounts)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit("the service did not start")
        time.sleep(0.2)
