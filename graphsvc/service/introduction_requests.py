"""Introductions members ask for: the introducer (or a connector) passes a request
on, each of the two people is asked, and contact details are shared only when
both say yes. What comes of it is recorded with
:meth:`graphsvc.service.network.Network.record_introduction`, so it counts in
the introductions' evaluation like any other outcome.

A request is ``requested`` (with the introducer or the connectors), then
``asked`` (passed on), then ``introduced`` (both said yes) or ``declined``
(either said no); or ``refused`` (not passed on) or ``withdrawn`` (by the one
who asked). Until it is ``introduced`` neither sees the other's email.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability
from graphsvc.accounts.ties import IntroductionRequest
from graphsvc.model import IntroductionStatus
from graphsvc.service.ties import TieProblem

if TYPE_CHECKING:
    from graphsvc.service.network import Network

MAX_NOTE = 500
UNDER_WAY = frozenset({"requested", "asked"})


@dataclass(frozen=True)
class Actor:
    """Who is acting on a request: their account and what they may do."""

    viewer: Viewer
    user_id: int | None

    @property
    def person_id(self) -> str | None:
        return self.viewer.person_id

    @property
    def is_connector(self) -> bool:
        return self.viewer.can(Capability.ANY_INTRODUCTIONS)


class IntroductionRequests:
    """Requests for introductions, through the application layer."""

    def __init__(self, network: "Network") -> None:
        self._network = network
        self._book = network.accounts.ties

    # --- reading ---------------------------------------------------------------------

    def of_person(self, person_id: str) -> list[IntroductionRequest]:
        """Requests a person asked for, was asked about, or is the named introducer of."""
        return self._book.introduction_requests(person=person_id)

    def waiting_for_an_introducer(self) -> list[IntroductionRequest]:
        """The connectors' queue: requests nobody has passed on or refused yet."""
        return self._book.introduction_requests(status="requested")

    def may_handle(self, request: IntroductionRequest, actor: Actor) -> bool:
        """The named introducer, or any connector, may pass a request on or refuse it."""
        named = actor.person_id is not None and actor.person_id == request.introducer
        return actor.is_connector or named

    def contact_email(self, request: IntroductionRequest, person_id: str | None) -> str | None:
        """The other one's email, for one of the pair, once both have said yes; else None."""
        if request.status != "introduced" or person_id not in request.pair():
            return None
        other = request.other if person_id == request.requester else request.requester
        stored = self._network.store.person(other) or {}
        email = stored.get("email")
        return str(email) if email else None

    # --- changes ---------------------------------------------------------------------

    def ask(
        self, actor: Actor, other: str, introducer: str | None, note: str
    ) -> IntroductionRequest:
        """``actor`` asks to be introduced to ``other``, through ``introducer`` if known."""
        requester = actor.person_id
        if requester is None:
            raise TieProblem("forbidden", "only members linked to a person may ask")
        if other == requester:
            raise TieProblem("invalid", "an introduction needs two different people")
        if len(note) > MAX_NOTE:
            raise TieProblem("invalid", f"a note holds at most {MAX_NOTE} characters")
        if self._network.store.person(other) is None:
            raise TieProblem("not_found", "no such person")
        if introducer in (requester, other):
            introducer = None
        if self._book.open_request_between(requester, other) is not None:
            raise TieProblem("conflict", "a request between you two is already under way")
        request = self._book.request_introduction(requester, other, introducer, note.strip())
        ids = {"other": other, "request": str(request.id)}
        if introducer:
            ids["introducer"] = introducer
        self._network.audit(actor.user_id, "introduction.requested", requester, **ids)
        return request

    def pass_on(self, request_id: int, actor: Actor) -> IntroductionRequest:
        """The introducer or a connector asks each of the two people."""
        request = self._handled(request_id, actor)
        changed = self._book.update_request(
            request_id,
            status="asked",
            handled_by=actor.user_id,
            handler_person=actor.person_id,
        )
        self._audit(actor, "introduction.passed_on", request)
        return changed

    def refuse(self, request_id: int, actor: Actor) -> IntroductionRequest:
        """The introducer or a connector will not pass the request on."""
        request = self._handled(request_id, actor)
        changed = self._book.update_request(
            request_id, status="refused", handled_by=actor.user_id, handler_person=actor.person_id
        )
        self._audit(actor, "introduction.refused", request)
        return changed

    def answer(self, request_id: int, actor: Actor, *, accept: bool) -> IntroductionRequest:
        """One of the pair says yes or no. Both yes: introduced, their emails shared and
        the introduction recorded as made; a no ends it, recorded as declined."""
        request = self._of_pair(request_id, actor)
        if request.status != "asked":
            raise TieProblem("conflict", f"this request is {request.status}, not waiting for you")
        column = "requester_answer" if actor.person_id == request.requester else "other_answer"
        request = self._book.update_request(request_id, **{column: "yes" if accept else "no"})
        self._audit(actor, "introduction.accepted" if accept else "introduction.declined", request)
        if not accept:
            return self._conclude(request, IntroductionStatus.DECLINED, "declined", actor)
        if request.requester_answer == request.other_answer == "yes":
            return self._conclude(request, IntroductionStatus.MADE, "introduced", actor)
        return request

    def led_somewhere(self, request_id: int, actor: Actor) -> IntroductionRequest:
        """One of the pair, or whoever passed it on, says the introduction led somewhere."""
        request = self._book.introduction_request(request_id)
        involved = request is not None and (
            actor.person_id in request.pair()
            or (actor.user_id is not None and actor.user_id == request.handled_by)
        )
        if request is None or not involved:
            raise TieProblem("not_found", "no such request of yours")
        if request.status != "introduced":
            raise TieProblem("conflict", "only an introduction made can lead somewhere")
        return self._conclude(request, IntroductionStatus.LED_SOMEWHERE, "introduced", actor)

    def withdraw(self, request_id: int, actor: Actor) -> IntroductionRequest:
        """The one who asked takes the request back, while it is under way."""
        request = self._of_pair(request_id, actor)
        if request.requester != actor.person_id:
            raise TieProblem("forbidden", "only the one who asked may withdraw a request")
        if request.status not in UNDER_WAY:
            raise TieProblem("conflict", f"this request is already {request.status}")
        changed = self._book.update_request(request_id, status="withdrawn")
        self._audit(actor, "introduction.withdrawn", request)
        return changed

    # --- inside ----------------------------------------------------------------------

    def _handled(self, request_id: int, actor: Actor) -> IntroductionRequest:
        request = self._book.introduction_request(request_id)
        if request is None or not self.may_handle(request, actor):
            raise TieProblem("not_found", "no such request waiting for you")
        if request.status != "requested":
            raise TieProblem("conflict", f"this request is already {request.status}")
        return request

    def _of_pair(self, request_id: int, actor: Actor) -> IntroductionRequest:
        request = self._book.introduction_request(request_id)
        if request is None or actor.person_id not in request.pair():
            raise TieProblem("not_found", "no such request of yours")
        return request

    def _conclude(
        self, request: IntroductionRequest, outcome: IntroductionStatus, status: str, actor: Actor
    ) -> IntroductionRequest:
        by = request.handler_person or request.introducer
        self._network.record_introduction(
            request.requester, request.other, outcome, by=by, user_id=actor.user_id
        )
        changed = self._book.update_request(request.id, status=status, outcome=outcome.value)
        if outcome is IntroductionStatus.MADE:
            self._audit(actor, "introduction.contacts_shared", changed)
        return changed

    def _audit(self, actor: Actor, action: str, request: IntroductionRequest) -> None:
        self._network.audit(
            actor.user_id,
            action,
            request.requester,
            other=request.other,
            request=str(request.id),
        )
