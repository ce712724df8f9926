"""Running ``graphsvc serve`` in a test: a free port, and waiting until it answers."""

import socket
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx2 as httpx


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(
    server: "subprocess.Popen[Any]",
    base: str,
    why_it_stopped: Callable[[], str] = lambda: "",
    timeout_s: float = 120,
) -> None:
    """Return once ``base``/api/health answers 200; fail the test, saying
    ``why_it_stopped()``, if the server exits first or takes over ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, why_it_stopped()
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.3)
