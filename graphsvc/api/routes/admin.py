"""For admins: imports, the review list of uncertain merges, and users."""

import re
from dataclasses import asdict
from pathlib import PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Response, UploadFile

from graphsvc.access.policy import Capability
from graphsvc.accounts.store import AccountError
from graphsvc.api.deps import AccountsDep, NetworkDep, SignedInDep, StoreDep, require
from graphsvc.api.errors import ApiError
from graphsvc.api.paging import PagingDep, page_of
from graphsvc.api.routes.auth import user_public
from graphsvc.api.schemas import (
    ImportPreviewPublic,
    ImportReportPublic,
    Page,
    PossibleMatchPublic,
    ReviewDecision,
    UserCreate,
    UserPublic,
)
from graphsvc.api.uploads import UploadFolderDep, UploadRoute
from graphsvc.config import get_settings
from graphsvc.errors import GraphsvcError
from graphsvc.model.text import storable
from graphsvc.service import ImportOptionError, ImportOptions, Network
from importers.attendance import AttendanceFormat

router = APIRouter(prefix="/api", tags=["admin"], dependencies=[require(Capability.ADMINISTER)])

UPLOAD_CHUNK = 2**20
# SQLite's row ids are 64-bit.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _safe_name(filename: str | None) -> str:
    """The upload's own name, without any folders, for the report and provenance."""
    name = PurePath((filename or "upload").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')[:200]
    return name if name.strip(". ") else "upload"


# Form fields by the option names of ImportOptions, for messages.
FORM_FIELDS = {"file_format": "format"}
MAX_MAPPING_BYTES = 64 * 2**10


def create_import(
    response: Response,
    signed: SignedInDep,
    network: NetworkDep,
    uploads: UploadFolderDep,
    file: UploadFile,
    kind: Annotated[Literal["members", "attendance"], Form()],
    file_format: Annotated[AttendanceFormat | None, Form(alias="format")] = None,
    event: Annotated[str | None, Form(max_length=300)] = None,
    date: Annotated[str | None, Form(max_length=10, description="YYYY-MM-DD")] = None,
    date_order: Annotated[Literal["day-first", "month-first"] | None, Form()] = None,
    as_of: Annotated[str | None, Form(max_length=10, description="YYYY-MM-DD")] = None,
    mapping: Annotated[
        UploadFile | None,
        File(description='A TOML column mapping: [columns] name = "Member" (either kind)'),
    ] = None,
    skip_bad_rows: Annotated[bool, Form()] = False,
    dry_run: Annotated[
        bool, Form(description="Only show what importing would do; write and keep nothing")
    ] = False,
) -> ImportReportPublic | ImportPreviewPublic:
    """Upload a membership export or an attendance file and import it.

    The same options as ``graphsvc import``. All or nothing: a file with bad
    rows writes nothing unless ``skip_bad_rows``. The report says what was
    written and which rows were not, and names the people it created,
    matched and changed. With ``dry_run`` (200, not 201) nothing is written
    or kept, the file included: the answer says, row by row, who would be
    created, who a row matched and why, which details of a known person
    would change (old and new), and what would be skipped; send the file
    again without ``dry_run`` to import it.
    """
    try:
        options = ImportOptions.parse(
            kind,
            file_format=file_format,
            event=event,
            date=date,
            date_order=date_order,
            as_of=as_of,
            mapping=_mapping_text(mapping),
            skip_bad_rows=skip_bad_rows,
        )
    except ImportOptionError as exc:
        field = FORM_FIELDS.get(exc.option, exc.option)
        raise ApiError(422, f"{field}: {exc}", "invalid_request") from None
    limit = get_settings().import_max_mb * 2**20
    with uploads.staged(_safe_name(file.filename)) as path:
        size = 0
        with path.open("wb") as out:
            while chunk := file.file.read(UPLOAD_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ApiError(
                        413, f"the file is larger than {limit // 2**20} MiB", "too_large"
                    )
                out.write(chunk)
        try:
            if dry_run:
                preview = network.preview_import(path, options)
            else:
                done = network.import_file(path, options, user_id=signed.user.id)
        except GraphsvcError as exc:
            raise ApiError(422, str(exc), "cannot_import") from None
    if dry_run:
        response.status_code = 200
        return ImportPreviewPublic(preview=preview.to_json())
    return _report_public(network, done.id, done.created, done.report)


def utc_z(kept: str) -> str:
    """A UTC time as kept ("+00:00") in the ISO form with "Z" that browsers and
    other tools read the same everywhere; the pages show it in local time.

    >>> utc_z("2026-01-02T03:04:05+00:00")
    '2026-01-02T03:04:05Z'
    """
    return kept.removesuffix("+00:00") + "Z" if kept.endswith("+00:00") else kept


def _report_public(
    network: Network, report_id: int, created: str, report: dict[str, Any]
) -> ImportReportPublic:
    """A kept report, with the names of the people it lists as they are stored now."""
    return ImportReportPublic(
        id=report_id,
        created=utc_z(created),
        report=report,
        people=network.people_in_report(report),
    )


# Who sent an upload and its size are checked before the body is read: see UploadRoute.
router.add_api_route(
    "/imports",
    create_import,
    methods=["POST"],
    status_code=201,
    responses={200: {"model": ImportPreviewPublic}, 413: {}, 422: {}},
    route_class_override=UploadRoute,
)


def _mapping_text(mapping: UploadFile | None) -> str | None:
    if mapping is None or not mapping.filename:
        return None
    data = mapping.file.read(MAX_MAPPING_BYTES + 1)
    if len(data) > MAX_MAPPING_BYTES:
        raise ApiError(413, "the mapping file is larger than 64 KiB", "too_large")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(
            422, "mapping: the mapping file is not UTF-8 text", "invalid_request"
        ) from None


@router.get("/imports")
def read_imports(accounts: AccountsDep, paging: PagingDep) -> Page[ImportReportPublic]:
    """Import reports, newest first."""
    rows = accounts.import_reports(paging.offset, paging.limit)
    return Page[ImportReportPublic](
        items=[ImportReportPublic(id=i, created=utc_z(c), report=r) for i, c, r in rows],
        total=accounts.count_import_reports(),
        offset=paging.offset,
        limit=paging.limit,
    )


@router.get("/imports/{report_id}", responses={404: {}})
def read_import(report_id: RowId, accounts: AccountsDep, network: NetworkDep) -> ImportReportPublic:
    found = accounts.import_report(report_id)
    if found is None:
        raise ApiError(404, "no import with that id")
    return _report_public(network, *found)


@router.get("/review")
def read_review(store: StoreDep, paging: PagingDep) -> Page[PossibleMatchPublic]:
    """Pairs of people imports could not tell apart, waiting for a decision."""
    pairs = [PossibleMatchPublic(**asdict(m)) for m in store.possible_matches()]
    return page_of(pairs, paging)


@router.post("/review", status_code=204, responses={404: {}})
def create_review_decision(
    decision: ReviewDecision, signed: SignedInDep, network: NetworkDep
) -> None:
    """Record that a pair are different people: later imports will not propose them again."""
    if not network.keep_apart(decision.person, decision.candidate, actor_user_id=signed.user.id):
        raise ApiError(404, "no such pair waits for review")


@router.get("/users")
def read_users(accounts: AccountsDep, paging: PagingDep) -> Page[UserPublic]:
    return page_of([user_public(u) for u in accounts.users()], paging)


# One @, and no spaces or control characters either side of it.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+")


@router.post("/users", status_code=201, responses={409: {}, 422: {}})
def create_user(
    body: UserCreate, signed: SignedInDep, network: NetworkDep, store: StoreDep
) -> UserPublic:
    accounts = network.accounts
    # Checked here, so a message names the field and never repeats what was sent.
    if not _EMAIL.fullmatch(body.email.strip()):
        raise ApiError(422, "email: not an email address", "invalid_request")
    if body.person_id and not storable(body.person_id):
        raise ApiError(422, "person_id: holds a NUL or broken character", "invalid_request")
    if body.person_id and store.person(body.person_id) is None:
        raise ApiError(422, "no person with that id", "invalid_request")
    try:
        user = accounts.add_user(body.email, body.role, body.password, body.person_id)
    except AccountError as exc:
        status = 409 if "already exists" in str(exc) else 422
        raise ApiError(status, str(exc)) from None
    network.audit(
        signed.user.id, "account.added", user.person_id, user=str(user.id), role=user.role.value
    )
    return user_public(user)


@router.delete("/users/{user_id}", status_code=204, responses={404: {}})
def delete_user(user_id: RowId, signed: SignedInDep, network: NetworkDep) -> None:
    """Remove a user and revoke every session and token they hold."""
    if user_id == signed.user.id:
        raise ApiError(422, "you cannot remove yourself", "invalid_request")
    if not network.accounts.remove_user(user_id):
        raise ApiError(404, "no user with that id")
    network.audit(signed.user.id, "account.removed", user=str(user_id))
