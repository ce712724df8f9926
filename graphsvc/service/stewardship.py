"""An admin's stewardship of the records: correcting one, merging two that are one
person, and undoing a merge.

Called through :class:`graphsvc.service.Network`, which moves the caches on and
records each change in the audit log (ids only: which fields changed, never
their values).
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from graphsvc.accounts import AccountStore
from graphsvc.accounts.merges import MergeRecord
from graphsvc.errors import GraphsvcError
from graphsvc.model import Provenance
from graphsvc.model.relationships import BasedIn, WorksWith
from graphsvc.model.text import fold_text, storable
from graphsvc.store import GraphStore
from graphsvc.store.merging import PersonMerge

# What an admin may correct on a person's node, and the longest each may be.
RECTIFIABLE = {"name": 300, "email": 320, "phone": 50, "job_title": 300}
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+")


class StewardshipError(GraphsvcError):
    """A correction or merge cannot be made as asked (the message says why)."""


@dataclass(frozen=True)
class Rectification:
    """What to correct on a person's record; None leaves a field as it is, and "" clears
    it (a name cannot be cleared). ``organisation`` and ``place`` are node ids: the one
    organisation they work with now, and where they are based."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    job_title: str | None = None
    organisation: str | None = None
    place: str | None = None


def rectify_person(
    store: GraphStore, person_id: str, change: Rectification, source: str
) -> list[str] | None:
    """Correct a person's record; the names of the fields that changed (None if there
    is no such person). StewardshipError for a value that cannot be stored."""
    stored = store.person(person_id)
    if stored is None:
        return None
    props = _node_changes(stored, change)
    changed = sorted(k for k in props if k != "name_folded")
    if props:
        store.update_person(person_id, props)
    today = dt.date.today()
    provenance = Provenance(source=source, first_seen=today, last_seen=today)
    if change.organisation and _relink(store, person_id, "WORKS_WITH", change.organisation):
        store.upsert_relationships(
            [WorksWith(start=person_id, end=change.organisation, provenance=provenance)]
        )
        changed.append("organisation")
    if change.place and _relink(store, person_id, "BASED_IN", change.place):
        store.upsert_relationships(
            [BasedIn(start=person_id, end=change.place, provenance=provenance)]
        )
        changed.append("place")
    return changed


def _node_changes(stored: dict[str, Any], change: Rectification) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name, longest in RECTIFIABLE.items():
        value = getattr(change, name)
        if value is None:
            continue
        value = value.strip()
        if len(value) > longest or not storable(value):
            raise StewardshipError(f"{name}: at most {longest} characters of text")
        if name == "name" and not value:
            raise StewardshipError("name: a person's name cannot be empty")
        if name == "email" and value and not _EMAIL.fullmatch(value):
            raise StewardshipError("email: not an email address")
        if value != (stored.get(name) or ""):
            props[name] = value or None
    if "name" in props:
        props["name_folded"] = fold_text(props["name"])
    return props


def _relink(store: GraphStore, person_id: str, rel_type: str, target: str) -> bool:
    """Remove the person's ties of this type to anything but ``target``; whether a tie to
    ``target`` is still to be made. StewardshipError if ``target`` is not stored."""
    kind = "Organisation" if rel_type == "WORKS_WITH" else "Place"
    if not storable(target) or not _stored(store, kind, target):
        raise StewardshipError(f"{rel_type.lower()}: no {kind.lower()} {target}")
    shape = (rel_type, "Person", kind)
    linked = store.linked(shape, person_id)
    store.remove_relationships(shape, [(person_id, other) for other in linked if other != target])
    return target not in linked


def _stored(store: GraphStore, kind: str, node_id: str) -> bool:
    prefix = {"Organisation": "org:", "Place": "place:"}[kind]
    return node_id.startswith(prefix) and bool(store.nodes_stored(kind, [node_id]))


def merge_people(
    store: GraphStore, accounts: AccountStore, kept: str, gone: str, actor: int | None
) -> MergeRecord:
    """Merge ``gone`` into ``kept``: a pair the review list holds (either way round).

    The record is kept first, so a merge written is never one that cannot be undone;
    accounts linked to the merged-away person are linked to the one kept, and the
    ties they named and introductions asked for move with them (see
    :mod:`graphsvc.accounts.merged_ties`).
    """
    waiting = {frozenset((m.person, m.candidate)) for m in store.possible_matches()}
    if frozenset((kept, gone)) not in waiting:
        raise StewardshipError("only a pair waiting on the review list can be merged")
    plan = store.plan_person_merge(kept, gone)
    if plan is None:
        raise StewardshipError("both records must be people in the network")
    merge_id = accounts.merges.add(actor, kept, gone, plan.to_json())
    try:
        store.write_person_merge(plan)
    except BaseException:
        accounts.merges.remove(merge_id)
        raise
    accounts.merges.set_relinked(merge_id, accounts.relink_person(gone, kept))
    accounts.merges.move_ties(merge_id)
    found = accounts.merges.get(merge_id)
    assert found is not None
    return found


def undo_merge(store: GraphStore, accounts: AccountStore, merge_id: int) -> MergeRecord | None:
    """Undo a merge from its record: the merged-away person back with their own
    relationships, ties named and introduction requests, the kept one as they were.
    None if there is no such merge."""
    record = accounts.merges.get(merge_id)
    if record is None:
        return None
    if record.undone:
        raise StewardshipError("that merge has already been undone")
    if store.person(record.gone) is not None:
        raise StewardshipError("the merged-away record is in the network again")
    if store.person(record.kept) is None:
        raise StewardshipError(
            "the record kept is no longer in the network (merged again?): undo that first"
        )
    store.undo_person_merge(PersonMerge.from_json(record.plan))
    accounts.merges.move_ties_back(record)
    accounts.merges.mark_undone(merge_id)
    for user_id in record.relinked:
        accounts.link_person(user_id, record.gone)
    return accounts.merges.get(merge_id)
