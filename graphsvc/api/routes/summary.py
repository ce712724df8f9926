"""Health, and the network in aggregate: counts and shares, nobody named."""

from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability
from graphsvc.analysis.gaps import Share
from graphsvc.analysis.pipeline import Analysis
from graphsvc.api.cached import cached_json
from graphsvc.api.deps import (
    AnalysisDep,
    CurrentDep,
    MembershipSummaryDep,
    NetworkDep,
    StoreDep,
    ViewerDep,
    require,
)
from graphsvc.api.schemas import ConstellationSummary, FreshnessPublic

router = APIRouter(prefix="/api", tags=["summary"])


class HealthPublic(BaseModel):
    status: str
    graph_version: int
    analysis: FreshnessPublic


class StatsPublic(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]
    graph_version: int


class CountPublic(BaseModel):
    name: str
    members: int


class MembershipPublic(BaseModel):
    members: int
    by_region: list[CountPublic]
    by_sector: list[CountPublic]


@router.get("/health")
def read_health(network: NetworkDep) -> HealthPublic:
    """Whether the service and its store answer, and how fresh the analysis is
    (no sign-in needed)."""
    freshness = network.freshness()
    return HealthPublic(
        status="ok",
        graph_version=freshness.graph_version,
        analysis=FreshnessPublic.of(freshness),
    )


@router.get("/freshness")
def read_freshness(viewer: ViewerDep, current: CurrentDep) -> FreshnessPublic:
    """How up to date the analysis answers are (the pages show it)."""
    return FreshnessPublic.of(current.freshness)


@router.get("/stats")
def read_stats(viewer: ViewerDep, store: StoreDep) -> StatsPublic:
    counts = store.counts()
    return StatsPublic(
        nodes=counts.nodes, relationships=counts.relationships, graph_version=counts.version
    )


@router.get("/membership")
def read_membership(viewer: ViewerDep, summary: MembershipSummaryDep) -> MembershipPublic:
    """Members by region or nation and by sector (aggregates; nobody is named)."""
    return MembershipPublic(
        members=summary.members,
        by_region=[CountPublic(name=n, members=c) for n, c in summary.by_region],
        by_sector=[CountPublic(name=n, members=c) for n, c in summary.by_sector],
    )


class AnalysisFiguresPublic(BaseModel):
    """The analysis in aggregate: counts and shares, nobody named or identified.

    Per-person results (members of constellations, brokers, introductions)
    are served only to signed-in roles that may see them.
    """

    graph_version: int | None
    people: int
    ties: int
    modularity: float
    constellations: list[ConstellationSummary]
    isolated: int
    peripheral: int
    potential_constellations: int
    cut_points: int
    bridge_ties: int
    held_together: int
    regions: list[Share]
    nations: list[Share]
    sectors: list[Share]
    regions_without_cells: list[str]
    not_in_the_room: int
    introductions_suggested: int


class AnalysisSummaryPublic(AnalysisFiguresPublic):
    """The analysis in aggregate, and how fresh it is."""

    freshness: FreshnessPublic


@router.get("/analysis", response_model=AnalysisSummaryPublic)
def read_analysis(
    request: Request,
    viewer: Annotated[Viewer, require(Capability.ANALYSIS)],
    current: CurrentDep,
    analysis: AnalysisDep,
) -> Response:
    """Constellations, bridges and gaps in aggregate (kept per graph version), and
    how fresh they are (as of this request)."""
    return cached_json(
        request,
        current.view,
        viewer,
        lambda: _figures(analysis),
        fresh={"freshness": FreshnessPublic.of(current.freshness)},
    )


def _figures(analysis: Analysis) -> AnalysisFiguresPublic:
    found, bridges, gaps = analysis.constellations, analysis.bridges, analysis.gaps
    return AnalysisFiguresPublic(
        graph_version=analysis.graph_version,
        people=analysis.people,
        ties=analysis.ties,
        modularity=found.modularity,
        constellations=[
            ConstellationSummary(
                id=c.id, size=c.size, density=c.density, cohesion=c.cohesion, label=c.label
            )
            for c in found.constellations
        ],
        isolated=sum(s.status == "isolated" for s in found.single_points),
        peripheral=sum(s.status == "peripheral" for s in found.single_points),
        potential_constellations=len(found.potential),
        cut_points=len(bridges.cut_points),
        bridge_ties=len(bridges.bridge_ties),
        held_together=len(bridges.held_together),
        regions=gaps.regions,
        nations=gaps.nations,
        sectors=gaps.sectors,
        regions_without_cells=gaps.regions_without_cells,
        not_in_the_room=len(gaps.not_in_the_room),
        introductions_suggested=len(analysis.introductions),
    )
