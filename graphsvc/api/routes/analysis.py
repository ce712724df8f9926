"""Constellations, bridges, gaps and introductions, as each role may see them."""

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Query, Request, Response

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability
from graphsvc.analysis.constellations import Constellation
from graphsvc.api.cached import cached_json
from graphsvc.api.deps import (
    AnalysisDep,
    AnalysisViewer,
    GenerationDep,
    NetworkDep,
    SignedInDep,
    ViewDep,
    ViewerDep,
    require,
)
from graphsvc.api.errors import ApiError, not_found
from graphsvc.api.introductions import introductions_for, present_introductions
from graphsvc.api.paging import Paging, PagingDep, page_built, page_of
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import (
    BridgesPublic,
    BridgeTiePublic,
    BrokerPublic,
    ConstellationPublic,
    ConstellationsPublic,
    ConstellationSummary,
    GapsPublic,
    GroupGapsPublic,
    HeldTogetherPublic,
    IntroductionOutcome,
    IntroductionPublic,
    IntroductionRecorded,
    NotInTheRoomPublic,
    Page,
    PersonSummary,
    PotentialConstellationPublic,
    SinglePointPublic,
)
from graphsvc.model import IntroductionStatus

router = APIRouter(prefix="/api", tags=["analysis"])
MAX_LISTED = 12  # members listed per potential constellation (all: filter people by both)

BridgesViewer = Annotated[Viewer, require(Capability.BRIDGES)]
IntroductionsViewer = Annotated[Viewer, require(Capability.ANY_INTRODUCTIONS)]


def _summary(presenter: Presenter, c: Constellation) -> ConstellationSummary:
    return ConstellationSummary(
        id=c.id,
        size=presenter.count(c.size),
        density=c.density,
        cohesion=c.cohesion,
        label=c.label,
        themes=c.themes,
        regions=c.regions,
        sectors=c.sectors,
    )


def _visible_constellations(viewer: Viewer, analysis: AnalysisDep) -> list[Constellation]:
    """All of them for convenors and admins; for others, the ones they belong to."""
    found = analysis.constellations.constellations
    if viewer.can(Capability.ANALYSIS):
        return found
    own = analysis.constellations.membership.get(viewer.person_id or "")
    return [c for c in found if c.id == own]


@router.get("/constellations", response_model=ConstellationsPublic)
def read_constellations(
    request: Request, viewer: ViewerDep, view: ViewDep, analysis: AnalysisDep
) -> Response:
    """Constellations (communities) with their labels; members see only their own."""
    found = analysis.constellations
    presenter = Presenter(view, viewer)
    return cached_json(
        request,
        view,
        viewer,
        lambda: ConstellationsPublic(
            modularity=found.modularity,
            constellations=[
                _summary(presenter, c) for c in _visible_constellations(viewer, analysis)
            ],
            isolated=presenter.count(sum(s.status == "isolated" for s in found.single_points)),
            peripheral=presenter.count(sum(s.status == "peripheral" for s in found.single_points)),
        ),
    )


@router.get("/constellations/{constellation_id}", responses={404: {}})
def read_constellation(
    constellation_id: str, viewer: ViewerDep, view: ViewDep, analysis: AnalysisDep
) -> ConstellationPublic:
    """One constellation and the members the viewer may see."""
    for c in _visible_constellations(viewer, analysis):
        if c.id == constellation_id:
            members = sorted(c.members, key=lambda p: (view.name(p), p))
            presenter = Presenter(view, viewer)
            return ConstellationPublic(
                **_summary(presenter, c).model_dump(), members=presenter.people(members)
            )
    raise not_found("constellation")


class _AboutAPerson(Protocol):
    person: Any


def _nameable_page[S: _AboutAPerson, T](
    presenter: Presenter,
    items: Sequence[S],
    paging: Paging,
    build: Callable[[S, PersonSummary], T],
) -> Page[T]:
    """A page of the findings about people the viewer may name, built only for the page."""
    shown = [item for item in items if presenter.may_name(item.person)]
    return page_built(shown, paging, lambda item: build(item, presenter.card(item.person)))


@router.get("/single-points", response_model=Page[SinglePointPublic])
def read_single_points(
    request: Request,
    viewer: AnalysisViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    paging: PagingDep,
) -> Response:
    """Single points of light: members with no ties, or only weak ones."""
    presenter = Presenter(view, viewer)
    return cached_json(
        request,
        view,
        viewer,
        lambda: _nameable_page(
            presenter,
            analysis.constellations.single_points,
            paging,
            lambda s, card: SinglePointPublic(
                person=card,
                ties=s.ties,
                status=s.status,
                would_join=s.would_join,
                constellation=s.constellation,
            ),
        ),
    )


@router.get("/potential-constellations", response_model=Page[PotentialConstellationPublic])
def read_potential_constellations(
    request: Request,
    viewer: AnalysisViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    paging: PagingDep,
) -> Response:
    """Members who share an interest and a region but are not yet connected."""
    presenter = Presenter(view, viewer)

    def build() -> Page[PotentialConstellationPublic]:
        groups = []
        for group in analysis.constellations.potential:
            members = [m for m in group.members if presenter.may_name(m)]
            if len(members) >= 2:
                groups.append((group, sorted(members, key=lambda m: (view.name(m), m))))
        return page_built(
            groups,
            paging,
            lambda found: PotentialConstellationPublic(
                theme=found[0].theme,
                region=found[0].region,
                size=len(found[1]),
                members=presenter.people(found[1][:MAX_LISTED]),
            ),
        )

    return cached_json(request, view, viewer, build)


@router.get("/bridges", response_model=BridgesPublic)
def read_bridges(
    request: Request, viewer: BridgesViewer, view: ViewDep, analysis: AnalysisDep
) -> Response:
    """Brokers, cut-points and the ties whose loss would split the network."""
    return cached_json(request, view, viewer, lambda: _bridges(Presenter(view, viewer), analysis))


def _bridges(presenter: Presenter, analysis: AnalysisDep) -> BridgesPublic:
    bridges = analysis.bridges
    brokers = [
        BrokerPublic(
            person=card,
            betweenness=b.betweenness,
            constraint=b.constraint,
            effective_size=b.effective_size,
            sector_roles=b.sector_roles,
            region_roles=b.region_roles,
        )
        for b in bridges.brokers
        if (card := presenter.summary(b.person)) is not None
    ]
    ties = [
        BridgeTiePublic(a=pair[0], b=pair[1], pendant=t.pendant)
        for t in bridges.bridge_ties
        if (pair := presenter.all_nameable(t.a, t.b)) is not None
    ]
    held = [
        HeldTogetherPublic(constellation=h.constellation, person=card, cut_off=h.cut_off)
        for h in bridges.held_together
        if (card := presenter.summary(h.person)) is not None
    ]
    return BridgesPublic(
        brokers=brokers,
        cut_points=presenter.people(bridges.cut_points),
        bridge_ties=ties,
        held_together=held,
        unlinked_constellations=bridges.unlinked_constellations,
        isolated_constellations=bridges.isolated_constellations,
    )


@router.get("/gaps", response_model=GapsPublic)
def read_gaps(
    request: Request, viewer: AnalysisViewer, view: ViewDep, analysis: AnalysisDep
) -> Response:
    """Representation of regions, nations and sectors, overall and per cell; a
    count of fewer people than the small-count threshold is "fewer than N", with
    no share or interval, except to admins."""
    gaps = analysis.gaps
    presenter = Presenter(view, viewer)
    return cached_json(
        request,
        view,
        viewer,
        lambda: GapsPublic(
            as_of=gaps.as_of,
            members=presenter.count(gaps.members),
            regions=presenter.shares(gaps.regions),
            nations=presenter.shares(gaps.nations),
            sectors=presenter.shares(gaps.sectors),
            cells=[presenter.group_gaps(g) for g in gaps.cells],
            events_out_of_line=len(gaps.events),
            regions_without_cells=gaps.regions_without_cells,
            not_in_the_room=presenter.count(len(gaps.not_in_the_room)),
        ),
    )


@router.get("/gaps/events", response_model=Page[GroupGapsPublic])
def read_event_gaps(
    request: Request,
    viewer: AnalysisViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    paging: PagingDep,
) -> Response:
    """Events whose attendance was out of line with the membership, most out of line first."""
    presenter = Presenter(view, viewer)
    return cached_json(
        request,
        view,
        viewer,
        lambda: page_built(analysis.gaps.events, paging, presenter.group_gaps),
    )


@router.get("/gaps/not-in-the-room", response_model=Page[NotInTheRoomPublic])
def read_not_in_the_room(
    request: Request,
    viewer: AnalysisViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    paging: PagingDep,
) -> Response:
    """Members who never attended, or not for a year."""
    presenter = Presenter(view, viewer)
    return cached_json(
        request,
        view,
        viewer,
        lambda: _nameable_page(
            presenter,
            analysis.gaps.not_in_the_room,
            paging,
            lambda n, card: NotInTheRoomPublic(
                person=card, status=n.status, last_attended=n.last_attended
            ),
        ),
    )


@router.get("/introductions", response_model=Page[IntroductionPublic])
def read_introductions(
    request: Request,
    viewer: IntroductionsViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    paging: PagingDep,
) -> Response:
    """The network's best introductions, ranked, with reasons and an introducer."""
    presenter = Presenter(view, viewer)

    def build() -> Page[IntroductionPublic]:
        found = analysis.introductions
        return page_of(present_introductions(presenter, analysis, found, len(found)), paging)

    return cached_json(request, view, viewer, build)


@router.get("/connectors/{person_id}/introductions", responses={404: {}})
def read_connector_introductions(
    person_id: str,
    viewer: IntroductionsViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    generation: GenerationDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[IntroductionPublic]:
    """Introductions this person could make: pairs of their own contacts not yet tied."""
    presenter = Presenter.about(view, viewer, person_id)
    return introductions_for(presenter, analysis, generation, limit, for_connector=person_id)


@router.post("/introductions", status_code=201, responses={403: {}, 404: {}, 422: {}})
def create_introduction_outcome(
    outcome: IntroductionOutcome,
    signed: SignedInDep,
    view: ViewDep,
    network: NetworkDep,
) -> IntroductionRecorded:
    """Record that an introduction was made, declined or led somewhere (connectors, admins)."""
    viewer = signed.viewer
    if not viewer.can(Capability.RECORD_INTRODUCTIONS):
        raise ApiError(403, "only connectors and admins record introductions", "forbidden")
    if outcome.a == outcome.b:
        raise ApiError(422, "an introduction needs two different people", "invalid_request")
    presenter = Presenter(view, viewer)
    if presenter.all_nameable(outcome.a, outcome.b) is None:
        raise not_found("person")
    record = network.record_introduction(
        outcome.a,
        outcome.b,
        IntroductionStatus(outcome.status),
        by=viewer.person_id,
        user_id=signed.user.id,
    )
    assert record.date is not None
    return IntroductionRecorded(
        a=record.start,
        b=record.end,
        status=outcome.status,
        by=record.by,
        date=record.date.isoformat(),
    )
