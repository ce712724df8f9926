"""My record: everything held about me and what I may change myself; my request for
erasure and an admin's answer to it; the optional questions about myself and, in
aggregate only, their answers on the Gaps page."""

from typing import Annotated

from fastapi import APIRouter, Body

from graphsvc.access.policy import Capability
from graphsvc.analysis.gaps import representation_by_age_band
from graphsvc.api.deps import AnalysisViewer, NetworkDep, SignedIn, SignedInDep, ViewDep, require
from graphsvc.api.errors import ApiError
from graphsvc.api.present import Presenter
from graphsvc.api.routes.people import PersonId
from graphsvc.api.schemas import (
    AnswerCountPublic,
    ErasureRequestPublic,
    MyRecordChange,
    MyRecordPublic,
    QuestionCountsPublic,
    QuestionCreate,
    QuestionPublic,
    SelfDescriptionGapsPublic,
)
from graphsvc.service import Network
from graphsvc.service.my_record import RecordChange, RecordChangeError
from graphsvc.service.self_description import QuestionError

router = APIRouter(prefix="/api", tags=["my record"])
admin_only = [require(Capability.ADMINISTER)]

NOT_LINKED = (
    "your account is not linked to a person in the network, so no record of you is held "
    "here to show or change; an admin can link it to your record"
)
AGE_SOURCE = (
    "Source: Office for National Statistics, mid-year population estimates, licensed "
    "under the Open Government Licence v3.0 (UK adults, mid-2022, approximate)"
)


def own_person(signed: SignedIn) -> str:
    """The signed-in user's own person id; 404 saying why for an account without one."""
    if signed.user.person_id is None:
        raise ApiError(404, NOT_LINKED, "not_linked")
    return signed.user.person_id


def record_public(
    network: Network, person_id: str, notes: list[str] | None = None
) -> MyRecordPublic:
    record = network.my_record(person_id)
    if record is None:
        raise ApiError(404, "your record is no longer held here", "not_found")
    return MyRecordPublic.model_validate(record).model_copy(update={"notes": notes or []})


@router.get("/me/record", responses={404: {}})
def read_my_record(signed: SignedInDep, network: NetworkDep) -> MyRecordPublic:
    """Everything held about me, in plain words, with where each part came from."""
    return record_public(network, own_person(signed))


@router.patch("/me/record", responses={404: {}, 422: {}})
def change_my_record(
    body: MyRecordChange, signed: SignedInDep, network: NetworkDep
) -> MyRecordPublic:
    """Change my own record: visibility, interests, offers and asks, place, bio,
    buddying and my answers about myself. Nobody changes another's record here:
    an admin corrects one by rectification."""
    person_id = own_person(signed)
    change = RecordChange(
        visibility=body.visibility,
        bio=body.bio,
        offers=body.offers,
        asks=body.asks,
        interests=body.interests,
        place=body.place,
        answers=(
            {k: (a.answer, a.consent) for k, a in body.answers.items()}
            if body.answers is not None
            else None
        ),
    )
    try:
        done = network.change_my_record(
            person_id, change, actor_user_id=signed.user.id, buddying=body.buddying_opt_in
        )
    except RecordChangeError as exc:
        raise ApiError(422, str(exc), "invalid_request") from None
    return record_public(network, person_id, done.notes)


@router.post("/me/erasure-request", status_code=201, responses={404: {}})
def request_my_erasure(signed: SignedInDep, network: NetworkDep) -> MyRecordPublic:
    """Ask for my record to be erased; an admin confirms it, and I may withdraw it until then."""
    person_id = own_person(signed)
    network.request_erasure(person_id, asked=True, actor_user_id=signed.user.id)
    return record_public(network, person_id)


@router.delete("/me/erasure-request", status_code=204, responses={404: {}})
def withdraw_my_erasure_request(signed: SignedInDep, network: NetworkDep) -> None:
    """Withdraw my request for erasure."""
    network.request_erasure(own_person(signed), asked=False, actor_user_id=signed.user.id)


@router.get("/erasure-requests", dependencies=admin_only)
def read_erasure_requests(network: NetworkDep) -> list[ErasureRequestPublic]:
    """The members who asked for their record to be erased, oldest first."""
    return [ErasureRequestPublic.model_validate(r) for r in network.erasure_requests()]


@router.post(
    "/erasure-requests/{person_id}/confirm",
    status_code=204,
    responses={404: {}},
    dependencies=admin_only,
)
def confirm_erasure(person_id: PersonId, signed: SignedInDep, network: NetworkDep) -> None:
    """Erase a member who asked for it, as ``DELETE /api/people/{id}`` does."""
    if not network.confirm_erasure(person_id, actor_user_id=signed.user.id):
        raise ApiError(404, "no erasure request from that person waits")


@router.delete(
    "/erasure-requests/{person_id}", status_code=204, responses={404: {}}, dependencies=admin_only
)
def decline_erasure(person_id: PersonId, signed: SignedInDep, network: NetworkDep) -> None:
    """Set a request for erasure aside (tell the member why: the law allows few reasons)."""
    if not network.decline_erasure(person_id, actor_user_id=signed.user.id):
        raise ApiError(404, "no erasure request from that person waits")


@router.get("/self-description/questions")
def read_questions(signed: SignedInDep, network: NetworkDep) -> list[QuestionPublic]:
    """The optional questions members may answer about themselves, each with its purpose."""
    return [QuestionPublic.model_validate(q) for q in network.self_description_questions()]


@router.put("/self-description/questions", responses={422: {}}, dependencies=admin_only)
def replace_questions(
    body: Annotated[list[QuestionCreate], Body(max_length=20)],
    signed: SignedInDep,
    network: NetworkDep,
) -> list[QuestionPublic]:
    """Replace the questions admins add (the built-in ones are always asked)."""
    try:
        network.set_self_description_questions(
            [q.model_dump() for q in body], actor_user_id=signed.user.id
        )
    except QuestionError as exc:
        raise ApiError(422, str(exc), "invalid_request") from None
    return [QuestionPublic.model_validate(q) for q in network.self_description_questions()]


@router.get("/gaps/self-description")
def read_self_description_gaps(
    viewer: AnalysisViewer, view: ViewDep, network: NetworkDep
) -> SelfDescriptionGapsPublic:
    """How members describe themselves, counted over everyone and never by person;
    age bands against the UK's adults with confidence intervals; small counts hidden."""
    presenter = Presenter(view, viewer)
    counted = network.self_description_counts()
    ages = next((c for c in counted if c.question.key == "age_band"), None)
    bands = representation_by_age_band(ages.counts) if ages else []
    questions = []
    for found in counted:
        if found.question.key == "age_band":
            continue
        answers = []
        for answer, count in found.counts.items():
            shown = presenter.count(count)
            exact = shown == count and found.answered > 0
            share = round(count / found.answered, 4) if exact else None
            answers.append(AnswerCountPublic(answer=answer, count=shown, share=share))
        questions.append(
            QuestionCountsPublic(
                question=QuestionPublic.model_validate(found.question),
                answered=presenter.count(found.answered),
                answers=answers,
            )
        )
    return SelfDescriptionGapsPublic(
        age_bands=presenter.shares(bands), age_source=AGE_SOURCE, questions=questions
    )
