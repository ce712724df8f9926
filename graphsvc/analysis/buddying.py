"""Buddying: members who opted in, paired one to one across sectors or regions.

A round pairs people who are not already tied, each pair across whatever the
round asks (sector, region, or either), choosing the pairs that share the most
(interests, and offers that meet asks) among the pairings that give the most
people a buddy: a maximum-weight matching of maximum cardinality (Edmonds
1965; Galil 1986).
"""

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import networkx as nx

from graphsvc.model.text import fold_text

# Each person keeps only their strongest candidates, so a round of thousands
# stays a sparse graph: the blossom algorithm is cubic in the worst case.
CANDIDATES_PER_PERSON = 25
THEME_WEIGHT = 1.0
OFFER_MEETS_ASK_WEIGHT = 2.0
# A pair across the round's divide with nothing shared is still worth making.
BASE_WEIGHT = 0.5
_WORD = re.compile(r"[a-z0-9]{4,}")
_COMMON_WORDS = frozenset(
    {"with", "about", "from", "help", "helping", "looking", "someone", "people", "work", "into"}
)


class Across(StrEnum):
    """What a round pairs people across."""

    SECTORS = "sectors"
    REGIONS = "regions"
    EITHER = "either"


@dataclass(frozen=True)
class Candidate:
    """What a round reads of one person who opted in."""

    id: str
    sector: str | None = None
    region: str | None = None
    themes: frozenset[str] = frozenset()
    offers: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()


@dataclass(frozen=True)
class OfferMeetsAsk:
    """One person offers what the other asks for."""

    offered_by: str
    offer: str
    ask: str


@dataclass(frozen=True)
class BuddyPair:
    a: str
    b: str
    weight: float
    shared_themes: tuple[str, ...]
    offers_meet_asks: tuple[OfferMeetsAsk, ...]
    across: tuple[str, ...]  # "sectors" and/or "regions": what they differ in


@dataclass(frozen=True)
class BuddyRound:
    across: Across
    pairs: list[BuddyPair]
    unpaired: list[str] = field(default_factory=list)  # opted in, but no buddy this round


def _words(phrase: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold_text(phrase))) - _COMMON_WORDS


def offers_meeting_asks(a: Candidate, b: Candidate) -> tuple[OfferMeetsAsk, ...]:
    """Offers of one that share a word (of four letters or more) with asks of the other."""
    found = []
    for giver, taker in ((a, b), (b, a)):
        for offer in giver.offers:
            for ask in taker.asks:
                if _words(offer) & _words(ask):
                    found.append(OfferMeetsAsk(giver.id, offer, ask))
    return tuple(found)


def differences(a: Candidate, b: Candidate) -> tuple[str, ...]:
    """What two people differ in, of sector and region (unknown differs from nothing)."""
    found = []
    if a.sector and b.sector and a.sector != b.sector:
        found.append(Across.SECTORS.value)
    if a.region and b.region and a.region != b.region:
        found.append(Across.REGIONS.value)
    return tuple(found)


def allowed_across(across: Across, differ: tuple[str, ...]) -> bool:
    return bool(differ) if across is Across.EITHER else across.value in differ


def describe_pair(a: Candidate, b: Candidate) -> BuddyPair:
    """What ``a`` and ``b`` share and differ in, and what that is worth to a round."""
    shared = tuple(sorted(a.themes & b.themes))
    meets = offers_meeting_asks(a, b)
    weight = BASE_WEIGHT + THEME_WEIGHT * len(shared) + OFFER_MEETS_ASK_WEIGHT * len(meets)
    first, second = sorted((a.id, b.id))
    return BuddyPair(first, second, weight, shared, meets, differences(a, b))


def pair_of(a: Candidate, b: Candidate, across: Across) -> BuddyPair | None:
    """The pair ``a`` and ``b`` would make in a round, or None if the round rules it out."""
    pair = describe_pair(a, b)
    return pair if allowed_across(across, pair.across) else None


def _candidate_pairs(
    people: list[Candidate], across: Across, tied: Callable[[str, str], bool]
) -> list[BuddyPair]:
    """Every allowed pair, each person keeping their strongest few."""
    best: dict[str, list[BuddyPair]] = {p.id: [] for p in people}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if tied(a.id, b.id):
                continue
            pair = pair_of(a, b, across)
            if pair is not None:
                best[a.id].append(pair)
                best[b.id].append(pair)
    kept: dict[tuple[str, str], BuddyPair] = {}
    for pairs in best.values():
        pairs.sort(key=lambda p: (-p.weight, p.a, p.b))
        kept.update(((p.a, p.b), p) for p in pairs[:CANDIDATES_PER_PERSON])
    return [kept[key] for key in sorted(kept)]


def propose_buddies(
    people: Collection[Candidate],
    across: Across | str = Across.EITHER,
    tied: Callable[[str, str], bool] | None = None,
) -> BuddyRound:
    """Pair people one to one, across what the round asks, sharing as much as possible.

    Parameters
    ----------
    people : collection of Candidate
        Everyone who opted in and may be paired (consent is the caller's: leave
        out anyone who may not be named to a buddy).
    across : {"sectors", "regions", "either"}
        Pairs must differ in sector, in region, or in either (people whose
        sector or region is not known differ in nothing).
    tied : callable, optional
        ``tied(a, b)`` is true for two people who already know each other (or
        were buddies before): they are never paired.

    Returns
    -------
    BuddyRound
        The pairs, strongest first, and who was left without a buddy.

    Examples
    --------
    >>> people = [
    ...     Candidate("person:a", "health", "Wales", frozenset({"ageing well"})),
    ...     Candidate("person:b", "education", "Wales", frozenset({"ageing well"})),
    ...     Candidate("person:c", "health", "London"),
    ... ]
    >>> found = propose_buddies(people, "sectors")
    >>> [(p.a, p.b, p.shared_themes) for p in found.pairs], found.unpaired
    ([('person:a', 'person:b', ('ageing well',))], ['person:c'])

    References
    ----------
    .. [1] J. Edmonds, "Paths, trees, and flowers", Canad. J. Math. 17, 449
       (1965).
    .. [2] Z. Galil, "Efficient algorithms for finding maximum matching in
       graphs", ACM Comput. Surv. 18, 23 (1986).
    """
    across = Across(across)
    ordered = sorted(people, key=lambda p: p.id)
    candidates = _candidate_pairs(ordered, across, tied or (lambda a, b: False))
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(p.id for p in ordered)
    graph.add_weighted_edges_from((p.a, p.b, p.weight) for p in candidates)
    matched = nx.max_weight_matching(graph, maxcardinality=True)
    by_pair = {(p.a, p.b): p for p in candidates}
    pairs = [by_pair[(min(u, v), max(u, v))] for u, v in matched]
    pairs.sort(key=lambda p: (-p.weight, p.a, p.b))
    paired = {person for p in pairs for person in (p.a, p.b)}
    return BuddyRound(across, pairs, [p.id for p in ordered if p.id not in paired])


def candidate_from(person_id: str, node: Mapping[str, Any], person: Mapping[str, Any]) -> Candidate:
    """A candidate from the collaboration graph's node and the stored person's record."""
    return Candidate(
        id=person_id,
        sector=node.get("sector"),
        region=node.get("region"),
        themes=frozenset(node.get("themes") or ()),
        offers=tuple(person.get("offers") or ()),
        asks=tuple(person.get("asks") or ()),
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def reasons_for(
    pair: BuddyPair, names: Mapping[str, str], people: Mapping[str, Candidate]
) -> list[str]:
    """Why this pair, written for the two of them and the convenor."""
    a, b = people[pair.a], people[pair.b]
    name_a, name_b = names.get(pair.a, "one"), names.get(pair.b, "the other")
    said = []
    if pair.shared_themes:
        said.append(f"Both are interested in {_listed(list(pair.shared_themes))}.")
    for meet in pair.offers_meet_asks:
        giver = name_a if meet.offered_by == pair.a else name_b
        taker = name_b if meet.offered_by == pair.a else name_a
        said.append(f"{giver} can help with “{meet.offer}”; {taker} is looking for “{meet.ask}”.")
    if Across.SECTORS.value in pair.across:
        said.append(f"{name_a} works in {a.sector}, {name_b} in {b.sector}.")
    if Across.REGIONS.value in pair.across:
        said.append(f"{name_a} is in {a.region}, {name_b} in {b.region}.")
    return said
