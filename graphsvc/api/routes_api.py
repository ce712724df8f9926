"""JSON routes for programs."""

from fastapi import APIRouter
from pydantic import BaseModel

from graphsvc.api.deps import MembershipSummaryDep, StoreDep

router = APIRouter(prefix="/api", tags=["api"])


class HealthPublic(BaseModel):
    status: str
    graph_version: int


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
def read_health(store: StoreDep) -> HealthPublic:
    return HealthPublic(status="ok", graph_version=store.version())


@router.get("/stats")
def read_stats(store: StoreDep) -> StatsPublic:
    counts = store.counts()
    return StatsPublic(
        nodes=counts.nodes, relationships=counts.relationships, graph_version=counts.version
    )


@router.get("/membership")
def read_membership(summary: MembershipSummaryDep) -> MembershipPublic:
    """Members by region or nation and by sector (aggregates; nobody is named)."""
    return MembershipPublic(
        members=summary.members,
        by_region=[CountPublic(name=n, members=c) for n, c in summary.by_region],
        by_sector=[CountPublic(name=n, members=c) for n, c in summary.by_sector],
    )
