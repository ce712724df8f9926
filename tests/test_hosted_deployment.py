"""The hosted deployment starts as the README says, against a live Neo4j.

No Docker engine runs here, so the test does what the containers would: it
runs ``graphsvc serve`` with exactly the environment the Dockerfile and
``docker-compose.yml`` give the service (the secrets it asks for filled in,
the ``neo4j`` host being the live server, the ``/data`` volume a temporary
directory, and a free port), creates the first admin with the documented
command, signs in, imports a file and opens a page.
"""

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import yaml
from serving import free_port, wait_until_healthy

from graphsvc.store import open_store

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
PASSWORD = "a first admin's long password"


def dockerfile_environment() -> dict[str, str]:
    """The ``ENV`` the Dockerfile sets, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            found.update(re.findall(r"(\w+)=(\S+)", line))
    return found


def compose_environment(variables: dict[str, str]) -> dict[str, str]:
    """The graphsvc service's environment in docker-compose.yml, with ``${...}``
    filled from ``variables`` as Compose would (refusing what it would refuse)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    given = compose["services"]["graphsvc"]["environment"]

    def fill(match: re.Match[str]) -> str:
        name, rule, word = match.group(1), match.group(2), match.group(3)
        if name in variables:
            return variables[name]
        if rule == ":-":
            return word
        raise AssertionError(f"compose refuses to start without {name}: {word}")

    pattern = re.compile(r"\$\{(\w+)(:[-?])?([^}]*)\}")
    return {key: pattern.sub(fill, str(value)) for key, value in given.items()}


@pytest.fixture
def live_neo4j() -> Iterator[str]:
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("Neo4j backend not tested: set NEO4J_URI to a Neo4j server to test it")
    with open_store(url) as store:
        store.clear()
    yield url
    with open_store(url) as store:
        store.clear()


def test_compose_refuses_to_start_the_service_without_its_secrets() -> None:
    with pytest.raises(AssertionError, match="GRAPHSVC_SECRET_KEY"):
        compose_environment({"NEO4J_PASSWORD": "x"})
    with pytest.raises(AssertionError, match="NEO4J_PASSWORD"):
        compose_environment({"GRAPHSVC_SECRET_KEY": "x"})


def test_the_service_keeps_its_users_and_saved_analysis_on_a_volume() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    service = compose["services"]["graphsvc"]
    mounted = [volume.split(":")[1] for volume in service["volumes"]]
    accounts = service["environment"]["GRAPHSVC_ACCOUNTS"]
    assert any(accounts.startswith(path + "/") for path in mounted)
    assert "healthcheck" in service and "/api/health" in str(service["healthcheck"]["test"])
    assert "HEALTHCHECK" in (ROOT / "Dockerfile").read_text()


def test_the_hosted_deployment_starts_and_serves_as_the_readme_says(
    live_neo4j: str, tmp_path: Path
) -> None:
    volume = tmp_path / "data"
    volume.mkdir(mode=0o700)
    environment = {
        **dockerfile_environment(),
        **compose_environment(
            {
                "NEO4J_PASSWORD": os.environ.get("GRAPHSVC_NEO4J_PASSWORD", ""),
                "GRAPHSVC_SECRET_KEY": secrets.token_urlsafe(48),
            }
        ),
    }
    assert environment["GRAPHSVC_ENVIRONMENT"] == "production"
    # What the containers' names and volume mean on this machine.
    environment["GRAPHSVC_STORE"] = environment["GRAPHSVC_STORE"].replace(
        "bolt://neo4j:7687", live_neo4j
    )
    environment = {key: value.replace("/data", str(volume)) for key, value in environment.items()}
    port = free_port()
    environment["GRAPHSVC_PORT"] = str(port)
    run_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GRAPHSVC_", "NEO4J_"))},
        **environment,
    }
    graphsvc = [sys.executable, "-m", "graphsvc"]

    # The first admin, the documented way (the password given, not typed).
    added = subprocess.run(
        [*graphsvc, "user", "add", "admin@example.org", "--role", "admin", "--password", PASSWORD],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    assert (volume / "accounts.sqlite").exists()

    server = subprocess.Popen(
        [*graphsvc, "serve"], env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(
            server, base, lambda: server.stderr.read().decode() if server.stderr else ""
        )
        with httpx.Client(base_url=base, timeout=60) as client:
            signed = client.post(
                "/api/sign-in", json={"email": "admin@example.org", "password": PASSWORD}
            )
            assert signed.status_code == 200, signed.text
            # Production cookies are Secure, which a client sends only over HTTPS
            # (the proxy in front of the service): sent by hand here.
            assert "secure" in signed.headers["set-cookie"].lower()
            session = signed.headers["set-cookie"].split(";")[0]
            headers = {"cookie": session, "x-csrf-token": signed.json()["csrf_token"]}
            with (FIXTURES / "members_2024.csv").open("rb") as f:
                imported = client.post(
                    "/api/imports",
                    headers=headers,
                    files={"file": ("members_2024.csv", f, "text/csv")},
                    data={"kind": "members"},
                )
            assert imported.status_code == 201, imported.text
            assert imported.json()["report"]["written"]
            page = client.get("/imports", headers={"cookie": session, "accept": "text/html"})
            assert page.status_code == 200 and "Imports and review" in page.text
            people = client.get("/api/people", headers=headers, params={"q": "amina"})
            assert people.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=60)
