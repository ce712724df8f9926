"""An admin's stewardship: merging two records of one person and undoing it, and
correcting a record; on every backend."""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from graphsvc.access import Role
from graphsvc.accounts import open_accounts
from graphsvc.model import Provenance
from graphsvc.model.relationships import IntroducedTo, Knows, MayBeSame
from graphsvc.service import Network
from graphsvc.service.stewardship import Rectification, StewardshipError
from graphsvc.store import GraphStore
from graphsvc.synthetic import NetworkRecords

SEEN = Provenance(source="test", first_seen=dt.date(2024, 1, 1), last_seen=dt.date(2024, 1, 1))
LATER = Provenance(source="later", first_seen=dt.date(2024, 6, 1), last_seen=dt.date(2024, 6, 1))
PASSWORD = "a long enough test password"


def graph_of(store: GraphStore) -> tuple[dict[str, Any], list[tuple[str, str, str, str]]]:
    """Every node's properties by id, and every relationship with its properties."""
    snapshot = store.snapshot()
    nodes = {n: dict(d) for n, d in snapshot.nodes(data=True)}
    ties = sorted(
        (str(key), start, end, repr(sorted(data.items())))
        for start, end, key, data in snapshot.edges(keys=True, data=True)
    )
    return nodes, ties


@pytest.fixture
def network(store: GraphStore, small_network: NetworkRecords, tmp_path: Path) -> Iterator[Network]:
    store.upsert_nodes(small_network.nodes())
    store.upsert_relationships(small_network.relationships())
    with open_accounts(tmp_path / "accounts.sqlite") as accounts:
        built = Network(store, accounts, background=False)
        yield built
        built.close()


def busiest_pair(store: GraphStore) -> tuple[str, str]:
    """Two people with many ties each, put on the review list."""
    people = sorted(
        (p for p, d in store.snapshot().nodes(data=True) if d["kind"] == "Person"),
        key=lambda p: (-len(store.person_ties(p)), p),
    )
    kept, gone = people[0], people[1]
    store.upsert_relationships(
        [
            MayBeSame(start=gone, end=kept, reason="same name", provenance=SEEN),
            # A tie the two share, an introduction the merged-away one made, a tie between them.
            Knows(start=gone, end=people[2], provenance=LATER),
            Knows(start=kept, end=people[2], provenance=SEEN),
            Knows(start=gone, end=kept, provenance=SEEN),
            IntroducedTo(start=people[3], end=people[4], by=gone, provenance=SEEN),
        ]
    )
    return kept, gone


def test_a_merge_moves_every_tie_onto_the_one_kept_and_points_the_old_id_there(
    network: Network,
) -> None:
    store = network.store
    kept, gone = busiest_pair(store)
    gone_ties = store.person_ties(gone)
    version = store.version()
    record = network.merge_people(kept, gone, actor_user_id=7)
    assert store.person(gone) is None and store.version() > version
    assert network.merged_into(gone) == kept
    after = {(t.type, t.start, t.end) for t in store.person_ties(kept)}
    for tie in gone_ties:
        moved = (
            tie.type,
            kept if tie.start == gone else tie.start,
            kept if tie.end == gone else tie.end,
        )
        if moved[1] != moved[2]:
            assert moved in after
    assert not any(t.start == t.end for t in store.person_ties(kept))
    entry = network.accounts.audit.entries()[0]
    assert (entry.action, entry.subject, entry.ids) == (
        "person.merged",
        kept,
        {"merge": str(record.id), "merged": gone},
    )


def test_a_tie_both_had_keeps_one_relationship_with_both_sightings(network: Network) -> None:
    store = network.store
    kept, gone = busiest_pair(store)
    network.merge_people(kept, gone, actor_user_id=None)
    shared = [t for t in store.person_ties(kept) if t.type == "KNOWS" and t.start == kept]
    props = {t.end: t.props for t in shared}
    other = next(e for e, p in props.items() if p.get("last_seen") == "2024-06-01")
    assert props[other]["first_seen"] <= "2024-01-01"


def test_merge_then_undo_gives_back_the_same_graph(network: Network) -> None:
    store = network.store
    kept, gone = busiest_pair(store)
    before = graph_of(store)
    user = network.accounts.add_user("gone@test.invalid", Role.MEMBER, PASSWORD, gone)
    record = network.merge_people(kept, gone, actor_user_id=1)
    assert network.accounts.user(user.id).person_id == kept  # type: ignore[union-attr]
    network.undo_merge(record.id, actor_user_id=1)
    assert graph_of(store) == before
    assert network.merged_into(gone) is None
    assert network.accounts.user(user.id).person_id == gone  # type: ignore[union-attr]
    with pytest.raises(StewardshipError):
        network.undo_merge(record.id, actor_user_id=1)


def test_only_a_pair_on_the_review_list_can_be_merged(network: Network) -> None:
    people = sorted(
        p for p, d in network.store.snapshot().nodes(data=True) if d["kind"] == "Person"
    )
    with pytest.raises(StewardshipError):
        network.merge_people(people[0], people[1], actor_user_id=1)
    assert network.store.person(people[1]) is not None


def test_erasing_a_merged_person_forgets_the_merge(network: Network) -> None:
    kept, gone = busiest_pair(network.store)
    network.merge_people(kept, gone, actor_user_id=1)
    network.erase_person(kept, actor_user_id=1)
    assert network.merged_into(gone) is None
    assert network.accounts.merges.recent() == []
    assert [e.action for e in network.accounts.audit.entries()] == ["person.erased"]


def test_a_correction_changes_the_record_and_is_audited_by_field_name_only(
    network: Network,
) -> None:
    store = network.store
    person = sorted(p for p, d in store.snapshot().nodes(data=True) if d["kind"] == "Person")[0]
    organisation = sorted(
        n for n, d in store.snapshot().nodes(data=True) if d["kind"] == "Organisation"
    )[0]
    version = store.version()
    changed = network.rectify_person(
        person,
        Rectification(name="Ada Corrected", email="ada@example.org", organisation=organisation),
        actor_user_id=3,
    )
    assert changed == ["email", "name", "organisation"]
    stored = store.person(person)
    assert stored is not None and stored["name"] == "Ada Corrected"
    assert store.linked(("WORKS_WITH", "Person", "Organisation"), person) == [organisation]
    assert store.version() > version
    (entry,) = network.accounts.audit.entries()
    assert entry.ids == {"fields": "email,name,organisation"}
    assert "Ada" not in repr(entry) and "example.org" not in repr(entry)
    with pytest.raises(StewardshipError):
        network.rectify_person(person, Rectification(email="not an email"), actor_user_id=3)


def test_erasing_a_person_forgets_every_record_merged_into_theirs(network: Network) -> None:
    store = network.store
    first, second, third = sorted(
        p for p, d in store.snapshot().nodes(data=True) if d["kind"] == "Person"
    )[:3]
    store.upsert_relationships(
        [
            MayBeSame(start=first, end=second, reason="same name", provenance=SEEN),
            MayBeSame(start=second, end=third, reason="same name", provenance=SEEN),
        ]
    )
    network.merge_people(second, first, actor_user_id=1)
    network.merge_people(third, second, actor_user_id=1)
    assert network.merged_into(first) == third
    network.erase_person(third, actor_user_id=1)
    assert network.accounts.merges.recent() == []
    assert network.merged_into(first) is None
    assert [e.action for e in network.accounts.audit.entries()] == ["person.erased"]


# --- what members said outside the graph: ties named, introduction requests ------------


def someone_else(store: GraphStore, *besides: str) -> str:
    return sorted(
        p
        for p, d in store.snapshot().nodes(data=True)
        if d["kind"] == "Person" and p not in besides
    )[0]


def rows_outside_the_graph(network: Network, *people: str) -> tuple[list[Any], list[Any]]:
    """Every tie named and introduction request naming any of these people, as stored."""
    book = network.accounts.ties
    ties = sorted({t for p in people for t in book.ties_of(p)}, key=lambda t: t.id)
    requests = sorted(
        {r for p in people for r in book.introduction_requests(person=p)}, key=lambda r: r.id
    )
    return ties, requests


def answered_round(network: Network, person: str, survey_id: int) -> bool:
    view = network.wait_until_current().view
    return any(s.id == survey_id and done for s, done in network.ties.surveys_asking(person, view))


def test_ties_named_requests_and_survey_answers_move_to_the_one_kept_and_back_on_undo(
    network: Network,
) -> None:
    store, book = network.store, network.accounts.ties
    kept, gone = busiest_pair(store)
    third = someone_else(store, kept, gone)
    survey = network.ties.open_survey(
        "Spring round",
        dt.date.today() + dt.timedelta(days=7),
        cell=None,
        region=None,
        view=network.view(),
        user_id=None,
    )
    named = network.ties.name(gone, third, "know_well", None)
    asked = book.request_introduction(third, gone, None, "to talk about housing")
    before = rows_outside_the_graph(network, kept, gone, third)
    assert answered_round(network, gone, survey.id) and not answered_round(network, kept, survey.id)

    record = network.merge_people(kept, gone, actor_user_id=1)
    assert book.tie(named.id) == replace(named, named_by=kept)
    assert book.introduction_request(asked.id) == replace(asked, other=kept)
    assert book.ties_of(gone) == [] and book.introduction_requests(person=gone) == []
    assert answered_round(network, kept, survey.id)

    network.undo_merge(record.id, actor_user_id=1)
    assert rows_outside_the_graph(network, kept, gone, third) == before
    assert answered_round(network, gone, survey.id) and not answered_round(network, kept, survey.id)


def test_a_tie_pending_between_the_two_goes_on_merge_and_is_back_after_undo(
    network: Network,
) -> None:
    store, book = network.store, network.accounts.ties
    kept, gone = busiest_pair(store)
    between = network.ties.name(gone, kept, "know_a_little", None)
    asked = book.request_introduction(kept, gone, None, "")
    record = network.merge_people(kept, gone, actor_user_id=1)
    assert book.tie(between.id) is None and book.introduction_request(asked.id) is None
    assert not any(t.named_by == t.other for t in book.ties_of(kept))
    network.undo_merge(record.id, actor_user_id=1)
    assert book.tie(between.id) == between
    assert book.introduction_request(asked.id) == asked


def test_two_live_ties_with_the_same_person_become_one_and_both_are_back_after_undo(
    network: Network,
) -> None:
    store, book = network.store, network.accounts.ties
    kept, gone = busiest_pair(store)
    third = someone_else(store, kept, gone)
    by_gone = network.ties.name(gone, third, "know_well", None)
    by_kept = network.ties.name(kept, third, "know_a_little", None)
    confirmed = network.ties.answer(third, by_gone.id, confirm=True, user_id=None)
    before = rows_outside_the_graph(network, kept, gone, third)
    record = network.merge_people(kept, gone, actor_user_id=1)
    # The confirmed one stands: it is the tie the graph holds.
    assert book.live_tie_between(kept, third) == replace(confirmed, named_by=kept)
    assert book.tie(by_kept.id) is None
    network.undo_merge(record.id, actor_user_id=1)
    assert rows_outside_the_graph(network, kept, gone, third) == before


def test_erasing_a_third_person_keeps_their_ties_from_coming_back_with_an_undo(
    network: Network,
) -> None:
    store, book = network.store, network.accounts.ties
    kept, gone = busiest_pair(store)
    third = someone_else(store, kept, gone)
    network.ties.name(gone, third, "know_well", None)
    network.ties.name(kept, third, "know_well", None)
    record = network.merge_people(kept, gone, actor_user_id=1)
    network.erase_person(third, actor_user_id=1)
    assert third not in json.dumps(network.accounts.merges.get(record.id).moved_rows)  # type: ignore[union-attr]
    network.undo_merge(record.id, actor_user_id=1)
    assert book.ties_of(gone) == [] and book.ties_of(kept) == []


def test_a_merge_keeps_every_self_description_answer_and_the_earlier_erasure_request(
    network: Network,
) -> None:
    store = network.store
    kept, gone = busiest_pair(store)
    kept_answers = {"age_band": {"value": "25-34", "consent": None}}
    gone_answers = {"age_band": {"value": "35-44", "consent": None}, "lived": {"value": "yes"}}
    store.update_person(
        kept, {"self_description": json.dumps(kept_answers), "erasure_requested": "2024-05-02"}
    )
    store.update_person(
        gone, {"self_description": json.dumps(gone_answers), "erasure_requested": "2024-04-01"}
    )
    before = graph_of(store)
    record = network.merge_people(kept, gone, actor_user_id=1)
    merged = store.person(kept)
    assert merged is not None
    assert json.loads(merged["self_description"]) == {
        "age_band": kept_answers["age_band"],
        "lived": gone_answers["lived"],
    }
    assert merged["erasure_requested"] == "2024-04-01"
    network.undo_merge(record.id, actor_user_id=1)
    assert graph_of(store) == before


def test_erasing_the_person_kept_erases_the_ties_and_requests_moved_onto_them(
    network: Network,
) -> None:
    store, book = network.store, network.accounts.ties
    kept, gone = busiest_pair(store)
    third = someone_else(store, kept, gone)
    network.ties.name(gone, third, "know_well", None)
    book.request_introduction(third, gone, None, "")
    network.merge_people(kept, gone, actor_user_id=1)
    network.erase_person(kept, actor_user_id=1)
    assert rows_outside_the_graph(network, kept, gone, third) == ([], [])
