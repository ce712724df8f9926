"""Health, and the network in aggregate: counts and shares, nobody named, and
no count so small it singles people out ("fewer than N", except to admins)."""

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability
from graphsvc.analysis.membership import MembershipSummary
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
from graphsvc.api.errors import error_response
from graphsvc.api.present import Presenter, count_for
from graphsvc.api.schemas import (
    ConstellationSummary,
    ErrorBody,
    FreshnessPublic,
    PeopleCount,
    SharePublic,
)
from graphsvc.errors import StoreUnavailableError

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
    members: PeopleCount


class MembershipPublic(BaseModel):
    members: PeopleCount
    by_region: list[CountPublic]
    by_sector: list[CountPublic]

    @classmethod
    def of(cls, summary: MembershipSummary, viewer: Viewer) -> "MembershipPublic":
        """The membership's counts as the viewer may see them (the API and the home page)."""
        return cls(
            members=count_for(viewer, summary.members),
            by_region=[
                CountPublic(name=n, members=count_for(viewer, c)) for n, c in summary.by_region
            ],
            by_sector=[
                CountPublic(name=n, members=count_for(viewer, c)) for n, c in summary.by_sector
            ],
        )


@router.get("/health", response_model=HealthPublic, responses={503: {"model": ErrorBody}})
def read_health(network: NetworkDep) -> Response | HealthPublic:
    """Whether the service, its store and its accounts file answer, and how fresh
    the analysis is (no sign-in needed). A 503 names each part and whether it is
    down, in ``details``."""
    parts: dict[str, str | None] = {"store": None, "accounts": None}
    try:
        freshness = network.freshness()
    except StoreUnavailableError as exc:
        parts["store"] = str(exc)
    try:
        network.accounts.count_import_reports()
    except (sqlite3.Error, OSError):
        parts["accounts"] = "the accounts file cannot be read; check GRAPHSVC_ACCOUNTS and the disk"
    if down := [name for name, problem in parts.items() if problem]:
        return error_response(
            503,
            "; ".join(f"{name}: {parts[name]}" for name in down),
            f"{down[0]}_unavailable",
            details=[{"loc": [name], "msg": problem or "ok"} for name, problem in parts.items()],
            headers={"Retry-After": "5"},
        )
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
    return MembershipPublic.of(summary, viewer)


class AnalysisFiguresPublic(BaseModel):
    """The analysis in aggregate: counts and shares, nobody named or identified.

    Per-person results (members of constellations, brokers, introductions)
    are served only to signed-in roles that may see them.
    """

    graph_version: int | None
    people: PeopleCount
    ties: int
    modularity: float
    constellations: list[ConstellationSummary]
    isolated: PeopleCount
    peripheral: PeopleCount
    potential_constellations: int
    cut_points: PeopleCount
    bridge_ties: int
    held_together: PeopleCount
    regions: list[SharePublic]
    nations: list[SharePublic]
    sectors: list[SharePublic]
    regions_without_cells: list[str]
    not_in_the_room: PeopleCount
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
        lambda: _figures(analysis, Presenter(current.view, viewer)),
        fresh={"freshness": FreshnessPublic.of(current.freshness)},
    )


def _figures(analysis: Analysis, presenter: Presenter) -> AnalysisFiguresPublic:
    found, bridges, gaps = analysis.constellations, analysis.bridges, analysis.gaps
    count = presenter.count
    return AnalysisFiguresPublic(
        graph_version=analysis.graph_version,
        people=count(analysis.people),
        ties=analysis.ties,
        modularity=found.modularity,
        constellations=[
            ConstellationSummary(
                id=c.id, size=count(c.size), density=c.density, cohesion=c.cohesion, label=c.label
            )
            for c in found.constellations
        ],
        isolated=count(sum(s.status == "isolated" for s in found.single_points)),
        peripheral=count(sum(s.status == "peripheral" for s in found.single_points)),
        potential_constellations=len(found.potential),
        cut_points=count(len(bridges.cut_points)),
        bridge_ties=len(bridges.bridge_ties),
        held_together=count(len(bridges.held_together)),
        regions=presenter.shares(gaps.regions),
        nations=presenter.shares(gaps.nations),
        sectors=presenter.shares(gaps.sectors),
        regions_without_cells=gaps.regions_without_cells,
        not_in_the_room=count(len(gaps.not_in_the_room)),
        introductions_suggested=len(analysis.introductions),
    )
