"""Building the next generation, here or in a process of its own.

The analysis' heaviest steps (community detection, betweenness, the map's
layout) run in igraph's C code, which holds Python's interpreter lock: in the
service's own process they would stall every request for as long as each
step runs (35 s for the layout of a 100,000-member network). So past
:data:`IN_A_PROCESS_FROM` people the next generation is built by a child
process that opens the same store, builds it and writes it to a file the
service names, which the service then reads a chunk at a time
(:mod:`graphsvc.service.saved`). Small networks are built in a thread: their
steps take milliseconds, and a process would take longer to start.
"""

import multiprocessing
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

from graphsvc.analysis.weights import IntroductionWeights
from graphsvc.service.saved import SavedGeneration
from graphsvc.service.view import NetworkView
from graphsvc.store import GraphStore, StoreAddress, open_store_at

if TYPE_CHECKING:
    from graphsvc.service.generations import Generation

IN_A_PROCESS_FROM = 20_000  # people in the network served
# A child that has not finished by then is stopped (a build at 100,000 members
# takes about 2 minutes here).
CHILD_TIMEOUT_S = 3600.0


@dataclass(frozen=True)
class Wanted:
    """What the next generation should have ready before it is served."""

    previous: dict[str, list[str]] | None  # the last constellations, so their ids stay
    seed: int = 0
    layout: bool = False
    scorer: bool = False
    weights: IntroductionWeights | None = None  # introductions' (default: the defaults)


def read_generation(
    store: GraphStore,
    version: int,
    previous: dict[str, list[str]] | None,
    seed: int,
    weights: IntroductionWeights | None = None,
) -> "Generation":
    """The generation of ``version``: its view, read now (so it may hold later
    writes too); what is computed from it follows on first use."""
    from graphsvc.service.generations import Generation

    return Generation(NetworkView.build(version, store.network()), previous, seed, weights)


def build_generation(store: GraphStore, version: int, wanted: Wanted) -> "Generation":
    """The generation of ``version``, analysed, with what ``wanted`` asks for."""
    generation = read_generation(store, version, wanted.previous, wanted.seed, wanted.weights)
    generation.analysis()
    generation.membership()
    if wanted.layout:
        generation.positions()
    if wanted.scorer:
        generation.scorer()
    return generation


class ChildFailed(RuntimeError):
    """The child process building a generation did not finish it."""


def start_child(
    address: StoreAddress, version: int, wanted: Wanted, saved: SavedGeneration, into: Path
) -> BaseProcess:
    """Start a child process that builds the generation and writes it to ``into``."""
    context = multiprocessing.get_context("spawn")  # no copy of the service's threads or locks
    child = context.Process(
        target=_build_and_write,
        args=(address, version, wanted, saved, into),
        name="graphsvc-refresh-child",
        daemon=True,
    )
    child.start()
    return child


def wait_for(child: BaseProcess, into: Path) -> None:
    """Wait for a child started by :func:`start_child`; raise :class:`ChildFailed`
    unless it wrote its file."""
    child.join(CHILD_TIMEOUT_S)
    if child.is_alive():
        child.terminate()
        child.join(10)
        raise ChildFailed(f"building the analysis took longer than {CHILD_TIMEOUT_S:.0f} s")
    if child.exitcode != 0 or not into.exists():
        raise ChildFailed(f"building the analysis failed (exit code {child.exitcode})")


def _build_and_write(
    address: StoreAddress, version: int, wanted: Wanted, saved: SavedGeneration, into: Path
) -> None:
    store = open_store_at(address)
    try:
        saved.write(build_generation(store, version, wanted), into)
    finally:
        store.detach()  # the service goes on using the database
