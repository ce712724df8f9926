"""Load test of the web service's cached analysis endpoints (loopback only, bounded).

Loads a synthetic network (default 10,000 members), starts ``graphsvc serve``
on 127.0.0.1, warms the analysis once, then runs N concurrent clients (default
50), each signed in with a bearer token and asking for the analysis endpoints
in turn for a fixed time. Prints latency percentiles per endpoint and overall,
for each store measured (``--backend``); exits 1 if the overall p95 misses the
target (default 100 ms) on any.

    .venv/bin/python benchmarks/load_api.py --members 10000 --clients 50 --seconds 30
    .venv/bin/python benchmarks/load_api.py --backend embedded --backend neo4j
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
from demo_load import (
    Backend,
    demo_command,
    free_port,
    parse_with_backends,
    ratio_cells,
    serve,
)

from graphsvc.access import Role
from graphsvc.accounts import open_accounts

# (path, role asking): what convenors and connectors open most, all served from
# the analysis cached for the graph's version.
ENDPOINTS = [
    ("/api/analysis", Role.CONVENOR),
    ("/api/constellations", Role.CONVENOR),
    ("/api/gaps", Role.CONVENOR),
    ("/api/bridges", Role.CONVENOR),
    ("/api/single-points?limit=50", Role.CONVENOR),
    ("/api/potential-constellations?limit=50", Role.CONVENOR),
    ("/api/gaps/not-in-the-room?limit=50", Role.CONVENOR),
    ("/api/introductions?limit=50", Role.CONNECTOR),
]


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def _client(
    http: httpx.AsyncClient,
    tokens: dict[Role, str],
    offset: int,
    until: float,
    latencies: dict[str, list[float]],
    errors: list[str],
) -> None:
    i = offset
    while time.perf_counter() < until:
        path, role = ENDPOINTS[i % len(ENDPOINTS)]
        i += 1
        started = time.perf_counter()
        response = await http.get(path, headers={"Authorization": f"Bearer {tokens[role]}"})
        latencies[path].append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            errors.append(f"{path}: {response.status_code}")


async def _load(
    base: str, tokens: dict[Role, str], clients: int, seconds: float
) -> tuple[dict[str, list[float]], list[str], float]:
    latencies: dict[str, list[float]] = {path: [] for path, _ in ENDPOINTS}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _client(http, tokens, n, started + seconds, latencies, errors)
                for n in range(clients)
            )
        )
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def _tokens(accounts_file: Path) -> dict[Role, str]:
    """A bearer token for a convenor and a connector of the load test."""
    accounts = open_accounts(accounts_file)
    tokens = {}
    for role in (Role.CONVENOR, Role.CONNECTOR):
        user = accounts.add_user(f"{role.value}@load.invalid", role, "load-test-password")
        tokens[role] = accounts.issue_token(user.id, "bearer", "load")[1]
    accounts.close()
    return tokens


def run(
    backend: Backend, folder: Path, args: argparse.Namespace
) -> tuple[dict[str, list[float]], list[str], float]:
    """Load the network into a fresh store, serve it, warm its analysis, then load it."""
    store = backend.fresh_store(folder)
    print(f"{backend.name}: loading a {args.members:,}-member network…", flush=True)
    subprocess.run(
        demo_command(args.members, store),
        check=True,
        stdout=subprocess.DEVNULL,
        env=backend.environment(folder),
    )
    accounts_file = folder / "accounts.sqlite"
    tokens = _tokens(accounts_file)
    port = free_port()
    server = serve(store, accounts_file, port)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        for path, role in ENDPOINTS:  # the first asks compute and cache the analysis
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            response = httpx.get(f"{base}{path}", headers=headers, timeout=600)
            response.raise_for_status()
        print(f"Analysis computed and cached in {time.perf_counter() - started:.1f} s")
        print(f"{args.clients} clients for {args.seconds:.0f} s…", flush=True)
        return asyncio.run(_load(base, tokens, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=60)


def _endpoint_table(latencies: dict[str, list[float]]) -> dict[str, float]:
    """Print each endpoint's percentiles and every request's; returns the latter."""
    every = [ms for values in latencies.values() for ms in values]
    print("\n| endpoint | requests | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for path, values in latencies.items():
        print(
            f"| `{path}` | {len(values)} | {_percentile(values, 50):.1f} | "
            f"{_percentile(values, 95):.1f} | {_percentile(values, 99):.1f} |"
        )
    overall = {q: _percentile(every, q) for q in (50, 95, 99)}
    print(
        f"| **all** | {len(every)} | {overall[50]:.1f} | **{overall[95]:.1f}** | "
        f"{overall[99]:.1f} |"
    )
    return {"requests": len(every), "p50": overall[50], "p95": overall[95], "p99": overall[99]}


SUMMARY = ("requests", "rate", "p50", "p95", "p99", "errors")


def _summary_cells(overall: dict[str, float]) -> list[str]:
    counts = ("requests", "rate", "errors")
    return [f"{overall[c]:.0f}" if c in counts else f"{overall[c]:.1f}" for c in SUMMARY]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--target-ms", type=float, default=100)
    args, backends = parse_with_backends(parser)

    figures: dict[str, dict[str, float]] = {}
    met = True
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="graphsvc-load-") as folder:
            latencies, errors, elapsed = run(backend, Path(folder), args)
        print(f"\n{backend.name}:")
        overall = _endpoint_table(latencies)
        rate = overall["requests"] / elapsed
        figures[backend.name] = {**overall, "rate": rate, "errors": len(errors)}
        print(f"\n{rate:.0f} requests/s; {len(errors)} errors")
        backend_met = overall["p95"] < args.target_ms and not errors
        met = met and backend_met
        print(
            f"p95 {overall['p95']:.1f} ms: target {args.target_ms:.0f} ms "
            f"{'met' if backend_met else 'MISSED'}\n",
            flush=True,
        )
    print("| store | requests | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, overall in figures.items():
        print(f"| {name} | {' | '.join(_summary_cells(overall))} |")
    if ratios := ratio_cells(figures, SUMMARY):
        print(f"| neo4j / embedded | {' | '.join(ratios)} |")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
