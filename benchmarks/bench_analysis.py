"""Time the full analysis end to end (open the store, read its network,
projection, constellations, bridges, gaps, introductions), on igraph and in
plain networkx, with peak memory, for the README.

Each size is loaded into a fresh store first (a new directory, or the Neo4j
database cleared; not timed); each measurement runs in its own process so its
peak memory is its own.

    .venv/bin/python benchmarks/bench_analysis.py --members 1000 --members 10000
    .venv/bin/python benchmarks/bench_analysis.py --members 100000 --networkx-up-to 10000
    .venv/bin/python benchmarks/bench_analysis.py --members 100000 \\
        --backend embedded --backend neo4j
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo_load import Backend, demo_command, parse_with_backends, ratio_cells

MEASURE = """
import json, resource, sys, time
from graphsvc.analysis.pipeline import analyse
from graphsvc.store import open_store
start = time.perf_counter()
with open_store(sys.argv[1]) as store:
    opened = time.perf_counter()
    version, snapshot = store.version(), store.network()
    read = time.perf_counter() - opened
result = analyse(snapshot, version, engine=sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "open": opened - start, "network": read,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "constellations": len(result.constellations.constellations)}))
"""
COLUMNS = ("seconds", "open", "network", "peak_mib", "networkx", "ratio", "command")


def time_command(store: str, env: dict[str, str]) -> float:
    """Wall time of ``graphsvc analyse --json``, as a user runs it (imports included)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "graphsvc", "analyse", "--json", "--store", store],
        capture_output=True,
        check=True,
        env=env,
    )
    return time.perf_counter() - start


def measure(store: str, engine: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, store, engine],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def bench(members: int, backend: Backend, networkx: bool) -> dict[str, float | None]:
    """Load a fresh store (not timed), then time the analysis in each way."""
    folder = Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    try:
        store = backend.fresh_store(folder)
        env = backend.environment(folder)
        subprocess.run(demo_command(members, store), check=True, capture_output=True, env=env)
        fast = measure(store, "igraph", env)
        slow = measure(store, "networkx", env)["seconds"] if networkx else None
        return {
            **{column: fast[column] for column in ("seconds", "open", "network", "peak_mib")},
            "networkx": slow,
            "ratio": slow / fast["seconds"] if slow else None,
            "command": time_command(store, env),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _cells(figures: dict[str, float | None]) -> list[str]:
    formats = {"peak_mib": "{:,.0f}", "ratio": "{:.1f}×"}
    return [
        "not run"
        if figures[column] is None
        else formats.get(column, "{:.1f}").format(figures[column])
        for column in COLUMNS
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, action="append", required=True)
    parser.add_argument(
        "--networkx-up-to",
        type=int,
        default=10_000,
        help="run the plain networkx pipeline only up to this size",
    )
    args, backends = parse_with_backends(parser)
    print(
        "| members | store | igraph (s) | of which store open (s) | of which network read (s) "
        "| peak memory (MiB) | plain networkx (s) | networkx / igraph "
        "| `graphsvc analyse --json` (s) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for members in args.members:
        figures = {}
        for backend in backends:
            figures[backend.name] = bench(members, backend, members <= args.networkx_up_to)
            print(
                f"| {members:,} | {backend.name} | {' | '.join(_cells(figures[backend.name]))} |",
                flush=True,
            )
        if ratios := ratio_cells(figures, COLUMNS):
            ratios[COLUMNS.index("ratio")] = ""
            print(f"| {members:,} | neo4j / embedded | {' | '.join(ratios)} |", flush=True)


if __name__ == "__main__":
    main()
