"""What the service answers from: the latest finished view and analysis of the
network, refreshed in the background after every change.

A *generation* is one graph version's view (:class:`NetworkView`), its
analysis and what is derived from them (membership summary, map layout, pair
scorer), each computed once. Requests are answered from the latest finished
generation: after a change it keeps serving while the next one is computed
in one background thread, however many requests arrive, and the answers say
how fresh they are (:class:`Freshness`).

Two kinds of change cannot wait for the refresh:

- an erasure (or clearing the graph) marks the store as purged; a generation
  from before it holds the erased person and is dropped at once, in this
  process and in any other reading the same store, and the next request
  waits for a new one;
- a change of someone's visibility marks the store too; a generation from
  before the mark has everyone's visibility read again (one query) and
  applied to its view before it answers, whoever made the change.

The finished generation is saved to disk (:mod:`graphsvc.service.saved`) so a
restarted service answers at once from it while it refreshes.
"""

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphsvc.analysis.weights import IntroductionWeights
from graphsvc.service import refresh
from graphsvc.service.refresh import Wanted
from graphsvc.service.saved import SavedGeneration
from graphsvc.service.view import NetworkView
from graphsvc.store import GraphState, GraphStore

# The analysis stack (igraph, scipy) is imported where it is used: commands
# that never analyse (imports, users) start without it.
if TYPE_CHECKING:
    from graphsvc.analysis.membership import MembershipSummary
    from graphsvc.analysis.pair_scores import PairScorer
    from graphsvc.analysis.pipeline import Analysis

log = logging.getLogger("graphsvc.service")

RETRY_AFTER_FAILURE = 10.0  # seconds before a failed background refresh is tried again

Positions = dict[Any, tuple[float, float]]


class Generation:
    """One graph version's view and everything computed from it, each part once."""

    def __init__(
        self,
        view: NetworkView,
        previous: dict[str, list[str]] | None = None,
        seed: int = 0,
        weights: IntroductionWeights | None = None,
    ) -> None:
        self.view = view
        self.built_at = time.time()
        self.consent_read = view.version  # consent changes up to here are in the view
        self.saving = False  # a save of it has begun (one is enough)
        self._previous = previous  # earlier constellations, so their ids stay put
        self._seed = seed
        self.weights = weights or IntroductionWeights()  # introductions are scored with
        self._analysis: Analysis | None = None
        self._analysed_at: float | None = None
        self._membership: MembershipSummary | None = None
        self._positions: Positions | None = None
        self._scorer: PairScorer | None = None
        self._lock = threading.Lock()
        self._layout_lock = threading.Lock()  # held for seconds: apart from _lock

    @property
    def version(self) -> int:
        return self.view.version

    @property
    def analysed(self) -> bool:
        return self._analysis is not None

    @property
    def analysed_at(self) -> float | None:
        """When the analysis finished (seconds since the epoch), if it has."""
        return self._analysed_at

    @property
    def has_layout(self) -> bool:
        return self._positions is not None

    @property
    def has_scorer(self) -> bool:
        return self._scorer is not None

    def analysis(self, on_stage: Callable[[str], None] | None = None) -> "Analysis":
        """The analysis of this version, computed on first use (``on_stage`` is told
        each stage then)."""
        from graphsvc.analysis.pipeline import analyse

        with self._lock:
            if self._analysis is None:
                self._analysis = analyse(
                    self.view.snapshot,
                    self.version,
                    seed=self._seed,
                    previous=self._previous,
                    on_stage=on_stage,
                    introduction_weights=self.weights,
                )
                self._analysed_at = time.time()
            return self._analysis

    def constellations(self) -> dict[str, list[str]] | None:
        """This generation's constellations (id to members), for the next one's ids."""
        if self._analysis is None:
            return self._previous
        return {c.id: c.members for c in self._analysis.constellations.constellations}

    def membership(self) -> "MembershipSummary":
        from graphsvc.analysis.membership import summarise_membership

        with self._lock:
            if self._membership is None:
                self._membership = summarise_membership(self.view.snapshot)
            return self._membership

    def positions(self) -> Positions:
        """Where everyone sits on the map: laid out once (about a second at 5,000
        members, 18 s at 50,000), so filtered maps keep people in place."""
        from visualisations.network_map import network_positions

        analysis = self.analysis()
        with self._layout_lock:
            if self._positions is None:
                self._positions = dict(network_positions(analysis))
            return self._positions

    def scorer(self) -> "PairScorer":
        """The pair scorer for one person's introductions (a second at 10,000 members)."""
        from graphsvc.analysis.pair_scores import PairScorer

        analysis = self.analysis()
        with self._lock:
            if self._scorer is None:
                assert analysis.collaboration is not None
                self._scorer = PairScorer.build(
                    analysis.collaboration,
                    analysis.constellations.membership,
                    {s.person for s in analysis.constellations.single_points},
                )
            return self._scorer

    def __getstate__(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "built_at": self.built_at,
            "consent_read": self.consent_read,
            "previous": self._previous,
            "seed": self._seed,
            "weights": self.weights,
            "analysis": self._analysis,
            "analysed_at": self._analysed_at,
            "membership": self._membership,
            "positions": self._positions,
            "scorer": self._scorer,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["view"], state["previous"], state["seed"], state.get("weights")
        )
        self.built_at = state["built_at"]
        self.consent_read = state.get("consent_read", self.version)
        self._analysis = state["analysis"]
        self._analysed_at = state["analysed_at"]
        self._membership = state["membership"]
        self._positions = state["positions"]
        self._scorer = state["scorer"]


@dataclass(frozen=True)
class Freshness:
    """How up to date the answers are: the store's version against the one answered from."""

    graph_version: int
    answered_version: int | None  # None: nothing computed yet
    analysed_at: float | None
    refreshing: bool

    @property
    def stale(self) -> bool:
        return self.answered_version != self.graph_version

    def message(self, now: float | None = None) -> str:
        """What a page says about it, e.g. "updated 2 minutes ago; refreshing"."""
        if self.analysed_at is None:
            return "not analysed yet" + ("; analysing" if self.refreshing else "")
        said = f"updated {_ago((now or time.time()) - self.analysed_at)}"
        if self.stale:
            said += "; refreshing" if self.refreshing else "; changes since are not shown yet"
        return said


def _ago(seconds: float) -> str:
    """A duration as people say it.

    >>> _ago(20), _ago(61), _ago(7300), _ago(200000)
    ('just now', '1 minute ago', '2 hours ago', '2 days ago')
    """
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= length:
            count = int(seconds // length)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


class Generations:
    """The latest finished generation of one store, kept fresh in the background."""

    def __init__(
        self,
        store: GraphStore,
        saved: SavedGeneration | None = None,
        *,
        background: bool = True,
        seed: int = 0,
        weights: IntroductionWeights | None = None,
    ) -> None:
        self._store = store
        self._saved = saved
        self._background = background  # off for commands: they exit before it would finish
        self._seed = seed
        self._weights = weights or IntroductionWeights()
        self._latest: Generation | None = None
        self._epoch = 0  # moves at every purge: work begun before one is thrown away
        self._lock = threading.Lock()
        self._consent_lock = threading.Lock()
        self._published = threading.Condition(self._lock)
        self._first_lock = threading.Lock()
        self._refresher: threading.Thread | None = None
        self._retry_at = 0.0
        self._closed = False
        self._loaded_saved = saved is None
        self._child: BaseProcess | None = None
        self._people = 0  # in the last generation served: where to build the next

    # --- reading ---------------------------------------------------------------------

    def current(self) -> tuple[Generation, Freshness]:
        """The generation to answer from now, and how fresh it is.

        Waits only when there is none that may be served: at the first request
        of a new service with nothing saved, and after an erasure.
        """
        state = self._store.state()
        with self._lock:
            latest = self._latest
            if latest is not None and not _may_serve(latest, state):
                self._forget_locked()
                latest = None
        if latest is None:
            latest = self._first(state)
        elif latest.version != state.version:
            self.refresh_soon()
        if latest.consent_read < state.consent:
            self._read_consent(latest, state.consent)
        return latest, self._freshness(latest, state)

    def _read_consent(self, generation: Generation, marked: int) -> None:
        """Bring a generation's visibility up to a consent change made since it was built."""
        with self._consent_lock:
            if generation.consent_read >= marked:
                return
            stored = self._store.visibilities()
            people = generation.view.profile.people
            changed = {
                person: visibility
                for person, visibility in stored.items()
                if person in people and visibility != people[person].visibility
            }
            if changed:
                generation.view.set_visibility(changed)
            generation.consent_read = marked

    def warm_up(self) -> None:
        """Read the saved generation, if there is one, in the background: a service
        that has just started answers from it as soon as it is read."""
        if self._saved is not None and self._saved.path.exists():
            threading.Thread(
                target=_logged(self.current), name="graphsvc-warm-up", daemon=True
            ).start()

    def freshness(self) -> Freshness:
        """How fresh the answers are, without building anything (for health checks)."""
        state = self._store.state()
        with self._lock:
            latest = self._latest
        if latest is not None and not _may_serve(latest, state):
            latest = None
        return self._freshness(latest, state)

    def wait_until_current(self, timeout: float = 600.0) -> Generation:
        """The generation of the store's version, with its analysis: waits for the
        background refresh (for scripts and tests that change, then read), or
        builds it here when there is no background."""
        if not self._background:
            return self.build_now()
        deadline = time.monotonic() + timeout
        while True:
            generation, freshness = self.current()
            if not freshness.stale:
                generation.analysis()
                return generation
            self.refresh_soon(force=True)
            with self._lock:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the analysis did not catch up with the store in time")
                self._published.wait(min(left, 0.5))

    def build_now(self, on_stage: Callable[[str], None] | None = None) -> Generation:
        """The generation of the store's version now, analysed, built here if need be
        and saved (for commands, which have no background refresh)."""
        generation, freshness = self.current()
        while freshness.stale:
            with self._lock:
                epoch, previous = self._epoch, self._latest
            built = self._build(freshness.graph_version, previous)
            if self._publish(built, epoch):
                generation = built
            generation, freshness = self.current()
        with self._lock:
            epoch = self._epoch
        fresh = not generation.analysed
        generation.analysis(on_stage)
        if fresh:
            self._save(generation, epoch)
        return generation

    # --- changes ---------------------------------------------------------------------

    def purge(self) -> None:
        """Forget every generation, in memory and on disk (an erasure happened)."""
        with self._lock:
            self._forget_locked()

    def close(self) -> None:
        """Stop refreshing: a child process building a generation is stopped too."""
        with self._lock:
            self._closed = True
            child = self._child
        if child is not None and child.is_alive():
            child.terminate()

    # --- inside ----------------------------------------------------------------------

    def _forget_locked(self) -> None:
        self._epoch += 1
        self._latest = None
        if self._saved is not None:
            self._saved.delete()

    def _freshness(self, generation: Generation | None, state: GraphState) -> Freshness:
        refresher = self._refresher
        return Freshness(
            graph_version=state.version,
            answered_version=generation.version if generation else None,
            analysed_at=generation.analysed_at if generation else None,
            refreshing=refresher is not None and refresher.is_alive(),
        )

    def _first(self, state: GraphState) -> Generation:
        """A generation where there is none: the saved one if it may serve, else
        the store's view now (its analysis follows on first use). One built
        while an erasure happened is not returned: it may hold the person."""
        with self._first_lock:
            while True:
                with self._lock:
                    if self._latest is not None:
                        return self._latest
                    epoch = self._epoch
                generation = self._load_saved(state)
                if generation is None:
                    generation = self._build(state.version, None)
                elif generation.version != state.version:
                    self.refresh_soon()
                if self._publish(generation, epoch) or self._closed:
                    return generation
                state = self._store.state()

    def _load_saved(self, state: GraphState) -> Generation | None:
        if self._loaded_saved or self._saved is None:
            return None
        self._loaded_saved = True  # once: later generations are newer than the saved one
        generation = self._saved.load()
        if generation is not None and not _may_serve(generation, state):
            self._saved.delete()
            return None
        return generation

    def _build(self, version: int, previous: Generation | None) -> Generation:
        constellations = previous.constellations() if previous else None
        return refresh.read_generation(
            self._store, version, constellations, self._seed, self._weights
        )

    def _publish(self, generation: Generation, epoch: int) -> bool:
        """Serve ``generation`` from now on, unless a purge happened since it began
        (or a newer one is served already)."""
        with self._lock:
            if epoch != self._epoch or self._closed:
                return False
            if self._latest is not None and self._latest.version > generation.version:
                return False
            self._latest = generation
            self._people = len(generation.view.profile.people)
            self._published.notify_all()
            return True

    def refresh_soon(self, *, force: bool = False) -> None:
        """Start the background refresh, unless it is running (or failed just now)."""
        with self._lock:
            if not self._background or self._closed:
                return
            if self._refresher is not None and self._refresher.is_alive():
                return
            if not force and time.monotonic() < self._retry_at:
                return
            self._refresher = threading.Thread(
                target=self._refresh, name="graphsvc-refresh", daemon=True
            )
            self._refresher.start()

    def _refresh(self) -> None:
        """Build generations until one matches the store's version; each is finished
        (analysis, and the layout and scorer where the last one had them) before
        it is served, so no request waits for it."""
        try:
            while not self._closed:
                with self._lock:
                    epoch, previous = self._epoch, self._latest
                state = self._store.state()
                if previous is not None and previous.version == state.version:
                    return
                wanted = Wanted(
                    previous.constellations() if previous else None,
                    self._seed,
                    layout=previous is not None and previous.has_layout,
                    scorer=previous is not None and previous.has_scorer,
                    weights=self._weights,
                )
                if self._people >= refresh.IN_A_PROCESS_FROM:
                    self._refresh_in_a_process(state.version, wanted, epoch)
                else:
                    generation = refresh.build_generation(self._store, state.version, wanted)
                    if self._publish(generation, epoch):
                        self._save(generation, epoch)
        except Exception:
            if not self._closed:
                log.exception("refreshing the analysis failed; answers stay as they were")
                self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE

    def _refresh_in_a_process(self, version: int, wanted: Wanted, epoch: int) -> None:
        """Build the next generation in a child process, read what it wrote a chunk
        at a time, serve it, and keep its file as the saved one."""
        private: Path | None = None
        saved = self._saved
        if saved is None:  # nothing is kept: the child writes into a private directory
            private = Path(tempfile.mkdtemp(prefix="graphsvc-refresh-"))
            saved = SavedGeneration(
                private / "generation.pickle", self._store.description, self._weights
            )
        written = saved.aside_path()
        try:
            child = refresh.start_child(self._store.address, version, wanted, saved, written)
            with self._lock:
                self._child = child
            refresh.wait_for(child, written)
            generation = saved.load(written)
            if generation is None:
                raise refresh.ChildFailed("the analysis the child wrote could not be read")
            if self._publish(generation, epoch) and self._saved is not None:
                self._put_in_place(written, generation, epoch)
        finally:
            written.unlink(missing_ok=True)
            if private is not None:
                shutil.rmtree(private, ignore_errors=True)

    def analysis_of(self, generation: Generation) -> "Analysis":
        """The generation's analysis; one computed in a request is saved in the background."""
        if generation.analysed:
            return generation.analysis()
        analysis = generation.analysis()
        with self._lock:
            epoch, first = self._epoch, not generation.saving
            generation.saving = True
        if self._saved is not None and first:
            threading.Thread(
                target=self._save, args=(generation, epoch), name="graphsvc-save", daemon=True
            ).start()
        return analysis

    def _save(self, generation: Generation, epoch: int) -> None:
        """Save a generation unless a purge happened since it began: it could hold
        an erased person. Written aside, then put in place under the lock that
        purges take, so no file from before a purge outlives it."""
        if self._saved is None:
            return
        try:
            written = self._saved.write(generation)
        except Exception:
            log.exception("saving the analysis failed; it is computed again at the next start")
            return
        try:
            self._put_in_place(written, generation, epoch)
        finally:
            written.unlink(missing_ok=True)

    def _put_in_place(self, written: Path, generation: Generation, epoch: int) -> None:
        """Make a written generation the saved one, unless an erasure happened since it
        began, here (the epoch moved) or in any process on the store (its purge mark
        passed the generation's version). Looked at again once it is in place: an
        erasure elsewhere may have deleted the saved file just before."""
        assert self._saved is not None
        with self._lock:
            if epoch != self._epoch or self._closed:
                return
            if not _may_serve(generation, self._store.state()):
                return
            self._saved.put_in_place(written)
        if not _may_serve(generation, self._store.state()):
            self._saved.delete()


def _may_serve(generation: Generation, state: GraphState) -> bool:
    """Whether a generation may be served from a store in ``state``: not from before
    an erasure, nor from a store that has gone back (wiped, or another one)."""
    return state.purged <= generation.version <= state.version


def _logged(work: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            work()
        except Exception:
            log.exception("reading the saved analysis failed; the first request computes it")

    return run
