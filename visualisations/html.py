"""Maps and charts as self-contained HTML files that open offline."""

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from visualisations.assets import asset_text
from visualisations.network_map import NetworkMap

_templates = Environment(
    loader=PackageLoader("visualisations", "templates"),
    autoescape=select_autoescape(["html"]),
)


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever strings it holds.

    ``<``, ``>`` and ``&`` are written as escapes, so a name such as
    ``</script><script>alert(1)`` cannot end the element.

    Examples
    --------
    >>> script_json({"name": "</script>"})
    '{"name": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def map_file(drawn: NetworkMap, title: str) -> str:
    """The map as one HTML file: data, scripts and styles inline, nothing fetched."""
    return _templates.get_template("network_map.html").render(
        title=title,
        data=script_json(drawn.to_json()),
        styles=[asset_text("vis-network.css"), asset_text("map.css")],
        scripts=[asset_text("vis-network.min.js"), asset_text("map.js")],
    )
