"""Consent and erasure through the web service, checked on every route."""

import datetime as dt
import io
import uuid
from pathlib import Path

import pytest
from api_crawl import crawl
from api_service import PASSWORD, Service, build_service

from graphsvc.access import Role
from graphsvc.model import (
    Attended,
    BasedIn,
    InterestedIn,
    IntroducedTo,
    Knows,
    MayBeSame,
    MemberOf,
    Person,
    Provenance,
    Visibility,
    WorksWith,
)
from graphsvc.store import open_store
from graphsvc.synthetic import NetworkRecords

SEEN = Provenance(source="test", first_seen=dt.date(2026, 1, 1), last_seen=dt.date(2026, 1, 1))
NON_ADMINS = (Role.MEMBER, Role.CONNECTOR, Role.CONVENOR)


def _person(records: NetworkRecords, person_id: str) -> Person:
    for node in records.nodes():
        if node.id == person_id:
            assert isinstance(node, Person)
            return node
    raise AssertionError(person_id)


def _everything_seen(service: Service, roles: tuple[Role, ...]) -> str:
    """Every GET response for each role, and the member's data export (theirs and an admin's)."""
    texts = [text for role in roles for text in crawl(service, role).values()]
    me = service.member_person
    texts.append(service.get(f"/api/people/{me}/export", Role.MEMBER).text)
    texts.append(service.get(f"/api/people/{me}/export", Role.ADMIN).text)
    return "\n".join(texts)


def test_a_person_switched_to_hidden_disappears_by_name_from_every_response_and_export(
    service: Service, small_network: NetworkRecords
) -> None:
    chosen = service.people["network"][5]
    renamed = _person(small_network, chosen).model_copy(update={"name": "Zephyrine Quillfeather"})
    service.store.upsert_nodes([renamed])
    service.store.upsert_relationships(
        [Knows(start=service.member_person, end=chosen, strength=3, provenance=SEEN)]
    )
    before = _everything_seen(service, NON_ADMINS)
    assert "Zephyrine Quillfeather" in before and f'"{chosen}"' in before

    service.store.upsert_nodes([renamed.model_copy(update={"visibility": Visibility.HIDDEN})])
    after = _everything_seen(service, NON_ADMINS)
    assert "Zephyrine" not in after and "Quillfeather" not in after
    # Still counted in aggregates: 300 members.
    assert service.get("/api/membership", Role.MEMBER).json()["members"] == 300
    # The member's export keeps the tie (it is their data) but not the hidden person's name.
    export = service.get(f"/api/people/{service.member_person}/export", Role.MEMBER).json()
    tie = [r for r in export["relationships"] if chosen in (r["start"], r["end"])]
    assert tie and tie[0]["other_name"] is None


def _give_every_kind_of_tie(service: Service, records: NetworkRecords, person: str) -> None:
    first = {
        kind: next(n.id for n in records.nodes() if kind == n.KIND)
        for kind in ("Organisation", "Place", "Cell", "Event", "Theme")
    }
    others = service.people["network"][20:25]
    service.store.upsert_relationships(
        [
            WorksWith(start=person, end=first["Organisation"], role="Trustee", provenance=SEEN),
            BasedIn(start=person, end=first["Place"], provenance=SEEN),
            MemberOf(start=person, end=first["Cell"], provenance=SEEN),
            Attended(start=person, end=first["Event"], provenance=SEEN),
            InterestedIn(start=person, end=first["Theme"], provenance=SEEN),
            Knows(start=person, end=others[0], provenance=SEEN),
            Knows(start=others[1], end=person, strength=4, provenance=SEEN),
            IntroducedTo(start=person, end=others[2], status="made", provenance=SEEN),
            IntroducedTo(start=others[3], end=person, provenance=SEEN),
            IntroducedTo(start=others[2], end=others[4], by=person, provenance=SEEN),
            MayBeSame(start=person, end=others[4], reason="same name", provenance=SEEN),
        ]
    )


def test_erasing_a_person_leaves_no_trace_and_their_export_held_everything_first(
    service: Service, small_network: NetworkRecords, embedded_dir: Path
) -> None:
    person = service.people["network"][4]
    email = f"erase-me-{uuid.uuid4().hex[:8]}@example.org"
    name = "Quintessa Erasable"
    service.store.upsert_nodes(
        [
            _person(small_network, person).model_copy(
                update={"name": name, "email": email, "phone": "07700 900123"}
            )
        ]
    )
    _give_every_kind_of_tie(service, small_network, person)
    user = service.accounts.add_user(email, Role.MEMBER, PASSWORD, person)
    _, their_token = service.accounts.issue_token(user.id, "bearer", "phone app")
    # An import that meets them again names them in its report.
    csv = f"Name,Email\n{name},{email}\n".encode()
    imported = service.client.post(
        "/api/imports",
        headers=service.headers(Role.ADMIN),
        files={"file": ("again.csv", io.BytesIO(csv), "text/csv")},
        data={"kind": "members"},
    )
    assert imported.status_code == 201, imported.text
    assert any(m["person"] == person for m in imported.json()["report"]["merges"])
    # Fill every cache: views, analysis, the pair scorer.
    for role in Role:
        crawl(service, role)

    export = service.get(f"/api/people/{person}/export", Role.ADMIN).json()
    snapshot = service.store.snapshot()
    stored = dict(snapshot.nodes[person])
    stored.pop("kind")
    assert export["person"] == stored
    held = {
        (a, key, b): {k: v for k, v in data.items() if k != "type"}
        for a, b, key, data in snapshot.edges(keys=True, data=True)
        if person in (a, b)
    }
    exported = {(r["start"], r["type"], r["end"]): r["properties"] for r in export["relationships"]}
    assert exported == held
    assert {t for _, t, _ in held} >= {
        "WORKS_WITH",
        "BASED_IN",
        "MEMBER_OF",
        "ATTENDED",
        "INTERESTED_IN",
        "KNOWS",
        "INTRODUCED_TO",
        "MAY_BE_SAME",
    }
    made_by = {(a, b) for a, b, data in snapshot.edges(data=True) if data.get("by") == person}
    assert {(i["start"], i["end"]) for i in export["introduced"]} == made_by != set()
    assert [a["email"] for a in export["accounts"]] == [email]
    assert export["import_mentions"]

    erased = service.client.delete(f"/api/people/{person}", headers=service.headers(Role.ADMIN))
    assert erased.status_code == 204

    # The store: no node, no tie, no mention as introducer.
    after = service.store.snapshot()
    assert person not in after
    assert all(person not in map(str, data.values()) for _, _, data in after.edges(data=True))
    assert service.store.search_people("Quintessa") == []
    # Their account and token, and the import report.
    assert service.accounts.user_by_email(email) is None
    assert (
        service.client.get(
            "/api/me", headers={"Authorization": f"Bearer {their_token}"}
        ).status_code
        == 401
    )
    assert person not in service.get(f"/api/imports/{imported.json()['id']}", Role.ADMIN).text
    # Nothing served anywhere, to anyone, names them; the export is gone.
    everything = "\n".join(crawl(service, Role.ADMIN).values())
    assert person not in everything and name not in everything and email not in everything
    assert service.get(f"/api/people/{person}/export", Role.ADMIN).status_code == 404
    # Caches hold nothing of them.
    current = service.network.current()
    assert person not in current.view.profile.people
    assert person not in service.network.analysis(current).constellations.membership
    # The account database's files.
    accounts_files = b"".join(
        f.read_bytes() for f in service.accounts_path.parent.glob("accounts.sqlite*")
    )
    assert email.encode() not in accounts_files


# FalkorDB once kept a copy of every query, parameters included, in a stream
# saved with the data: after the service had read a person, their name and
# email outlived their erasure in the store's files. The store blocks that
# stream (tests/test_embedded_durability.py); this checks it end to end.
def test_erasure_leaves_nothing_in_the_embedded_store_files_after_the_service_read_them(
    small_network: NetworkRecords, embedded_dir: Path, tmp_path: Path
) -> None:
    store = open_store(str(embedded_dir), graph=f"t{uuid.uuid4().hex[:12]}")
    with build_service(store, small_network, tmp_path / "accounts.sqlite") as service:
        _erase_after_a_crawl(service, small_network, embedded_dir)
    store.clear()
    store.close()


def _erase_after_a_crawl(
    service: Service, small_network: NetworkRecords, embedded_dir: Path
) -> None:
    person = service.people["network"][4]
    email = f"erase-me-{uuid.uuid4().hex[:8]}@example.org"
    service.store.upsert_nodes([_person(small_network, person).model_copy(update={"email": email})])
    for role in Role:
        crawl(service, role)
    erased = service.client.delete(f"/api/people/{person}", headers=service.headers(Role.ADMIN))
    assert erased.status_code == 204
    store_files = b"".join(f.read_bytes() for f in embedded_dir.rglob("*") if f.is_file())
    assert email.encode() not in store_files


def test_the_cli_exports_and_erases_like_the_service(
    service: Service, small_network: NetworkRecords
) -> None:
    from graphsvc.privacy import erase_person, export_person

    person = service.people["connectors"][3]
    held = export_person(service.store, service.accounts, person)
    assert held is not None and held["person"]["id"] == person
    assert erase_person(service.store, service.accounts, person)
    assert export_person(service.store, service.accounts, person) is None
    assert not erase_person(service.store, service.accounts, person)


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_admins_may_erase(service: Service, role: Role) -> None:
    person = service.people["network"][9]
    response = service.client.delete(f"/api/people/{person}", headers=service.headers(role))
    assert response.status_code == 403
    assert service.store.person(person) is not None
