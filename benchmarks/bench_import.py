"""Time importing a large membership file and a large attendance file, for the README.

Writes a membership CSV (one row a member) and a generic attendance CSV (one
row a person at an event; a fifth of the rows without an email, so people are
also resolved by name and organisation) from the seeded synthetic network,
then runs the real commands into a fresh store (a new directory, or the Neo4j
database cleared; see ``--backend``)::

    graphsvc import members members.csv
    graphsvc import attendance attendance.csv

    .venv/bin/python benchmarks/bench_import.py --members 100000 --attendance 500000
    .venv/bin/python benchmarks/bench_import.py --backend embedded --backend neo4j

The target: both together in under 2 minutes on the 2-core machine.
"""

import argparse
import csv
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from demo_load import (
    Backend,
    Sampled,
    mib,
    parse_with_backends,
    ratio_cells,
    run_sampled,
)

from graphsvc.synthetic import generate_network
from graphsvc.synthetic.generator import SyntheticNetwork

MEMBER_HEADINGS = (
    "Full name",
    "Email",
    "Organisation",
    "Job title",
    "Town",
    "Sector",
    "Cells",
    "Interests",
    "Joined",
    "Consent",
)
TARGET_SECONDS = 120


def write_members(network: SyntheticNetwork, path: Path) -> None:
    cells_of: dict[int, list[str]] = {}
    for person, cell, _ in network.memberships:
        cells_of.setdefault(int(person), []).append(network.cells[int(cell)].name)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(MEMBER_HEADINGS)
        for i in range(network.members):
            org = int(network.organisation[i])
            out.writerow(
                [
                    network.names[i],
                    network.emails[i],
                    network.organisations[org].name if org >= 0 else "",
                    network.job_title[i],
                    network.towns[int(network.town[i])][0],
                    network.sectors[int(network.sector[i])],
                    "; ".join(cells_of.get(i, [])),
                    "; ".join(network.themes[t] for t in network.interests[i]),
                    dt.date.fromordinal(int(network.joined[i])).isoformat(),
                    ("yes", "connectors", "no")[int(network.visibility[i]) % 3],
                ]
            )


def write_attendance(network: SyntheticNetwork, rows: int, path: Path, seed: int) -> int:
    """Attendance rows for the network's events, sampled up to ``rows``; returns rows written."""
    rng = np.random.default_rng(seed)
    events = network.events
    written = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Name", "Email", "Organisation", "Event", "Date", "Role", "Part"])
        while written < rows:
            event = events[int(rng.integers(len(events)))]
            # Each event is written at a distinct date, so sampled repeats are new meetings.
            date = event.date + dt.timedelta(days=int(rng.integers(0, 3650)))
            size = int(min(len(event.attendees) or 20, rows - written, 400))
            for person in rng.choice(network.members, size=size, replace=False):
                org = int(network.organisation[person])
                email = network.emails[person] if rng.random() > 0.2 else ""
                out.writerow(
                    [
                        network.names[person],
                        email,
                        network.organisations[org].name if org >= 0 else "",
                        event.name,
                        date.isoformat(),
                        "attendee",
                        "",
                    ]
                )
            written += size
    return written


def _import(
    cli: list[str], env: dict[str, str], backend: Backend, store: str, report: Path
) -> tuple[Sampled, dict[str, Any]]:
    figures, stderr = run_sampled(cli, env, backend, store, stdout=report)
    if figures.returncode != 0:
        raise SystemExit(f"{' '.join(cli)} failed:\n{stderr}")
    return figures, json.loads(report.read_text())


def bench(
    backend: Backend, members_csv: Path, attendance_csv: Path, folder: Path
) -> dict[str, dict[str, Any]]:
    """Both imports into a fresh store: each one's figures and report."""
    folder.mkdir()
    store = backend.fresh_store(folder)
    env = {**backend.environment(folder), "GRAPHSVC_IMPORT_MAX_MB": "256"}
    cli = [sys.executable, "-m", "graphsvc", "import"]
    options = ["--store", store, "--json", "--skip-bad-rows"]
    members_cli = [*cli, "members", str(members_csv), "--as-of", "2025-06-30", *options]
    members, members_report = _import(members_cli, env, backend, store, folder / "members.json")
    attendance, attendance_report = _import(
        [*cli, "attendance", str(attendance_csv), *options],
        env,
        backend,
        store,
        folder / "attendance.json",
    )
    return {
        "membership": {**_figures(members), "created": members_report["created"]},
        "attendance": {
            **_figures(attendance),
            "created": attendance_report["created"],
            "merges": len(attendance_report["merges"]),
            "review": len(attendance_report["review"]),
        },
        "both": {"seconds": round(members.seconds + attendance.seconds, 1)},
    }


def _figures(sampled: Sampled) -> dict[str, Any]:
    return {
        "seconds": round(sampled.seconds, 1),
        "peak_cli_mib": mib(sampled.peak_command),
        "peak_db_mib": mib(sampled.peak_database),
    }


def _table(rows: dict[str, int], sizes: dict[str, float], figures: dict[str, Any]) -> None:
    print(
        "\n| file | store | rows | size (MiB) | seconds | peak memory, CLI (MiB) "
        "| peak memory, database (MiB) | records created |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for file in ("membership", "attendance", "both"):
        per_backend = {name: results[file] for name, results in figures.items()}
        for name, result in per_backend.items():
            cells = [
                "" if result.get(column) is None else f"{result[column]:,}"
                for column in ("seconds", "peak_cli_mib", "peak_db_mib", "created")
            ]
            print(
                f"| {file} | {name} | {f'{rows[file]:,}' if file in rows else ''} "
                f"| {sizes.get(file, '')} "
                f"| {' | '.join(cells)} |"
            )
        if ratios := ratio_cells(per_backend, ("seconds", "peak_cli_mib", "peak_db_mib")):
            print(f"| {file} | neo4j / embedded | | | {' | '.join(ratios)} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--attendance", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=42)
    args, backends = parse_with_backends(parser)
    work = Path(tempfile.mkdtemp(prefix="graphsvc-bench-import-"))
    try:
        started = time.perf_counter()
        network = generate_network(args.members, args.seed)
        members_csv, attendance_csv = work / "members.csv", work / "attendance.csv"
        write_members(network, members_csv)
        rows = write_attendance(network, args.attendance, attendance_csv, args.seed)
        print(f"files written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        figures = {}
        for backend in backends:
            figures[backend.name] = bench(backend, members_csv, attendance_csv, work / backend.name)
            print(json.dumps({"store": backend.name, **figures[backend.name]}), flush=True)
        _table(
            {"membership": args.members, "attendance": rows},
            {
                "membership": round(members_csv.stat().st_size / 2**20, 1),
                "attendance": round(attendance_csv.stat().st_size / 2**20, 1),
            },
            figures,
        )
        print(f"\ntarget: both in under {TARGET_SECONDS} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
