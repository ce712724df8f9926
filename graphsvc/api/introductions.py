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

from graphsvc.analysis.introductions import Introduction, suggest_introductions
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
    return IntroductionPublic(
        a=pair[0],
        b=pair[1],
        score=intro.score,
        reasons=_reasons_shown(intro, mutual),
        introducer=presenter.summary(introducer) if introducer else None,
        mutual_contacts=mutual,
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
) -> list[IntroductionPublic]:
    """Introductions for one person, or that one connector could make, computed now."""
    G = analysis.collaboration
    subject = for_person or for_connector
    if G is None or analysis.profile is None or subject not in G:
        return []
    kwargs: dict[str, Any] = {"for_person": for_person, "for_connector": for_connector}
    found = suggest_introductions(
        G,
        k=limit * 2,  # some may be left out for this viewer
        membership=analysis.constellations.membership,
        single_points={s.person for s in analysis.constellations.single_points},
        exclude=[(a, b) for a, b, _, _ in analysis.profile.introductions],
        scorer=generation.scorer(),
        **kwargs,
    )
    return present_introductions(presenter, analysis, found, limit)
