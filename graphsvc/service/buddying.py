"""Buddying rounds: who may be paired, the proposal a convenor sees, and the pairs
they confirm (kept in the graph as ``BUDDY_WITH`` ties, so that they are backed
up, copied, exported and erased with the people they are about).

Consent: only people who opted in and whom members may see named are paired,
since a buddy is named to the other; anyone hidden since is left out of what is
shown, and a confirmation is checked again against consent as it is then.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphsvc.access import Role, Viewer
from graphsvc.errors import GraphsvcError
from graphsvc.model import BuddyWith, Provenance
from graphsvc.service.view import NetworkView
from graphsvc.store import GraphStore

if TYPE_CHECKING:
    from graphsvc.analysis.buddying import BuddyPair, BuddyRound, Candidate
    from graphsvc.analysis.pipeline import Analysis

_MEMBER = Viewer(Role.MEMBER)


class BuddyingError(GraphsvcError):
    """A round that cannot be confirmed as asked (the message says why)."""


@dataclass(frozen=True)
class ProposedPair:
    pair: "BuddyPair"
    reasons: list[str]


@dataclass(frozen=True)
class Proposal:
    name: str
    across: str
    pairs: list[ProposedPair]
    unpaired: list[str]


@dataclass(frozen=True)
class ConfirmedPair:
    a: str
    b: str
    round: str
    across: str
    date: str
    by_user: int | None


def may_be_paired(view: NetworkView, person_id: str) -> bool:
    """Whether a person may be paired (and so named to a buddy): members may see them."""
    person = view.person(person_id)
    return person is not None and _MEMBER.may_name(person_id, person.visibility)


def _candidates(store: GraphStore, view: NetworkView, analysis: "Analysis") -> list["Candidate"]:
    from graphsvc.analysis.buddying import candidate_from

    graph = analysis.collaboration
    found = []
    for person_id in store.buddying_opt_ins():
        if not may_be_paired(view, person_id) or graph is None or person_id not in graph:
            continue
        found.append(
            candidate_from(person_id, graph.nodes[person_id], view.snapshot.nodes[person_id])
        )
    return found


def confirmed_pairs(store: GraphStore, view: NetworkView) -> list[ConfirmedPair]:
    """Every confirmed pair whose two people may still be named to each other."""
    return [
        ConfirmedPair(*row)
        for row in store.buddy_pairs()
        if may_be_paired(view, row[0]) and may_be_paired(view, row[1])
    ]


def _already_tied(store: GraphStore) -> set[frozenset[str]]:
    """Pairs who were buddies before (ties in the network are the analysis's)."""
    return {frozenset((a, b)) for a, b, *_ in store.buddy_pairs()}


def _round(
    store: GraphStore, view: NetworkView, analysis: "Analysis", across: str
) -> tuple["BuddyRound", dict[str, "Candidate"]]:
    from graphsvc.analysis.buddying import propose_buddies

    people = _candidates(store, view, analysis)
    before = _already_tied(store)
    graph = analysis.collaboration

    def tied(a: str, b: str) -> bool:
        return frozenset((a, b)) in before or (graph is not None and graph.has_edge(a, b))

    return propose_buddies(people, across, tied), {p.id: p for p in people}


def propose_round(
    store: GraphStore, view: NetworkView, analysis: "Analysis", name: str, across: str
) -> Proposal:
    """The pairs a round would make now, each with its reasons written for people."""
    from graphsvc.analysis.buddying import reasons_for

    found, people = _round(store, view, analysis, across)
    names = {pid: view.name(pid) for pid in people}
    pairs = [ProposedPair(p, reasons_for(p, names, people)) for p in found.pairs]
    return Proposal(name, found.across.value, pairs, found.unpaired)


def confirm_round(
    store: GraphStore,
    view: NetworkView,
    analysis: "Analysis",
    name: str,
    across: str,
    pairs: list[tuple[str, str]],
    user_id: int | None,
) -> list[BuddyWith]:
    """Record the pairs a convenor confirmed, after checking each again as the round
    would make it now: one buddy each, opted in, not tied, across the round's divide."""
    from graphsvc.analysis.buddying import Across, pair_of

    if not pairs:
        raise BuddyingError("choose at least one pair to confirm")
    _round_found, people = _round(store, view, analysis, across)
    seen: set[str] = set()
    before = _already_tied(store)
    graph = analysis.collaboration
    for a, b in pairs:
        if a == b or a in seen or b in seen:
            raise BuddyingError("each person can have one buddy in a round")
        seen.update((a, b))
        if a not in people or b not in people:
            raise BuddyingError("a pair names someone who has not opted in or may not be paired")
        tied = frozenset((a, b)) in before or (graph is not None and graph.has_edge(a, b))
        if tied or pair_of(people[a], people[b], Across(across)) is None:
            raise BuddyingError(f"a pair is already tied, or not across {across}")
    today = dt.date.today()
    source = f"api:user:{user_id}" if user_id is not None else "cli"
    records = [
        BuddyWith(
            start=min(a, b),
            end=max(a, b),
            round=name,
            across=across,
            date=today,
            by_user=user_id,
            provenance=Provenance(source=source, first_seen=today, last_seen=today),
        )
        for a, b in pairs
    ]
    store.upsert_relationships(records)
    return records


def reasons_now(
    store: GraphStore, view: NetworkView, analysis: "Analysis", a: str, b: str
) -> list[str]:
    """Why a confirmed pair were paired, as their records read now."""
    from graphsvc.analysis.buddying import candidate_from, describe_pair, reasons_for

    graph = analysis.collaboration
    if graph is None or a not in graph or b not in graph:
        return []
    people = {
        pid: candidate_from(pid, graph.nodes[pid], view.snapshot.nodes[pid]) for pid in (a, b)
    }
    return reasons_for(
        describe_pair(people[a], people[b]), {pid: view.name(pid) for pid in (a, b)}, people
    )
