"""The README stays true: every setting, command and deployment file it names exists."""

import importlib
import re
import subprocess
import sys
from pathlib import Path

import yaml

from graphsvc.cli import app
from graphsvc.config import Settings

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`GRAPHSVC_{name.upper()}`" in README, f"GRAPHSVC_{name.upper()} is undocumented"


def test_every_documented_setting_exists() -> None:
    documented = set(re.findall(r"`GRAPHSVC_([A-Z0-9_]+)`", README))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_every_command_is_documented() -> None:
    names = [command.name for command in app.registered_commands]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        names += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    assert "import members" in names
    for name in names:
        assert f"`graphsvc {name}" in README, f"graphsvc {name} is undocumented"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    assert "make test" in README and "make demo" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert [
        line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ] == ["make test"]


def test_docker_compose_runs_neo4j_community_and_the_service_against_it() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j, service = compose["services"]["neo4j"], compose["services"]["graphsvc"]
    assert neo4j["image"].startswith("neo4j:") and neo4j["image"].endswith("-community")
    assert "NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert any(volume.endswith(":/data") for volume in neo4j["volumes"])
    assert service["build"] == "."
    assert service["environment"]["GRAPHSVC_STORE"] == "bolt://neo4j:7687"
    assert "NEO4J_PASSWORD" in service["environment"]["GRAPHSVC_NEO4J_PASSWORD"]
    assert (ROOT / "Dockerfile").exists()


def test_reference_data_has_attribution() -> None:
    attribution = (ROOT / "graphsvc" / "reference" / "ATTRIBUTION.md").read_text()
    for data in (ROOT / "graphsvc" / "reference").glob("*.csv"):
        assert data.name in attribution


def documented_python_imports() -> list[tuple[str, str]]:
    """Every ``from graphsvc... import a, b`` the README shows, as (module, name)."""
    found = []
    for module, names in re.findall(r"from (graphsvc[\w.]*) import ([\w, ]+)", README):
        found += [(module, name.strip()) for name in names.split(",") if name.strip()]
    return found


def test_every_python_import_the_readme_shows_works() -> None:
    documented = documented_python_imports()
    assert ("graphsvc.analysis", "find_constellations") in documented
    for module, name in documented:
        assert hasattr(importlib.import_module(module), name), f"from {module} import {name}"


def test_every_analysis_function_the_readme_lists_is_in_the_package() -> None:
    import graphsvc.analysis

    listed = re.search(r"`graphsvc.analysis` \(Python API: ([^)]*)\)", README)
    assert listed is not None
    names = re.findall(r"`(\w+)`", listed.group(1))
    assert "suggest_introductions" in names
    for name in names:
        assert callable(getattr(graphsvc.analysis, name)), name


def test_importing_the_analysis_package_does_not_load_the_analysis_stack() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, graphsvc.analysis, graphsvc.service, graphsvc.cli; "
            "print(sorted({'igraph', 'scipy'} & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_no_comment_or_docstring_points_outside_the_repository() -> None:
    outside = re.compile(r"DESIGN\.md|STYLE\.md|\bthe \w+ issue\b|\bissue #?\d+|shared/")
    sources = [
        path
        for folder in ("graphsvc", "importers", "visualisations", "tests", "benchmarks", "tools")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".js", ".mjs", ".html", ".css", ".md"}
        and "node_modules" not in path.parts
    ]
    assert len(sources) > 50
    pointing = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if outside.search(line) and path.name != "test_docs.py"
    ]
    assert pointing == []


def test_the_architecture_is_described_in_the_repository() -> None:
    architecture = (ROOT / "docs" / "architecture.md").read_text()
    for part in ("## The flow", "## The layers", "## The graph model", "## What is cached"):
        assert part in architecture
    for package in ("graphsvc/service/", "graphsvc/store/", "importers/", "visualisations/"):
        assert f"`{package}`" in architecture
    assert "docs/architecture.md" in README


def test_the_readme_python_examples_run_on_a_real_store(tmp_path: Path) -> None:
    from graphsvc.store import open_store
    from graphsvc.synthetic import synthetic_records

    records = synthetic_records(200, seed=3)
    store_dir = tmp_path / "store"
    with open_store(str(store_dir)) as store:
        store.upsert_nodes(records.nodes())
        store.upsert_relationships(records.relationships())
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert len(blocks) >= 2
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(block.replace('"./data"', repr(str(store_dir))), namespace)
    assert namespace["suggestions"] and namespace["found"]


def test_the_analysis_package_exports_each_name_it_lists_once() -> None:
    import graphsvc.analysis

    assert sorted(graphsvc.analysis.__all__) == sorted(graphsvc.analysis._EXPORTS)
    for name in graphsvc.analysis.__all__:
        assert getattr(graphsvc.analysis, name) is not None
