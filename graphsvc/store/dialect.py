"""Where the two engines differ: schema, full-text search, clearing.

One instance per backend; the store asks its dialect instead of branching
on the backend's name.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from graphsvc.store import queries


@dataclass(frozen=True)
class Dialect:
    name: str
    schema_statements: tuple[str, ...]
    search_people: str
    # How full-text terms are joined so that every word must match.
    fulltext_and: str
    # Run with auto-commit, or None where the runner clears the graph natively.
    clear_graph: str | None

    def fulltext_query(self, words: Sequence[str]) -> str:
        """A prefix query matching names that contain every word.

        Words are already folded to ``[0-9a-z]`` by :func:`fold_text`, so no
        engine's query syntax can be smuggled in through a search box.
        """
        return self.fulltext_and.join(f"{word}*" for word in words)


FALKORDB = Dialect(
    name="falkordb",
    schema_statements=(
        *queries.FALKORDB_ID_INDEX.values(),
        queries.FALKORDB_PERSON_NAME_INDEX,
    ),
    search_people=queries.FALKORDB_SEARCH_PEOPLE,
    fulltext_and=" ",
    clear_graph=None,
)

NEO4J = Dialect(
    name="neo4j",
    schema_statements=(
        *queries.NEO4J_ID_CONSTRAINT.values(),
        queries.NEO4J_PERSON_NAME_INDEX,
    ),
    search_people=queries.NEO4J_SEARCH_PEOPLE,
    fulltext_and=" AND ",
    clear_graph=queries.NEO4J_CLEAR_GRAPH,
)
