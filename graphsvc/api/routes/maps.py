"""Network maps as data for the pages' map script, and the scripts they need.

Every map is made for the viewer: people they may not name are not on it,
nor are their ties (visualisations/network_map.py).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel

from graphsvc.access.policy import Capability
from graphsvc.analysis.pipeline import Analysis
from graphsvc.api.cached import cached_json
from graphsvc.api.deps import AnalysisDep, GenerationDep, ViewDep, ViewerDep
from graphsvc.api.errors import not_found
from graphsvc.api.introductions import introductions_for
from graphsvc.api.lists import by_name
from graphsvc.api.present import Presenter
from graphsvc.api.tables import FormatQuery, TableFormat, person_columns, table_response
from visualisations.assets import asset_path
from visualisations.network_map import ColourBy, ego_map, network_map

router = APIRouter(tags=["maps"])
Filter = Annotated[str | None, Query(max_length=200)]


class MapPublic(BaseModel):
    """Nodes and ties as vis-network draws them, positions included."""

    kind: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[dict[str, str]]  # label, kind (how its sample is drawn), colour
    colour_by: str
    people: int
    not_shown: int
    notes: list[str]


@router.get("/api/map", response_model=MapPublic)
def read_map(
    request: Request,
    viewer: ViewerDep,
    view: ViewDep,
    generation: GenerationDep,
    analysis: AnalysisDep,
    colour_by: ColourBy = "constellation",
    q: Filter = None,
    interest: Filter = None,
    region: Filter = None,
    sector: Filter = None,
    cell: Filter = None,
    constellation: Filter = None,
    fmt: FormatQuery = None,
) -> Response:
    """The network map of everyone the viewer may see, or those matching the filters.

    Past 5,000 people it is an overview with one bubble per constellation.
    ``format=csv`` or ``xlsx`` gives the people it is of as a file.
    """
    presenter = Presenter(view, viewer)
    membership = analysis.constellations.membership

    def chosen() -> list[str]:
        found = view.find_people(q, interest=interest, region=region, sector=sector, cell=cell)
        ids = [p.id for p in found]
        if constellation is not None:
            ids = [p for p in ids if membership.get(p) == constellation]
        return ids

    if fmt is not None:
        return _people_file(presenter, analysis, chosen(), fmt, "people-on-the-map")

    def build() -> MapPublic:
        ids = chosen()
        where = generation.positions()
        drawn = network_map(
            analysis, ids, where, presenter.may_name, colour_by, you=viewer.person_id
        )
        return MapPublic(**drawn.to_json())

    return cached_json(request, view, viewer, build)


@router.get("/api/people/{person_id}/map", response_model=MapPublic, responses={404: {}})
def read_person_map(
    request: Request,
    person_id: str,
    viewer: ViewerDep,
    view: ViewDep,
    generation: GenerationDep,
    analysis: AnalysisDep,
    fmt: FormatQuery = None,
) -> Response:
    """A person's network two steps out, through people the viewer may name; their
    suggested introductions dashed, shown to themselves, connectors and admins.
    ``format=csv`` or ``xlsx`` gives the people on it as a file."""
    presenter = Presenter.about(view, viewer, person_id)

    def drawn() -> MapPublic:
        suggested: list[tuple[str, str]] = []
        if person_id == viewer.person_id or viewer.can(Capability.ANY_INTRODUCTIONS):
            found = introductions_for(presenter, analysis, generation, 10, for_person=person_id)
            suggested = [(i.a.id, i.b.id) for i in found]
        where = generation.positions()
        drawn = ego_map(
            analysis, person_id, where, presenter.may_name, suggested, you=viewer.person_id
        )
        return MapPublic(**drawn.to_json())

    if fmt is not None:
        people = [n["id"] for n in drawn().nodes if str(n["id"]).startswith("person:")]
        return _people_file(presenter, analysis, people, fmt, "my-network")
    return cached_json(request, view, viewer, drawn)


def _people_file(
    presenter: Presenter, analysis: Analysis, people: list[str], fmt: TableFormat, name: str
) -> Response:
    """The people of a map the viewer may name, by name, with their constellation."""
    membership = analysis.constellations.membership
    labels = {c.id: c.label for c in analysis.constellations.constellations}
    rows = [
        {**person_columns("", card), "constellation": labels.get(membership.get(card.id, ""))}
        for card in presenter.people(sorted(people, key=lambda p: by_name(presenter.view, p)))
    ]
    return table_response(rows, fmt, name)


@router.get("/assets/{name}", include_in_schema=False)
def read_asset(name: str) -> FileResponse:
    """The map and chart scripts, served here so pages work offline."""
    path = asset_path(name)
    if path is None:
        raise not_found("file")
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(path, media_type=media, headers={"cache-control": "public, max-age=3600"})
