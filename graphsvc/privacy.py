"""A person's rights over their data: export everything held, or erase it.

Shared by the web service and the CLI, so both do exactly the same.
"""

from dataclasses import asdict
from typing import Any

from graphsvc.access.policy import Role, Viewer
from graphsvc.accounts import AccountStore
from graphsvc.store import GraphStore
from importers.report import erasure_keys


def export_person(
    store: GraphStore, accounts: AccountStore, person_id: str
) -> dict[str, Any] | None:
    """Everything held about a person, as JSON-ready data, or None if there is no such person.

    Their node (contact details and provenance included), every relationship
    touching them, introductions they are named as making, user accounts
    linked to them, and import-report entries that name them.
    """
    held = store.person_data(person_id)
    if held is None:
        return None
    return {
        "person": held.person,
        "relationships": [_other_end_as_consented(r, person_id) for r in held.relationships],
        "introduced": held.introduced,
        "accounts": [
            {
                "id": u.id,
                "email": u.email,
                "role": u.role.value,
                "person_id": u.person_id,
                "created": u.created,
            }
            for u in accounts.users()
            if u.person_id == person_id
        ],
        "import_mentions": accounts.import_mentions(person_id),
        "member_ties": [asdict(tie) for tie in accounts.ties.ties_of(person_id)],
        "introduction_requests": [
            asdict(request)
            for request in accounts.ties.introduction_requests(person=person_id)
            # one asked about has not been told of a request nobody passed on yet
            if not (request.other == person_id and request.status == "requested")
        ],
    }


def _other_end_as_consented(relationship: dict[str, Any], person_id: str) -> dict[str, Any]:
    """A relationship for the export: another person is named only if they let members see them.

    The export goes to the person it is about, a member, whoever asked for
    it (an admin may ask on their behalf); it must not disclose people who
    chose not to be named to members (their id stays, so an admin can follow
    it up).
    """
    shown = dict(relationship)
    visibility = shown.pop("other_visibility", None)
    other = shown["end"] if shown["start"] == person_id else shown["start"]
    reader = Viewer(Role.MEMBER, person_id)
    if shown["other_kind"] == "Person" and not reader.may_name(other, visibility):
        shown["other_name"] = None
    return shown


def erase_person(store: GraphStore, accounts: AccountStore, person_id: str) -> bool:
    """Erase a person from the store (and its files), import reports (rejected rows
    that gave their name or email too) and user accounts.

    False when there is no such person. Caches of a running service must be
    cleared by the caller.
    """
    person = store.person(person_id)
    if person is None:
        return False
    # Rejected import rows are linked to no one: they are found by the name and
    # email the person has in the store.
    said = erasure_keys(person.get("name"), person.get("email"))
    try:
        store.erase_person(person_id)
    finally:
        # Even if rewriting the database's files failed after the erasure was written.
        accounts.forget_person(person_id, said)
    return True
