"""What the service benchmarks share: the command that loads a synthetic network,
and starting ``graphsvc serve``."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx


def demo_command(members: int, store: Path) -> list[str]:
    """``graphsvc demo --no-serve`` for ``members`` people into ``store``."""
    return [
        sys.executable,
        "-m",
        "graphsvc",
        "demo",
        "--no-serve",
        "--members",
        str(members),
        "--store",
        str(store),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(store: Path, accounts: Path, port: int) -> subprocess.Popen[bytes]:
    """``graphsvc serve`` on 127.0.0.1, once ``/api/health`` answers (5 minutes at most)."""
    command = [sys.executable, "-m", "graphsvc", "serve", "--store", str(store)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "GRAPHSVC_ACCOUNTS": str(accounts)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit("the service did not start")
        time.sleep(0.2)
