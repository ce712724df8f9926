"""One write transaction on the accounts file, shared by every table kept in it."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate(db: sqlite3.Connection, lock: threading.Lock) -> Iterator[sqlite3.Connection]:
    """All the writes inside, or none: ``BEGIN IMMEDIATE`` takes the file's write lock
    at once, so two processes sharing the file cannot both read and then both write."""
    with lock:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
