"""Growth over time: members and ties by month, and constellations as they formed."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from graphsvc.analysis.growth import Growth
from visualisations.palette import COLOURS
from visualisations.plotting import plain

MAX_NAMED = 5  # constellations named in one month's hover text


def _formed_text(labels: list[str]) -> str:
    named = "<br>".join(plain(label) for label in labels[:MAX_NAMED])
    more = len(labels) - MAX_NAMED
    return named + (f"<br>and {more} more" if more > 0 else "")


def growth_chart(growth: Growth) -> go.Figure:
    """Members and ties (cumulative, by month) above, constellations formed below."""
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.65, 0.35],
        vertical_spacing=0.08,
        specs=[[{"secondary_y": True}], [{}]],
    )
    fig.add_trace(
        go.Scatter(
            x=growth.months,
            y=growth.members,
            name="members",
            line={"color": COLOURS[0], "width": 3},
            hovertemplate="%{x}: %{y:,} members<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=growth.months,
            y=growth.ties,
            name="ties (from when both had joined)",
            line={"color": COLOURS[1], "width": 2, "dash": "dot"},
            hovertemplate="%{x}: %{y:,} ties<extra></extra>",
        ),
        row=1,
        col=1,
        secondary_y=True,
    )
    fig.add_trace(
        go.Scatter(
            x=growth.months,
            y=growth.constellations,
            name="constellations formed",
            line={"color": COLOURS[2], "width": 2, "shape": "hv"},
            hovertemplate="%{x}: %{y} constellations<extra></extra>",
        ),
        row=2,
        col=1,
    )
    months = [i for i, labels in enumerate(growth.formed) if labels]
    fig.add_trace(
        go.Scatter(
            x=[growth.months[i] for i in months],
            y=[growth.constellations[i] for i in months],
            mode="markers",
            marker={"color": COLOURS[2], "size": 8},
            name="formed that month",
            hovertext=[f"{growth.months[i]}<br>{_formed_text(growth.formed[i])}" for i in months],
            hoverinfo="text",
        ),
        row=2,
        col=1,
    )
    fig.update_yaxes(title_text="members", rangemode="tozero", row=1, col=1, secondary_y=False)
    fig.update_yaxes(title_text="ties", rangemode="tozero", row=1, col=1, secondary_y=True)
    fig.update_yaxes(title_text="constellations", rangemode="tozero", row=2, col=1)
    fig.update_layout(
        title={"text": "The network over time"},
        template="plotly_white",
        height=560,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.1},
        hovermode="closest",
    )
    return fig
