"""Buddying: my buddy, rounds a convenor proposes and confirms, and who opted in."""

import datetime as dt

from fastapi import APIRouter, Request, Response

from graphsvc.access.policy import Capability
from graphsvc.api.deps import AnalysisDep, NetworkDep, SignedInDep, StoreDep, ViewDep, require
from graphsvc.api.errors import ApiError, not_found
from graphsvc.api.paging import PagingDep, page_built
from graphsvc.api.present import Presenter
from graphsvc.api.routes.pages import PageUser, _page
from graphsvc.api.routes.people import PersonId
from graphsvc.api.schemas import (
    BuddyingOptIn,
    BuddyingProposalPublic,
    BuddyingRoundAsked,
    BuddyingRoundConfirmed,
    BuddyPairPublic,
    ConfirmedPairPublic,
    MyBuddyingPublic,
    MyBuddyPublic,
    Page,
    PersonSummary,
)
from graphsvc.service.buddying import BuddyingError, may_be_paired, reasons_now

router = APIRouter(prefix="/api/buddying", tags=["buddying"])
page = APIRouter(include_in_schema=False)
RUNS_ROUNDS = [require(Capability.ANALYSIS)]  # convenors and admins


@router.get("/me")
def read_my_buddying(
    signed: SignedInDep, network: NetworkDep, store: StoreDep, view: ViewDep, analysis: AnalysisDep
) -> MyBuddyingPublic:
    """Whether I opted in to buddying, and who my buddies are (newest first)."""
    me = signed.viewer.person_id
    if me is None or view.person(me) is None:
        return MyBuddyingPublic(opted_in=None, buddies=[])
    shown = Presenter(view, signed.viewer)
    buddies = []
    for pair in network.buddy_pairs():
        if me not in (pair.a, pair.b):
            continue
        other = pair.b if pair.a == me else pair.a
        buddies.append(
            MyBuddyPublic(
                buddy=shown.card(other),
                round=pair.round,
                date=pair.date,
                reasons=reasons_now(store, view, analysis, pair.a, pair.b),
            )
        )
    return MyBuddyingPublic(
        opted_in=store.buddying_opt_in(me),
        buddies=buddies,
        may_be_paired=may_be_paired(view, me),
    )


@router.post("/proposals", dependencies=RUNS_ROUNDS)
def propose_round(
    asked: BuddyingRoundAsked, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> BuddyingProposalPublic:
    """The pairs a round would make now, with the reasons for each; nothing is recorded."""
    proposal = network.propose_buddies(asked.name, asked.across)
    shown = Presenter(view, signed.viewer)
    return BuddyingProposalPublic(
        name=proposal.name,
        across=asked.across,
        pairs=[
            BuddyPairPublic(
                a=shown.card(p.pair.a),
                b=shown.card(p.pair.b),
                shared_interests=[view.name(t) for t in p.pair.shared_themes],
                reasons=p.reasons,
            )
            for p in proposal.pairs
        ],
        unpaired=shown.people(proposal.unpaired),
    )


@router.post("/rounds", status_code=201, dependencies=RUNS_ROUNDS)
def confirm_round(
    confirmed: BuddyingRoundConfirmed, signed: SignedInDep, network: NetworkDep, view: ViewDep
) -> list[ConfirmedPairPublic]:
    """Record the pairs of a round: each is checked again (one buddy each, opted in,
    may be named, not already tied, across what the round asks); 422 if one is not."""
    try:
        records = network.confirm_buddies(
            confirmed.name, confirmed.across, list(confirmed.pairs), signed.user.id
        )
    except BuddyingError as exc:
        raise ApiError(422, str(exc), "not_a_round") from exc
    shown = Presenter(view, signed.viewer)
    return [
        ConfirmedPairPublic(
            a=shown.card(r.start),
            b=shown.card(r.end),
            round=r.round,
            across=r.across,
            date=r.date.isoformat(),
        )
        for r in records
    ]


@router.get("/rounds", dependencies=RUNS_ROUNDS)
def read_rounds(
    signed: SignedInDep, network: NetworkDep, view: ViewDep, paging: PagingDep
) -> Page[ConfirmedPairPublic]:
    """Every confirmed pair, newest round first."""
    shown = Presenter(view, signed.viewer)
    return page_built(
        network.buddy_pairs(),
        paging,
        lambda p: ConfirmedPairPublic(
            a=shown.card(p.a), b=shown.card(p.b), round=p.round, across=p.across, date=p.date
        ),
    )


@router.get("/opt-ins", dependencies=RUNS_ROUNDS)
def read_opt_ins(
    signed: SignedInDep, store: StoreDep, view: ViewDep, paging: PagingDep
) -> Page[PersonSummary]:
    """Everyone who opted in and may be paired, by name."""
    shown = Presenter(view, signed.viewer)
    people = [p for p in store.buddying_opt_ins() if may_be_paired(view, p)]
    people.sort(key=lambda p: (view.name(p), p))
    return page_built(people, paging, shown.card)


@router.put("/opt-ins/{person_id}", status_code=204, dependencies=[require(Capability.ADMINISTER)])
def mark_opt_in(
    person_id: PersonId, choice: BuddyingOptIn, signed: SignedInDep, network: NetworkDep
) -> Response:
    """Mark whether a person asked to be paired (for members who told an admin)."""
    try:
        network.set_buddying(person_id, choice.opted_in, signed.user.id)
    except KeyError:
        raise not_found("person") from None
    return Response(status_code=204)


@page.get("/buddying")
def read_buddying_page(request: Request, signed: PageUser) -> Response:
    """The member's buddy; rounds for convenors and admins; opt-ins for admins."""
    viewer = signed.viewer
    return _page(
        request,
        signed,
        "buddying.html",
        {
            "buddy_always": True,
            "runs_rounds": viewer.can(Capability.ANALYSIS),
            "administers": viewer.can(Capability.ADMINISTER),
            "suggested_name": f"{dt.date.today():%B %Y}",
        },
    )
