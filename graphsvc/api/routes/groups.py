"""Organisations, places, cells and events: counts for everyone signed in
("fewer than N" where so few would single people out, except to admins), their
people as each viewer may see them."""

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


def _organisation(presenter: Presenter, org: str) -> OrganisationSummary:
    view = presenter.view
    return OrganisationSummary(
        id=org,
        name=view.name(org),
        sector=view.prop(org, "sector"),
        members=presenter.count(len(view.profile.organisations.get(org, []))),
    )


def _cell(presenter: Presenter, cell: str) -> CellSummary:
    view = presenter.view
    return CellSummary(
        id=cell,
        name=view.name(cell),
        category=view.prop(cell, "category"),
        region=view.profile.cell_regions.get(cell),
        members=presenter.count(len(view.profile.cells.get(cell, []))),
    )


def _event(presenter: Presenter, event: str) -> EventSummary:
    view = presenter.view
    return EventSummary(
        id=event,
        name=view.name(event),
        date=view.prop(event, "date"),
        category=view.prop(event, "category"),
        attendees=presenter.count(len(view.profile.events.get(event, []))),
    )


@router.get("/organisations")
def read_organisations(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[OrganisationSummary]:
    presenter = Presenter(view, viewer)
    return page_of([_organisation(presenter, o) for o in _named(view, "Organisation", q)], paging)


@router.get("/organisations/{org_id}", responses={404: {}})
def read_organisation(org_id: str, viewer: ViewerDep, view: ViewDep) -> OrganisationPublic:
    _require(view, org_id, "Organisation", "organisation")
    presenter = Presenter(view, viewer)
    people = sorted(view.profile.organisations.get(org_id, []), key=view.name)
    return OrganisationPublic(
        **_organisation(presenter, org_id).model_dump(), people=presenter.people(people)
    )


@router.get("/places")
def read_places(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[PlaceSummary]:
    """Places, with how many members are based in each."""
    presenter = Presenter(view, viewer)
    return page_of(
        [
            PlaceSummary(
                id=place,
                name=view.name(place),
                level=view.prop(place, "level"),
                region=view.region_of_place.get(place),
                members=presenter.count(len(view.people_by_place.get(place, []))),
            )
            for place in _named(view, "Place", q)
        ],
        paging,
    )


@router.get("/cells")
def read_cells(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[CellSummary]:
    presenter = Presenter(view, viewer)
    return page_of([_cell(presenter, c) for c in _named(view, "Cell", q)], paging)


@router.get("/cells/{cell_id}", responses={404: {}})
def read_cell(cell_id: str, viewer: ViewerDep, view: ViewDep) -> CellPublic:
    _require(view, cell_id, "Cell", "cell")
    presenter = Presenter(view, viewer)
    people = sorted(view.profile.cells.get(cell_id, []), key=view.name)
    events = view.linked(cell_id, "HELD_BY", incoming=True)
    return CellPublic(
        **_cell(presenter, cell_id).model_dump(),
        people=presenter.people(people),
        events=[_event(presenter, e) for e in events],
    )


@router.get("/events")
def read_events(
    viewer: ViewerDep, view: ViewDep, paging: PagingDep, q: NameFilter = None
) -> Page[EventSummary]:
    events = sorted(
        _named(view, "Event", q), key=lambda e: (str(view.prop(e, "date") or ""), e), reverse=True
    )
    presenter = Presenter(view, viewer)
    return page_of([_event(presenter, e) for e in events], paging)


@router.get("/events/{event_id}", responses={404: {}})
def read_event(event_id: str, viewer: ViewerDep, view: ViewDep) -> EventPublic:
    _require(view, event_id, "Event", "event")
    presenter = Presenter(view, viewer)
    people = sorted(view.profile.events.get(event_id, []), key=view.name)
    cells = view.linked(event_id, "HELD_BY")
    return EventPublic(
        **_event(presenter, event_id).model_dump(),
        cell=presenter.ref(cells[0]) if cells else None,
        people=presenter.people(people),
    )
