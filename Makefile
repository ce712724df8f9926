# Two commands for a newcomer:  `make demo`  and  `make test`.
# Each creates .venv with Python 3.12 if it is not there.

VENV := .venv
BIN := $(VENV)/bin
# pyenv users: .python-version selects 3.12, so python3.12 resolves here.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3 2>/dev/null)

.PHONY: demo test lint format bench clean chromium neo4j

# Neo4j's own Cypher parser checks the Neo4j backend's queries (tests/test_neo4j_cypher.py).
# Without npm that test is skipped, with its reason.
CYPHER_LINT := $(if $(shell command -v npm 2>/dev/null),tools/cypher-lint/node_modules/.installed)

# axe-core checks every page's accessibility in the browser tests
# (tests/test_browser_a11y.py); without npm that test is skipped, with its reason.
AXE_CORE := $(if $(shell command -v npm 2>/dev/null),tools/axe-core/node_modules/.installed)

# A real Neo4j 5.26 (tools/neo4j-server, built with Maven from Maven Central) runs
# beside the tests when Java and Maven are there, so every store test runs on both
# backends; without them the Neo4j tests are skipped, with their reason.
WITH_NEO4J := $(if $(and $(shell command -v java 2>/dev/null),$(shell command -v mvn 2>/dev/null)),tools/neo4j-server/with-neo4j.sh)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed: install it or run make PYTHON=/path/to/python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

tools/cypher-lint/node_modules/.installed: tools/cypher-lint/package-lock.json
	cd tools/cypher-lint && npm ci --silent --no-audit --no-fund
	@touch $@

tools/axe-core/node_modules/.installed: tools/axe-core/package-lock.json
	cd tools/axe-core && npm ci --silent --no-audit --no-fund
	@touch $@

demo: $(VENV)/.installed
	$(BIN)/graphsvc demo

# The browser tests drive Debian's chromium (Playwright's own download needs
# hosts this machine cannot reach); installed here when missing, as root.
CHROMIUM := $(shell command -v chromium 2>/dev/null)

chromium:
ifeq ($(CHROMIUM),)
	@[ "$$(id -u)" = 0 ] || { echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium'"; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
endif

test: $(VENV)/.installed $(CYPHER_LINT) $(AXE_CORE) chromium lint
	$(WITH_NEO4J) $(BIN)/python -m pytest

# A Neo4j for development, its data in .neo4j-data/: prints the settings that
# reach it (NEO4J_URI=... GRAPHSVC_NEO4J_USER=... GRAPHSVC_NEO4J_PASSWORD=...)
# and runs until stopped (Ctrl+C).
neo4j:
	tools/neo4j-server/run.sh .neo4j-data

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_demo.py --members 1000 --members 10000 --members 100000

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache tools/cypher-lint/node_modules \
		tools/axe-core/node_modules \
		tools/neo4j-server/target
