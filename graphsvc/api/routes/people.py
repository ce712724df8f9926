"""People: search, one person, their neighbourhood, their introductions, their
data export and erasure."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import AfterValidator

from graphsvc.access.policy import Capability
from graphsvc.api.deps import (
    AnalysisDep,
    GenerationDep,
    NetworkDep,
    SignedInDep,
    StoreDep,
    ViewDep,
    ViewerDep,
    require,
)
from graphsvc.api.errors import ApiError, error_response, not_found
from graphsvc.api.introductions import introductions_for
from graphsvc.api.paging import PagingDep, page_of
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import (
    IntroductionPublic,
    NeighbourhoodPublic,
    NodePublic,
    Page,
    PersonExport,
    PersonPublic,
    PersonSummary,
    TiePublic,
)
from graphsvc.model.text import storable

router = APIRouter(prefix="/api/people", tags=["people"])

MAX_NEIGHBOURHOOD = 2000


def _storable(person_id: str) -> str:
    # Looked up in the database, which cannot take these: a 422, not a failure there.
    if not storable(person_id):
        raise ValueError("a person id holds no NUL or broken character")
    return person_id


PersonId = Annotated[str, AfterValidator(_storable), "a person id, like person:0000042"]
Filter = Annotated[str | None, Query(max_length=200)]


@router.get("")
def read_people(
    viewer: ViewerDep,
    view: ViewDep,
    paging: PagingDep,
    q: Annotated[str | None, Query(max_length=200, description="Words of a name.")] = None,
    interest: Filter = None,
    place: Filter = None,
    region: Filter = None,
    sector: Filter = None,
    cell: Filter = None,
    organisation: Filter = None,
) -> Page[PersonSummary]:
    """People the viewer may see, by name and filters (each an id or a name)."""
    found = view.find_people(
        q,
        interest=interest,
        place=place,
        region=region,
        sector=sector,
        cell=cell,
        organisation=organisation,
    )
    return page_of(Presenter(view, viewer).people(p.id for p in found), paging)


@router.get("/{person_id}", response_model=PersonPublic, responses={404: {}, 409: {}})
def read_person(
    person_id: PersonId,
    signed: SignedInDep,
    view: ViewDep,
    store: StoreDep,
    analysis: AnalysisDep,
    network: NetworkDep,
) -> PersonPublic | JSONResponse:
    """One person as the viewer may see them; email and phone only to themselves and
    admins (an admin's look at someone else's is recorded in the audit log).

    A record merged into another answers 409, its ``error.details`` holding
    ``merged_into`` (and ``Location``), to whoever may see the one kept."""
    viewer = signed.viewer
    stored = store.person(person_id)
    kept = network.merged_into(person_id) if stored is None else None
    if kept and Presenter(view, viewer).may_name(kept):
        return error_response(
            409,
            f"that record was merged into {kept}",
            "merged",
            [{"merged_into": kept}],
            {"location": f"/api/people/{kept}"},
        )
    presenter = Presenter.about(view, viewer, person_id)
    person = presenter.person(person_id, stored, analysis.constellations.membership.get(person_id))
    if person is None:
        raise not_found("person")
    if (person.email or person.phone) and viewer.person_id != person_id:
        network.audit(signed.user.id, "contact.viewed", person_id)
    return person


@router.get("/{person_id}/neighbourhood", responses={404: {}})
def read_neighbourhood(
    person_id: PersonId,
    viewer: ViewerDep,
    view: ViewDep,
    depth: Annotated[int, Query(ge=1, le=2)] = 1,
) -> NeighbourhoodPublic:
    """Everything within one or two steps of a person; people the viewer may not
    name, their ties, and what is reached only through them, are left out."""
    presenter = Presenter.about(view, viewer, person_id)
    reached, ties = view.neighbourhood(person_id, depth, presenter.may_reach)
    shown = sorted(reached)
    truncated = len(shown) > MAX_NEIGHBOURHOOD
    if truncated:
        # The person and the nodes nearest in id order; enough for a first look.
        shown = [person_id, *[n for n in shown if n != person_id][: MAX_NEIGHBOURHOOD - 1]]
    kept = set(shown)
    return NeighbourhoodPublic(
        person=person_id,
        depth=depth,
        nodes=[NodePublic(id=n, kind=view.kind(n) or "", name=view.name(n)) for n in shown],
        ties=[TiePublic(start=a, type=t, end=b) for a, t, b in ties if a in kept and b in kept],
        truncated=truncated,
    )


@router.get("/{person_id}/introductions", responses={403: {}, 404: {}})
def read_person_introductions(
    person_id: PersonId,
    viewer: ViewerDep,
    view: ViewDep,
    analysis: AnalysisDep,
    generation: GenerationDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[IntroductionPublic]:
    """Who this person might be introduced to, why, and through whom.

    Members see their own; connectors and admins anyone's.
    """
    if person_id != viewer.person_id and not viewer.can(Capability.ANY_INTRODUCTIONS):
        raise ApiError(403, "members see only their own introductions", "forbidden")
    presenter = Presenter.about(view, viewer, person_id)
    return introductions_for(presenter, analysis, generation, limit, for_person=person_id)


@router.get("/{person_id}/export", responses={403: {}, 404: {}})
def read_person_export(
    person_id: PersonId, signed: SignedInDep, network: NetworkDep
) -> PersonExport:
    """Everything held about a person, for their access request: admins, or the person."""
    viewer = signed.viewer
    if not (viewer.can(Capability.ADMINISTER) or viewer.person_id == person_id):
        raise ApiError(403, "only admins and the person themselves may export it", "forbidden")
    held = network.export_person(person_id, actor_user_id=signed.user.id)
    if held is None:
        raise not_found("person")
    return PersonExport(**held)


@router.delete(
    "/{person_id}",
    status_code=204,
    responses={403: {}, 404: {}},
    dependencies=[require(Capability.ADMINISTER)],
)
def delete_person(person_id: PersonId, signed: SignedInDep, network: NetworkDep) -> None:
    """Erase a person: from the store and its files, the cached views and analysis,
    import reports, the audit log, and any user account linked to them."""
    if kept := network.merged_into(person_id):
        raise ApiError(409, f"that record was merged into {kept}: erase that one", "merged")
    if not network.erase_person(person_id, actor_user_id=signed.user.id):
        raise not_found("person")
