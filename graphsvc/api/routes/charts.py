"""Charts for convenors: representation (overall and per cell) and growth over time.

Each chart is a plotly figure as JSON, drawn in the page by the plotly.js
this service serves. They are aggregates: counts by region, sector and
month, no one named; a small count is "fewer than N" to all but admins, its
share not drawn (graphsvc.api.present).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from graphsvc.analysis.gaps import MIN_GROUP_SIZE, representation
from graphsvc.analysis.pipeline import Analysis
from graphsvc.api.cached import cached_json
from graphsvc.api.deps import AnalysisDep, AnalysisViewer, ViewDep
from graphsvc.api.errors import ApiError, not_found
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import PeopleCount
from visualisations.growth import growth_chart
from visualisations.plotting import figure_json
from visualisations.representation import region_map, share_bars

router = APIRouter(prefix="/api", tags=["charts"])


class RepresentationChartsPublic(BaseModel):
    """The map and bars of one group's representation, as plotly figures."""

    group: str  # "the whole network" or the cell's name
    members: PeopleCount
    confidence: float
    charts: dict[str, dict[str, Any]]  # regions_map, regions, sectors


class ChartPublic(BaseModel):
    chart: dict[str, Any]


def _group(presenter: Presenter, analysis: Analysis, cell: str | None) -> tuple[str, list[str]]:
    """The group's name and its members (everyone, or one cell's members)."""
    view = presenter.view
    G = analysis.collaboration
    assert G is not None and analysis.profile is not None
    if cell is None:
        return "the whole network", list(G.nodes)
    if view.kind(cell) != "Cell":
        raise not_found("cell")
    members = [p for p in analysis.profile.cells.get(cell, []) if p in G]
    if len(members) < MIN_GROUP_SIZE:
        raise ApiError(
            422,
            f"this cell has {presenter.count(len(members))} members;"
            f" a mix is judged from {MIN_GROUP_SIZE} up",
            "too_small",
        )
    return view.name(cell), members


@router.get("/gaps/charts", response_model=RepresentationChartsPublic, responses={404: {}, 422: {}})
def read_representation_charts(
    request: Request,
    viewer: AnalysisViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    cell: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Regions and nations on a UK map and as bars, and sectors against the target
    mix, each share with its confidence interval; for the network or one cell."""
    presenter = Presenter(view, viewer)
    name, members = _group(presenter, analysis, cell)
    gaps = analysis.gaps
    G = analysis.collaboration
    assert G is not None

    def build() -> RepresentationChartsPublic:
        mix = representation(G, members, gaps.sector_target, gaps.confidence)
        members_shown = presenter.count(mix.members)
        regions, sectors = presenter.shares(mix.regions), presenter.shares(mix.sectors)
        of = f"{name} ({members_shown} members)"
        return RepresentationChartsPublic(
            group=name,
            members=members_shown,
            confidence=gaps.confidence,
            charts={
                "regions_map": figure_json(
                    region_map(regions, f"Regions and nations: {of}", gaps.confidence)
                ),
                "regions": figure_json(
                    share_bars(
                        regions, f"Regions and nations: {of}", "UK population", gaps.confidence
                    )
                ),
                "sectors": figure_json(
                    share_bars(sectors, f"Sectors: {of}", "target mix", gaps.confidence)
                ),
            },
        )

    return cached_json(request, view, viewer, build)


@router.get("/growth", response_model=ChartPublic)
def read_growth(
    request: Request, viewer: AnalysisViewer, view: ViewDep, analysis: AnalysisDep
) -> Response:
    """Members and ties by month, and constellations as they formed."""
    return cached_json(
        request, view, viewer, lambda: ChartPublic(chart=figure_json(growth_chart(analysis.growth)))
    )
