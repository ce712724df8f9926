"""Who members work with: ties they name and confirm, and relationship survey rounds.

A tie waiting for its other end is shown to its two ends and nobody else: it
is not in the graph (see ``graphsvc.accounts.ties``), so no map, neighbourhood,
list or analysis can show it; here only the viewer's own are answered.
"""

from typing import Annotated

from fastapi import APIRouter, Path

from graphsvc.accounts.ties import TieClaim, TieSurvey
from graphsvc.api.deps import AnalysisViewer, NetworkDep, SignedIn, SignedInDep, ViewDep
from graphsvc.api.errors import ApiError, not_found
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import PersonSummary
from graphsvc.api.tie_schemas import (
    KnownTiePublic,
    MyTiesPublic,
    NamedTiePublic,
    RatePublic,
    SurveyAskPublic,
    SurveyCreate,
    SurveyPublic,
    TieCreate,
)
from graphsvc.service import Network, NetworkView
from graphsvc.service.ties import (
    MEMBER_SOURCE,
    STRENGTH_WORDS,
    ResponseRate,
    SurveyResponses,
    TieProblem,
)

router = APIRouter(tags=["ties"])

TieId = Annotated[int, Path(ge=1, le=2**62)]
SurveyId = Annotated[int, Path(ge=1, le=2**62)]

STATUS_OF_PROBLEM = {"not_found": 404, "forbidden": 403, "conflict": 409, "invalid": 422}


def problem(exc: TieProblem) -> ApiError:
    """A refused change, as the error the client gets."""
    return ApiError(STATUS_OF_PROBLEM[exc.kind], str(exc), exc.kind)


def linked_person(signed: SignedIn) -> str:
    """The signed-in user's own person; 403 for an account linked to none."""
    if signed.user.person_id is None:
        raise ApiError(
            403, "only members linked to a person in the network may do this", "not_linked"
        )
    return signed.user.person_id


def revealed_card(presenter: Presenter, person_id: str) -> PersonSummary | None:
    """The card of someone who, by naming the viewer or asking them for something, told
    the viewer who they are: in full where consent lets the viewer see them, else their
    name alone."""
    card = presenter.summary(person_id)
    if card is not None:
        return card
    person = presenter.view.person(person_id)
    return PersonSummary(id=person_id, name=person.name) if person else None


def tie_public(presenter: Presenter, claim: TieClaim, me: str) -> NamedTiePublic:
    mine = claim.named_by == me
    other = claim.other if mine else claim.named_by
    return NamedTiePublic(
        id=claim.id,
        # The one who named the viewer told them so; the one the viewer named is
        # shown only while consent allows.
        person=presenter.summary(other) if mine else revealed_card(presenter, other),
        named_by_you=mine,
        strength=claim.strength,
        how_well=STRENGTH_WORDS.get(claim.strength, claim.strength),
        status=claim.status,
        created=claim.created,
        answered=claim.answered,
    )


@router.get("/api/me/ties")
def read_my_ties(signed: SignedInDep, network: NetworkDep, view: ViewDep) -> MyTiesPublic:
    """The ties you named or were named in (waiting ones only to their two ends), and
    the survey rounds asking you now."""
    me = signed.user.person_id
    if me is None:
        return MyTiesPublic(
            linked=False, waiting_for_you=[], named_by_you=[], confirmed=[], surveys=[]
        )
    presenter = Presenter(view, signed.viewer)
    ties = [tie_public(presenter, c, me) for c in network.ties.ties_of(me)]
    surveys = [
        SurveyAskPublic(id=s.id, name=s.name, closes=s.closes, answered=answered)
        for s, answered in network.ties.surveys_asking(me, view)
    ]
    confirmed = [t for t in ties if t.status == "confirmed"]
    return MyTiesPublic(
        linked=True,
        waiting_for_you=[t for t in ties if not t.named_by_you and t.status == "pending"],
        named_by_you=[t for t in ties if t.named_by_you],
        confirmed=confirmed,
        surveys=surveys,
        in_the_graph=known_in_the_graph(
            presenter, network, me, {t.person.id for t in confirmed if t.person}
        ),
    )


def known_in_the_graph(
    presenter: Presenter, network: Network, me: str, listed: set[str]
) -> list[KnownTiePublic]:
    """``me``'s KNOWS ties in the graph to people the viewer may see, but not those
    in ``listed`` (the confirmed ties named on the page, shown already). Read from
    the store, which keeps where each came from (the analysis' view does not)."""
    held = network.store.person_data(me)
    found: dict[str, KnownTiePublic] = {}
    for rel in held.relationships if held is not None else []:
        other = rel["end"] if rel["start"] == me else rel["start"]
        if rel["type"] != "KNOWS" or other in listed or other in found or other == me:
            continue
        person = presenter.summary(other) if presenter.may_name(other) else None
        if person is None:
            continue
        said = rel["properties"]
        came_from = "named by a member" if said.get("source") == MEMBER_SOURCE else "imported"
        found[other] = KnownTiePublic(
            person=person, strength=int(said.get("strength", 1)), came_from=came_from
        )
    return sorted(found.values(), key=lambda t: t.person.name.casefold())


@router.post("/api/me/ties", status_code=201, responses={403: {}, 404: {}, 409: {}, 422: {}})
def create_my_tie(
    body: TieCreate, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> NamedTiePublic:
    """Say you work with or know someone you may see; they are asked to confirm it."""
    me = linked_person(signed)
    presenter = Presenter(view, signed.viewer)
    if body.person != me and not presenter.may_name(body.person):
        raise not_found("person")
    try:
        claim = network.ties.name(me, body.person, body.strength, signed.user.id)
    except TieProblem as exc:
        raise problem(exc) from None
    return tie_public(presenter, claim, me)


def _answer(
    tie_id: int, signed: SignedIn, network: NetworkDep, view: NetworkView, confirm: bool
) -> NamedTiePublic:
    me = linked_person(signed)
    try:
        claim = network.ties.answer(me, tie_id, confirm=confirm, user_id=signed.user.id)
    except TieProblem as exc:
        raise problem(exc) from None
    return tie_public(Presenter(view, signed.viewer), claim, me)


@router.post("/api/me/ties/{tie_id}/confirm", responses={403: {}, 404: {}, 409: {}})
def confirm_my_tie(
    tie_id: TieId, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> NamedTiePublic:
    """Confirm a tie someone named with you: it enters the network as KNOWS."""
    return _answer(tie_id, signed, network, view, True)


@router.post("/api/me/ties/{tie_id}/decline", responses={403: {}, 404: {}, 409: {}})
def decline_my_tie(
    tie_id: TieId, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> NamedTiePublic:
    """Decline a tie someone named with you: it is never shown to anyone else."""
    return _answer(tie_id, signed, network, view, False)


@router.delete("/api/me/ties/{tie_id}", status_code=204, responses={403: {}, 404: {}})
def delete_my_tie(tie_id: TieId, signed: SignedInDep, network: NetworkDep) -> None:
    """Withdraw a tie you named (or one you confirmed); a confirmed one leaves the network."""
    me = linked_person(signed)
    try:
        network.ties.withdraw(me, tie_id, signed.user.id)
    except TieProblem as exc:
        raise problem(exc) from None


# --- survey rounds (convenors and admins) ---------------------------------------------


def rate_public(presenter: Presenter, name: str, rate: ResponseRate) -> RatePublic:
    asked, answered = presenter.count(rate.asked), presenter.count(rate.answered)
    exact = asked == rate.asked and answered == rate.answered and rate.asked > 0
    return RatePublic(
        name=name,
        asked=asked,
        answered=answered,
        rate=round(rate.answered / rate.asked, 3) if exact else None,
    )


def survey_public(presenter: Presenter, responses: SurveyResponses) -> SurveyPublic:
    survey: TieSurvey = responses.survey
    view = presenter.view
    return SurveyPublic(
        id=survey.id,
        name=survey.name,
        cell=presenter.ref(survey.cell),
        region=survey.region,
        opened=survey.opened,
        closes=survey.closes,
        closed=survey.closed,
        open=survey.is_open(),
        overall=rate_public(presenter, "everyone asked", responses.overall),
        by_region=[rate_public(presenter, r, n) for r, n in responses.by_region.items()],
        by_cell=[rate_public(presenter, view.name(c), n) for c, n in responses.by_cell.items()],
    )


@router.get("/api/tie-surveys")
def read_tie_surveys(
    viewer: AnalysisViewer, network: NetworkDep, view: ViewDep
) -> list[SurveyPublic]:
    """Relationship survey rounds, newest first, with who answered by region and cell."""
    presenter = Presenter(view, viewer)
    return [
        survey_public(presenter, network.ties.responses(s, view)) for s in network.ties.surveys()
    ]


@router.post("/api/tie-surveys", status_code=201, responses={403: {}, 404: {}, 422: {}})
def create_tie_survey(
    body: SurveyCreate,
    viewer: AnalysisViewer,
    signed: SignedInDep,
    network: NetworkDep,
    view: ViewDep,
) -> SurveyPublic:
    """Open a round: members in its focus (a cell, a region, or everyone) are asked on
    their home page who they work with, until it closes."""
    try:
        survey = network.ties.open_survey(
            body.name,
            body.closes,
            cell=body.cell or None,
            region=body.region or None,
            view=view,
            user_id=signed.user.id,
        )
    except TieProblem as exc:
        raise problem(exc) from None
    return survey_public(Presenter(view, viewer), network.ties.responses(survey, view))


@router.post("/api/tie-surveys/{survey_id}/close", responses={403: {}, 404: {}, 409: {}})
def close_tie_survey(
    survey_id: SurveyId,
    viewer: AnalysisViewer,
    signed: SignedInDep,
    network: NetworkDep,
    view: ViewDep,
) -> SurveyPublic:
    """Close a round: members are no longer asked; its response rates stay."""
    try:
        survey = network.ties.close_survey(survey_id, signed.user.id)
    except TieProblem as exc:
        raise problem(exc) from None
    return survey_public(Presenter(view, viewer), network.ties.responses(survey, view))
