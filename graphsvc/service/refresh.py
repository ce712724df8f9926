"""Building the next generation, here or in a process of its own.

The analysis' heaviest steps (community detection, betweenness, the map's
layout) run in igraph's C code, which holds Python's interpreter lock: in the
service's own process they would stall every request for as long as each
step runs (35 s for the layout of a 100,000-member network). So past
:data:`IN_A_PROCESS_FROM` people the next generation is built by a child
process that opens the same store, builds it and writes it to a file, which
the service then reads a chunk at a time (:mod:`graphsvc.service.saved`).
Small networks are built in a thread: their steps take milliseconds, and a
process would take longer to start.
"""

import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graphsvc.service.saved import SavedGeneration
from graphsvc.service.view import NetworkView
from graphsvc.store import GraphStore, StoreAddress, open_store_at

if TYPE_CHECKING:
    from graphsvc.service.generations import Generation

IN_A_PROCESS_FROM = 20_000  # people in the network served


@dataclass(frozen=True)
class Wanted:
    """What the next generation should have ready before it is served."""

    previous: dict[str, list[str]] | None  # the last constellations, so their ids stay
    seed: int = 0
    layout: bool = False
    scorer: bool = False


def build_generation(store: GraphStore, version: int, wanted: Wanted) -> "Generation":
    """The generation of ``version`` (read now, so it may hold later writes too),
    analysed, with what ``wanted`` asks for."""
    from graphsvc.service.generations import Generation

    view = NetworkView.build(version, store.network())
    generation = Generation(view, wanted.previous, wanted.seed)
    generation.analysis()
    generation.membership()
    if wanted.layout:
        generation.positions()
    if wanted.scorer:
        generation.scorer()
    return generation


def build_in_a_process(address: StoreAddress, version: int, wanted: Wanted, into: Path) -> Path:
    """:func:`build_generation` in a child process, written to a file beside ``into``;
    returns that file's path."""
    context = multiprocessing.get_context("spawn")  # no copy of the service's threads or locks
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        written: str = pool.submit(_build_and_write, address, version, wanted, str(into)).result()
    return Path(written)


def _build_and_write(address: StoreAddress, version: int, wanted: Wanted, into: str) -> str:
    store = open_store_at(address)
    try:
        generation = build_generation(store, version, wanted)
        return str(SavedGeneration(Path(into), store.description).write(generation))
    finally:
        store.close()


def private_file(prefix: str) -> Path:
    """A path in a new owner-only temporary directory (for a generation not kept)."""
    return Path(tempfile.mkdtemp(prefix=prefix)) / "generation.pickle"
