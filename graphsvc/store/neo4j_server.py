"""The hosted backend: a Neo4j server reached over Bolt."""

import contextlib
import threading
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from graphsvc.errors import StoreConfigError, StoreUnavailableError
from graphsvc.store.dialect import NEO4J
from graphsvc.store.query_runner import Params, QueryRunner, Row, Statement, StoreAddress

CONNECT_TIMEOUT_S = 5.0
# How long a query is retried while the server does not answer (the driver's
# default, 30 s, would keep a request waiting that long before its 503).
RETRY_FOR_S = 3.0


SUPPORTED_MAJOR = 5  # the queries and the dialect are written for Neo4j 5 (5.26 LTS)


def version_problem(agent: str) -> str | None:
    """What is wrong with a server's version (its Bolt agent, ``Neo4j/5.26.30``), if anything.

    >>> version_problem("Neo4j/5.26.30") is None
    True
    >>> version_problem("Neo4j/4.4.40")
    'is version 4.4.40; graphsvc needs Neo4j 5 (5.26 LTS): point GRAPHSVC_STORE at one'
    """
    version = agent.partition("/")[2]
    major = version.split(".")[0]
    if major.isdigit() and int(major) == SUPPORTED_MAJOR:
        return None
    return (
        f"is version {version or agent}; graphsvc needs Neo4j {SUPPORTED_MAJOR} (5.26 LTS): "
        "point GRAPHSVC_STORE at one"
    )


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """Take ``user:password@`` out of a URL; the driver wants them apart."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, parts.username, parts.password


class Neo4jRunner(QueryRunner):
    """Runs queries on a Neo4j database; each ``write`` is one transaction."""

    dialect = NEO4J

    def __init__(self, url: str, user: str, password: str | None, database: str | None) -> None:
        self._url, url_user, url_password = split_credentials(url)
        auth = (url_user or user, url_password or password or "")
        self._auth = auth
        self._database = database
        # One write transaction at a time from this process, as the embedded
        # store does: a load keeps two batches in flight, and two of its
        # transactions adding relationships to the same busy nodes (an event
        # everyone attended) deadlock in Neo4j, which aborts one to be retried
        # after a pause of about a second. Reads take no locks and still overlap.
        self._write_lock = threading.Lock()
        try:
            self._driver = neo4j.GraphDatabase.driver(
                self._url,
                auth=auth,
                connection_timeout=CONNECT_TIMEOUT_S,
                max_transaction_retry_time=RETRY_FOR_S,
                # Hints such as "this relationship type does not exist yet" are for
                # people writing queries; unwanted, the driver logs them with the query.
                notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
            )
            self._driver.verify_connectivity()
        except AuthError:
            raise StoreUnavailableError(
                f"Neo4j at {self._url} refused the credentials; set GRAPHSVC_NEO4J_USER and "
                "GRAPHSVC_NEO4J_PASSWORD"
            ) from None
        except (ServiceUnavailable, OSError, ValueError, Neo4jError) as exc:
            raise StoreUnavailableError(
                f"Neo4j at {self._url} does not answer ({type(exc).__name__}); check "
                "GRAPHSVC_STORE / --store and that the server is running"
            ) from None
        problem = version_problem(self._driver.get_server_info().agent)
        if problem:
            self._driver.close()
            raise StoreConfigError(f"Neo4j at {self._url} {problem}")

    @property
    def address(self) -> StoreAddress:
        user, password = self._auth
        return StoreAddress("neo4j", self._url, None, user, password, self._database)

    @property
    def description(self) -> str:
        return f"Neo4j at {self._url}"

    def read(self, query: str, params: Params | None = None) -> list[Row]:
        def work(tx: neo4j.ManagedTransaction) -> list[Row]:
            return [list(values) for values in tx.run(query, dict(params or {})).values()]

        with self._session() as session:
            rows: list[Row] = session.execute_read(work)
            return rows

    def write(self, statements: Sequence[Statement]) -> list[list[Row]]:
        def work(tx: neo4j.ManagedTransaction) -> list[list[Row]]:
            return [
                [list(values) for values in tx.run(query, dict(params)).values()]
                for query, params in statements
            ]

        with self._write_lock, self._session() as session:
            results: list[list[Row]] = session.execute_write(work)
            return results

    def ensure_schema(self) -> None:
        with self._session() as session:
            for statement in self.dialect.schema_statements:
                session.run(statement).consume()

    def forget_history(self) -> None:
        # How long Neo4j keeps transaction logs is the server's setting
        # (db.tx_log.rotation.retention_policy); deleted data leaves them as they rotate.
        return None

    def clear(self) -> None:
        assert self.dialect.clear_graph is not None
        # CALL { } IN TRANSACTIONS only runs in an auto-commit transaction.
        with self._session() as session:
            session.run(self.dialect.clear_graph).consume()

    def close(self) -> None:
        self._driver.close()

    @contextlib.contextmanager
    def _session(self) -> Iterator[Any]:
        try:
            with self._driver.session(database=self._database) as session:
                yield session
        except ServiceUnavailable:
            raise StoreUnavailableError(
                f"Neo4j at {self._url} stopped answering; check that the server is running"
            ) from None
