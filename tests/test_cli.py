"""The graphsvc command, run as a user runs it."""

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from itertools import takewhile
from pathlib import Path

import psutil
import pytest
from serving import free_port

from graphsvc.store import open_store
from graphsvc.store.falkordb_embedded import running_server_pid

CLI = [sys.executable, "-m", "graphsvc"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_demo_loads_a_network_and_stats_reports_it(tmp_path: Path) -> None:
    store = str(tmp_path / "demo")
    loaded = run("demo", "--store", store, "--members", "150", "--no-serve")
    assert loaded.returncode == 0, loaded.stderr
    assert "Person" in loaded.stdout and "Ready in" in loaded.stdout
    stats = run("stats", "--store", store, "--json")
    assert stats.returncode == 0, stats.stderr
    report = json.loads(stats.stdout)
    assert report["nodes"]["Person"] == 150
    assert report["relationships"]["ATTENDED"] > 0
    assert report["graph_version"] > 0
    analysed = run("analyse", "--store", store, "--json")
    assert analysed.returncode == 0, analysed.stderr
    analysis = json.loads(analysed.stdout)
    assert set(analysis) >= {"constellations", "bridges", "gaps", "introductions", "graph_version"}
    assert analysis["graph_version"] == report["graph_version"]
    assert analysis["constellations"]["constellations"]
    readable = run("analyse", "--store", store)
    assert "constellations" in readable.stdout and "London" in readable.stdout
    evaluated = run("evaluate", "--store", store, "--json", "--k", "20")
    assert evaluated.returncode == 0, evaluated.stderr
    methods = {m["method"]: m for m in json.loads(evaluated.stdout)["methods"]}
    assert methods["plausibility"]["auc"] > methods["random"]["auc"]


def test_the_store_can_be_chosen_by_environment(tmp_path: Path) -> None:
    store = str(tmp_path / "by-env")
    assert (
        run("demo", "--members", "100", "--no-serve", env={"GRAPHSVC_STORE": store}).returncode == 0
    )
    assert json.loads(run("stats", "--store", store, "--json").stdout)["nodes"]["Person"] == 100


def test_running_the_demo_again_reuses_what_is_loaded(tmp_path: Path) -> None:
    store = str(tmp_path / "demo")
    assert run("demo", "--store", store, "--members", "100", "--no-serve").returncode == 0
    version = json.loads(run("stats", "--store", store, "--json").stdout)["graph_version"]
    again = run("demo", "--store", store, "--members", "100", "--no-serve")
    assert "already loaded" in again.stdout
    assert json.loads(run("stats", "--store", store, "--json").stdout)["graph_version"] == version
    bigger = run("demo", "--store", store, "--members", "120", "--no-serve")
    assert bigger.returncode == 0
    assert json.loads(run("stats", "--store", store, "--json").stdout)["nodes"]["Person"] == 120


def test_the_demo_never_replaces_data_that_is_not_a_demo(tmp_path: Path) -> None:
    import datetime as dt

    from graphsvc.model import Person, Provenance

    store_dir = str(tmp_path / "real")
    seen = Provenance(
        source="members.csv", first_seen=dt.date(2024, 1, 1), last_seen=dt.date(2024, 1, 1)
    )
    with open_store(store_dir) as store:
        store.upsert_nodes([Person(id="person:1", name="A real member", provenance=seen)])
    result = run("demo", "--store", store_dir, "--members", "100", "--no-serve")
    assert result.returncode == 2
    assert "not a demo" in result.stderr
    with open_store(store_dir) as store:
        assert store.counts().nodes["Person"] == 1


@pytest.mark.parametrize(
    ("store", "message"),
    [
        ("http://example.org/graph", "unknown kind of store 'http://'"),
        ("redis://localhost", "unknown kind of store 'redis://'"),
        ("/proc/graphsvc-data", "cannot write to /proc/graphsvc-data"),
        ("bolt://127.0.0.1:1", "Neo4j at bolt://127.0.0.1:1 does not answer"),
        ("   ", "is empty"),
    ],
)
def test_a_bad_store_gets_one_clear_line_and_a_failing_exit_code(store: str, message: str) -> None:
    result = run("stats", "--store", store)
    assert result.returncode == 2
    assert message in result.stderr
    assert "GRAPHSVC_STORE" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_neo4j_credentials_never_appear_in_messages() -> None:
    result = run("stats", "--store", "bolt://someone:s3cret@127.0.0.1:1")
    assert result.returncode == 2
    assert "s3cret" not in result.stderr and "someone" not in result.stderr


def _demo_user(output: Path, role: str) -> list[str]:
    """What the demo printed for a role's user: email, role, password (one table),
    then the pages it may open (the next table's row for the role)."""
    rows = [
        [c.strip() for c in line.split("│") if c.strip()]
        for line in output.read_text().splitlines()
    ]
    user = next((r for r in rows if r and r[0] == f"{role}@demo.invalid"), None)
    at = next((i for i, r in enumerate(rows) if len(r) == 2 and r[0] == role), None)
    if user is None or at is None:
        raise AssertionError(f"no demo user for {role} in: {output.read_text()}")
    # A long list of pages wraps onto the lines below, whose role cell is empty.
    more = takewhile(lambda r: len(r) == 1 and r[0].startswith("/"), rows[at + 1 :])
    wrapped = [r[0] for r in more]
    return [*user, " ".join([rows[at][1], *wrapped])]


def _demo_password(output: Path, role: str) -> str:
    return _demo_user(output, role)[2]


def test_demo_serves_a_first_page_showing_what_is_in_the_graph(tmp_path: Path) -> None:
    port = free_port()
    output = tmp_path / "demo-output.txt"
    with output.open("w") as out:
        server = subprocess.Popen(
            [
                *CLI,
                "demo",
                "--store",
                str(tmp_path / "demo"),
                "--members",
                "100",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "120"},
        )
    base = f"http://127.0.0.1:{port}"
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    try:
        deadline, page = time.monotonic() + 120, ""
        while time.monotonic() < deadline and not page:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                with browser.open(f"{base}/", timeout=5) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(0.5)
        assert "Sign in" in page  # the map is for signed-in users only
        form = urllib.parse.urlencode(
            {"email": "member@demo.invalid", "password": _demo_password(output, "member")}
        ).encode()
        with browser.open(f"{base}/sign-in", data=form, timeout=10) as response:
            page = response.read().decode()
        assert '<strong id="member-count">100</strong>' in page
        assert "Members by region and nation" in page
        # Each role's user is printed with the pages it may open.
        assert _demo_user(output, "member")[3] == (
            "/explore /my-network /me/ties /introduction-requests /me /buddying /account"
        )
        assert "/gaps" in _demo_user(output, "convenor")[3]
        assert _demo_user(output, "admin")[3].endswith("/imports /stewardship /audit /account")
        database = running_server_pid(tmp_path / "demo")
        assert database is not None
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Stopping the service stops the database it started.
    deadline = time.monotonic() + 10
    while psutil.pid_exists(database) and psutil.Process(database).status() != "zombie":
        assert time.monotonic() < deadline, "the database outlived the service"
        time.sleep(0.1)


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "stats", "serve"):
        assert command in result.stdout


def test_a_wrong_neo4j_password_gets_one_line_naming_the_setting_and_writes_nothing() -> None:
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("Neo4j backend not tested: set NEO4J_URI to a Neo4j server to test it")
    result = run("stats", "--store", url, env={"GRAPHSVC_NEO4J_PASSWORD": "not the password"})
    assert result.returncode == 2
    assert "refused the credentials" in result.stderr
    assert "GRAPHSVC_NEO4J_PASSWORD" in result.stderr and "Traceback" not in result.stderr
    assert "not the password" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2  # one line, wrapped at most once


def test_the_live_neo4j_is_of_the_version_graphsvc_is_written_for() -> None:
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("Neo4j backend not tested: set NEO4J_URI to a Neo4j server to test it")
    from graphsvc.store.neo4j_server import version_problem

    with open_store(url) as store:
        agent = store.runner._driver.get_server_info().agent  # type: ignore[attr-defined]
    assert agent.startswith("Neo4j/5.26.") and version_problem(agent) is None


FIXTURES = Path(__file__).parent / "fixtures"


def test_import_dry_run_writes_nothing_and_prints_who_would_be_created_matched_and_changed(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "store")
    first = run(
        "import",
        "members",
        str(FIXTURES / "members_2024.csv"),
        "--store",
        store,
        "--dates",
        "day-first",
    )
    assert first.returncode == 0, first.stderr
    assert "created:" in first.stdout and "Tom Reid" in first.stdout
    before = json.loads(run("stats", "--store", store, "--json").stdout)
    again = tmp_path / "again.csv"
    again.write_text(
        "Name,Email,Organisation,Town\n"
        "Tom Reid,tom.reid@newjob.example,Leeds City Council,Leeds\n"
        "Nadia Preview,nadia@preview.example,Acme Ltd,York\n"
    )
    previewed = run(
        "import", "members", str(again), "--store", store, "--dry-run", env={"COLUMNS": "200"}
    )
    assert previewed.returncode == 0, previewed.stderr
    said = previewed.stdout
    assert "Dry run: nothing was written" in said
    assert "row 3: Nadia Preview <nadia@preview.example>" in said
    assert "row 2: Tom Reid" in said and "same name and organisation" in said
    assert "email 'tom.reid@leeds.example' -> 'tom.reid@newjob.example'" in said
    after = json.loads(run("stats", "--store", store, "--json").stdout)
    assert after == before  # the same counts and the same graph version

    attendance = run(
        "import",
        "attendance",
        str(FIXTURES / "attendance_roundtable.csv"),
        "--store",
        store,
        "--dry-run",
        "--json",
    )
    assert attendance.returncode == 0, attendance.stderr
    assert json.loads(attendance.stdout)["created"]
    assert json.loads(run("stats", "--store", store, "--json").stdout) == before
