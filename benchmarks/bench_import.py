"""Time importing a large membership file and a large attendance file, for the README.

Writes a membership CSV (one row a member) and a generic attendance CSV (one
row a person at an event; a fifth of the rows without an email, so people are
also resolved by name and organisation) from the seeded synthetic network,
then runs the real commands into a fresh embedded store::

    graphsvc import members members.csv
    graphsvc import attendance attendance.csv

    .venv/bin/python benchmarks/bench_import.py --members 100000 --attendance 500000

The target: both together in under 2 minutes on the 2-core machine.
"""

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

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


def _run(
    command: list[str], env: dict[str, str], report: Path
) -> tuple[float, int, dict[str, object]]:
    started = time.perf_counter()
    # The report goes to a file: a pipe left unread would fill and stall the command.
    with report.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=env)
    peak = 0
    while process.poll() is None:
        try:
            tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode()[-2000:]}")
    return elapsed, peak, json.loads(report.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--attendance", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="graphsvc-bench-import-"))
    try:
        started = time.perf_counter()
        network = generate_network(args.members, args.seed)
        members_csv, attendance_csv = work / "members.csv", work / "attendance.csv"
        write_members(network, members_csv)
        rows = write_attendance(network, args.attendance, attendance_csv, args.seed)
        print(f"files written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        env = {**os.environ, "GRAPHSVC_IMPORT_MAX_MB": "256"}
        cli = [sys.executable, "-m", "graphsvc", "import"]
        store = ["--store", str(work / "store"), "--json", "--skip-bad-rows"]
        members_s, members_peak, members_report = _run(
            [*cli, "members", str(members_csv), "--as-of", "2025-06-30", *store],
            env,
            work / "members.json",
        )
        attendance_s, attendance_peak, attendance_report = _run(
            [*cli, "attendance", str(attendance_csv), *store], env, work / "attendance.json"
        )
        print(
            json.dumps(
                {
                    "members_rows": args.members,
                    "members_mib": round(members_csv.stat().st_size / 2**20, 1),
                    "members_seconds": round(members_s, 1),
                    "members_peak_mib": round(members_peak / 2**20),
                    "members_created": members_report["created"],
                    "attendance_rows": rows,
                    "attendance_mib": round(attendance_csv.stat().st_size / 2**20, 1),
                    "attendance_seconds": round(attendance_s, 1),
                    "attendance_peak_mib": round(attendance_peak / 2**20),
                    "attendance_created": attendance_report["created"],
                    "attendance_merges": len(attendance_report["merges"]),  # type: ignore[arg-type]
                    "attendance_review": len(attendance_report["review"]),  # type: ignore[arg-type]
                    "total_seconds": round(members_s + attendance_s, 1),
                    "target_seconds": 120,
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
