"""The finished view and analysis on disk: how a refresh computed in another
process reaches the service, and how a restarted service answers at once.

One file beside the store (or beside the accounts file, for Neo4j) holds the
latest finished generation. It is as private as the store: it holds names,
so it is written owner-only, replaced whole (written aside, then renamed),
and deleted at every erasure. It is read only if it was written by this
version of graphsvc for the same store with the same introduction weights;
anything else is ignored and rebuilt.

It is a pickle, the service's own file in a directory only the service's
user can write, like the database files beside it. Large dicts and lists
(a 100,000-member network's graphs and indexes) are written in chunks and
read back chunk by chunk: unpickling one large object holds Python's
interpreter lock for seconds, and the service reads the file while it is
answering requests.
"""

import contextlib
import gc
import io
import logging
import os
import pickle
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from graphsvc import __version__
from graphsvc.analysis.weights import IntroductionWeights

if TYPE_CHECKING:
    from graphsvc.service.generations import Generation

log = logging.getLogger("graphsvc.service")

FORMAT = 2
CHUNK = 5000  # items of a large dict or list read at one go


class _Pickler(pickle.Pickler):
    """Pickles large dicts and lists by reference to an id once they are written
    (``written``), or, when only finding them, notes each in ``found``."""

    def __init__(
        self, file: IO[bytes], found: dict[int, Any] | None, written: set[int] | None
    ) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._found = found
        self._written = written

    def persistent_id(self, obj: Any) -> int | None:
        if type(obj) not in (dict, list) or len(obj) <= CHUNK:
            return None
        if self._found is not None:
            self._found.setdefault(id(obj), obj)
            return id(obj)
        return id(obj) if self._written is not None and id(obj) in self._written else None


def _large_containers(value: Any) -> list[Any]:
    """The large dicts and lists within ``value``, each after those it holds."""
    found: dict[int, Any] = {}
    finder = _Pickler(io.BytesIO(), found, None)
    finder.dump(value)
    seen = 0
    while seen < len(found):
        container = list(found.values())[seen]
        seen += 1
        for chunk in _chunks(container):
            finder.dump(chunk)
    return list(found.values())[::-1]


def _chunks(container: dict[Any, Any] | list[Any]) -> list[list[Any]]:
    items = list(container.items()) if isinstance(container, dict) else container
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


def dump_chunked(value: Any, out: IO[bytes]) -> None:
    """Write ``value`` so that :func:`load_chunked` reads it back a chunk at a time.

    One pickle stream, so objects shared between chunks stay shared: first each
    large container, a chunk at a time and the innermost first, then ``value``.
    """
    containers = _large_containers(value)
    written: set[int] = set()
    pickler = _Pickler(out, None, written)
    pickler.dump(len(containers))
    for container in containers:
        chunks = _chunks(container)
        pickler.dump(
            (id(container), "dict" if isinstance(container, dict) else "list", len(chunks))
        )
        for chunk in chunks:
            pickler.dump(chunk)
        written.add(id(container))
    pickler.dump(value)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file)
        self.built: dict[int, Any] = {}

    def persistent_load(self, pid: Any) -> Any:
        return self.built[pid]


def load_chunked(source: IO[bytes]) -> Any:
    """Read what :func:`dump_chunked` wrote, one chunk per unpickling call.

    >>> buffer = io.BytesIO()
    >>> shared = list(range(12_000))
    >>> dump_chunked({"a": shared, "b": shared, "n": {i: str(i) for i in range(7_000)}}, buffer)
    >>> _ = buffer.seek(0)
    >>> back = load_chunked(buffer)
    >>> back["a"] == shared and back["a"] is back["b"] and back["n"][6_999]
    '6999'
    """
    unpickler = _Unpickler(source)
    for _ in range(unpickler.load()):
        key, kind, count = unpickler.load()
        container: Any = {} if kind == "dict" else []
        for _ in range(count):
            items = unpickler.load()
            if kind == "dict":
                container.update(items)
            else:
                container.extend(items)
        unpickler.built[key] = container
    return unpickler.load()


_PAUSING = threading.Lock()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while millions of objects are read, then
    those kept out of its later rounds.

    Reading a 100,000-member generation doubles the heap, and each full round
    of the collector walks all of it, stalling every request for seconds. What
    is read is long-lived and holds no cycles, so it is frozen out of the
    collector's rounds; it is still freed, by reference counting, when the
    next generation replaces it. Cycles left by other threads are collected
    first (cheaply: the last generation read is frozen already); only those
    made during the read itself are frozen with it.
    """
    with _PAUSING:
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            if enabled:
                gc.enable()


class SavedGeneration:
    """The file that keeps one store's latest generation."""

    def __init__(self, path: Path, store: str, weights: IntroductionWeights | None = None) -> None:
        self.path = path
        self._store = store  # which store it is of: a file for another store is not read
        # What introductions were scored with: a file scored otherwise is not read.
        self._weights = (weights or IntroductionWeights()).described()

    def _header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "graphsvc": __version__,
            "store": self._store,
            "introduction_weights": self._weights,
        }

    def load(self, path: Path | None = None) -> "Generation | None":
        """The saved generation (or the one at ``path``), or None when there is none
        that this service may use."""
        source = path or self.path
        try:
            with source.open("rb") as f:
                header = pickle.load(f)
                if header != self._header():
                    log.info(
                        "the saved analysis is from another version, store or introduction "
                        "weights; not used"
                    )
                    return None
                with _collector_paused():
                    generation: Generation = load_chunked(f)
                return generation
        except FileNotFoundError:
            return None
        except Exception:
            log.warning("the saved analysis could not be read; it is computed again", exc_info=True)
            source.unlink(missing_ok=True)
            return None

    def aside_path(self) -> Path:
        """A new name beside the saved file, for one being written."""
        return self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}")

    def write(self, generation: "Generation", aside: Path | None = None) -> Path:
        """Write ``generation`` to a file beside the saved one (``aside``, or a new
        name); :meth:`put_in_place` it after."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        aside = aside or self.aside_path()
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as f:
                pickle.dump(self._header(), f, protocol=pickle.HIGHEST_PROTOCOL)
                dump_chunked(generation, f)
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            aside.unlink(missing_ok=True)
            raise
        return aside

    def put_in_place(self, written: Path) -> None:
        # Removed meanwhile by delete(): the generation is not to be kept.
        with contextlib.suppress(FileNotFoundError):
            os.replace(written, self.path)

    def delete(self) -> None:
        """Remove the saved generation and any left half-written."""
        self.path.unlink(missing_ok=True)
        for stray in self.path.parent.glob(f".{self.path.name}.*"):
            stray.unlink(missing_ok=True)
