"""The command both benchmarks load a synthetic network with."""

import sys
from pathlib import Path


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
