"""Introductions as a viewer may see them: both people nameable, the introducer
shown only where nameable too; and, whoever is asking, only people who may be
suggested now (the view's consent, which a change of consent updates at once,
not the analysis' copy of it)."""

from collections.abc import Iterable
from typing import Any

from graphsvc.analysis.introductions import Introduction, suggest_introductions
from graphsvc.analysis.pipeline import Analysis
from graphsvc.api.present import Presenter
from graphsvc.api.schemas import IntroductionPublic
from graphsvc.service import Generation


def present_introductions(
    presenter: Presenter, found: Iterable[Introduction], limit: int
) -> list[IntroductionPublic]:
    shown = []
    for intro in found:
        if not (presenter.may_suggest(intro.a) and presenter.may_suggest(intro.b)):
            continue
        pair = presenter.all_nameable(intro.a, intro.b)
        if pair is None:
            continue
        introducer = intro.introducer if presenter.may_suggest(intro.introducer) else None
        shown.append(
            IntroductionPublic(
                a=pair[0],
                b=pair[1],
                score=intro.score,
                reasons=intro.reasons,
                introducer=presenter.summary(introducer) if introducer else None,
                mutual_contacts=intro.mutual_contacts,
            )
        )
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
    return present_introductions(presenter, found, limit)
