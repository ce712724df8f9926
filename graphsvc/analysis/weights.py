"""The weights of introductions' two scores, and how a deployment sets them.

Kept apart from :mod:`graphsvc.analysis.weaving` (which re-exports them) so
that reading the settings at start does not load numpy, scipy and igraph.
"""

import math
from dataclasses import dataclass, field, fields, replace


@dataclass(frozen=True)
class WeavingWeights:
    """How much each change a tie would make counts towards its weaving value.

    The defaults are the ones ``graphsvc evaluate`` measures (see the README's
    section on introductions); pass others to :func:`suggest_introductions`.
    """

    reaches_single_point: float = 3.0
    reaches_not_in_the_room: float = 1.5
    joins_constellations: float = 1.0
    joins_unlinked_constellations: float = 3.0
    thin_region: float = 1.5  # times how thin the thinner region is (0 to 1)
    other_nation: float = 0.75  # England and Wales, Scotland or Northern Ireland
    other_sector: float = 0.5
    thin_sector: float = 0.75  # times how thin the thinner sector is (0 to 1)
    relieves_cut_point: float = 1.0
    beyond_london: float = 1.0  # one in a London-only circle, the other outside London
    both_in_london: float = -2.0
    already_close: float = -1.5  # times min(mutual contacts, 10) / 10


@dataclass(frozen=True)
class PlausibilityWeights:
    """How much each sign that two people would meet well counts (summing to 1),
    and the floor below which a pair is not suggested at all."""

    shared_interests: float = 0.15  # one shared theme half, two or more in full
    offers_meet_asks: float = 0.1
    proximity: float = 0.05  # the same place in full, region 2/3, nation 1/3
    introducer: float = 0.1  # a mutual contact tied to both, by the weaker tie (capped at 1)
    link_prediction: float = 0.6  # Adamic–Adar / LINK_SCALE, capped at 1
    # One shared theme is enough: something to begin from.
    floor: float = 0.07


@dataclass(frozen=True)
class IntroductionWeights:
    """Both scores' weights, as a deployment sets them by name (``name=value``)."""

    weaving: WeavingWeights = field(default_factory=WeavingWeights)
    plausibility: PlausibilityWeights = field(default_factory=PlausibilityWeights)

    @staticmethod
    def names() -> list[str]:
        """Every weight's name: the fields of both scores' weights."""
        return [f.name for f in (*fields(WeavingWeights), *fields(PlausibilityWeights))]

    def changed(self, pairs: str | list[str]) -> "IntroductionWeights":
        """These weights with some set anew, from ``name=value`` pairs (a list, or
        one string of them separated by commas).

        Raises :class:`ValueError` naming the first name that is no weight, or
        whose value is no finite number.

        >>> w = IntroductionWeights().changed("both_in_london=-3, floor=0.1")
        >>> w.weaving.both_in_london, w.plausibility.floor
        (-3.0, 0.1)
        >>> try:
        ...     IntroductionWeights().changed("in_london=1")
        ... except ValueError as error:
        ...     str(error).startswith("unknown weight 'in_london'")
        True
        """
        items = pairs.split(",") if isinstance(pairs, str) else pairs
        weaving: dict[str, float] = {}
        plausible: dict[str, float] = {}
        weaving_names = {f.name for f in fields(WeavingWeights)}
        for item in (i.strip() for i in items):
            if not item:
                continue
            name, _, text = (part.strip() for part in item.partition("="))
            if name not in self.names():
                raise ValueError(f"unknown weight {name!r} (weights: {', '.join(self.names())})")
            (weaving if name in weaving_names else plausible)[name] = _number(name, text)
        return IntroductionWeights(
            replace(self.weaving, **weaving), replace(self.plausibility, **plausible)
        )

    def described(self) -> str:
        """The weights that differ from the defaults, as ``name=value`` pairs
        (empty for the defaults): what a saved analysis was computed with.

        >>> IntroductionWeights().changed("floor=0.1").described()
        'floor=0.1'
        """
        default = IntroductionWeights()
        return ",".join(
            f"{f.name}={getattr(mine, f.name):g}"
            for mine, theirs in (
                (self.weaving, default.weaving),
                (self.plausibility, default.plausibility),
            )
            for f in fields(mine)
            if getattr(mine, f.name) != getattr(theirs, f.name)
        )


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"weight {name!r} is not a number: {text!r}")
    return value
