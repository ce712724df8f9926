"""Colours for categories on maps and charts: distinct, stable, readable.

A category's colour comes from its identity, never from its place in a list
of what a map shows: a region, sector or constellation keeps its colour on
every map, after every filter and for every role. A kind with a fixed list
(the UK's regions in ONS order, the sectors) takes the palette in that
order (:func:`fixed_colours`), so its dozen colours are the most distinct
dozen; a kind without one (constellations) is hashed into the palette, two
that land on the same colour told apart by probing onwards in an order fixed
by the whole set of that kind, not by the ones a map happens to show
(:func:`stable_colours`).
"""

import hashlib
from collections.abc import Iterable

# Okabe & Ito's colour-blind-safe set without its black, then Paul Tol's
# "muted" set: no greys, so grey means only "unknown".
COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#882255",
    "#999933",
    "#44AA99",
    "#AA4499",
    "#117733",
    "#88CCEE",
    "#DDCC77",
    "#CC6677",
)
UNKNOWN = "#C8C8C8"


def _slot(key: str) -> int:
    """Where a key lands in the palette: a hash that is the same in every process."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % len(COLOURS)


def stable_colours(every: Iterable[str]) -> dict[str, str]:
    """A colour for each of ``every`` category of one kind, from its identity alone.

    Each key goes to the colour its hash names or, if an earlier key (in
    sorted order) took it, the next free one; once all are taken colours
    repeat, at the hashed slot. The answer for a key depends only on the whole
    set, so a map showing some of them colours each as a map showing all does.

    Examples
    --------
    >>> every = ["London", "Wales", "Scotland"]
    >>> stable_colours(every) == stable_colours(reversed(every))
    True
    >>> len(set(stable_colours(every).values()))
    3
    """
    taken: set[int] = set()
    colours: dict[str, str] = {}
    for key in sorted(set(every)):
        slot = _slot(key)
        if len(taken) < len(COLOURS):
            while slot in taken:
                slot = (slot + 1) % len(COLOURS)
            taken.add(slot)
        colours[key] = COLOURS[slot]
    return colours


def fixed_colours(ordered: Iterable[str]) -> dict[str, str]:
    """The palette's colours in turn, for a kind whose every member is known in
    a fixed order (repeating past the palette's end).

    >>> fixed_colours(["North East", "North West"])
    {'North East': '#0072B2', 'North West': '#E69F00'}
    """
    return {key: COLOURS[i % len(COLOURS)] for i, key in enumerate(dict.fromkeys(ordered))}


def colours_for(categories: Iterable[str | None]) -> dict[str, str]:
    """A colour per category seen, by identity (:func:`stable_colours`); ``None`` is left out.

    Examples
    --------
    >>> colours_for(["b", "a", "b", None]) == stable_colours(["a", "b"])
    True
    """
    return stable_colours(c for c in categories if c is not None)
