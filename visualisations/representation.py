"""Representation charts: a UK map of regions and nations shaded by how far
their share of a group departs from their share of the population, and bars
of each share with its confidence interval against what is expected.

A category is coloured as under- or over-represented only when its whole
confidence interval lies below or above the expected share (the verdict of
:func:`graphsvc.analysis.gaps.compare_shares`); the rest are grey, so a
small group's chance mix is not read as a gap.

A share of a count shown as "fewer than N" comes with no share or interval
(next to the group's size they would give the count away): its area and bar
say so, and draw no value.
"""

import math
from collections.abc import Sequence
from typing import Protocol

import plotly.graph_objects as go

from graphsvc.reference import uk_region_boundaries
from visualisations.plotting import plain

VERDICT_COLOURS = {  # Okabe–Ito: safe for colour-blind readers
    "under": (213, 94, 0),  # vermilion
    "over": (0, 114, 178),  # blue
    "as expected": (200, 200, 200),
}
VERDICT_NAMES = {
    "under": "under-represented",
    "over": "over-represented",
    "as expected": "in line (the interval includes the expected share)",
}
# Longitude is squeezed by the cosine of the UK's middle latitude, so the map
# keeps its shape without a map projection library.
_SQUEEZE = math.cos(math.radians(54.5))


class ShareShown(Protocol):
    """A share as a chart may draw it: a :class:`~graphsvc.analysis.gaps.Share`,
    or one as a viewer may see it, whose small count is "fewer than N" and whose
    share and interval are then None."""

    @property
    def category(self) -> str: ...
    @property
    def count(self) -> int | str: ...
    @property
    def share(self) -> float | None: ...
    @property
    def low(self) -> float | None: ...
    @property
    def high(self) -> float | None: ...
    @property
    def expected(self) -> float: ...
    @property
    def verdict(self) -> str: ...


def _figures(share: ShareShown) -> tuple[float, float, float] | None:
    """The share and its interval, or None where they are not shown."""
    if share.share is None or share.low is None or share.high is None:
        return None
    return share.share, share.low, share.high


def _shade(share: ShareShown) -> str:
    """The verdict's colour, stronger the further the share is from expected."""
    red, green, blue = VERDICT_COLOURS[share.verdict]
    figures = _figures(share)
    if share.verdict == "as expected":
        return f"rgba({red},{green},{blue},0.6)"
    if figures is None:  # how far off would tell the count
        return f"rgba({red},{green},{blue},0.35)"
    ratio = (figures[0] + 0.005) / (share.expected + 0.005)
    strength = min(abs(math.log2(ratio)) / 2, 1.0)  # four times as many or as few: full
    return f"rgba({red},{green},{blue},{0.35 + 0.6 * strength:.2f})"


def _members(count: int | str) -> str:
    return f"{count} member{'' if count == 1 else 's'}"


def _describe(share: ShareShown, expected_as: str, confidence: float) -> str:
    figures = _figures(share)
    if figures is None:
        of_group = f"{_members(share.count)}: too few to show their share"
    else:
        value, low, high = figures
        of_group = (
            f"{_members(share.count)}, {value:.0%} "
            f"({confidence:.0%} interval {low:.0%} to {high:.0%})"
        )
    return (
        f"{plain(share.category)}<br>{of_group}<br>"
        f"{expected_as}: {share.expected:.0%}<br>{VERDICT_NAMES[share.verdict]}"
    )


def _ratio(share: ShareShown) -> str:
    figures = _figures(share)
    if figures is None:
        return str(share.count)
    if share.expected == 0:
        return ""
    return f"×{figures[0] / share.expected:.1f}"


def _label(share: ShareShown) -> str:
    """The category's name on the bars, saying when its share is not shown."""
    if _figures(share) is None:
        return f"{plain(share.category)} ({share.count}, not shown)"
    return plain(share.category)


def region_map(shares: Sequence[ShareShown], title: str, confidence: float = 0.95) -> go.Figure:
    """The UK's regions and nations shaded by their representation in a group.

    ``shares`` are the group's regions against the population
    (:attr:`graphsvc.analysis.gaps.Representation.regions`), exact or as a
    viewer may see them.
    """
    by_name = {s.category: s for s in shares}
    fig = go.Figure()
    labels_x, labels_y, labels, hovers = [], [], [], []
    for feature in uk_region_boundaries()["features"]:
        name = feature["id"]
        share = by_name.get(name)
        if share is None:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            outline = polygon[0]  # the outer ring; the few holes are too small to see
            xs.extend([x * _SQUEEZE for x, _ in outline] + [None])
            ys.extend([y for _, y in outline] + [None])
        hover = _describe(share, "Share of the UK population", confidence)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=_shade(share),
                line={"color": "white", "width": 1},
                mode="lines",
                name=plain(name),
                text=hover,
                hoveron="fills",
                hoverinfo="text",
                showlegend=False,
            )
        )
        x, y = feature["properties"]["label"]
        labels_x.append(x * _SQUEEZE)
        labels_y.append(y)
        labels.append(_ratio(share))
        hovers.append(hover)
    # The ratio to the population share, on each area; hovering it says the rest.
    fig.add_trace(
        go.Scatter(
            x=labels_x,
            y=labels_y,
            mode="text",
            text=labels,
            hovertext=hovers,
            hoverinfo="text",
            textfont={"size": 11, "color": "#222"},
            showlegend=False,
        )
    )
    for verdict, (red, green, blue) in VERDICT_COLOURS.items():
        fig.add_trace(  # legend entries only
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "color": f"rgb({red},{green},{blue})", "symbol": "square"},
                name=VERDICT_NAMES[verdict],
            )
        )
    fig.update_layout(
        title={"text": plain(title)},
        xaxis={"visible": False, "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True, "scaleanchor": "x"},
        template="plotly_white",
        height=620,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.02},
        hovermode="closest",
    )
    return fig


def share_bars(
    shares: Sequence[ShareShown], title: str, expected_as: str, confidence: float = 0.95
) -> go.Figure:
    """Each category's share with its confidence interval, and the expected share marked.

    ``expected_as`` names what is expected ("UK population", "target"). A share
    not shown has no bar, and its label says so.
    """
    ordered = list(reversed(shares))  # plotly draws the first bar at the bottom
    categories = [_label(s) for s in ordered]
    figures = [_figures(s) for s in ordered]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[f[0] if f else None for f in figures],
            y=categories,
            orientation="h",
            marker={"color": [_shade(s) for s in ordered]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [round(f[2] - f[0], 4) if f else None for f in figures],
                "arrayminus": [round(f[0] - f[1], 4) if f else None for f in figures],
                "color": "#333",
                "thickness": 1.5,
            },
            hovertext=[_describe(s, expected_as, confidence) for s in ordered],
            hoverinfo="text",
            name=f"share, with its {confidence:.0%} interval",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[s.expected for s in ordered],
            y=categories,
            mode="markers",
            marker={
                "symbol": "line-ns-open",
                "size": 22,
                "color": "#000",
                "line": {"width": 3, "color": "#000"},
            },
            name=expected_as,
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title={"text": plain(title)},
        xaxis={"tickformat": ".0%", "title": {"text": "share of members"}, "rangemode": "tozero"},
        yaxis={"automargin": True},
        template="plotly_white",
        height=170 + 32 * len(ordered),
        margin={"l": 10, "r": 10, "t": 50, "b": 90},
        legend={"orientation": "h", "y": 0, "yref": "container", "yanchor": "bottom"},
        bargap=0.35,
    )
    return fig
