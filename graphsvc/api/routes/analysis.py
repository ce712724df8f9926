"""Constellations, bridges, gaps and introductions, as each role may see them."""

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, Protocol

from fastapi import APIRouter, Query, Request, Response

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability
from graphsvc.analysis.constellations import Constellation, PotentialConstellation
from graphsvc.analysis.gaps import NotInTheRoom
from graphsvc.analysis.introductions import Scope
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
from graphsvc.api.introductions import (
    introductions_for,
    present_introductions,
    recorded_introductions,
)
from graphsvc.api.lists import (
    NotInTheRoomOrder,
    PeopleFilter,
    PeopleFilterDep,
    PotentialOrder,
    by_name,
    by_region,
    person_of,
)
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
from graphsvc.api.tables import WHOLE_LIST, FormatQuery, person_columns, table_response
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
    only: PeopleFilterDep,
    sort: PotentialOrder = "size",
    fmt: FormatQuery = None,
) -> Response:
    """Members who share an interest and a region but are not yet connected; by
    region, cell or sector (members kept who match), in the order asked;
    ``format=csv`` or ``xlsx`` gives every member of every group as a file."""
    presenter = Presenter(view, viewer)

    def groups() -> list[tuple[PotentialConstellation, list[str]]]:
        kept = []
        for group in analysis.constellations.potential:
            members = [
                m
                for m in group.members
                if presenter.may_name(m) and (not only.narrows or only.keeps(person_of(view, m)))
            ]
            if len(members) >= 2:
                kept.append((group, sorted(members, key=lambda m: by_name(view, m))))
        return _ordered_potential(kept, sort)

    if fmt is not None:
        rows = [
            {"theme": group.theme, "group_region": group.region, **person_columns("", card)}
            for group, members in groups()
            for card in presenter.people(members)
        ]
        return table_response(rows, fmt, "potential-constellations")

    def build() -> Page[PotentialConstellationPublic]:
        return page_built(
            groups(),
            paging,
            lambda found: PotentialConstellationPublic(
                theme=found[0].theme,
                region=found[0].region,
                size=len(found[1]),
                members=presenter.people(found[1][:MAX_LISTED]),
            ),
        )

    return cached_json(request, view, viewer, build)


def _ordered_potential[T: tuple[PotentialConstellation, list[str]]](
    groups: list[T], sort: PotentialOrder
) -> list[T]:
    if sort == "region":
        return sorted(groups, key=lambda g: (g[0].region, -len(g[1]), g[0].theme))
    if sort == "theme":
        return sorted(groups, key=lambda g: (g[0].theme, -len(g[1]), g[0].region))
    # Largest first; the analysis's own order among groups of one size.
    return sorted(groups, key=lambda g: -len(g[1]))


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
    only: PeopleFilterDep,
    sort: NotInTheRoomOrder = "status",
    fmt: FormatQuery = None,
) -> Response:
    """Members who never attended, or not for a year; by region, cell or sector, in
    the order asked; ``format=csv`` or ``xlsx`` gives the whole list as a file."""
    presenter = Presenter(view, viewer)
    found = _not_in_the_room(view, analysis, only, sort)

    def build(pages: Paging) -> Page[NotInTheRoomPublic]:
        return _nameable_page(
            presenter,
            found,
            pages,
            lambda n, card: NotInTheRoomPublic(
                person=card, status=n.status, last_attended=n.last_attended
            ),
        )

    if fmt is not None:
        rows = [
            {**person_columns("", n.person), "status": n.status, "last_attended": n.last_attended}
            for n in build(WHOLE_LIST).items
        ]
        return table_response(rows, fmt, "not-in-the-room")
    return cached_json(request, view, viewer, lambda: build(paging))


def _not_in_the_room(
    view: ViewDep, analysis: AnalysisDep, only: PeopleFilter, sort: NotInTheRoomOrder
) -> list[NotInTheRoom]:
    found = analysis.gaps.not_in_the_room
    if only.narrows:
        found = [n for n in found if only.keeps(person_of(view, n.person))]
    if sort == "name":
        return sorted(found, key=lambda n: by_name(view, n.person))
    if sort == "region":
        return sorted(found, key=lambda n: by_region(view, n.person))
    if sort == "last_attended":
        # Longest ago first; never attended before anyone who came once.
        return sorted(found, key=lambda n: (n.last_attended or "", by_name(view, n.person)))
    return list(found)


RecordedQuery = Annotated[
    Literal["made", "declined", "led_somewhere", "all"] | None,
    Query(description="Introductions already recorded with this outcome, instead of suggestions."),
]
ScopeQuery = Annotated[str | None, Query(max_length=200)]


@router.get("/introductions", response_model=Page[IntroductionPublic], responses={404: {}})
def read_introductions(
    request: Request,
    viewer: IntroductionsViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    generation: GenerationDep,
    paging: PagingDep,
    fmt: FormatQuery = None,
    person: ScopeQuery = None,
    region: ScopeQuery = None,
    nation: ScopeQuery = None,
    sector: ScopeQuery = None,
    cell: ScopeQuery = None,
    recorded: RecordedQuery = None,
) -> Response:
    """The network's best introductions, ranked by what they would change, with
    reasons and an introducer; for one ``person`` (an id), or for the people of a
    ``region``, ``nation``, ``sector`` or ``cell`` (an id or a name); with
    ``recorded``, the introductions already recorded with that outcome (with
    ``person``, only those involving them), newest first.
    ``format=csv`` or ``xlsx`` gives the whole list as a file."""
    presenter = Presenter(view, viewer)
    if person is not None:
        Presenter.about(view, viewer, person)  # 404 for someone the viewer may not name
    cells = view.resolve(cell, "Cell") if cell is not None else set()
    if cell is not None and not cells:
        raise not_found("cell")
    scope = Scope(
        person=person,
        region=region,
        nation=nation,
        sector=sector,
        cell=min(cells) if cells else None,
    )

    def build(pages: Paging) -> Page[IntroductionPublic]:
        if recorded is not None:
            statuses = frozenset(
                ("made", "declined", "led_somewhere") if recorded == "all" else (recorded,)
            )
            return page_of(recorded_introductions(presenter, statuses, person), pages)
        if not scope.whole_network:
            scoped = introductions_for(presenter, analysis, generation, 100, scope=scope)
            return page_of(scoped, pages)
        found = analysis.introductions
        return page_of(present_introductions(presenter, analysis, found, len(found)), pages)

    if fmt is not None:
        rows = [_introduction_row(i) for i in build(WHOLE_LIST).items]
        return table_response(rows, fmt, "introductions")
    return cached_json(request, view, viewer, lambda: build(paging))


def _introduction_row(found: IntroductionPublic) -> dict[str, str | int | float | None]:
    return {
        **person_columns("a_", found.a),
        **person_columns("b_", found.b),
        "introducer": found.introducer.name if found.introducer else None,
        "likely": found.likely,
        "would_change": "; ".join(found.would_change),
        "mutual_contacts": found.mutual_contacts,
        "score": round(found.score, 4),
        "plausibility": round(found.plausibility, 4),
        "reasons": "; ".join(found.reasons),
        "status": found.status,
    }


@router.get(
    "/connectors/{person_id}/introductions",
    response_model=list[IntroductionPublic],
    responses={404: {}},
)
def read_connector_introductions(
    person_id: str,
    viewer: IntroductionsViewer,
    view: ViewDep,
    analysis: AnalysisDep,
    generation: GenerationDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    fmt: FormatQuery = None,
) -> Response | list[IntroductionPublic]:
    """Introductions this person could make: pairs of their own contacts not yet tied.
    ``format=csv`` or ``xlsx`` gives them as a file, as many as the JSON may list."""
    presenter = Presenter.about(view, viewer, person_id)
    if fmt is not None:
        found = introductions_for(presenter, analysis, generation, 100, for_connector=person_id)
        return table_response([_introduction_row(i) for i in found], fmt, "introductions")
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
