"""Load test of the web service's cached analysis endpoints (loopback only, bounded).

Loads a synthetic network (default 10,000 members), starts ``graphsvc serve``
on 127.0.0.1, warms the analysis once, then runs N concurrent clients (default
50), each signed in with a bearer token and asking for the analysis endpoints
in turn for a fixed time. Prints latency percentiles per endpoint and overall;
exits 1 if the overall p95 misses the target (default 100 ms).

    .venv/bin/python benchmarks/load_api.py --members 10000 --clients 50 --seconds 30
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
from demo_load import demo_command, free_port, serve

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--target-ms", type=float, default=100)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="graphsvc-load-") as folder:
        store = Path(folder) / "store"
        print(f"Loading a {args.members:,}-member network…", flush=True)
        subprocess.run(demo_command(args.members, store), check=True, stdout=subprocess.DEVNULL)
        accounts_file = Path(folder) / "accounts.sqlite"
        accounts = open_accounts(accounts_file)
        tokens = {}
        for role in (Role.CONVENOR, Role.CONNECTOR):
            user = accounts.add_user(f"{role.value}@load.invalid", role, "load-test-password")
            tokens[role] = accounts.issue_token(user.id, "bearer", "load")[1]
        accounts.close()

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
            latencies, errors, elapsed = asyncio.run(
                _load(base, tokens, args.clients, args.seconds)
            )
        finally:
            server.terminate()
            server.wait(timeout=60)

    every = [ms for values in latencies.values() for ms in values]
    print("\n| endpoint | requests | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for path, values in latencies.items():
        print(
            f"| `{path}` | {len(values)} | {_percentile(values, 50):.1f} | "
            f"{_percentile(values, 95):.1f} | {_percentile(values, 99):.1f} |"
        )
    p95 = _percentile(every, 95)
    print(
        f"| **all** | {len(every)} | {_percentile(every, 50):.1f} | **{p95:.1f}** | "
        f"{_percentile(every, 99):.1f} |"
    )
    print(f"\n{len(every) / elapsed:.0f} requests/s; {len(errors)} errors")
    met = p95 < args.target_ms and not errors
    print(f"p95 {p95:.1f} ms: target {args.target_ms:.0f} ms {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
