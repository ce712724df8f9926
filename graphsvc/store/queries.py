"""Every Cypher query the store runs, one constant each, named by intent.

All of them are in the openCypher subset that FalkorDB and Neo4j both run
(see DESIGN.md, "Storage"); the few that differ per engine are at the end,
named for their engine, and reached only through a dialect object.

Labels and relationship types cannot be query parameters in Cypher, so the
per-kind queries are written out in full and looked up by kind.
"""

from typing import Final

# --- graph metadata: a single node holding the graph version -----------------

BUMP_VERSION: Final = (
    "MERGE (m:GraphMeta {id: 'graph'}) SET m.version = coalesce(m.version, 0) + 1 RETURN m.version"
)
SET_GRAPH_META: Final = "MERGE (m:GraphMeta {id: 'graph'}) SET m += $props"
READ_GRAPH_META: Final = "MATCH (m:GraphMeta {id: 'graph'}) RETURN properties(m)"

# --- nodes ----------------------------------------------------------------------

UPSERT_NODES: Final[dict[str, str]] = {
    "Person": "UNWIND $rows AS row MERGE (n:Person {id: row.id}) SET n += row.props",
    "Organisation": "UNWIND $rows AS row MERGE (n:Organisation {id: row.id}) SET n += row.props",
    "Place": "UNWIND $rows AS row MERGE (n:Place {id: row.id}) SET n += row.props",
    "Cell": "UNWIND $rows AS row MERGE (n:Cell {id: row.id}) SET n += row.props",
    "Event": "UNWIND $rows AS row MERGE (n:Event {id: row.id}) SET n += row.props",
    "Theme": "UNWIND $rows AS row MERGE (n:Theme {id: row.id}) SET n += row.props",
}

NODES_BY_ID: Final[dict[str, str]] = {
    "Person": "UNWIND $ids AS id MATCH (n:Person {id: id}) RETURN n.id, properties(n)",
    "Organisation": "UNWIND $ids AS id MATCH (n:Organisation {id: id}) RETURN n.id, properties(n)",
    "Place": "UNWIND $ids AS id MATCH (n:Place {id: id}) RETURN n.id, properties(n)",
    "Cell": "UNWIND $ids AS id MATCH (n:Cell {id: id}) RETURN n.id, properties(n)",
    "Event": "UNWIND $ids AS id MATCH (n:Event {id: id}) RETURN n.id, properties(n)",
    "Theme": "UNWIND $ids AS id MATCH (n:Theme {id: id}) RETURN n.id, properties(n)",
}

# Which of the ids are stored, without their properties: a cheap existence check.
STORED_NODE_IDS: Final[dict[str, str]] = {
    "Person": "UNWIND $ids AS id MATCH (n:Person {id: id}) RETURN n.id",
    "Organisation": "UNWIND $ids AS id MATCH (n:Organisation {id: id}) RETURN n.id",
    "Place": "UNWIND $ids AS id MATCH (n:Place {id: id}) RETURN n.id",
    "Cell": "UNWIND $ids AS id MATCH (n:Cell {id: id}) RETURN n.id",
    "Event": "UNWIND $ids AS id MATCH (n:Event {id: id}) RETURN n.id",
    "Theme": "UNWIND $ids AS id MATCH (n:Theme {id: id}) RETURN n.id",
}

# --- relationships, keyed by (type, start kind, end kind) -------------------------

UPSERT_RELATIONSHIPS: Final[dict[tuple[str, str, str], str]] = {
    ("WORKS_WITH", "Person", "Organisation"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Organisation {id: row.end}) MERGE (a)-[r:WORKS_WITH]->(b) SET r += row.props"
    ),
    ("BASED_IN", "Person", "Place"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Place {id: row.end}) MERGE (a)-[r:BASED_IN]->(b) SET r += row.props"
    ),
    ("BASED_IN", "Organisation", "Place"): (
        "UNWIND $rows AS row MATCH (a:Organisation {id: row.start}) "
        "MATCH (b:Place {id: row.end}) MERGE (a)-[r:BASED_IN]->(b) SET r += row.props"
    ),
    ("BASED_IN", "Cell", "Place"): (
        "UNWIND $rows AS row MATCH (a:Cell {id: row.start}) "
        "MATCH (b:Place {id: row.end}) MERGE (a)-[r:BASED_IN]->(b) SET r += row.props"
    ),
    ("PART_OF", "Place", "Place"): (
        "UNWIND $rows AS row MATCH (a:Place {id: row.start}) "
        "MATCH (b:Place {id: row.end}) MERGE (a)-[r:PART_OF]->(b) SET r += row.props"
    ),
    ("MEMBER_OF", "Person", "Cell"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Cell {id: row.end}) MERGE (a)-[r:MEMBER_OF]->(b) SET r += row.props"
    ),
    ("ATTENDED", "Person", "Event"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Event {id: row.end}) MERGE (a)-[r:ATTENDED]->(b) SET r += row.props"
    ),
    ("HELD_BY", "Event", "Cell"): (
        "UNWIND $rows AS row MATCH (a:Event {id: row.start}) "
        "MATCH (b:Cell {id: row.end}) MERGE (a)-[r:HELD_BY]->(b) SET r += row.props"
    ),
    ("INTERESTED_IN", "Person", "Theme"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Theme {id: row.end}) MERGE (a)-[r:INTERESTED_IN]->(b) SET r += row.props"
    ),
    ("KNOWS", "Person", "Person"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Person {id: row.end}) MERGE (a)-[r:KNOWS]->(b) SET r += row.props"
    ),
    ("INTRODUCED_TO", "Person", "Person"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Person {id: row.end}) MERGE (a)-[r:INTRODUCED_TO]->(b) SET r += row.props"
    ),
    ("MAY_BE_SAME", "Person", "Person"): (
        "UNWIND $rows AS row MATCH (a:Person {id: row.start}) "
        "MATCH (b:Person {id: row.end}) MERGE (a)-[r:MAY_BE_SAME]->(b) SET r += row.props"
    ),
}

# What is already stored for each (start, end): whether each end exists, and the
# relationship's properties (null when there is none yet).
RELATIONSHIP_STATE: Final[dict[tuple[str, str, str], str]] = {
    ("WORKS_WITH", "Person", "Organisation"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Organisation {id: row.end}) OPTIONAL MATCH (a)-[r:WORKS_WITH]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("BASED_IN", "Person", "Place"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Place {id: row.end}) OPTIONAL MATCH (a)-[r:BASED_IN]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("BASED_IN", "Organisation", "Place"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Organisation {id: row.start}) "
        "OPTIONAL MATCH (b:Place {id: row.end}) OPTIONAL MATCH (a)-[r:BASED_IN]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("BASED_IN", "Cell", "Place"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Cell {id: row.start}) "
        "OPTIONAL MATCH (b:Place {id: row.end}) OPTIONAL MATCH (a)-[r:BASED_IN]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("PART_OF", "Place", "Place"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Place {id: row.start}) "
        "OPTIONAL MATCH (b:Place {id: row.end}) OPTIONAL MATCH (a)-[r:PART_OF]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("MEMBER_OF", "Person", "Cell"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Cell {id: row.end}) OPTIONAL MATCH (a)-[r:MEMBER_OF]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("ATTENDED", "Person", "Event"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Event {id: row.end}) OPTIONAL MATCH (a)-[r:ATTENDED]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("HELD_BY", "Event", "Cell"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Event {id: row.start}) "
        "OPTIONAL MATCH (b:Cell {id: row.end}) OPTIONAL MATCH (a)-[r:HELD_BY]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("INTERESTED_IN", "Person", "Theme"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Theme {id: row.end}) OPTIONAL MATCH (a)-[r:INTERESTED_IN]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("KNOWS", "Person", "Person"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Person {id: row.end}) OPTIONAL MATCH (a)-[r:KNOWS]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("INTRODUCED_TO", "Person", "Person"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Person {id: row.end}) OPTIONAL MATCH (a)-[r:INTRODUCED_TO]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
    ("MAY_BE_SAME", "Person", "Person"): (
        "UNWIND $rows AS row OPTIONAL MATCH (a:Person {id: row.start}) "
        "OPTIONAL MATCH (b:Person {id: row.end}) OPTIONAL MATCH (a)-[r:MAY_BE_SAME]->(b) "
        "RETURN row.start, row.end, a IS NOT NULL, b IS NOT NULL, properties(r)"
    ),
}

# --- whole-graph reads ------------------------------------------------------------

COUNT_NODES_BY_KIND: Final = (
    "MATCH (n) WHERE NOT n:GraphMeta RETURN labels(n)[0] AS kind, count(n) AS total"
)
COUNT_RELATIONSHIPS_BY_TYPE: Final = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS total"
ALL_NODES: Final = "MATCH (n) WHERE NOT n:GraphMeta RETURN labels(n)[0], properties(n)"
# One query per type: FalkorDB scans an untyped pattern ten times slower.
RELATIONSHIPS_OF_TYPE: Final[dict[str, str]] = {
    "WORKS_WITH": "MATCH (a)-[r:WORKS_WITH]->(b) RETURN a.id, b.id, properties(r)",
    "BASED_IN": "MATCH (a)-[r:BASED_IN]->(b) RETURN a.id, b.id, properties(r)",
    "PART_OF": "MATCH (a)-[r:PART_OF]->(b) RETURN a.id, b.id, properties(r)",
    "MEMBER_OF": "MATCH (a)-[r:MEMBER_OF]->(b) RETURN a.id, b.id, properties(r)",
    "ATTENDED": "MATCH (a)-[r:ATTENDED]->(b) RETURN a.id, b.id, properties(r)",
    "HELD_BY": "MATCH (a)-[r:HELD_BY]->(b) RETURN a.id, b.id, properties(r)",
    "INTERESTED_IN": "MATCH (a)-[r:INTERESTED_IN]->(b) RETURN a.id, b.id, properties(r)",
    "KNOWS": "MATCH (a)-[r:KNOWS]->(b) RETURN a.id, b.id, properties(r)",
    "INTRODUCED_TO": "MATCH (a)-[r:INTRODUCED_TO]->(b) RETURN a.id, b.id, properties(r)",
    "MAY_BE_SAME": "MATCH (a)-[r:MAY_BE_SAME]->(b) RETURN a.id, b.id, properties(r)",
}

# --- the network's structure, for analysis ------------------------------------------
# Only the properties the analyses read (no contact details, no provenance):
# a fraction of the data to move, and nothing personal it does not need.
# Columns are strings, integers or nulls only, so they can be read plain;
# a flag comes back as 1 or 0.

NETWORK_NODE_PROPERTIES: Final[dict[str, tuple[str, ...]]] = {
    "Person": ("name", "sector", "visibility", "joined"),
    "Organisation": ("name", "sector"),
    "Place": ("name", "level", "ons_code"),
    "Cell": ("name", "category"),
    "Event": ("name", "date", "category"),
    "Theme": ("name",),
}
NETWORK_NODES: Final[dict[str, str]] = {
    "Person": "MATCH (n:Person) RETURN n.id, n.name, n.sector, n.visibility, n.joined",
    "Organisation": "MATCH (n:Organisation) RETURN n.id, n.name, n.sector",
    "Place": "MATCH (n:Place) RETURN n.id, n.name, n.level, n.ons_code",
    "Cell": "MATCH (n:Cell) RETURN n.id, n.name, n.category",
    "Event": "MATCH (n:Event) RETURN n.id, n.name, n.date, n.category",
    "Theme": "MATCH (n:Theme) RETURN n.id, n.name",
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
    "INTRODUCED_TO": ("by", "status"),
}
NETWORK_RELATIONSHIPS: Final[dict[str, str]] = {
    "WORKS_WITH": (
        "MATCH (a)-[r:WORKS_WITH]->(b) "
        "RETURN a.id, b.id, CASE WHEN r.current = false THEN 0 ELSE 1 END"
    ),
    "BASED_IN": "MATCH (a)-[r:BASED_IN]->(b) RETURN a.id, b.id",
    "PART_OF": "MATCH (a)-[r:PART_OF]->(b) RETURN a.id, b.id",
    "MEMBER_OF": "MATCH (a)-[r:MEMBER_OF]->(b) RETURN a.id, b.id, r.role",
    "ATTENDED": "MATCH (a)-[r:ATTENDED]->(b) RETURN a.id, b.id, r.role",
    "HELD_BY": "MATCH (a)-[r:HELD_BY]->(b) RETURN a.id, b.id",
    "INTERESTED_IN": "MATCH (a)-[r:INTERESTED_IN]->(b) RETURN a.id, b.id",
    "KNOWS": "MATCH (a)-[r:KNOWS]->(b) RETURN a.id, b.id, r.strength",
    "INTRODUCED_TO": "MATCH (a)-[r:INTRODUCED_TO]->(b) RETURN a.id, b.id, r.by, r.status",
}
NETWORK_FLAGS: Final = frozenset({"current"})

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
DECIDE_POSSIBLE_MATCH: Final = (
    "MATCH (a:Person {id: $start})-[r:MAY_BE_SAME]->(b:Person {id: $end}) "
    "SET r.status = $status RETURN count(r)"
)
NAMED_NODE_IDS: Final = "MATCH (n) WHERE n:Place OR n:Cell OR n:Theme OR n:Event RETURN n.id"

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

# --- engine-specific (reached through store.dialect) ------------------------------

FALKORDB_ID_INDEX: Final[dict[str, str]] = {
    "Person": "CREATE INDEX FOR (n:Person) ON (n.id)",
    "Organisation": "CREATE INDEX FOR (n:Organisation) ON (n.id)",
    "Place": "CREATE INDEX FOR (n:Place) ON (n.id)",
    "Cell": "CREATE INDEX FOR (n:Cell) ON (n.id)",
    "Event": "CREATE INDEX FOR (n:Event) ON (n.id)",
    "Theme": "CREATE INDEX FOR (n:Theme) ON (n.id)",
    "GraphMeta": "CREATE INDEX FOR (n:GraphMeta) ON (n.id)",
}
# English stop words are kept: "Will" and "May" are names.
FALKORDB_PERSON_NAME_INDEX: Final = (
    "CALL db.idx.fulltext.createNodeIndex({label: 'Person', stopwords: []}, 'name_folded')"
)
FALKORDB_SEARCH_PEOPLE: Final = (
    "CALL db.idx.fulltext.queryNodes('Person', $query) YIELD node, score "
    "RETURN properties(node), score ORDER BY score DESC, node.name LIMIT $limit"
)

NEO4J_ID_CONSTRAINT: Final[dict[str, str]] = {
    "Person": "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
    "Organisation": (
        "CREATE CONSTRAINT organisation_id IF NOT EXISTS "
        "FOR (n:Organisation) REQUIRE n.id IS UNIQUE"
    ),
    "Place": "CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE",
    "Cell": "CREATE CONSTRAINT cell_id IF NOT EXISTS FOR (n:Cell) REQUIRE n.id IS UNIQUE",
    "Event": "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE",
    "Theme": "CREATE CONSTRAINT theme_id IF NOT EXISTS FOR (n:Theme) REQUIRE n.id IS UNIQUE",
    "GraphMeta": (
        "CREATE CONSTRAINT graphmeta_id IF NOT EXISTS FOR (n:GraphMeta) REQUIRE n.id IS UNIQUE"
    ),
}
NEO4J_PERSON_NAME_INDEX: Final = (
    "CREATE FULLTEXT INDEX person_name IF NOT EXISTS FOR (n:Person) ON EACH [n.name_folded] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}"
)
NEO4J_SEARCH_PEOPLE: Final = (
    "CALL db.index.fulltext.queryNodes('person_name', $query) YIELD node, score "
    "RETURN properties(node), score ORDER BY score DESC, node.name LIMIT $limit"
)
NEO4J_CLEAR_GRAPH: Final = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
