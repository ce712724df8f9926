"""Introductions as a viewer may see them: both people nameable, the introducer
shown only where nameable too; and, whoever is asking, only people who may be
suggested now (the view's consent, which a change of consent updates at once,
not the analysis' copy of it).

The analysis finds and words its suggestions once for everyone, counting every
mutual contact, hidden ones too. What is reached through someone is theirs
(graphsvc.access.policy), so each viewer is told only of the mutual contacts
they may name: those are counted and stated as the reason, and a suggestion
that rests on nothing else the viewer may see (no mutual contact they may
name, no shared interest or place) is not made to them at all, since it would
tell them that someone they may not see knows both.
"""

import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graphsvc.analysis.introductions import Introduction, Scope, suggest_introductions
from graphsvc.analysis.pipeline import Analysis
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import IntroductionPublic
from graphsvc.service import Generation

# The analysis's reason that counts every mutual contact; replaced by the viewer's count.
_MUTUAL_CONTACTS_REASON = re.compile(r"\d+ mutual contacts?")


def mutual_contacts_reason(count: int) -> str:
    """The reason a number of mutual contacts gives.

    >>> mutual_contacts_reason(1), mutual_contacts_reason(2)
    ('1 mutual contact', '2 mutual contacts')
    """
    return f"{count} mutual contact{'' if count == 1 else 's'}"


def mutual_contacts_shown(presenter: Presenter, G: "nx.Graph[Any]", intro: Introduction) -> int:
    """How many of the pair's mutual contacts the viewer may name."""
    return sum(1 for c in set(G[intro.a]) & set(G[intro.b]) if presenter.may_name(c))


def _share_interest_or_place(G: "nx.Graph[Any]", intro: Introduction) -> bool:
    """Whether the pair have something in common that no one else tells: a theme,
    a place or a region."""
    a, b = G.nodes[intro.a], G.nodes[intro.b]
    themes = set(a.get("themes") or []) & set(b.get("themes") or [])
    return bool(themes) or any(
        a.get(k) is not None and a.get(k) == b.get(k) for k in ("place", "region")
    )


# How likely a pair is to meet well, in a word: the least plausible pairs
# suggested share one theme (0.075); mutual contacts and an introducer who
# knows both well lift a pair to fair or high.
_LIKELY = ((0.35, "high"), (0.15, "fair"), (0.0, "low"))

# What a new tie would change, in a few words, from the analysis's reasons
# (which name the people; the short form is about the network).
_CHANGES = (
    (re.compile(r"has no ties in the network yet$"), "reaches someone with no ties yet"),
    (re.compile(r"is a single point of light"), "reaches a single point of light"),
    (re.compile(r"has not been to a gathering"), "reaches someone not yet in the room"),
    (re.compile(r"is one of (\d+|very few) members in "), "reaches a place with few members"),
    (re.compile(r"^the first tie between their two"), "the first tie between two constellations"),
    (re.compile(r"^would join two constellations$"), "joins two constellations"),
    (re.compile(r"^brings in (.+), thin in the network"), r"brings in \1"),
    (re.compile(r"^(links .+ and .+)$"), r"\1"),
    (re.compile(r"beyond a London-only circle$"), "takes someone beyond a London-only circle"),
    (re.compile(r"^a second way into the network"), "a second way in for someone on one link"),
    (re.compile(r"^complementary sectors"), "crosses sectors"),
)


def likely_in_words(plausibility: float) -> str:
    """How likely a pair is to meet well, in a word.

    >>> likely_in_words(0.075), likely_in_words(0.2), likely_in_words(0.6)
    ('low', 'fair', 'high')
    """
    return next(word for floor, word in _LIKELY if plausibility >= floor)


def changes_in_words(reasons: Iterable[str]) -> list[str]:
    """What the tie would change, in short phrases, each once, from its reasons.

    >>> for phrase in changes_in_words([
    ...     "both work on ageing well",
    ...     "Ann Hughes is a single point of light, in no constellation yet",
    ...     "would join two constellations",
    ...     "brings in Wales, thin in the network, with London",
    ...     "Rhys Evans has not been to a gathering yet",
    ...     "Ann Hughes has not been to a gathering for a year",
    ... ]):
    ...     print(phrase)
    reaches a single point of light
    reaches someone not yet in the room
    joins two constellations
    brings in Wales
    """
    given = list(reasons)
    found: list[str] = []
    for pattern, words in _CHANGES:
        for reason in given:
            if (match := pattern.search(reason)) is not None and match.expand(words) not in found:
                found.append(match.expand(words))
    return found


def _reasons_shown(intro: Introduction, mutual: int) -> list[str]:
    others = [r for r in intro.reasons if not _MUTUAL_CONTACTS_REASON.fullmatch(r)]
    return [mutual_contacts_reason(mutual), *others] if mutual else others


def present_introduction(
    presenter: Presenter, G: "nx.Graph[Any]", intro: Introduction
) -> IntroductionPublic | None:
    """One suggestion as the viewer may see it, or None where they may not."""
    if not (presenter.may_suggest(intro.a) and presenter.may_suggest(intro.b)):
        return None
    pair = presenter.all_nameable(intro.a, intro.b)
    if pair is None:
        return None
    mutual = mutual_contacts_shown(presenter, G, intro)
    if not mutual and not _share_interest_or_place(G, intro):
        return None
    introducer = intro.introducer if presenter.may_suggest(intro.introducer) else None
    card = presenter.summary(introducer) if introducer else None
    return IntroductionPublic(
        a=pair[0],
        b=pair[1],
        score=intro.score,
        reasons=_reasons_shown(intro, mutual),
        introducer=card,
        mutual_contacts=mutual,
        plausibility=intro.plausibility,
        value=intro.value,
        introducer_knows=intro.introducer_knows if card is not None else [],
        likely=likely_in_words(intro.plausibility),
        would_change=changes_in_words(intro.reasons),
    )


def present_introductions(
    presenter: Presenter, analysis: Analysis, found: Iterable[Introduction], limit: int
) -> list[IntroductionPublic]:
    """Up to ``limit`` of ``found`` (suggestions from ``analysis``), as the viewer may see them."""
    G = analysis.collaboration
    if G is None:
        return []
    shown = []
    for intro in found:
        if (public := present_introduction(presenter, G, intro)) is not None:
            shown.append(public)
            if len(shown) >= limit:
                break
    return shown


def introductions_for(
    presenter: Presenter,
    analysis: Analysis,
    generation: Generation,
    limit: int,
    *,
    for_person: str | None = None,
    for_connector: str | None = None,
    scope: Scope | None = None,
) -> list[IntroductionPublic]:
    """Introductions for one person, that one connector could make, or for a
    region's, nation's, sector's or cell's people, from the cached analysis."""
    G = analysis.collaboration
    scope = scope or Scope(person=for_person, connector=for_connector)
    subject = scope.person or scope.connector
    if G is None or analysis.profile is None or (subject is not None and subject not in G):
        return []
    weights = analysis.introduction_weights
    found = suggest_introductions(
        G,
        k=limit * 2,  # some may be left out for this viewer
        membership=analysis.constellations.membership,
        single_points={s.person for s in analysis.constellations.single_points},
        exclude=[(a, b) for a, b, _, _ in analysis.profile.introductions],
        scorer=generation.scorer(),
        scope=scope,
        names=analysis.profile.node_names,
        # Scored as the whole network's list was.
        plausibility_weights=weights.plausibility if weights else None,
        weaving_weights=weights.weaving if weights else None,
    )
    return present_introductions(presenter, analysis, found, limit)


def recorded_introductions(
    presenter: Presenter, statuses: frozenset[str], person: str | None = None
) -> list[IntroductionPublic]:
    """Introductions recorded with one of ``statuses``, as the viewer may see them,
    only those involving ``person`` when given; newest first, undated ones last:
    made ones stay listed, not just gone."""
    shown = []
    for a, b, by, status in presenter.view.profile.introductions:
        if str(status) not in statuses or (person is not None and person not in (a, b)):
            continue
        pair = presenter.all_nameable(a, b)
        if pair is None:
            continue
        introducer = presenter.summary(by) if by else None
        shown.append(
            IntroductionPublic(
                a=pair[0],
                b=pair[1],
                score=0.0,
                reasons=[],
                introducer=introducer,
                mutual_contacts=0,
                status=str(status),
                date=_recorded_on(presenter.view.snapshot, a, b),
            )
        )
    # Undated ones ('' sorts lowest) go last; a stable sort keeps a day's order.
    shown.sort(key=lambda i: i.date or "", reverse=True)
    return shown


def _recorded_on(snapshot: Any, a: str, b: str) -> str | None:
    """The day the introduction of ``a`` to ``b`` was recorded, as YYYY-MM-DD."""
    said = snapshot.get_edge_data(a, b, "INTRODUCED_TO") or {}
    day = said.get("date")
    if day is None:
        return None
    return day.isoformat() if hasattr(day, "isoformat") else str(day)[:10]
