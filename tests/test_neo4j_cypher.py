"""Every query the Neo4j backend runs is valid Cypher to Neo4j's own parser.

The store contract tests run on Neo4j only where NEO4J_URI points at a
server; this check needs no server, so the Neo4j dialect is checked on every
run. It uses Neo4j's Cypher language support (tools/cypher-lint), which
``make test`` installs with npm.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphsvc.store import queries
from graphsvc.store.dialect import NEO4J

TOOL = Path(__file__).parent.parent / "tools" / "cypher-lint"


def neo4j_queries() -> dict[str, str]:
    """The shared queries and the Neo4j dialect's own, by name."""
    found: dict[str, str] = {}
    for name, value in vars(queries).items():
        if not name.isupper() or name.startswith("FALKORDB"):
            continue
        if isinstance(value, str):
            found[name] = value
        elif isinstance(value, dict):
            found.update(
                {f"{name}[{key}]": query for key, query in value.items() if isinstance(query, str)}
            )
    found.update({f"schema[{i}]": s for i, s in enumerate(NEO4J.schema_statements)})
    found["search_people"] = NEO4J.search_people
    if NEO4J.clear_graph:
        found["clear_graph"] = NEO4J.clear_graph
    return found


def lint(named_queries: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    node = shutil.which("node")
    if node is None or not (TOOL / "node_modules" / "@neo4j-cypher").is_dir():
        pytest.skip("Neo4j's Cypher parser is not installed: run `make test` (needs node and npm)")
    source = tmp_path / "queries.json"
    source.write_text(json.dumps(named_queries))
    result = subprocess.run(
        [node, "lint.mjs", str(source)],
        cwd=TOOL,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    errors: dict[str, list[str]] = json.loads(result.stdout)
    return errors


def test_the_checker_rejects_broken_cypher(tmp_path: Path) -> None:
    errors = lint({"broken": "MATCH (n RETURN n", "fine": "MATCH (n) RETURN n"}, tmp_path)
    assert errors["broken"] and not errors["fine"]


def test_every_neo4j_query_parses(tmp_path: Path) -> None:
    named = neo4j_queries()
    assert len(named) > 60, "every per-kind and per-type query is collected"
    errors = lint(named, tmp_path)
    assert set(errors) == set(named)
    assert {name: problems for name, problems in errors.items() if problems} == {}
