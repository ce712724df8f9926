"""Who members say they work with: ties named, confirmed by their other end, and
written to the graph as ``KNOWS``; and relationship survey rounds that ask for them.

A named tie waits in the accounts file (:mod:`graphsvc.accounts.ties` says why)
and is seen only by its two ends until the other end confirms it. Confirmed,
it is a ``KNOWS`` with provenance (source ``member``, who named it, when),
which moves the graph version so the analysis is computed again.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from graphsvc.accounts.ties import TieClaim, TieSurvey
from graphsvc.errors import GraphsvcError
from graphsvc.model import Knows, Provenance
from graphsvc.service.view import NetworkView

if TYPE_CHECKING:
    from graphsvc.service.network import Network

# How well a member knows someone, in their words, and as a KNOWS strength (1 to 5).
STRENGTHS: dict[str, int] = {"know_a_little": 1, "know_well": 3, "work_closely": 5}
STRENGTH_WORDS: dict[str, str] = {
    "know_a_little": "know a little",
    "know_well": "know well",
    "work_closely": "work closely",
}
# The provenance source of a tie members named: a withdrawal removes only these.
MEMBER_SOURCE = "member"
MAX_SURVEY_NAME = 120

ProblemKind = Literal["not_found", "forbidden", "conflict", "invalid"]


class TieProblem(GraphsvcError):
    """A tie or a request cannot be changed as asked; ``kind`` says why."""

    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class ResponseRate:
    """Of the members a round asks (linked to an account, in its focus), how many answered."""

    asked: int
    answered: int


@dataclass(frozen=True)
class SurveyResponses:
    survey: TieSurvey
    overall: ResponseRate
    by_region: dict[str, ResponseRate] = field(default_factory=dict)
    by_cell: dict[str, ResponseRate] = field(default_factory=dict)


class MemberTies:
    """Ties named by members and survey rounds, through the application layer."""

    def __init__(self, network: "Network", refresh_soon: Callable[[], None]) -> None:
        self._network = network
        self._book = network.accounts.ties
        self._refresh_soon = refresh_soon

    # --- ties ------------------------------------------------------------------------

    def ties_of(self, person_id: str) -> list[TieClaim]:
        """The ties a person named or was named in, pending ones too (theirs to see)."""
        return self._book.ties_of(person_id)

    def name(self, person_id: str, other: str, strength: str, user_id: int | None) -> TieClaim:
        """``person_id`` says they know ``other``: pending until ``other`` confirms.

        Naming again someone already named changes how well; naming someone who
        already named you confirms their tie.
        """
        if strength not in STRENGTHS:
            raise TieProblem("invalid", f"how well must be one of {', '.join(STRENGTHS)}")
        if other == person_id:
            raise TieProblem("invalid", "a tie needs two different people")
        if self._network.store.person(other) is None:
            raise TieProblem("not_found", "no such person")
        live = self._book.live_tie_between(person_id, other)
        if live is not None and live.named_by == other and live.status == "pending":
            return self.answer(person_id, live.id, confirm=True, user_id=user_id)
        if live is not None:
            self._book.set_strength(live.id, strength)
            if live.status == "confirmed":
                self._write_knows(live, strength)
            found = self._book.tie(live.id)
            assert found is not None
            return found
        claim = self._book.name_tie(person_id, other, strength, user_id)
        self._network.audit(user_id, "tie.named", person_id, other=other, tie=str(claim.id))
        return claim

    def answer(
        self, person_id: str, tie_id: int, *, confirm: bool, user_id: int | None
    ) -> TieClaim:
        """The other end of a pending tie confirms or declines it; only they may."""
        claim = self._claim_of(person_id, tie_id)
        if claim.other != person_id:
            raise TieProblem("forbidden", "only the person named may confirm or decline a tie")
        if claim.status != "pending":
            raise TieProblem("conflict", f"this tie is already {claim.status}")
        self._book.answer_tie(tie_id, "confirmed" if confirm else "declined")
        if confirm:
            self._write_knows(claim, claim.strength)
        action = "tie.confirmed" if confirm else "tie.declined"
        self._network.audit(user_id, action, person_id, other=claim.named_by, tie=str(tie_id))
        found = self._book.tie(tie_id)
        assert found is not None
        return found

    def withdraw(self, person_id: str, tie_id: int, user_id: int | None) -> None:
        """Take back a tie: the one who named it, pending or confirmed; the other end, one
        they confirmed. A confirmed tie leaves the graph (unless an import also has it)."""
        claim = self._claim_of(person_id, tie_id)
        if claim.other == person_id and claim.status != "confirmed":
            raise TieProblem("forbidden", "decline a tie you were named in, or leave it")
        if claim.status == "confirmed":
            self._network.store.remove_member_tie(claim.named_by, claim.other, MEMBER_SOURCE)
            self._refresh_soon()
        self._book.delete_tie(tie_id)
        other = claim.other if claim.named_by == person_id else claim.named_by
        self._network.audit(user_id, "tie.withdrawn", person_id, other=other, tie=str(tie_id))

    def _claim_of(self, person_id: str, tie_id: int) -> TieClaim:
        """A tie of this person's; not found for anyone else, so no one learns of others'."""
        claim = self._book.tie(tie_id)
        if claim is None or not claim.involves(person_id):
            raise TieProblem("not_found", "no such tie of yours")
        return claim

    def _write_knows(self, claim: TieClaim, strength: str) -> None:
        store = self._network.store
        start, end = claim.named_by, claim.other
        if store.has_relationship("KNOWS", end, start):
            start, end = end, start  # one tie per pair, whichever way it was first written
        if _source_of_knows(self._network, start, end) not in (None, MEMBER_SOURCE):
            return  # an import already knows it: left as it is, and not withdrawn with this
        today = dt.date.today()
        first = dt.date.fromisoformat(claim.created[:10])
        store.upsert_relationships(
            [
                Knows(
                    start=start,
                    end=end,
                    strength=STRENGTHS[strength],
                    named_by=claim.named_by,
                    provenance=Provenance(
                        source=MEMBER_SOURCE, first_seen=min(first, today), last_seen=today
                    ),
                )
            ]
        )
        self._refresh_soon()

    # --- survey rounds ---------------------------------------------------------------

    def surveys(self) -> list[TieSurvey]:
        return self._book.surveys()

    def open_survey(
        self,
        name: str,
        closes: dt.date,
        *,
        cell: str | None,
        region: str | None,
        view: NetworkView,
        user_id: int | None,
    ) -> TieSurvey:
        name = " ".join(name.split())
        if not name or len(name) > MAX_SURVEY_NAME:
            raise TieProblem(
                "invalid", f"a round needs a name of 1 to {MAX_SURVEY_NAME} characters"
            )
        if closes < dt.date.today():
            raise TieProblem("invalid", "a round cannot close before today")
        if cell is not None and view.kind(cell) != "Cell":
            raise TieProblem("not_found", "no such cell")
        if self._open_round_like(name, cell, region):
            raise TieProblem(
                "conflict",
                "a round with this name and focus is already open: "
                "close it first or give the new one another name",
            )
        survey = self._book.open_survey(name, cell, region, closes, user_id)
        ids = {"survey": str(survey.id), **({"cell": cell} if cell else {})}
        self._network.audit(user_id, "tie_survey.opened", None, **ids)
        return survey

    def _open_round_like(self, name: str, cell: str | None, region: str | None) -> bool:
        """Whether an open round has this name (whatever its case) and the same focus:
        two would ask the same members twice and split their answers."""
        wanted = (name.casefold(), cell, region)
        return any(
            (s.name.casefold(), s.cell, s.region) == wanted and s.is_open()
            for s in self._book.surveys()
        )

    def close_survey(self, survey_id: int, user_id: int | None) -> TieSurvey:
        if self._book.survey(survey_id) is None:
            raise TieProblem("not_found", "no such survey round")
        if not self._book.close_survey(survey_id):
            raise TieProblem("conflict", "this round is already closed")
        self._network.audit(user_id, "tie_survey.closed", None, survey=str(survey_id))
        found = self._book.survey(survey_id)
        assert found is not None
        return found

    def surveys_asking(self, person_id: str, view: NetworkView) -> list[tuple[TieSurvey, bool]]:
        """The open rounds whose focus takes in this person, and whether they answered."""
        person = view.person(person_id)
        if person is None:
            return []
        asking = []
        for survey in self._book.surveys():
            if survey.is_open() and _in_focus(survey, person_id, view):
                answered = person_id in self._answered(survey)
                asking.append((survey, answered))
        return asking

    def responses(self, survey: TieSurvey, view: NetworkView) -> SurveyResponses:
        """How many of the members a round asks have answered, overall, by region and by cell.

        Asked: people linked to an account and in the round's focus. Answered:
        those who named a tie, or confirmed or declined one, while it was open.
        """
        linked = {u.person_id for u in self._network.accounts.users() if u.person_id}
        asked = {p for p in linked if view.person(p) and _in_focus(survey, p, view)}
        answered = asked & self._answered(survey)
        regions, cells = Counter[str](), Counter[str]()
        regions_done, cells_done = Counter[str](), Counter[str]()
        for person_id in asked:
            person = view.person(person_id)
            assert person is not None
            done = person_id in answered
            region = person.region or "not known"
            regions[region] += 1
            regions_done[region] += done
            for cell in person.cells:
                if survey.cell is None or cell == survey.cell:
                    cells[cell] += 1
                    cells_done[cell] += done
        return SurveyResponses(
            survey=survey,
            overall=ResponseRate(len(asked), len(answered)),
            by_region={r: ResponseRate(n, regions_done[r]) for r, n in sorted(regions.items())},
            by_cell={c: ResponseRate(n, cells_done[c]) for c, n in sorted(cells.items())},
        )

    def _answered(self, survey: TieSurvey) -> set[str]:
        until = survey.closed or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        return self._book.active_between(survey.opened, until)


def _in_focus(survey: TieSurvey, person_id: str, view: NetworkView) -> bool:
    person = view.person(person_id)
    if person is None:
        return False
    if survey.cell is not None and survey.cell not in person.cells:
        return False
    return survey.region is None or person.region == survey.region


def _source_of_knows(network: "Network", start: str, end: str) -> str | None:
    """The provenance source of the KNOWS from ``start`` to ``end``; None if there is none."""
    if not network.store.has_relationship("KNOWS", start, end):
        return None
    held = network.store.person_data(start)
    for tie in held.relationships if held else []:
        if tie["type"] == "KNOWS" and (tie["start"], tie["end"]) == (start, end):
            return str(tie["properties"].get("source"))
    return None
