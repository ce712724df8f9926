"""The one interface a database backend implements: run Cypher, atomically."""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from graphsvc.store.dialect import Dialect

Params = Mapping[str, Any]
Row = list[Any]
Statement = tuple[str, Params]


@dataclass(frozen=True)
class StoreAddress:
    """What another process needs to open the same store (``open_store_at``)."""

    backend: Literal["falkordb", "neo4j"]
    target: str  # the embedded store's directory, or the Neo4j URL
    graph: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None


class QueryRunner(ABC):
    """Runs parameterised Cypher against one graph of one database."""

    dialect: Dialect

    @property
    @abstractmethod
    def description(self) -> str:
        """Where the data lives, for messages (never includes credentials)."""

    @property
    @abstractmethod
    def address(self) -> StoreAddress:
        """How another process opens this same store."""

    @abstractmethod
    def read(self, query: str, params: Params | None = None) -> list[Row]:
        """Run a read-only query and return its rows."""

    def read_plain(self, query: str, params: Params | None = None) -> list[Row]:
        """:meth:`read` for queries whose columns are all strings, integers or nulls.

        A backend may answer these faster by skipping the typing of each value.
        """
        return self.read(query, params)

    @abstractmethod
    def write(self, statements: Sequence[Statement]) -> list[list[Row]]:
        """Run write statements as one unit and return each one's rows.

        Either every statement takes effect or, if the database stops part
        way, none does.
        """

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create the dialect's indexes and constraints if they are missing."""

    def compact(self) -> None:
        """Rewrite the database's own files to the data as it is now.

        After a bulk load, so the next start reads a snapshot rather than
        replaying every write. Does nothing where the database manages this.
        """
        return None

    @abstractmethod
    def forget_history(self) -> None:
        """Rewrite the database's own files so deleted data no longer sits in them.

        Called after an erasure: an append-only log would otherwise keep an
        erased person's data on disk.
        """

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship of this graph."""

    def detach(self) -> None:
        """Let go of the database without stopping it: another process is using it."""
        self.close()

    @abstractmethod
    def close(self) -> None:
        """Release connections (and stop an embedded database we started)."""
