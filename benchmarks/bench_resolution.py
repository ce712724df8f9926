"""Time resolving people who share a surname and first initial, for the README.

Writes membership files of 1,000, 8,000 and 50,000 rows, every one a
different person of one surname whose first names begin with the same letter
(made of syllables, seeded: "Sabadeko Smith", ...; some a letter apart, as in
life), then, for each file:

- resolves its names with :class:`importers.resolution.PersonResolver`,
  counting the names compared letter by letter;
- runs ``graphsvc import members`` on it into a fresh embedded store.

::

    .venv/bin/python benchmarks/bench_resolution.py --rows 1000 --rows 8000 --rows 50000

Comparing each name with every earlier one of its block took 3 s for 1,000
rows and 60 s for 8,000; the target is time growing about linearly.
"""

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from importers.resolution import KnownPerson, PersonResolver

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
SURNAME = "Smith"


def first_names(count: int, seed: int) -> list[str]:
    """``count`` different first names beginning with S, in a seeded order."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        found["S" + rng.choice("aeiou") + "".join(rng.choice(SYLLABLES) for _ in range(3))] = None
    return list(found)


def write_members(path: Path, names: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Full name", "Email", "Organisation"])
        for number, first in enumerate(names):
            out.writerow([f"{first} {SURNAME}", f"member{number}@example.org", "Grapevine"])


def resolve(names: list[str]) -> tuple[float, int, int]:
    """Seconds to resolve the names as an import does, names compared, and reviews."""
    resolver = PersonResolver([])
    reviews = 0
    started = time.perf_counter()
    for number, first in enumerate(names):
        name, email = f"{first} {SURNAME}", f"member{number}@example.org"
        match = resolver.resolve(name, email, frozenset())
        reviews += match.candidate is not None
        resolver.learn(KnownPerson(match.person, name, email))
    return time.perf_counter() - started, resolver.comparisons, reviews


def import_seconds(path: Path, store: Path) -> tuple[float, dict[str, object]]:
    command = [sys.executable, "-m", "graphsvc", "import", "members", str(path)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--store", str(store), "--json", "--as-of", "2025-06-30"],
        capture_output=True,
        env={**os.environ, "GRAPHSVC_IMPORT_MAX_MB": "256"},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="graphsvc-bench-resolution-"))
    try:
        print(
            "| rows | resolution (s) | names compared | per row | possible matches | import (s) |"
        )
        print("|---:|---:|---:|---:|---:|---:|")
        for rows in args.rows or [1000, 8000, 50_000]:
            names = first_names(rows, args.seed)
            path = work / f"members-{rows}.csv"
            write_members(path, names)
            seconds, compared, reviews = resolve(names)
            imported, report = import_seconds(path, work / f"store-{rows}")
            assert report["written"], report
            print(
                f"| {rows:,} | {seconds:.2f} | {compared:,} | {compared / rows:.1f} "
                f"| {reviews:,} | {imported:.1f} |",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
