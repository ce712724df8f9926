"""Organisations, places, cells and events: counts for everyone signed in,
their people as each viewer may see them."""

from typing import Annotated

from fastapi import APIRouter, Query

from graphsvc.api.deps import ViewDep, ViewerDep
from graphsvc.api.errors import not_found
from graphsvc.api.paging import PagingDep, page_of
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import (
    CellPublic,
    CellSummary,
    EventPublic,
    EventSummary,
    OrganisationPublic,
    OrganisationSummary,
    Page,
    PlaceSummary,
)
from graphsvc.model.text import fold_text
from graphsvc.service import NetworkView

router = APIRouter(prefix="/api", tags=["network"])
NameFilter = Annotated[str | None, Query(max_length=200, description="Words of the name.")]


def _named(view: NetworkView, kind: str, q: str | None) -> list[str]:
    words = fold_text(q).split() if q else []
    return [n for n in view.nodes_of_kind(kind) if all(w in fold_text(view.name(n)) for w in words)]


def _require(view: NetworkView, node_id: str, kind: str, what: str) -> None:
    if view.kind(node_id) != kind:
        raise not_found(what)


def _organisation(view: NetworkView, org: str) -> OrganisationSummary:
    return OrganisationSummary(
        id=org,
        name=view.name(org),
        sector=view.prop(org, "sector"),
        members=len(view.profile.organisations.get(org, [])),
    )


def _cell(view: NetworkView, cell: str) -> CellSummary:
    return CellSummary(
        id=cell,
        name=view.name(cell),
        category=view.prop(cell, "category"),
        region=view.profile.cell_regions.get(cell),
        members=len(view.profile.cells.get(cell, [])),
    )


def _event(view: NetworkView, event: str) -> EventSummary:
    return EventSummary(
        id=event,
        name=view.name(event),
        date=view.prop(event, "date"),
        category=view.prop(event, "category"),
        attendees=len(view.profile.events.get(event, [])),
    )


@router.get("/organisations")
def read_organisations(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[OrganisationSummary]:
    return page_of([_organisation(view, o) for o in _named(view, "Organisation", q)], paging)


@router.get("/organisations/{org_id}", responses={404: {}})
def read_organisation(org_id: str, viewer: ViewerDep, view: ViewDep) -> OrganisationPublic:
    _require(view, org_id, "Organisation", "organisation")
    people = sorted(view.profile.organisations.get(org_id, []), key=view.name)
    return OrganisationPublic(
        **_organisation(view, org_id).model_dump(), people=Presenter(view, viewer).people(people)
    )


@router.get("/places")
def read_places(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[PlaceSummary]:
    """Places, with how many members are based in each."""
    return page_of(
        [
            PlaceSummary(
                id=place,
                name=view.name(place),
                level=view.prop(place, "level"),
                region=view.region_of_place.get(place),
                members=len(view.people_by_place.get(place, [])),
            )
            for place in _named(view, "Place", q)
        ],
        paging,
    )


@router.get("/cells")
def read_cells(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[CellSummary]:
    return page_of([_cell(view, c) for c in _named(view, "Cell", q)], paging)


@router.get("/cells/{cell_id}", responses={404: {}})
def read_cell(cell_id: str, viewer: ViewerDep, view: ViewDep) -> CellPublic:
    _require(view, cell_id, "Cell", "cell")
    people = sorted(view.profile.cells.get(cell_id, []), key=view.name)
    events = view.linked(cell_id, "HELD_BY", incoming=True)
    return CellPublic(
        **_cell(view, cell_id).model_dump(),
        people=Presenter(view, viewer).people(people),
        events=[_event(view, e) for e in events],
    )


@router.get("/events")
def read_events(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[EventSummary]:
    events = sorted(
        _named(view, "Event", q), key=lambda e: (str(view.prop(e, "date") or ""), e), reverse=True
    )
    return page_of([_event(view, e) for e in events], paging)


@router.get("/events/{event_id}", responses={404: {}})
def read_event(event_id: str, viewer: ViewerDep, view: ViewDep) -> EventPublic:
    _require(view, event_id, "Event", "event")
    presenter = Presenter(view, viewer)
    people = sorted(view.profile.events.get(event_id, []), key=view.name)
    cells = view.linked(event_id, "HELD_BY")
    return EventPublic(
        **_event(view, event_id).model_dump(),
        cell=presenter.ref(cells[0]) if cells else None,
        people=presenter.people(people),
    )
