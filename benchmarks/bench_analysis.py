"""Time the full analysis end to end (snapshot from the embedded store,
projection, constellations, bridges, gaps, introductions), on igraph and in
plain networkx, with peak memory, for the README.

Each size is loaded into a fresh store first (not timed); each measurement
runs in its own process so its peak memory is its own.

    .venv/bin/python benchmarks/bench_analysis.py --members 1000 --members 10000
    .venv/bin/python benchmarks/bench_analysis.py --members 100000 --networkx-up-to 10000
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo_load import demo_command

MEASURE = """
import json, resource, sys, time
from graphsvc.analysis.pipeline import analyse
from graphsvc.store import open_store
start = time.perf_counter()
with open_store(sys.argv[1]) as store:
    version, snapshot = store.version(), store.network()
read = time.perf_counter() - start
result = analyse(snapshot, version, engine=sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "snapshot": read,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "constellations": len(result.constellations.constellations)}))
"""


def time_command(store: Path) -> float:
    """Wall time of ``graphsvc analyse --json``, as a user runs it (imports included)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "graphsvc", "analyse", "--json", "--store", str(store)],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def measure(store: Path, engine: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(store), engine],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, action="append", required=True)
    parser.add_argument(
        "--networkx-up-to",
        type=int,
        default=10_000,
        help="run the plain networkx pipeline only up to this size",
    )
    args = parser.parse_args()
    print(
        "| members | igraph (s) | of which store start + snapshot (s) | peak memory (MiB) "
        "| plain networkx (s) | networkx / igraph | `graphsvc analyse --json` (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for members in args.members:
        store = Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
        try:
            subprocess.run(
                demo_command(members, store),
                check=True,
                capture_output=True,
            )
            fast = measure(store, "igraph")
            slow = measure(store, "networkx") if members <= args.networkx_up_to else None
            ratio = f"{slow['seconds'] / fast['seconds']:.1f}×" if slow else "not run"
            command = time_command(store)
            print(
                f"| {members:,} | {fast['seconds']:.1f} | {fast['snapshot']:.1f} "
                f"| {fast['peak_mib']:.0f} | {f'{slow["seconds"]:.1f}' if slow else 'not run'} "
                f"| {ratio} | {command:.1f} |",
                flush=True,
            )
        finally:
            shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
