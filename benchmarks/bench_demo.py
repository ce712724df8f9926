"""Time `graphsvc demo --no-serve` and its peak memory, for the README.

Runs the real command in a fresh store directory, sampling the resident
memory of the command and of the database server it starts.

    .venv/bin/python benchmarks/bench_demo.py --members 1000 --members 100000
"""

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
from demo_load import demo_command

from graphsvc.store.falkordb_embedded import running_server_pid


def _rss(pid: int | None) -> int:
    try:
        return psutil.Process(pid).memory_info().rss if pid else 0
    except psutil.Error:
        return 0


def bench(members: int) -> dict[str, float]:
    store = Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    command = demo_command(members, store)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_cli = peak_db = 0
    server = None
    while process.poll() is None:
        peak_cli = max(peak_cli, _rss(process.pid))
        server = server or running_server_pid(store)
        peak_db = max(peak_db, _rss(server))
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(process.stderr.read().decode() if process.stderr else "failed")
    disk = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    shutil.rmtree(store, ignore_errors=True)
    return {
        "members": members,
        "seconds": round(elapsed, 1),
        "peak_cli_mib": round(peak_cli / 2**20),
        "peak_db_mib": round(peak_db / 2**20),
        "store_mib": round(disk / 2**20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, action="append", help="repeatable")
    args = parser.parse_args()
    print(
        "| members | seconds | peak memory, CLI (MiB) | peak memory, database (MiB) "
        "| store on disk (MiB) |"
    )
    print("|---:|---:|---:|---:|---:|")
    for members in args.members or [1000]:
        r = bench(members)
        print(
            f"| {r['members']:,} | {r['seconds']} | {r['peak_cli_mib']} | {r['peak_db_mib']} "
            f"| {r['store_mib']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
