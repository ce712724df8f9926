"""Request dependencies."""

from typing import Annotated

from fastapi import Depends, Request

from graphsvc.analysis import MembershipSummary, summarise_membership
from graphsvc.analysis.pipeline import Analysis, AnalysisCache
from graphsvc.store import GraphStore


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def get_membership_summary(request: Request, store: StoreDep) -> MembershipSummary:
    """The membership summary, computed once per graph version."""
    version = store.version()
    cached = request.app.state.summary_cache
    if cached is None or cached[0] != version:
        cached = (version, summarise_membership(store.network()))
        request.app.state.summary_cache = cached
    summary: MembershipSummary = cached[1]
    return summary


MembershipSummaryDep = Annotated[MembershipSummary, Depends(get_membership_summary)]


def get_analysis(request: Request, store: StoreDep) -> Analysis:
    """The full analysis, computed once per graph version."""
    cache: AnalysisCache = request.app.state.analysis_cache
    return cache.get(store.version(), store.network)


AnalysisDep = Annotated[Analysis, Depends(get_analysis)]
