"""Time `graphsvc demo --no-serve` and its peak memory, for the README.

Runs the real command into a fresh store (a new directory, or the Neo4j
database cleared), sampling the resident memory of the command and of the
database server: the embedded store's process, or Neo4j's JVM (the process
listening on its Bolt port, when that is on this machine).

    .venv/bin/python benchmarks/bench_demo.py --members 1000 --members 100000
    .venv/bin/python benchmarks/bench_demo.py --members 10000 --members 100000 \\
        --backend embedded --backend neo4j
"""

import argparse
import shutil
import tempfile
from pathlib import Path

from demo_load import (
    Backend,
    demo_command,
    mib,
    parse_with_backends,
    ratio_cells,
    run_sampled,
)

COLUMNS = ("seconds", "peak_cli_mib", "peak_db_mib", "store_mib")


def bench(members: int, backend: Backend) -> dict[str, float | None]:
    folder = Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    try:
        store = backend.fresh_store(folder)
        figures, stderr = run_sampled(
            demo_command(members, store), backend.environment(folder), backend, store
        )
        if figures.returncode != 0:
            raise SystemExit(f"{stderr}{_database_log(store)}")
        # Neo4j keeps its files' size when a database is cleared, so theirs would
        # tell the largest graph it has held, not this one.
        disk = (
            sum(f.stat().st_size for f in Path(store).rglob("*") if f.is_file())
            if backend.neo4j_uri is None
            else None
        )
        return {
            "seconds": round(figures.seconds, 1),
            "peak_cli_mib": mib(figures.peak_command),
            "peak_db_mib": mib(figures.peak_database),
            "store_mib": mib(disk),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _database_log(store: str) -> str:
    """The end of the embedded database's log, to tell why a run failed."""
    log = Path(store) / "falkordb.log"
    return "".join(log.read_text().splitlines(keepends=True)[-20:]) if log.is_file() else ""


def _row(members: int, store: str, cells: list[str]) -> str:
    return f"| {members:,} | {store} | {' | '.join(cells)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, action="append", help="repeatable")
    args, backends = parse_with_backends(parser)
    print(
        "| members | store | seconds | peak memory, CLI (MiB) | peak memory, database (MiB) "
        "| store on disk (MiB) |"
    )
    print("|---:|---|---:|---:|---:|---:|")
    for members in args.members or [1000]:
        figures = {}
        for backend in backends:
            figures[backend.name] = result = bench(members, backend)
            cells = ["not measured" if result[c] is None else f"{result[c]:g}" for c in COLUMNS]
            print(_row(members, backend.name, cells), flush=True)
        if ratios := ratio_cells(figures, COLUMNS):
            print(_row(members, "neo4j / embedded", ratios), flush=True)


if __name__ == "__main__":
    main()
