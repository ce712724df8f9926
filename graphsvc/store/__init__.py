"""Storage: the graph model in FalkorDB (embedded, default) or Neo4j.

>>> from graphsvc.store import open_store
>>> with open_store("/tmp/graphsvc-doctest") as store:   # doctest: +SKIP
...     store.counts().nodes["Person"]
"""

from pathlib import Path

from graphsvc.config import get_settings
from graphsvc.errors import StoreConfigError
from graphsvc.store.graph_store import GraphCounts, GraphState, GraphStore, WriteSummary
from graphsvc.store.query_runner import StoreAddress

__all__ = [
    "GraphCounts",
    "GraphState",
    "GraphStore",
    "StoreAddress",
    "WriteSummary",
    "open_store",
    "open_store_at",
]

# The Neo4j driver is imported only for these, so the embedded store starts faster.
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def open_store(url: str | None = None, *, graph: str | None = None) -> GraphStore:
    """Open the store named by ``url`` (default: the ``GRAPHSVC_STORE`` setting).

    A plain path is a directory for the embedded FalkorDB, created if
    missing; a ``bolt://`` or ``neo4j://`` URL (``+s``/``+ssc`` too) is a
    Neo4j server. Raises :class:`StoreConfigError` or
    :class:`StoreUnavailableError` with a one-line message when it cannot.
    """
    settings = get_settings()
    target = (url if url is not None else settings.store).strip()
    if not target:
        raise StoreConfigError(
            "GRAPHSVC_STORE / --store is empty; give a directory or a bolt:// URL"
        )
    scheme, sep, _ = target.partition("://")
    if sep:
        scheme = scheme.lower()
        if scheme in NEO4J_SCHEMES:
            from graphsvc.store.neo4j_server import Neo4jRunner

            password = settings.neo4j_password
            return GraphStore(
                Neo4jRunner(
                    target,
                    settings.neo4j_user,
                    password.get_secret_value() if password else None,
                    settings.neo4j_database,
                )
            )
        if scheme != "file":
            raise StoreConfigError(
                f"GRAPHSVC_STORE / --store: unknown kind of store '{scheme}://'; give a "
                "directory for the embedded store or a bolt:// or neo4j:// URL for Neo4j"
            )
        target = target[len("file://") :]
    from graphsvc.store.falkordb_embedded import EmbeddedFalkorDBRunner

    return GraphStore(EmbeddedFalkorDBRunner(Path(target).expanduser(), graph or settings.graph))


def open_store_at(address: StoreAddress) -> GraphStore:
    """Open the store another process described with ``GraphStore.address``."""
    if address.backend == "neo4j":
        from graphsvc.store.neo4j_server import Neo4jRunner

        return GraphStore(
            Neo4jRunner(address.target, address.user or "", address.password, address.database)
        )
    from graphsvc.store.falkordb_embedded import EmbeddedFalkorDBRunner

    return GraphStore(EmbeddedFalkorDBRunner(Path(address.target), address.graph or "network"))
