"""Time introductions: the whole analysis's introductions stage, and the answers
served from the cached analysis (one person's, a region's, a connector's), on the
synthetic network, for the README.

The network is generated in memory (no store: reading one is timed by
bench_analysis.py); the pair scorer is built once, as the service keeps it with
the analysis, and is not counted in the per-request times.

    .venv/bin/python benchmarks/bench_introductions.py --members 1000 --members 10000
    .venv/bin/python benchmarks/bench_introductions.py --members 100000 --cache /tmp/bench

``--cache DIR`` keeps each generated network in DIR (pickled), so later runs
skip generating it (about two minutes at 100,000 members). Times are wall
clock; the ``cpu`` columns are the process's own CPU time, which a machine
shared with other work inflates far less.
"""

import argparse
import pickle
import statistics
import time
from pathlib import Path
from typing import Any

from graphsvc.analysis.introductions import Scope, suggest_introductions
from graphsvc.analysis.pair_scores import PairScorer
from graphsvc.analysis.pipeline import analyse
from graphsvc.store.snapshot import graph_from_rows
from graphsvc.synthetic import synthetic_records

PEOPLE = 20  # people (and connectors) timed at each size


def _snapshot(members: int, cache: Path | None = None) -> Any:
    kept = cache / f"snapshot_{members}.pickle" if cache else None
    if kept is not None and kept.exists():
        with kept.open("rb") as f:
            return pickle.load(f)
    records = synthetic_records(members, seed=42)
    snapshot = graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    )
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        with kept.open("wb") as f:
            pickle.dump(snapshot, f, protocol=pickle.HIGHEST_PROTOCOL)
    return snapshot


def _timed(run: Any) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def bench(members: int, cache: Path | None = None) -> dict[str, float]:
    snapshot = _snapshot(members, cache)
    stages: dict[str, tuple[float, float]] = {}
    last: list[Any] = [_clocks(), ""]

    def stage(name: str) -> None:
        now = _clocks()
        if last[1]:
            stages[str(last[1])] = (now[0] - last[0][0], now[1] - last[0][1])
        last[0], last[1] = now, name

    start = _clocks()
    analysis = analyse(snapshot, on_stage=stage)
    stage("")
    end = _clocks()
    total, total_cpu = end[0] - start[0], end[1] - start[1]
    G = analysis.collaboration
    assert G is not None and analysis.profile is not None
    built = time.perf_counter()
    scorer = PairScorer.build(
        G,
        analysis.constellations.membership,
        {s.person for s in analysis.constellations.single_points},
    )
    scorer.theme_index()
    scorer.groups()
    scorer_seconds = time.perf_counter() - built
    exclude = [(a, b) for a, b, _, _ in analysis.profile.introductions]
    names = analysis.profile.node_names
    people = sorted(G, key=str)[:: max(1, len(G) // PEOPLE)][:PEOPLE]

    def ask(scope: Scope) -> float:
        return _timed(
            lambda: suggest_introductions(
                G, k=40, scope=scope, scorer=scorer, exclude=exclude, names=names
            )
        )

    person_ms = [ask(Scope(person=p)) for p in people]
    busiest = sorted(G, key=lambda p: (-G.degree(p), str(p)))[:PEOPLE]
    connector_ms = [ask(Scope(connector=p)) for p in busiest]
    region_ms = [ask(Scope(region=r)) for r in ("Wales", "London", "North East")]
    return {
        "analysis_s": total,
        "analysis_cpu_s": total_cpu,
        "introductions_stage_s": stages.get("introductions", (0.0, 0.0))[0],
        "introductions_stage_cpu_s": stages.get("introductions", (0.0, 0.0))[1],
        "scorer_s": scorer_seconds,
        "person_median_ms": statistics.median(person_ms),
        "person_max_ms": max(person_ms),
        "connector_median_ms": statistics.median(connector_ms),
        "region_max_ms": max(region_ms),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, action="append", default=None)
    parser.add_argument("--cache", type=Path, default=None, help="keep generated networks here")
    arguments = parser.parse_args()
    sizes = arguments.members or [1000, 10000]
    columns = (
        "analysis_s",
        "analysis_cpu_s",
        "introductions_stage_s",
        "introductions_stage_cpu_s",
        "scorer_s",
        "person_median_ms",
        "person_max_ms",
        "connector_median_ms",
        "region_max_ms",
    )
    print("| members | " + " | ".join(columns) + " |")
    print("|---:|" + "---:|" * len(columns))
    for members in sizes:
        figures = bench(members, arguments.cache)
        print(f"| {members:,} | " + " | ".join(f"{figures[c]:.2f}" for c in columns) + " |")


if __name__ == "__main__":
    main()
