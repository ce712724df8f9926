"""For admins: correcting a person's record, merging two records of one person (and
undoing it), and the audit log."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from graphsvc.access.policy import Capability
from graphsvc.accounts.audit import AuditEntry, AuditFilter
from graphsvc.accounts.merges import MergeRecord
from graphsvc.api.deps import AccountsDep, NetworkDep, SignedInDep, require
from graphsvc.api.errors import ApiError, as_sentence, not_found
from graphsvc.api.paging import PagingDep
from graphsvc.api.routes.admin import RowId
from graphsvc.api.routes.people import PersonId
from graphsvc.api.schemas import (
    AuditEntryPublic,
    MergeCreate,
    MergePublic,
    Page,
    RectificationBody,
    RectificationPublic,
)
from graphsvc.service.stewardship import Rectification, StewardshipError

router = APIRouter(
    prefix="/api", tags=["stewardship"], dependencies=[require(Capability.ADMINISTER)]
)

Word = Annotated[str | None, Query(max_length=100)]
Day = Annotated[str | None, Query(max_length=25, description="YYYY-MM-DD")]


@router.patch("/people/{person_id}", responses={404: {}, 422: {}})
def update_person_record(
    person_id: PersonId, body: RectificationBody, signed: SignedInDep, network: NetworkDep
) -> RectificationPublic:
    """Correct a person's record (name, email, phone, job title, organisation, place):
    recorded in the audit log by field name; every map, list and analysis follows."""
    try:
        changed = network.rectify_person(
            person_id, Rectification(**body.model_dump()), actor_user_id=signed.user.id
        )
    except StewardshipError as exc:
        raise ApiError(422, as_sentence(str(exc)), "invalid_request") from None
    if changed is None:
        raise not_found("person")
    return RectificationPublic(person=person_id, changed=changed)


def merge_public(record: MergeRecord) -> MergePublic:
    return MergePublic(
        id=record.id,
        at=record.at,
        actor=record.actor,
        kept=record.kept,
        gone=record.gone,
        undone=record.undone,
    )


@router.post("/merges", status_code=201, responses={422: {}})
def create_merge(body: MergeCreate, signed: SignedInDep, network: NetworkDep) -> MergePublic:
    """Merge two records the review list found to be one person: ``gone``'s ties,
    memberships, attendance, interests and provenance move onto ``kept``; ``gone``
    then answers with a pointer to ``kept``. Undo it with ``POST /api/merges/{id}/undo``."""
    try:
        record = network.merge_people(body.kept, body.gone, actor_user_id=signed.user.id)
    except StewardshipError as exc:
        raise ApiError(422, as_sentence(str(exc)), "invalid_request") from None
    return merge_public(record)


@router.get("/merges")
def read_merges(accounts: AccountsDep) -> list[MergePublic]:
    """The latest merges, newest first (undone ones say when)."""
    return [merge_public(r) for r in accounts.merges.recent()]


@router.post("/merges/{merge_id}/undo", responses={404: {}, 409: {}})
def create_merge_undo(merge_id: RowId, signed: SignedInDep, network: NetworkDep) -> MergePublic:
    """Undo a merge: the merged-away person back with their own relationships."""
    try:
        record = network.undo_merge(merge_id, actor_user_id=signed.user.id)
    except StewardshipError as exc:
        raise ApiError(409, as_sentence(str(exc)), "cannot_undo") from None
    if record is None:
        raise not_found("merge")
    return merge_public(record)


def audit_filter(
    action: Word = None,
    actor: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    mentions: Word = None,
    since: Day = None,
    until: Day = None,
) -> AuditFilter:
    return AuditFilter(action=action, actor=actor, mentions=mentions, since=since, until=until)


def entry_public(entry: AuditEntry) -> AuditEntryPublic:
    return AuditEntryPublic(**entry.to_json())


@router.get(
    "/audit",
    response_model=Page[AuditEntryPublic],
    responses={200: {"content": {"text/csv": {}}}},
)
def read_audit(
    accounts: AccountsDep,
    paging: PagingDep,
    action: Word = None,
    actor: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    mentions: Word = None,
    since: Day = None,
    until: Day = None,
    fmt: Annotated[
        Literal["csv"] | None,
        Query(alias="format", description="csv: every matching entry as a file, oldest first"),
    ] = None,
) -> Page[AuditEntryPublic] | Response:
    """The audit log, newest first: who (a user id) did what (an action) to which
    records (ids), and when. ``action`` matches a word and its family ("person"
    finds "person.merged"); ``mentions`` an id anywhere in an entry."""
    where = audit_filter(action, actor, mentions, since, until)
    log = accounts.audit
    if fmt == "csv":
        return Response(
            log.as_csv(where),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="audit-log.csv"'},
        )
    entries = log.entries(where, offset=paging.offset, limit=paging.limit)
    return Page[AuditEntryPublic](
        items=[entry_public(e) for e in entries],
        total=log.count(where),
        offset=paging.offset,
        limit=paging.limit,
    )
