"""Colours for categories on maps and charts: distinct, stable, readable."""

from collections.abc import Iterable

# Okabe & Ito's colour-blind-safe set, then Tableau 10's remainder; past these
# the map's colours repeat and the legend says so.
COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
)
UNKNOWN = "#C8C8C8"


def colours_for(categories: Iterable[str | None]) -> dict[str, str]:
    """A colour per category, the most common first; ``None`` is left out (grey).

    Examples
    --------
    >>> colours_for(["b", "a", "b", None])
    {'b': '#0072B2', 'a': '#E69F00'}
    """
    counts: dict[str, int] = {}
    for category in categories:
        if category is not None:
            counts[category] = counts.get(category, 0) + 1
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    return {c: COLOURS[i % len(COLOURS)] for i, c in enumerate(ranked)}
