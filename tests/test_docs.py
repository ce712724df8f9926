"""The README stays true: every setting, command and deployment file it names exists."""

import re
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
