"""Introductions members ask for: asked from a suggestion or a person's card, passed
on by the introducer or a connector, and made only when both people say yes.

Contact details (the other one's email) are in a response only for the two
people, and only once both said yes (double opt-in).
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path

from graphsvc.access.policy import Capability
from graphsvc.accounts.ties import IntroductionRequest
from graphsvc.api.deps import AnalysisDep, NetworkDep, SignedIn, SignedInDep, ViewDep, require
from graphsvc.api.errors import not_found
from graphsvc.api.present import Presenter
from graphsvc.api.routes.ties import linked_person, problem, revealed_card
from graphsvc.api.tie_schemas import (
    IntroductionAnswer,
    IntroductionRequestCreate,
    IntroductionRequestPublic,
    MyIntroductionRequestsPublic,
)
from graphsvc.service import Network
from graphsvc.service.introduction_requests import Actor, IntroductionRequests
from graphsvc.service.ties import TieProblem

router = APIRouter(tags=["introduction requests"])

RequestId = Annotated[int, Path(ge=1, le=2**62)]


def _part(request: IntroductionRequest, actor: Actor) -> str:
    if actor.person_id == request.requester:
        return "requester"
    if actor.person_id == request.other:
        return "other"
    return "introducer" if actor.person_id == request.introducer else "connector"


def _answer_of(request: IntroductionRequest, actor: Actor) -> str | None:
    me = actor.person_id
    return request.answer_of(me) if me is not None and me in request.pair() else None


def request_public(
    presenter: Presenter, network: Network, request: IntroductionRequest, actor: Actor
) -> IntroductionRequestPublic:
    """A request as ``actor`` may see it. The one who asked told everyone concerned who
    they are; the other one, and the introducer, are shown as consent allows."""
    requests = network.introduction_requests
    part = _part(request, actor)
    return IntroductionRequestPublic(
        id=request.id,
        requester=revealed_card(presenter, request.requester),
        other=presenter.summary(request.other),
        introducer=presenter.summary(request.introducer) if request.introducer else None,
        note=request.note,
        status=request.status,
        your_part=part,
        your_answer=_answer_of(request, actor),
        may_pass_on=request.status == "requested" and requests.may_handle(request, actor),
        contact_email=requests.contact_email(request, actor.person_id),
        outcome=request.outcome,
        created=request.created,
        updated=request.updated,
    )


def _actor(signed: SignedIn) -> Actor:
    return Actor(signed.viewer, signed.user.id)


@router.get("/api/me/introduction-requests")
def read_my_introduction_requests(
    signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> MyIntroductionRequestsPublic:
    """Introductions you asked for, were asked about, or are named to make."""
    me = signed.user.person_id
    if me is None:
        return MyIntroductionRequestsPublic(
            linked=False, asked_by_you=[], asked_of_you=[], to_pass_on=[]
        )
    actor, presenter = _actor(signed), Presenter(view, signed.viewer)
    mine = network.introduction_requests.of_person(me)
    # Someone asked about hears of a request only once it is passed on to them.
    asked_of_me = [r for r in mine if r.other == me and r.status != "requested"]
    return MyIntroductionRequestsPublic(
        linked=True,
        asked_by_you=[
            request_public(presenter, network, r, actor) for r in mine if r.requester == me
        ],
        asked_of_you=[request_public(presenter, network, r, actor) for r in asked_of_me],
        to_pass_on=[
            request_public(presenter, network, r, actor)
            for r in mine
            if r.introducer == me and me not in r.pair()
        ],
    )


@router.get("/api/introduction-requests", dependencies=[require(Capability.ANY_INTRODUCTIONS)])
def read_introduction_queue(
    signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> list[IntroductionRequestPublic]:
    """The connectors' queue: requests waiting to be passed on (the one asked about
    shown only where the connector may see them)."""
    actor, presenter = _actor(signed), Presenter(view, signed.viewer)
    return [
        request_public(presenter, network, r, actor)
        for r in network.introduction_requests.waiting_for_an_introducer()
        if presenter.may_name(r.other)
    ]


def _suggested_introducer(
    presenter: Presenter, analysis: AnalysisDep, me: str, other: str
) -> str | None:
    """The introducer of the network's suggestion for this pair, if there is one."""
    for intro in analysis.introductions:
        if {intro.a, intro.b} == {me, other} and presenter.may_suggest(intro.introducer):
            return str(intro.introducer)
    return None


@router.post(
    "/api/introduction-requests", status_code=201, responses={403: {}, 404: {}, 409: {}, 422: {}}
)
def create_introduction_request(
    body: IntroductionRequestCreate,
    signed: SignedInDep,
    network: NetworkDep,
    view: ViewDep,
    analysis: AnalysisDep,
) -> IntroductionRequestPublic:
    """Ask to be introduced to someone you may see. The introducer (given, or the
    suggestion's) or a connector passes it on; then each of you is asked."""
    me = linked_person(signed)
    presenter = Presenter(view, signed.viewer)
    if not presenter.may_name(body.person) or body.person == me:
        raise not_found("person")
    introducer = body.introducer
    if introducer is not None and not presenter.may_name(introducer):
        raise not_found("person")
    introducer = introducer or _suggested_introducer(presenter, analysis, me, body.person)
    try:
        request = network.introduction_requests.ask(
            _actor(signed), body.person, introducer, body.note
        )
    except TieProblem as exc:
        raise problem(exc) from None
    return request_public(presenter, network, request, _actor(signed))


def _changed(
    signed: SignedIn,
    network: Network,
    view: ViewDep,
    change: Callable[[IntroductionRequests, Actor], IntroductionRequest],
) -> IntroductionRequestPublic:
    """The request after ``change``, as the signed-in user may see it."""
    actor = _actor(signed)
    try:
        request = change(network.introduction_requests, actor)
    except TieProblem as exc:
        raise problem(exc) from None
    return request_public(Presenter(view, signed.viewer), network, request, actor)


@router.post("/api/introduction-requests/{request_id}/pass-on", responses={404: {}, 409: {}})
def pass_on_introduction_request(
    request_id: RequestId, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> IntroductionRequestPublic:
    """The named introducer or a connector passes a request on: each of the two is asked."""
    return _changed(signed, network, view, lambda r, a: r.pass_on(request_id, a))


@router.post("/api/introduction-requests/{request_id}/refuse", responses={404: {}, 409: {}})
def refuse_introduction_request(
    request_id: RequestId, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> IntroductionRequestPublic:
    """The named introducer or a connector will not pass a request on."""
    return _changed(signed, network, view, lambda r, a: r.refuse(request_id, a))


@router.post("/api/introduction-requests/{request_id}/answer", responses={404: {}, 409: {}})
def answer_introduction_request(
    request_id: RequestId,
    body: IntroductionAnswer,
    signed: SignedInDep,
    network: NetworkDep,
    view: ViewDep,
) -> IntroductionRequestPublic:
    """Yes or no from one of the two: both yes shares your emails with each other and
    records the introduction as made; a no ends it, recorded as declined."""
    return _changed(signed, network, view, lambda r, a: r.answer(request_id, a, accept=body.accept))


@router.post("/api/introduction-requests/{request_id}/led-somewhere", responses={404: {}, 409: {}})
def report_introduction_led_somewhere(
    request_id: RequestId, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> IntroductionRequestPublic:
    """Say an introduction made led somewhere (one of the two, or whoever passed it on)."""
    return _changed(signed, network, view, lambda r, a: r.led_somewhere(request_id, a))


@router.post("/api/introduction-requests/{request_id}/withdraw", responses={403: {}, 404: {}})
def withdraw_introduction_request(
    request_id: RequestId, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> IntroductionRequestPublic:
    """Take back a request you made, while it is under way."""
    return _changed(signed, network, view, lambda r, a: r.withdraw(request_id, a))
