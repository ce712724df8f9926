"""Every Cypher query the store runs, one constant each, named by intent.

All of them are in the openCypher subset that FalkorDB and Neo4j both run
(the store contract tests run them on each engine, and
tests/test_neo4j_cypher.py checks them with Neo4j's own parser); the few that
differ per engine are at the end, named for their engine, and reached only
through a dialect object.

Labels and relationship types cannot be query parameters in Cypher, so the
per-kind and per-shape queries are built here, once, at import, from what the
model declares (``graphsvc.model``): one per node kind in ``NODE_TYPES``, and
one per relationship shape, (type, start kind, end kind), for every start and
end kind each type in ``RELATIONSHIP_TYPES`` allows. Each is a plain string in
a dict looked up by kind or shape; values still reach the engine only as
parameters.
"""

import re
from collections.abc import Callable, Iterable
from typing import Final

from graphsvc import model


def _bare(name: str) -> str:
    """``name``, checked to be safe to write into a query as a label, type or property."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        raise ValueError(f"{name!r} cannot be written into a query as a name")
    return name


def _per_kind(
    build: Callable[[str], str], kinds: Iterable[str] = model.NODE_TYPES
) -> dict[str, str]:
    """One query per node label, the model's kinds in its order unless ``kinds`` are given."""
    return {kind: build(_bare(kind)) for kind in kinds}


def _per_type(build: Callable[[str], str]) -> dict[str, str]:
    """One query per relationship type, in the model's order."""
    return {rel_type: build(_bare(rel_type)) for rel_type in model.RELATIONSHIP_TYPES}


def _per_shape(build: Callable[[str, str, str], str]) -> dict[tuple[str, str, str], str]:
    """One query per (type, start kind, end kind) the model allows, in its order."""
    return {
        (cls.TYPE, start, end): build(_bare(cls.TYPE), _bare(start), _bare(end))
        for cls in model.RELATIONSHIP_TYPES.values()
        for start in cls.START_KINDS
        for end in cls.END_KINDS
    }


# --- graph metadata: a single node holding the graph version -----------------

BUMP_VERSION: Final = (
    "MERGE (m:GraphMeta {id: 'graph'}) SET m.version = coalesce(m.version, 0) + 1 RETURN m.version"
)
# An erasure moves the version and marks it: results computed before it may hold
# the erased person, and every service reading this store drops them.
PURGE_VERSION: Final = (
    "MERGE (m:GraphMeta {id: 'graph'}) WITH m, coalesce(m.version, 0) + 1 AS next "
    "SET m.version = next, m.purged = next RETURN next"
)
# A write that changes someone's visibility marks the version it makes: a
# service answering from an older analysis re-reads everyone's consent at once.
MARK_CONSENT_CHANGED: Final = "MATCH (m:GraphMeta {id: 'graph'}) SET m.consent = m.version"
PEOPLE_VISIBILITY: Final = "MATCH (p:Person) RETURN p.id, p.visibility"
SET_GRAPH_META: Final = "MERGE (m:GraphMeta {id: 'graph'}) SET m += $props"
READ_GRAPH_META: Final = "MATCH (m:GraphMeta {id: 'graph'}) RETURN properties(m)"

# --- nodes ----------------------------------------------------------------------

UPSERT_NODES: Final[dict[str, str]] = _per_kind(
    lambda label: f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
)

NODES_BY_ID: Final[dict[str, str]] = _per_kind(
    lambda label: f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) RETURN n.id, properties(n)"
)

# Which of the ids are stored, without their properties: a cheap existence check.
STORED_NODE_IDS: Final[dict[str, str]] = _per_kind(
    lambda label: f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) RETURN n.id"
)

# --- relationships, keyed by (type, start kind, end kind) -------------------------

UPSERT_RELATIONSHIPS: Final[dict[tuple[str, str, str], str]] = _per_shape(
    lambda rel_type, start, end: (
        f"UNWIND $rows AS row MATCH (a:{start} {{id: row.start}}) "
        f"MATCH (b:{end} {{id: row.end}}) MERGE (a)-[r:{rel_type}]->(b) SET r += row.props"
    )
)

# What is already stored for each (start, end): whether each end exists, and the
# relationship's properties (null when there is none yet).
RELATIONSHIP_STATE: Final[dict[tuple[str, str, str], str]] = _per_shape(
    lambda rel_type, start, end: (
        f"UNWIND $rows AS row OPTIONAL MATCH (a:{start} {{id: row.start}}) "
        f"OPTIONAL MATCH (b:{end} {{id: row.end}}) OPTIONAL MATCH (a)-[r:{rel_type}]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    )
)

# --- whole-graph reads ------------------------------------------------------------

# The graph's metadata and the journals of imports under way are not the network.
COUNT_NODES_BY_KIND: Final = (
    "MATCH (n) WHERE NOT n:GraphMeta AND NOT n:ImportJournal "
    "RETURN labels(n)[0] AS kind, count(n) AS total"
)
COUNT_RELATIONSHIPS_BY_TYPE: Final = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS total"
ALL_NODES: Final = (
    "MATCH (n) WHERE NOT n:GraphMeta AND NOT n:ImportJournal RETURN labels(n)[0], properties(n)"
)
# One query per type: FalkorDB scans an untyped pattern ten times slower.
RELATIONSHIPS_OF_TYPE: Final[dict[str, str]] = _per_type(
    lambda rel_type: f"MATCH (a)-[r:{rel_type}]->(b) RETURN a.id, b.id, properties(r)"
)

# --- a whole graph moved to another store: backups, restores and copies --------------

# Every relationship of a type with its ends' kinds, so that it can be written
# where those kinds are labels again.
RELATIONSHIPS_WITH_ENDS: Final[dict[str, str]] = _per_type(
    lambda rel_type: (
        f"MATCH (a)-[r:{rel_type}]->(b) RETURN labels(a)[0], a.id, labels(b)[0], b.id, "
        "properties(r)"
    )
)
# Into an emptied graph: nothing is there to merge with, and each thing keeps
# exactly the properties it had.
CREATE_NODES: Final[dict[str, str]] = _per_kind(
    lambda label: f"UNWIND $rows AS row CREATE (n:{label}) SET n = row.props"
)
CREATE_RELATIONSHIPS: Final[dict[tuple[str, str, str], str]] = _per_shape(
    lambda rel_type, start, end: (
        f"UNWIND $rows AS row MATCH (a:{start} {{id: row.start}}) "
        f"MATCH (b:{end} {{id: row.end}}) CREATE (a)-[r:{rel_type}]->(b) SET r = row.props"
    )
)
# The graph's own facts, replaced whole.
REPLACE_GRAPH_META: Final = "MERGE (m:GraphMeta {id: 'graph'}) SET m = $props"

# --- the network's structure, for analysis ------------------------------------------
# Only the properties the analyses read (no contact details, no provenance):
# a fraction of the data to move, and nothing personal it does not need.
# Columns are strings, integers or nulls only, so they can be read plain;
# a flag comes back as 1 or 0.

NETWORK_NODE_PROPERTIES: Final[dict[str, tuple[str, ...]]] = {
    "Person": ("name", "sector", "visibility", "joined", "offers", "asks"),
    "Organisation": ("name", "sector"),
    "Place": ("name", "level", "ons_code"),
    "Cell": ("name", "category"),
    "Event": ("name", "date", "category"),
    "Theme": ("name",),
}


# Lists of short phrases (a member's offers and asks), read as one string with a
# line between phrases (a phrase holds no line break): a plain read has no lists.
NETWORK_LISTS: Final = frozenset({"offers", "asks"})
NETWORK_LIST_SEPARATOR: Final = "\n"


def _network_column(name: str) -> str:
    if name not in NETWORK_LISTS:
        return f"n.{_bare(name)}"
    # null where the property is not set, "" for an empty list
    return f"reduce(s = '', x IN n.{_bare(name)} | s + x + '{NETWORK_LIST_SEPARATOR}')"


def _network_nodes(kind: str, names: tuple[str, ...]) -> str:
    """Every node of a kind: its id, then the named properties, one column each."""
    columns = ", ".join(_network_column(name) for name in ("id", *names))
    return f"MATCH (n:{_bare(kind)}) RETURN {columns}"


NETWORK_NODES: Final[dict[str, str]] = {
    kind: _network_nodes(kind, names) for kind, names in NETWORK_NODE_PROPERTIES.items()
}
NETWORK_RELATIONSHIP_PROPERTIES: Final[dict[str, tuple[str, ...]]] = {
    "WORKS_WITH": ("current",),
    "BASED_IN": (),
    "PART_OF": (),
    "MEMBER_OF": ("role",),
    "ATTENDED": ("role",),
    "HELD_BY": (),
    "INTERESTED_IN": (),
    "KNOWS": ("strength",),
    "INTRODUCED_TO": ("by", "status", "date"),  # the date: Recorded lists newest first
}
# The relationship properties read as flags. One that is not stored reads as
# true: the default of WORKS_WITH's ``current``, the only flag.
NETWORK_FLAGS: Final = frozenset({"current"})


def _network_relationships(rel_type: str, names: tuple[str, ...]) -> str:
    """Every relationship of a type: its ends' ids, then the named properties, flags as 1 or 0."""
    columns = ["a.id", "b.id"]
    for name in map(_bare, names):
        columns.append(
            f"CASE WHEN r.{name} = false THEN 0 ELSE 1 END"
            if name in NETWORK_FLAGS
            else f"r.{name}"
        )
    return f"MATCH (a)-[r:{_bare(rel_type)}]->(b) RETURN {', '.join(columns)}"


# MAY_BE_SAME is left out of NETWORK_RELATIONSHIP_PROPERTIES, so it has no network
# read: a possible match says nothing about who works with whom.
NETWORK_RELATIONSHIPS: Final[dict[str, str]] = {
    rel_type: _network_relationships(rel_type, names)
    for rel_type, names in NETWORK_RELATIONSHIP_PROPERTIES.items()
}

# --- who is already known, for resolving an import ------------------------------------

PEOPLE_IDENTITIES: Final = (
    "MATCH (p:Person) OPTIONAL MATCH (p)-[:WORKS_WITH]->(o:Organisation) "
    "RETURN p.id, p.name, p.email, p.visibility, collect(o.id)"
)
ORGANISATION_IDENTITIES: Final = "MATCH (o:Organisation) RETURN o.id, o.name, o.aliases"
# --- possible matches waiting for a person's decision ------------------------------

POSSIBLE_MATCHES: Final = (
    "MATCH (a:Person)-[r:MAY_BE_SAME]->(b:Person) WHERE r.status = $status "
    "RETURN a.id, a.name, a.email, b.id, b.name, b.email, r.reason, r.source "
    "ORDER BY a.name, b.name, a.id, b.id"
)
# Where each of these people works now and where they are based, for telling a pair apart.
PEOPLE_WORK_AND_PLACE: Final = (
    "UNWIND $ids AS id MATCH (p:Person {id: id}) "
    "OPTIONAL MATCH (p)-[w:WORKS_WITH]->(o:Organisation) WHERE coalesce(w.current, true) "
    "WITH p, collect(DISTINCT o.name) AS organisations "
    "OPTIONAL MATCH (p)-[:BASED_IN]->(place:Place) "
    "RETURN p.id, organisations, collect(DISTINCT place.name)"
)
DECIDE_POSSIBLE_MATCH: Final = (
    "MATCH (a:Person {id: $start})-[r:MAY_BE_SAME]->(b:Person {id: $end}) "
    "SET r.status = $status RETURN count(r)"
)
NAMED_NODE_IDS: Final = "MATCH (n) WHERE n:Place OR n:Cell OR n:Theme OR n:Event RETURN n.id"
# Cells and events by name (and an event's date), so a re-import finds them
# whatever ids they were given.
NAMED_CELLS_AND_EVENTS: Final = (
    "MATCH (n) WHERE n:Cell OR n:Event RETURN labels(n)[0], n.id, n.name, n.date"
)

# --- one person -------------------------------------------------------------------

PERSON_BY_ID: Final = "MATCH (p:Person {id: $id}) RETURN properties(p)"
NEIGHBOURHOOD_NODES: Final[dict[int, str]] = {
    1: "MATCH (:Person {id: $id})-[*0..1]-(n) RETURN DISTINCT labels(n)[0], properties(n)",
    2: "MATCH (:Person {id: $id})-[*0..2]-(n) RETURN DISTINCT labels(n)[0], properties(n)",
}
NEIGHBOURHOOD_RELATIONSHIPS: Final[dict[int, str]] = {
    1: (
        "MATCH path = (:Person {id: $id})-[*1..1]-() UNWIND relationships(path) AS r "
        "RETURN DISTINCT startNode(r).id, type(r), endNode(r).id, properties(r)"
    ),
    2: (
        "MATCH path = (:Person {id: $id})-[*1..2]-() UNWIND relationships(path) AS r "
        "RETURN DISTINCT startNode(r).id, type(r), endNode(r).id, properties(r)"
    ),
}
# Everything held about one person, for their data export.
PERSON_RELATIONSHIPS: Final = (
    "MATCH (p:Person {id: $id})-[r]-(other) "
    "RETURN startNode(r).id, type(r), endNode(r).id, properties(r), labels(other)[0], other.name, "
    "other.visibility "
    "ORDER BY type(r), startNode(r).id, endNode(r).id"
)
INTRODUCTIONS_MADE_BY: Final = (
    "MATCH (a:Person)-[r:INTRODUCED_TO]->(b:Person) WHERE r.by = $id "
    "RETURN a.id, b.id, properties(r) ORDER BY a.id, b.id"
)
ERASE_PERSON: Final = "MATCH (p:Person {id: $id}) DETACH DELETE p"
# An erased person must not survive as the introducer named on other people's ties.
FORGET_INTRODUCER: Final = "MATCH ()-[r:INTRODUCED_TO]->() WHERE r.by = $id SET r.by = null"

# --- the journal of an import under way: what undoes it (see store/journal.py) --------
# Nodes of a label of their own, never a model kind, so that no count, snapshot,
# network read or backup sees them: a header per import, and an undo entry
# written in the same unit as each write the import makes.

# First in a write that must not interleave with another such write: Neo4j holds
# the lock on the changed metadata node until the transaction ends, and later
# statements read what committed before it; FalkorDB runs one write at a time.
LOCK_GRAPH: Final = "MERGE (m:GraphMeta {id: 'graph'}) SET m.version = coalesce(m.version, 0)"
# One import at a time: the header is created only if there is no other.
BEGIN_IMPORT_JOURNAL: Final = (
    "OPTIONAL MATCH (other:ImportJournal {part: 'header'}) "
    "WITH count(other) AS others WHERE others = 0 "
    "CREATE (h:ImportJournal) SET h = $props, h.touched = timestamp() RETURN h.id"
)
# Each header, and how long ago (in ms, by the database's clock) it was last touched.
IMPORT_JOURNALS: Final = (
    "MATCH (h:ImportJournal {part: 'header'}) "
    "RETURN properties(h), timestamp() - h.touched ORDER BY h.started"
)
# Written with each of the import's writes; no row back means the header is gone.
TOUCH_IMPORT_JOURNAL: Final = (
    "MATCH (h:ImportJournal {id: $id, part: 'header'}) SET h.touched = timestamp() RETURN h.id"
)
# Taking over an abandoned import, only if no other process took it meanwhile.
CLAIM_IMPORT_JOURNAL: Final = (
    "MATCH (h:ImportJournal {id: $id, part: 'header'}) WHERE h.owner = $was "
    "SET h.owner = $owner, h.touched = timestamp() RETURN h.id"
)
ADD_UNDO_ENTRY: Final = "CREATE (j:ImportJournal) SET j = $props"
UNDO_ENTRIES: Final = (
    "MATCH (j:ImportJournal {import: $id}) RETURN properties(j) ORDER BY j.seq DESC"
)
DELETE_UNDO_ENTRY: Final = "MATCH (j:ImportJournal {id: $id}) DELETE j"
# The commit point of an import: its undo entries go, and its header says it is finished.
DELETE_UNDO_ENTRIES: Final = "MATCH (j:ImportJournal {import: $id}) DELETE j"
MARK_IMPORT_FINISHED: Final = (
    "MATCH (h:ImportJournal {id: $id, part: 'header'}) SET h.finished = true, h += $counts"
)
FORGET_IMPORT_JOURNAL: Final = "MATCH (j:ImportJournal) WHERE j.id = $id OR j.import = $id DELETE j"
# On erasure: nothing a journal holds may name the person (their earlier values
# least of all). Undo entries keep parallel lists: ids and the values to put back.
FORGET_PERSON_IN_NODE_UNDO: Final = (
    "MATCH (j:ImportJournal {part: 'nodes'}) WHERE $id IN j.created OR $id IN j.changed "
    "WITH j, [i IN range(0, size(j.changed) - 1) WHERE j.changed[i] <> $id] AS kept "
    "SET j.created = [x IN j.created WHERE x <> $id], "
    "j.changed = [i IN kept | j.changed[i]], j.previous = [i IN kept | j.previous[i]]"
)
FORGET_PERSON_IN_RELATIONSHIP_UNDO: Final = (
    "MATCH (j:ImportJournal {part: 'relationships'}) "
    "WHERE $id IN j.created_starts OR $id IN j.created_ends "
    "OR $id IN j.changed_starts OR $id IN j.changed_ends "
    "WITH j, [i IN range(0, size(j.created_starts) - 1) "
    "WHERE j.created_starts[i] <> $id AND j.created_ends[i] <> $id] AS created, "
    "[i IN range(0, size(j.changed_starts) - 1) "
    "WHERE j.changed_starts[i] <> $id AND j.changed_ends[i] <> $id] AS changed "
    "SET j.created_starts = [i IN created | j.created_starts[i]], "
    "j.created_ends = [i IN created | j.created_ends[i]], "
    "j.changed_starts = [i IN changed | j.changed_starts[i]], "
    "j.changed_ends = [i IN changed | j.changed_ends[i]], "
    "j.previous = [i IN changed | j.previous[i]]"
)
# Undoing: earlier values put back (a null removes a property the import added),
# and what the import created removed. MATCH, never MERGE: an erased node stays erased.
RESTORE_NODES: Final[dict[str, str]] = _per_kind(
    lambda label: f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n += row.props"
)
# Relationships touching a removed node go with it: they were all new.
REMOVE_NODES: Final[dict[str, str]] = _per_kind(
    lambda label: f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) DETACH DELETE n"
)
RESTORE_RELATIONSHIPS: Final[dict[tuple[str, str, str], str]] = _per_shape(
    lambda rel_type, start, end: (
        f"UNWIND $rows AS row MATCH (a:{start} {{id: row.start}})-[r:{rel_type}]->"
        f"(b:{end} {{id: row.end}}) SET r += row.props"
    )
)
REMOVE_RELATIONSHIPS: Final[dict[tuple[str, str, str], str]] = _per_shape(
    lambda rel_type, start, end: (
        f"UNWIND $rows AS row MATCH (a:{start} {{id: row.start}})-[r:{rel_type}]->"
        f"(b:{end} {{id: row.end}}) DELETE r"
    )
)

# --- ties members named -----------------------------------------------------------

# A tie a member named and the other end confirmed, then withdrew: only a KNOWS
# the members' own word made goes (an imported one stays), either way round.
DELETE_MEMBER_KNOWS: Final = (
    "MATCH (a:Person {id: $start})-[r:KNOWS]-(b:Person {id: $end}) "
    "WHERE r.source = $source DELETE r"
)

# --- engine-specific (reached through store.dialect) ------------------------------

# The graph-metadata node is indexed like a node kind, though it is not one.
FALKORDB_ID_INDEX: Final[dict[str, str]] = _per_kind(
    lambda label: f"CREATE INDEX FOR (n:{label}) ON (n.id)", (*model.NODE_TYPES, "GraphMeta")
)
# English stop words are kept: "Will" and "May" are names.
FALKORDB_PERSON_NAME_INDEX: Final = (
    "CALL db.idx.fulltext.createNodeIndex({label: 'Person', stopwords: []}, 'name_folded')"
)
FALKORDB_SEARCH_PEOPLE: Final = (
    "CALL db.idx.fulltext.queryNodes('Person', $query) YIELD node, score "
    "RETURN properties(node), score ORDER BY score DESC, node.name LIMIT $limit"
)

NEO4J_ID_CONSTRAINT: Final[dict[str, str]] = _per_kind(
    lambda label: (
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    ),
    (*model.NODE_TYPES, "GraphMeta"),
)
NEO4J_PERSON_NAME_INDEX: Final = (
    "CREATE FULLTEXT INDEX person_name IF NOT EXISTS FOR (n:Person) ON EACH [n.name_folded] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}"
)
NEO4J_SEARCH_PEOPLE: Final = (
    "CALL db.index.fulltext.queryNodes('person_name', $query) YIELD node, score "
    "RETURN properties(node), score ORDER BY score DESC, node.name LIMIT $limit"
)
# How long the server keeps transaction logs, which hold deleted data until pruned.
NEO4J_TX_LOG_SETTINGS: Final = (
    "SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'db.tx_log.rotation' RETURN name, value"
)
NEO4J_CLEAR_GRAPH: Final = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

# --- a member's own record: what they change themselves -------------------------------

# A null value removes the property (a bio cleared, consent to a question withdrawn).
UPDATE_PERSON: Final = "MATCH (p:Person {id: $id}) SET p += $props RETURN p.id"
# The people who asked for their record to be erased, for an admin to confirm.
ERASURE_REQUESTS: Final = (
    "MATCH (p:Person) WHERE p.erasure_requested IS NOT NULL "
    "RETURN p.id, p.name, p.erasure_requested ORDER BY p.erasure_requested, p.id"
)
# Everyone's answers to the optional questions about themselves, for counting only.
SELF_DESCRIPTIONS: Final = (
    "MATCH (p:Person) WHERE p.self_description IS NOT NULL RETURN p.self_description"
)
# The ids at the other end of one person's relationships of one shape.
PERSON_LINKS: Final[dict[tuple[str, str, str], str]] = _per_shape(
    lambda rel_type, start, end: (
        f"MATCH (a:{start} {{id: $id}})-[r:{rel_type}]->(b:{end}) RETURN b.id ORDER BY b.id"
    )
)

# --- merging two records of one person, and undoing it (see store/merging.py) ----------

# Introductions a merged-away person is named as making name the one kept.
RENAME_INTRODUCER: Final = "MATCH ()-[r:INTRODUCED_TO]->() WHERE r.by = $was SET r.by = $now"
# Undoing a merge: the introductions they made name them again.
NAME_INTRODUCER_AGAIN: Final = (
    "UNWIND $rows AS row MATCH (:Person {id: row.start})-[r:INTRODUCED_TO]->"
    "(:Person {id: row.end}) WHERE r.by = $was SET r.by = $now"
)

# --- buddying: who opted in, and who was paired ------------------------------------

BUDDYING_OPT_INS: Final = (
    "MATCH (p:Person) WHERE p.buddying_opt_in = true RETURN p.id ORDER BY p.id"
)
PERSON_BUDDYING_OPT_IN: Final = "MATCH (p:Person {id: $id}) RETURN p.buddying_opt_in"
BUDDY_PAIRS: Final = (
    "MATCH (a:Person)-[r:BUDDY_WITH]->(b:Person) "
    "RETURN a.id, b.id, r.round, r.across, r.date, r.by_user ORDER BY r.date DESC, r.round, a.id"
)
