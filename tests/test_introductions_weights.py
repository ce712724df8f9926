"""Introductions' weights are a deployment's to set: a bad setting stops a command in
one line, the weights change the ranking the way they say, a saved analysis scored
otherwise is not reused, and ``graphsvc evaluate --weight`` compares others."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.analysis import pipeline
from graphsvc.analysis.pipeline import Analysis, analyse
from graphsvc.analysis.weights import IntroductionWeights
from graphsvc.service import Network
from graphsvc.store import GraphStore, open_store
from graphsvc.store.snapshot import Snapshot, graph_from_rows
from graphsvc.synthetic import NetworkRecords

CLI = [sys.executable, "-m", "graphsvc"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    return result.stderr


@pytest.fixture(scope="module")
def snapshot(small_network: NetworkRecords) -> Snapshot:
    return graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in small_network.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in small_network.relationships()),
    )


def london_pairs(analysis: Analysis) -> int:
    G = analysis.collaboration
    assert G is not None
    return sum(
        G.nodes[i.a].get("region") == "London" and G.nodes[i.b].get("region") == "London"
        for i in analysis.introductions
    )


@pytest.mark.parametrize(
    ("setting", "named"),
    [("in_london=-3", "'in_london'"), ("floor=low", "'floor'"), ("floor=nan", "'floor'")],
)
@pytest.mark.parametrize("command", ["analyse", "evaluate"])
def test_a_bad_weights_setting_stops_a_command_in_one_line_naming_it(
    setting: str, named: str, command: str, tmp_path: Path
) -> None:
    result = run(
        command,
        "--store",
        str(tmp_path / "store"),
        env={"GRAPHSVC_INTRODUCTION_WEIGHTS": f"both_in_london=-3,{setting}"},
    )
    error = one_line_error(result)
    assert "GRAPHSVC_INTRODUCTION_WEIGHTS" in error and named in error


def test_a_bad_weight_to_try_stops_evaluate_in_one_line_naming_it(tmp_path: Path) -> None:
    result = run("evaluate", "--store", str(tmp_path / "store"), "--weight", "lonely=2")
    error = one_line_error(result)
    assert "--weight" in error and "'lonely'" in error


def test_weights_are_set_by_name_and_the_rest_keep_their_defaults() -> None:
    weights = IntroductionWeights().changed(" reaches_single_point = 4 ,floor=0.1,")
    assert weights.weaving.reaches_single_point == 4.0
    assert weights.plausibility.floor == 0.1
    assert weights.weaving.both_in_london == IntroductionWeights().weaving.both_in_london
    assert weights.described() == "reaches_single_point=4,floor=0.1"
    assert IntroductionWeights().changed("").described() == ""


def test_a_reward_for_both_in_london_fills_the_top_50_with_london_pairs_a_penalty_empties_it(
    snapshot: Snapshot,
) -> None:
    def ranked(pairs: str) -> Analysis:
        return analyse(snapshot, introduction_weights=IntroductionWeights().changed(pairs))

    penalised, rewarded = ranked("both_in_london=-10"), ranked("both_in_london=5")
    assert len(penalised.introductions) == len(rewarded.introductions) == 50
    assert london_pairs(penalised) == 0
    assert london_pairs(rewarded) >= 10
    assert rewarded.introduction_weights == IntroductionWeights().changed("both_in_london=5")


def test_a_higher_floor_suggests_only_pairs_at_least_that_plausible(snapshot: Snapshot) -> None:
    found = analyse(snapshot, introduction_weights=IntroductionWeights().changed("floor=0.3"))
    assert found.introductions
    assert all(i.plausibility >= 0.3 for i in found.introductions)


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[AccountStore]:
    with open_accounts(tmp_path / "accounts.sqlite") as opened:
        yield opened


def eventually(check: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.05)


def test_a_saved_analysis_is_not_reused_once_the_weights_change(
    store: GraphStore,
    small_network: NetworkRecords,
    accounts: AccountStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.upsert_nodes(small_network.nodes())
    store.upsert_relationships(small_network.relationships())
    saved = tmp_path / "analysis.pickle"
    with Network(store, accounts, saved=saved) as first:
        first.analysis()
        eventually(saved.exists)
    written = saved.stat().st_mtime_ns

    runs: list[IntroductionWeights | None] = []
    real = pipeline.analyse

    def counted(snapshot: Any, graph_version: int | None = None, **kwargs: Any) -> Any:
        runs.append(kwargs.get("introduction_weights"))
        return real(snapshot, graph_version, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", counted)
    changed = IntroductionWeights().changed("both_in_london=5")
    with Network(store, accounts, saved=saved, weights=changed) as restarted:
        analysis = restarted.analysis()
        eventually(lambda: saved.stat().st_mtime_ns != written)
    assert runs == [changed], "computed again, with the new weights"
    assert analysis.introduction_weights == changed
    assert london_pairs(analysis) >= 10

    with Network(store, accounts, saved=saved, weights=changed) as again:
        again.analysis()
    assert runs == [changed], "the same weights reuse what was saved"


def test_evaluate_compares_weights_tried_beside_the_configured_ones(
    small_network: NetworkRecords, tmp_path: Path
) -> None:
    store_dir = str(tmp_path / "store")
    with open_store(store_dir) as store:
        store.upsert_nodes(small_network.nodes())
        store.upsert_relationships(small_network.relationships())
    result = run(
        "evaluate",
        "--store",
        store_dir,
        "--json",
        "--weight",
        "both_in_london=5",
        "--weight",
        "beyond_london=0",
        env={"GRAPHSVC_INTRODUCTION_WEIGHTS": "both_in_london=-10"},
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["weights"] == "both_in_london=-10"
    assert found["tried"] == "beyond_london=0,both_in_london=5"
    methods = {m["method"] for m in found["methods"]}
    assert {"plausibility", "plausibility (tried)", "weaving_value (tried)"} <= methods
    effects = {e["method"]: e for e in found["effects"]}
    assert effects["introductions"]["both_in_london_share"] == 0
    assert effects["introductions (tried)"]["both_in_london_share"] > 0.2

    wide = {"COLUMNS": "200"}  # each row on one line
    table = run("evaluate", "--store", store_dir, "--weight", "both_in_london=5", env=wide)
    assert table.returncode == 0, table.stderr
    assert "Tried (rows marked so): both_in_london=5" in table.stdout
    assert "introductions (tried)" in table.stdout
