"""How long a network map takes to become interactive in headless Chromium.

Builds the map of a synthetic network (every person shown, as an admin sees
it) with positions computed on the server, writes it as the self-contained
file ``graphsvc map`` writes, opens it in Debian's chromium and reports the
time from navigation to the first drawn frame (the map then answers clicks
and hovers), and how long the page then takes to answer a script call (a
frozen tab would not). Past ``MAX_PEOPLE`` the map is the constellation
overview, as the pages show it, and the largest constellation is timed too (the
filtered view a click on its bubble opens).

    .venv/bin/python benchmarks/map_in_browser.py --members 1000 --members 5000 --members 50000
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from browser import chromium_path

from graphsvc.analysis.pipeline import analyse
from graphsvc.store.snapshot import graph_from_rows
from graphsvc.synthetic import synthetic_records
from visualisations.html import map_file
from visualisations.network_map import network_map, network_positions


def build(members: int, folder: Path) -> list[tuple[str, Path, str, int, float]]:
    """The whole network's map and, where that is an overview, the largest
    constellation's (the filtered view a click on its bubble opens)."""
    records = synthetic_records(members, seed=1)
    snapshot = graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    )
    analysis = analyse(snapshot)
    assert analysis.profile is not None
    started = time.perf_counter()
    where = network_positions(analysis)
    drawn = network_map(analysis, list(analysis.profile.people), where, lambda p: True)
    path = folder / f"map-{members}.html"
    path.write_text(map_file(drawn, f"{members} members"), encoding="utf-8")
    built = [("everyone", path, drawn.kind, len(drawn.nodes), time.perf_counter() - started)]
    if drawn.kind == "overview":
        largest = max(analysis.constellations.constellations, key=lambda c: c.size)
        started = time.perf_counter()
        part = network_map(analysis, largest.members, where, lambda p: True)
        path = folder / f"map-{members}-largest.html"
        path.write_text(map_file(part, f"{members} members, one constellation"), "utf-8")
        took = time.perf_counter() - started
        built.append(("largest constellation", path, part.kind, len(part.nodes), took))
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, action="append", help="network sizes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        print(
            "| members | people asked for | map | nodes drawn | server layout + map "
            "| interactive after | script answers in |"
        )
        print("|---:|---|---|---:|---:|---:|---:|")
        for members in args.members or [5000]:
            for asked_for, path, kind, nodes, server_s in build(members, Path(folder)):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(path.as_uri())
                page.wait_for_selector("#map[data-ready=true]", timeout=120_000)
                ready_ms = page.evaluate("window.mapReadyAt")
                asked = time.perf_counter()
                page.evaluate("1 + 1")
                answer_ms = (time.perf_counter() - asked) * 1000
                page.close()
                print(
                    f"| {members:,} | {asked_for} | {kind} | {nodes:,} | {server_s:.1f} s | "
                    f"{ready_ms / 1000:.2f} s | {answer_ms:.0f} ms |"
                )
        browser.close()


if __name__ == "__main__":
    main()
