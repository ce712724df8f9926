"""The web service on a real port, and a real Chromium driving it (Playwright).

Debian's ``chromium`` is used (``make test`` installs it); Playwright's own
browser download needs hosts this project cannot reach.
"""

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not found:
        raise RuntimeError(
            "browser tests need Debian's chromium: run `make test` (which installs it) "
            "or `apt-get install chromium`, or set CHROMIUM_PATH"
        )
    return found


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
