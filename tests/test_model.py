"""The typed records of the graph model."""

import datetime as dt

import pytest
from pydantic import ValidationError

from graphsvc.model import (
    RELATIONSHIP_TYPES,
    Attended,
    BasedIn,
    BuddyWith,
    Cell,
    Event,
    HeldBy,
    IntroducedTo,
    IntroductionStatus,
    MayBeSame,
    Organisation,
    Person,
    Place,
    Provenance,
    Visibility,
    WorksWith,
    kind_of,
)
from graphsvc.model.provenance import merge_provenance
from graphsvc.synthetic import NetworkRecords


def test_an_id_must_name_its_kind(seen: Provenance) -> None:
    Person(id="person:1", name="Ada", provenance=seen)
    with pytest.raises(ValidationError, match="person:<key>"):
        Person(id="org:1", name="Ada", provenance=seen)
    with pytest.raises(ValidationError):
        Person(id="person:", name="Ada", provenance=seen)


def test_kind_of_reads_the_id_prefix() -> None:
    assert kind_of("place:E12000007") == "Place"
    assert kind_of("event:9") == "Event"
    with pytest.raises(ValueError, match="known kind prefix"):
        kind_of("planet:1")


def test_a_relationship_only_joins_the_kinds_it_is_defined_for(seen: Provenance) -> None:
    WorksWith(start="person:1", end="org:1", provenance=seen)
    BasedIn(start="org:1", end="place:leeds", provenance=seen)
    with pytest.raises(ValidationError, match="cannot end at a Person"):
        WorksWith(start="person:1", end="person:2", provenance=seen)
    with pytest.raises(ValidationError, match="cannot start at a Event"):
        Attended(start="event:1", end="event:2", provenance=seen)


def test_people_default_to_the_most_private_visibility(seen: Provenance) -> None:
    assert Person(id="person:1", name="Ada", provenance=seen).visibility is Visibility.HIDDEN


def test_reading_a_missing_value_back_gives_the_models_default(seen: Provenance) -> None:
    person = Person(id="person:1", name="Ada", provenance=seen)
    assert Visibility.parse(None) is person.visibility
    intro = IntroducedTo(start="person:1", end="person:2", provenance=seen)
    assert IntroductionStatus.parse(None) is intro.status
    # What was stored reads back as itself.
    assert all(Visibility.parse(v.value) is v for v in Visibility)
    assert all(IntroductionStatus.parse(s.value) is s for s in IntroductionStatus)


def test_provenance_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="first_seen is after last_seen"):
        Provenance(source="x", first_seen=dt.date(2024, 2, 1), last_seen=dt.date(2024, 1, 1))


def test_stored_properties_leave_unknowns_out_and_carry_provenance(seen: Provenance) -> None:
    props = Person(id="person:1", name="Zoë Ó Briain", provenance=seen).properties()
    assert "email" not in props and "joined" not in props
    assert props["name_folded"] == "zoe o briain"
    assert (props["source"], props["first_seen"], props["last_seen"]) == (
        "test-import",
        "2024-03-01",
        "2024-03-01",
    )


def test_relationship_properties_are_flat_and_typed(seen: Provenance) -> None:
    props = IntroducedTo(
        start="person:1", end="person:2", by="person:3", date=dt.date(2024, 5, 1), provenance=seen
    ).properties()
    assert props == {
        "by": "person:3",
        "date": "2024-05-01",
        "status": "suggested",
        "source": "test-import",
        "first_seen": "2024-03-01",
        "last_seen": "2024-03-01",
    }


def test_cell_event_and_place_fields_are_validated(seen: Provenance) -> None:
    with pytest.raises(ValidationError):
        Cell(id="cell:1", name="X", category="book club", provenance=seen)
    with pytest.raises(ValidationError):
        Event(
            id="event:1",
            name="X",
            date=dt.date(2024, 1, 1),
            category="online",
            size=-1,
            provenance=seen,
        )
    with pytest.raises(ValidationError):
        Place(id="place:x", name="X", level="region", ons_code="London", provenance=seen)
    with pytest.raises(ValidationError):
        Organisation(id="org:1", name="", provenance=seen)


def test_merging_provenance_widens_the_span_and_keeps_the_latest_source() -> None:
    stored = {"source": "2023 list", "first_seen": "2023-01-01", "last_seen": "2023-06-01"}
    older = {"source": "2022 list", "first_seen": "2022-05-01", "last_seen": "2022-05-01"}
    newer = {"source": "2024 list", "first_seen": "2024-02-01", "last_seen": "2024-02-01"}
    assert merge_provenance(stored, older) == {
        "source": "2023 list",
        "first_seen": "2022-05-01",
        "last_seen": "2023-06-01",
    }
    assert merge_provenance(stored, newer) == {
        "source": "2024 list",
        "first_seen": "2023-01-01",
        "last_seen": "2024-02-01",
    }


def test_relationship_properties_are_the_json_dump_without_ends_plus_provenance(
    seen: Provenance, small_network: NetworkRecords
) -> None:
    made = [
        *small_network.relationships(),
        Attended(start="person:1", end="event:e", part="dinner only", provenance=seen),
        IntroducedTo(
            start="person:1",
            end="person:2",
            by="person:3",
            date=dt.date(2025, 2, 1),
            provenance=seen,
        ),
        MayBeSame(start="person:1", end="person:2", reason="same name", provenance=seen),
        BuddyWith(
            start="person:1",
            end="person:2",
            round="Spring",
            across="sectors",
            date=dt.date(2025, 3, 1),
            provenance=seen,
        ),
        WorksWith(start="person:1", end="org:1", role=None, current=False, provenance=seen),
    ]
    assert {type(r) for r in made} >= set(RELATIONSHIP_TYPES.values()) - {HeldBy}
    for record in made:
        dumped = record.model_dump(
            mode="json", exclude={"start", "end", "provenance"}, exclude_none=True
        )
        assert record.properties() == {**dumped, **seen_props(record.provenance)}, record


def seen_props(provenance: Provenance) -> dict[str, str]:
    return {
        "source": provenance.source,
        "first_seen": provenance.first_seen.isoformat(),
        "last_seen": provenance.last_seen.isoformat(),
    }
