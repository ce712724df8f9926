"""A large load writes two batches at once; on Neo4j those two transactions
must not lock each other out.

Many people attending the same few events is the demo's and an attendance
import's usual shape: every batch adds relationships to the same dense event
nodes, and two transactions that each lock some of them deadlock. Neo4j then
aborts one and the driver retries it after a pause of about a second, or
gives up and fails the load once its retry time has passed.
"""

import datetime as dt
import logging

import pytest

from graphsvc.model import Attended, Event, EventKind, Person, Provenance
from graphsvc.store import GraphStore

PEOPLE = 2000
EVENTS = 4
BATCH = 250


def _people_and_events(seen: Provenance) -> list[Person | Event]:
    people = [Person(id=f"person:{i}", name=f"Member {i}", provenance=seen) for i in range(PEOPLE)]
    events = [
        Event(
            id=f"event:{i}",
            name=f"Assembly {i}",
            date=dt.date(2024, 1, 1 + i),
            category=EventKind.ROUNDTABLE,
            provenance=seen,
        )
        for i in range(EVENTS)
    ]
    return [*people, *events]


def _everyone_attends_every_event(seen: Provenance) -> list[Attended]:
    # Person by person, so that each batch touches every event.
    return [
        Attended(start=f"person:{p}", end=f"event:{e}", provenance=seen)
        for p in range(PEOPLE)
        for e in range(EVENTS)
    ]


def test_a_load_onto_a_few_shared_nodes_is_written_without_deadlocks(
    store: GraphStore, seen: Provenance, caplog: pytest.LogCaptureFixture
) -> None:
    store.upsert_nodes(_people_and_events(seen))
    with caplog.at_level(logging.WARNING, logger="neo4j"):
        summary = store.upsert_relationships(_everyone_attends_every_event(seen), batch_size=BATCH)
    retried = [r.getMessage() for r in caplog.records if "will be retried" in r.getMessage()]
    assert retried == []
    assert summary.created == PEOPLE * EVENTS
    assert store.counts().relationships["ATTENDED"] == PEOPLE * EVENTS
