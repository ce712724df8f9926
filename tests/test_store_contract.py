"""The GraphStore contract, run against every available backend."""

import datetime as dt
from collections import Counter

import networkx as nx
import pytest

from graphsvc.errors import GraphsvcError, RecordError
from graphsvc.model import (
    Attended,
    BasedIn,
    Event,
    EventKind,
    IntroducedTo,
    Knows,
    MemberOf,
    Organisation,
    PartOf,
    Person,
    Place,
    PlaceLevel,
    Provenance,
    Visibility,
    WorksWith,
)
from graphsvc.model.nodes import Cell
from graphsvc.store import GraphStore, queries
from graphsvc.synthetic import NetworkRecords


def _people(seen: Provenance, *names: str) -> list[Person]:
    return [Person(id=f"person:{i}", name=name, provenance=seen) for i, name in enumerate(names)]


def test_an_empty_store_counts_zero_of_every_kind(store: GraphStore) -> None:
    counts = store.counts()
    assert set(counts.nodes) == {"Person", "Organisation", "Place", "Cell", "Event", "Theme"}
    assert not any(counts.nodes.values()) and not any(counts.relationships.values())
    assert store.snapshot().number_of_nodes() == 0


def test_upserting_creates_then_recognises_what_is_already_there(
    store: GraphStore, seen: Provenance
) -> None:
    people = _people(seen, "Ada Lovelace", "Mary Seacole")
    first = store.upsert_nodes(people)
    version = store.version()
    again = store.upsert_nodes(people)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert store.version() == version, "a write that changes nothing must not move the version"


def test_every_write_moves_the_graph_version(store: GraphStore, seen: Provenance) -> None:
    versions = [store.version()]
    store.upsert_nodes(_people(seen, "Ada Lovelace"))
    versions.append(store.version())
    store.upsert_nodes([Person(id="person:0", name="Ada King", provenance=seen)])
    versions.append(store.version())
    store.upsert_nodes([Organisation(id="org:1", name="Analytical Engines", provenance=seen)])
    store.upsert_relationships([WorksWith(start="person:0", end="org:1", provenance=seen)])
    versions.append(store.version())
    store.erase_person("person:0")
    versions.append(store.version())
    store.clear()
    versions.append(store.version())
    assert versions == sorted(set(versions)), f"versions must strictly increase: {versions}"


def test_an_update_changes_given_fields_and_keeps_the_rest(
    store: GraphStore, seen: Provenance
) -> None:
    store.upsert_nodes(
        [
            Person(
                id="person:1",
                name="Ada",
                email="ada@example.org",
                sector="funders",
                provenance=seen,
            )
        ]
    )
    summary = store.upsert_nodes(
        [Person(id="person:1", name="Ada", sector="universities and research", provenance=seen)]
    )
    assert summary.updated == 1
    stored = store.person("person:1")
    assert stored is not None
    assert stored["sector"] == "universities and research"
    assert stored["email"] == "ada@example.org", "a record without an email must not erase one"


def test_provenance_records_first_and_last_sighting(store: GraphStore) -> None:
    def seen(source: str, day: dt.date) -> Provenance:
        return Provenance(source=source, first_seen=day, last_seen=day)

    store.upsert_nodes(
        [Person(id="person:1", name="Ada", provenance=seen("b.csv", dt.date(2023, 5, 1)))]
    )
    store.upsert_nodes(
        [Person(id="person:1", name="Ada", provenance=seen("c.csv", dt.date(2024, 5, 1)))]
    )
    store.upsert_nodes(
        [Person(id="person:1", name="Ada", provenance=seen("a.csv", dt.date(2022, 5, 1)))]
    )
    stored = store.person("person:1")
    assert stored is not None
    assert (stored["first_seen"], stored["last_seen"], stored["source"]) == (
        "2022-05-01",
        "2024-05-01",
        "c.csv",
    )


def test_relationships_carry_provenance_and_properties(store: GraphStore, seen: Provenance) -> None:
    store.upsert_nodes(
        [
            *_people(seen, "Ada", "Mary"),
            Event(
                id="event:1",
                name="Roundtable",
                date=dt.date(2024, 3, 1),
                category=EventKind.ROUNDTABLE,
                size=6,
                provenance=seen,
            ),
        ]
    )
    store.upsert_relationships(
        [
            Attended(
                start="person:0", end="event:1", role="speaker", part="morning", provenance=seen
            ),
            Knows(start="person:0", end="person:1", strength=3, provenance=seen),
        ]
    )
    graph = store.snapshot()
    attended = graph.edges["person:0", "event:1", "ATTENDED"]
    assert attended == {
        "type": "ATTENDED",
        "role": "speaker",
        "part": "morning",
        "source": "test-import",
        "first_seen": "2024-03-01",
        "last_seen": "2024-03-01",
    }
    assert graph.edges["person:0", "person:1", "KNOWS"]["strength"] == 3


def test_the_same_relationship_twice_is_one_relationship(
    store: GraphStore, seen: Provenance
) -> None:
    store.upsert_nodes(
        [*_people(seen, "Ada"), Organisation(id="org:1", name="Engines", provenance=seen)]
    )
    result = store.upsert_relationships(
        [
            WorksWith(start="person:0", end="org:1", role="analyst", provenance=seen),
            WorksWith(start="person:0", end="org:1", role="lead analyst", provenance=seen),
        ]
    )
    assert (result.created, result.updated) == (1, 0)
    assert store.counts().relationships["WORKS_WITH"] == 1
    assert store.snapshot().edges["person:0", "org:1", "WORKS_WITH"]["role"] == "lead analyst"


def test_a_relationship_to_a_missing_node_is_refused_and_nothing_is_written(
    store: GraphStore, seen: Provenance
) -> None:
    store.upsert_nodes(_people(seen, "Ada", "Mary"))
    version = store.version()
    with pytest.raises(RecordError, match="not in the store"):
        store.upsert_relationships(
            [
                Knows(start="person:0", end="person:1", provenance=seen),
                Knows(start="person:0", end="person:99", provenance=seen),
            ]
        )
    assert store.counts().relationships["KNOWS"] == 0
    assert store.version() == version


def test_relationships_of_nodes_just_created_are_written_without_reading_their_state(
    store: GraphStore, seen: Provenance
) -> None:
    store.upsert_nodes(_people(seen, "Ada"))
    created = store.upsert_nodes(
        [
            *_people(seen, "Ada", "Mary")[1:],
            Organisation(id="org:1", name="Engines", provenance=seen),
        ]
    )
    assert created.created_ids == {"person:1", "org:1"}
    later = dt.date(2025, 3, 1)
    again = Provenance(source="second", first_seen=later, last_seen=later)
    result = store.upsert_relationships(
        [
            WorksWith(start="person:1", end="org:1", role="analyst", provenance=seen),
            WorksWith(start="person:0", end="org:1", provenance=seen),
            Knows(start="person:0", end="person:1", provenance=seen),
            # The same relationship again in the same call: its state is read, not assumed.
            WorksWith(start="person:1", end="org:1", role="lead", provenance=again),
        ],
        new_nodes=created.created_ids,
        batch_size=3,
    )
    assert (result.created, result.updated, result.unchanged) == (3, 1, 0)
    edges = store.snapshot().edges
    assert edges["person:1", "org:1", "WORKS_WITH"]["role"] == "lead"
    assert edges["person:1", "org:1", "WORKS_WITH"]["source"] == "second"
    counts = store.counts().relationships
    assert (counts["WORKS_WITH"], counts["KNOWS"]) == (2, 1)


def test_a_new_nodes_relationship_to_a_missing_node_is_refused_and_nothing_is_written(
    store: GraphStore, seen: Provenance
) -> None:
    created = store.upsert_nodes(_people(seen, "Ada"))
    version = store.version()
    with pytest.raises(RecordError, match="not in the store"):
        store.upsert_relationships(
            [Knows(start="person:0", end="person:99", provenance=seen)],
            new_nodes=created.created_ids,
        )
    assert store.counts().relationships["KNOWS"] == 0
    assert store.version() == version


def test_the_snapshot_is_a_multidigraph_keyed_by_id_with_kinds_and_types(
    store: GraphStore, seen: Provenance
) -> None:
    store.upsert_nodes(
        [
            *_people(seen, "Ada"),
            Place(
                id="place:E12000007",
                name="London",
                level=PlaceLevel.REGION,
                ons_code="E12000007",
                provenance=seen,
            ),
            Place(id="place:camden", name="Camden", level=PlaceLevel.DISTRICT, provenance=seen),
            Cell(id="cell:1", name="Joining forces cell", category="theme cell", provenance=seen),
        ]
    )
    store.upsert_relationships(
        [
            BasedIn(start="person:0", end="place:camden", provenance=seen),
            PartOf(start="place:camden", end="place:E12000007", provenance=seen),
            MemberOf(start="person:0", end="cell:1", role="convenor", provenance=seen),
        ]
    )
    graph = store.snapshot()
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.nodes["person:0"]["kind"] == "Person"
    assert graph.nodes["cell:1"]["kind"] == "Cell"
    assert graph.nodes["cell:1"]["category"] == "theme cell"
    assert graph.nodes["place:E12000007"]["ons_code"] == "E12000007"
    assert {(u, v, k) for u, v, k in graph.edges(keys=True)} == {
        ("person:0", "place:camden", "BASED_IN"),
        ("place:camden", "place:E12000007", "PART_OF"),
        ("person:0", "cell:1", "MEMBER_OF"),
    }
    assert all(d["type"] == k for _, _, k, d in graph.edges(keys=True, data=True))


def test_a_synthetic_network_round_trips_through_the_store(
    store: GraphStore, small_network: NetworkRecords
) -> None:
    nodes = list(small_network.nodes())
    relationships = list(small_network.relationships())
    store.upsert_nodes(nodes)
    store.upsert_relationships(relationships)
    graph = store.snapshot()
    assert graph.number_of_nodes() == len(nodes)
    assert graph.number_of_edges() == len(relationships)
    assert Counter(k for _, k in graph.nodes(data="kind")) == Counter(r.KIND for r in nodes)
    assert Counter(k for _, _, k in graph.edges(keys=True)) == Counter(
        r.TYPE for r in relationships
    )
    for record in nodes[::37]:
        stored = dict(graph.nodes[record.id])
        assert stored.pop("kind") == record.KIND
        assert stored == record.properties()
    counts = store.counts()
    assert sum(counts.nodes.values()) == len(nodes)
    assert sum(counts.relationships.values()) == len(relationships)


def test_the_network_is_the_snapshot_with_only_what_analysis_reads(
    store: GraphStore, small_network: NetworkRecords
) -> None:
    store.upsert_nodes(small_network.nodes())
    store.upsert_relationships(small_network.relationships())
    full, lean = store.snapshot(), store.network()
    assert set(lean.nodes) == set(full.nodes)
    assert set(lean.edges(keys=True)) == set(full.edges(keys=True))
    for node, data in lean.nodes(data=True):
        kept = set(queries.NETWORK_NODE_PROPERTIES[data["kind"]]) | {"id", "kind"}
        assert data == {k: v for k, v in full.nodes[node].items() if k in kept}
    for u, v, key, data in lean.edges(keys=True, data=True):
        kept = set(queries.NETWORK_RELATIONSHIP_PROPERTIES[key]) | {"type"}
        assert data == {k: v for k, v in full.edges[u, v, key].items() if k in kept}
    # Nothing personal the analyses do not need: no contact details, no provenance.
    assert any(d.get("email") for _, d in full.nodes(data=True))
    assert not any("email" in d or "source" in d for _, d in lean.nodes(data=True))
    # Past and current jobs both survive the plain read, as booleans.
    assert {d["current"] for *_, d in lean.edges(keys=True, data=True) if "current" in d} == {
        True,
        False,
    }


def test_a_neighbourhood_reaches_one_or_two_steps(store: GraphStore, seen: Provenance) -> None:
    store.upsert_nodes(_people(seen, "Ada", "Mary", "Grace", "Alan"))
    store.upsert_relationships(
        [
            Knows(start="person:0", end="person:1", provenance=seen),
            Knows(start="person:2", end="person:1", provenance=seen),
            Knows(start="person:2", end="person:3", provenance=seen),
        ]
    )
    one = store.neighbourhood("person:0", depth=1)
    two = store.neighbourhood("person:0", depth=2)
    assert one is not None and two is not None
    assert set(one.nodes) == {"person:0", "person:1"}
    assert set(two.nodes) == {"person:0", "person:1", "person:2"}
    assert set(two.edges(keys=True)) == {
        ("person:0", "person:1", "KNOWS"),
        ("person:2", "person:1", "KNOWS"),
    }
    assert two.nodes["person:2"]["kind"] == "Person"
    assert store.neighbourhood("person:404") is None
    with pytest.raises(ValueError, match="depth"):
        store.neighbourhood("person:0", depth=3)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", {"Zoë O'Brien"}),
        ("ZOË", {"Zoë O'Brien"}),
        ("zoe obr", {"Zoë O'Brien"}),
        ("o'brien", {"Zoë O'Brien"}),
        ("will", {"Will Jones"}),
        ("jon", {"Will Jones", "Sarah-Jane Jonas"}),
        ("sarah jane", {"Sarah-Jane Jonas"}),
        ("jones will", {"Will Jones"}),
        ("nobody", set()),
        ("", set()),
        ("a", set()),
    ],
)
def test_people_are_found_by_name_ignoring_case_accents_and_punctuation(
    store: GraphStore, seen: Provenance, query: str, expected: set[str]
) -> None:
    store.upsert_nodes(_people(seen, "Zoë O'Brien", "Will Jones", "Sarah-Jane Jonas"))
    assert {p["name"] for p in store.search_people(query)} == expected


@pytest.mark.parametrize(
    "query", ["*", '"', "|", "@name:x", "-", "(a", "AND OR", "%$^", "\\", "~2"]
)
def test_search_syntax_in_a_query_is_treated_as_text(
    store: GraphStore, seen: Provenance, query: str
) -> None:
    store.upsert_nodes(_people(seen, "Ada Lovelace"))
    assert store.search_people(query) == []


def test_search_is_limited(store: GraphStore, seen: Provenance) -> None:
    store.upsert_nodes(_people(seen, *[f"Sam Person{i}" for i in range(30)]))
    assert len(store.search_people("sam", limit=7)) == 7
    assert store.search_people("sam", limit=0) == []


def test_erasing_a_person_removes_them_their_ties_and_their_name_as_introducer(
    store: GraphStore, seen: Provenance
) -> None:
    store.upsert_nodes(
        [
            *_people(seen, "Ada", "Mary", "Grace"),
            Organisation(id="org:1", name="Engines", provenance=seen),
        ]
    )
    store.upsert_relationships(
        [
            WorksWith(start="person:0", end="org:1", provenance=seen),
            Knows(start="person:1", end="person:0", provenance=seen),
            IntroducedTo(start="person:1", end="person:2", by="person:0", provenance=seen),
        ]
    )
    version = store.version()
    assert store.erase_person("person:0") is True
    graph = store.snapshot()
    assert "person:0" not in graph
    assert store.person("person:0") is None
    assert store.search_people("ada") == []
    introduction = graph.edges["person:1", "person:2", "INTRODUCED_TO"]
    assert "by" not in introduction
    assert "person:0" not in str(list(graph.edges(data=True)))
    assert store.counts().relationships["WORKS_WITH"] == 0
    assert store.version() > version
    assert store.erase_person("person:0") is False


def test_clearing_empties_the_graph(store: GraphStore, small_network: NetworkRecords) -> None:
    store.upsert_nodes(small_network.nodes())
    store.clear()
    assert not any(store.counts().nodes.values())
    # The schema is back: writes and searches still work.
    store.upsert_nodes(list(small_network.nodes())[:200])
    assert store.counts().nodes["Theme"] > 0


def test_the_graph_state_marks_erasures_and_consent_changes(
    store: GraphStore, seen: Provenance
) -> None:
    ada, bo = _people(seen, "Ada Lovelace", "Bo Diddley")
    store.upsert_nodes([ada, bo])
    created = store.state()
    assert created.consent == 0, "new people change nobody's consent"
    assert store.visibilities() == {ada.id: Visibility.HIDDEN, bo.id: Visibility.HIDDEN}

    store.upsert_nodes([ada.model_copy(update={"name": "Ada King"})])
    assert store.state().consent == 0, "a change of name is not one of consent"
    store.upsert_nodes([ada.model_copy(update={"visibility": Visibility.NETWORK})])
    changed = store.state()
    assert changed.consent == changed.version > created.version
    assert store.visibilities()[ada.id] is Visibility.NETWORK

    assert store.erase_person(bo.id)
    erased = store.state()
    assert erased.purged == erased.version > changed.version
    assert store.has_relationship("KNOWS", ada.id, bo.id) is False
    store.clear()
    assert store.state().purged == store.state().version > erased.version


def test_a_relationship_is_found_by_its_type_and_ends(store: GraphStore, seen: Provenance) -> None:
    ada, bo = _people(seen, "Ada Lovelace", "Bo Diddley")
    store.upsert_nodes([ada, bo])
    store.upsert_relationships([Knows(start=ada.id, end=bo.id, provenance=seen)])
    assert store.has_relationship("KNOWS", ada.id, bo.id)
    assert not store.has_relationship("KNOWS", bo.id, ada.id)
    assert not store.has_relationship("INTRODUCED_TO", ada.id, bo.id)


# --- an import's journal: whole or not at all --------------------------------------


def _everything(store: GraphStore) -> tuple[dict[str, dict[str, object]], Counter[str]]:
    """Every node with its properties and every relationship with its own, to compare."""
    graph = store.snapshot()
    edges = Counter(
        repr((start, end, key, sorted(props.items())))
        for start, end, key, props in graph.edges(keys=True, data=True)
    )
    return {node: dict(props) for node, props in graph.nodes(data=True)}, edges


def _journal_nodes(store: GraphStore) -> list[dict[str, object]]:
    return [dict(props) for (props,) in store.runner.read(JOURNAL_NODES)]


JOURNAL_NODES = "MATCH (j:ImportJournal) RETURN properties(j)"


def _a_network_before_the_import(store: GraphStore, seen: Provenance) -> None:
    store.upsert_nodes(
        [
            Person(id="person:1", name="Ada", email="ada@example.org", provenance=seen),
            Person(id="person:2", name="Mary", job_title="Nurse", provenance=seen),
            Organisation(id="org:1", name="Engines", provenance=seen),
        ]
    )
    store.upsert_relationships(
        [WorksWith(start="person:1", end="org:1", role="analyst", provenance=seen)]
    )


def test_undoing_an_import_puts_back_what_it_changed_and_removes_what_it_created(
    store: GraphStore, seen: Provenance
) -> None:
    _a_network_before_the_import(store, seen)
    before, state = _everything(store), store.state()
    later = Provenance(source="big.csv", first_seen=seen.first_seen, last_seen=dt.date(2025, 1, 1))
    journal = store.begin_import("big.csv", "import:big.csv#1")
    created = store.upsert_nodes(
        [
            # Changed: a job title where there was none, and a new sighting.
            Person(id="person:1", name="Ada", job_title="Lead", provenance=later),
            Person(id="person:2", name="Mary", job_title="Matron", provenance=later),
            Person(id="person:3", name="Grace", provenance=later),
            Organisation(id="org:2", name="Looms", provenance=later),
        ],
        journal=journal,
        batch_size=2,
    )
    store.upsert_relationships(
        [
            WorksWith(start="person:1", end="org:1", role="lead", provenance=later),
            WorksWith(start="person:2", end="org:1", provenance=later),
            WorksWith(start="person:3", end="org:2", provenance=later),
            Knows(start="person:1", end="person:3", provenance=later),
        ],
        journal=journal,
        new_nodes=created.created_ids,
        batch_size=2,
    )
    assert _everything(store) != before

    undone = store.undo_import(journal)
    store.forget_import(journal)
    assert _everything(store) == before
    assert (undone.removed, undone.restored) == (3, 3)  # Grace, Looms, Mary's tie; 2 + Ada's tie
    assert _journal_nodes(store) == []
    after = store.state()
    assert after.version > state.version
    assert after.purged > state.purged, "removing people is treated like an erasure"


def test_an_import_journal_is_no_part_of_the_network(store: GraphStore, seen: Provenance) -> None:
    from graphsvc.store import transfer

    _a_network_before_the_import(store, seen)
    counts, snapshot = store.counts(), store.snapshot()
    journal = store.begin_import("big.csv", "import:big.csv#1")
    store.upsert_nodes([Person(id="person:1", name="Ada King", provenance=seen)], journal=journal)
    assert _journal_nodes(store), "the journal is there"
    assert store.counts().nodes == counts.nodes
    assert set(store.snapshot().nodes) == set(snapshot.nodes)
    assert set(store.network().nodes) == set(snapshot.nodes)
    assert {row.kind for row in transfer.read_nodes(store)} == {"Person", "Organisation"}
    store.undo_import(journal)
    store.forget_import(journal)


def test_erasing_a_person_removes_them_from_import_journals(
    store: GraphStore, seen: Provenance
) -> None:
    _a_network_before_the_import(store, seen)
    journal = store.begin_import("big.csv", "import:big.csv#1")
    store.upsert_nodes(
        [
            Person(id="person:1", name="Ada Lovelace", email="ada.l@example.org", provenance=seen),
            Person(id="person:3", name="Grace", provenance=seen),
        ],
        journal=journal,
    )
    store.upsert_relationships(
        [
            WorksWith(start="person:1", end="org:1", role="lead", provenance=seen),
            WorksWith(start="person:2", end="org:1", provenance=seen),
        ],
        journal=journal,
    )
    assert "ada@example.org" in str(_journal_nodes(store)), "the journal holds her earlier email"

    assert store.erase_person("person:1")
    held = str(_journal_nodes(store))
    assert "person:1" not in held and "Ada" not in held and "ada@" not in held
    assert "person:2" in held, "what the journal holds of others is kept"
    store.undo_import(journal)
    store.forget_import(journal)
    assert store.person("person:1") is None, "undoing never brings an erased person back"
    assert store.person("person:3") is None
    assert store.person("person:2") is not None
    assert not store.has_relationship("WORKS_WITH", "person:2", "org:1")


def test_imports_into_one_store_run_one_at_a_time(store: GraphStore) -> None:
    first = store.begin_import("first.csv", "import:first.csv#1")
    with pytest.raises(GraphsvcError, match=r"import of first\.csv into this store is under way"):
        store.begin_import("second.csv", "import:second.csv#2")
    store.undo_import(first)
    store.forget_import(first)
    second = store.begin_import("second.csv", "import:second.csv#2")
    store.forget_import(second)
    assert store.import_journals() == []


def test_a_journal_its_import_let_go_of_is_abandoned_and_taken_over_once(
    store: GraphStore, seen: Provenance
) -> None:
    journal = store.begin_import("big.csv", "import:big.csv#1", user_id=7)
    store.upsert_nodes([Person(id="person:9", name="Grace", provenance=seen)], journal=journal)
    (running,) = store.import_journals()
    assert not running.abandoned, "an import this process is writing is not abandoned"
    journal.release()  # as when undoing a failed import failed too
    (left,) = store.import_journals()
    assert left.abandoned and (left.file, left.user_id, left.finished) == ("big.csv", 7, False)

    taken = store.claim_import(left)
    assert taken is not None
    assert store.claim_import(left) is None, "only one process takes an abandoned import over"
    store.undo_import(taken)
    store.forget_import(taken)
    taken.release()
    assert store.person("person:9") is None
    assert store.import_journals() == []


def test_a_batch_the_database_refuses_leaves_what_undoes_the_batches_before_it(
    store: GraphStore, seen: Provenance
) -> None:
    class Unstorable(Organisation):
        """An organisation whose aliases the database cannot store (maps in a list)."""

        def properties(self) -> dict[str, object]:
            return {**super().properties(), "aliases": [{"not": "storable"}]}

    _a_network_before_the_import(store, seen)
    before = _everything(store)
    journal = store.begin_import("big.csv", "import:big.csv#1")
    records = [
        *(Person(id=f"person:new{i}", name=f"New {i}", provenance=seen) for i in range(5)),
        Organisation(id="org:1", name="Engines Ltd", provenance=seen),
        Unstorable(id="org:bad", name="Bad", provenance=seen),
    ]
    with pytest.raises(Exception) as refused:
        store.upsert_nodes(records, journal=journal, batch_size=2)
    assert not isinstance(refused.value, RecordError), "the database refused it, not graphsvc"
    assert store.counts().nodes["Person"] > 2, "the batches before it were written"
    store.undo_import(journal)
    store.forget_import(journal)
    assert _everything(store) == before
