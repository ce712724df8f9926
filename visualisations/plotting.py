"""What every chart shares: safe text and figures as plain JSON.

plotly.js reads titles, labels and hover text as a small HTML dialect (it
draws ``<b>``, ``<br>`` and ``<a href>``), so every string that came from
users goes through :func:`plain` first; plotly.js shows the escaped
characters as themselves.
"""

import html
import json
from typing import Any

import plotly.graph_objects as go


def plain(text: object) -> str:
    """``text`` with ``<``, ``>`` and ``&`` escaped, for plotly's HTML-like labels.

    >>> plain('<a href="x">me</a>')
    '&lt;a href="x"&gt;me&lt;/a&gt;'
    """
    return html.escape(str(text), quote=False)


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON data (``data``, ``layout``), as plotly.js takes it."""
    found: dict[str, Any] = json.loads(fig.to_json())
    return found
