"""Representation charts: a UK map of regions and nations shaded by how far
their share of a group departs from their share of the population, and bars
of each share with its confidence interval against what is expected.

A category is coloured as under- or over-represented only when its whole
confidence interval lies below or above the expected share (the verdict of
:func:`graphsvc.analysis.gaps.compare_shares`); the rest are grey, so a
small group's chance mix is not read as a gap.
"""

import math
from collections.abc import Sequence

import plotly.graph_objects as go

from graphsvc.analysis.gaps import Share
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


def _shade(share: Share) -> str:
    """The verdict's colour, stronger the further the share is from expected."""
    red, green, blue = VERDICT_COLOURS[share.verdict]
    if share.verdict == "as expected":
        return f"rgba({red},{green},{blue},0.6)"
    ratio = (share.share + 0.005) / (share.expected + 0.005)
    strength = min(abs(math.log2(ratio)) / 2, 1.0)  # four times as many or as few: full
    return f"rgba({red},{green},{blue},{0.35 + 0.6 * strength:.2f})"


def _describe(share: Share, expected_as: str, confidence: float) -> str:
    return (
        f"{plain(share.category)}<br>"
        f"{share.count} member{'s' if share.count != 1 else ''}, {share.share:.0%} "
        f"({confidence:.0%} interval {share.low:.0%} to {share.high:.0%})<br>"
        f"{expected_as}: {share.expected:.0%}<br>{VERDICT_NAMES[share.verdict]}"
    )


def _ratio(share: Share) -> str:
    if share.expected == 0:
        return ""
    return f"×{share.share / share.expected:.1f}"


def region_map(shares: Sequence[Share], title: str, confidence: float = 0.95) -> go.Figure:
    """The UK's regions and nations shaded by their representation in a group.

    ``shares`` are the group's regions against the population
    (:attr:`graphsvc.analysis.gaps.Representation.regions`).
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
    shares: Sequence[Share], title: str, expected_as: str, confidence: float = 0.95
) -> go.Figure:
    """Each category's share with its confidence interval, and the expected share marked.

    ``expected_as`` names what is expected ("UK population", "target").
    """
    ordered = list(reversed(shares))  # plotly draws the first bar at the bottom
    categories = [plain(s.category) for s in ordered]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[s.share for s in ordered],
            y=categories,
            orientation="h",
            marker={"color": [_shade(s) for s in ordered]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [round(s.high - s.share, 4) for s in ordered],
                "arrayminus": [round(s.share - s.low, 4) for s in ordered],
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
