"""The scripts and styles maps and charts need, served from this machine, never a CDN.

vis-network comes from the copy pyvis ships (pinned in pyproject.toml):
pyvis's own templates would fetch it from a CDN in every mode, and its
``add_edge`` checks for duplicates by scanning every edge, so maps are built
here and drawn by ``map.js``, this project's own. plotly.js comes from the
copy the plotly package ships.
"""

import importlib.util
from pathlib import Path

HERE = Path(__file__).parent


def _package_dir(name: str) -> Path:
    # Found without importing: pyvis imports IPython when imported.
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


ASSETS: dict[str, Path] = {
    "vis-network.min.js": _package_dir("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js",
    "vis-network.css": _package_dir("pyvis") / "lib" / "vis-9.1.2" / "vis-network.css",
    "map.js": HERE / "static" / "map.js",
    "map.css": HERE / "static" / "map.css",
    "plotly.min.js": _package_dir("plotly") / "package_data" / "plotly.min.js",
    "charts.js": HERE / "static" / "charts.js",
}


def asset_path(name: str) -> Path | None:
    """The file of a named asset, or None if there is no such asset."""
    return ASSETS.get(name)


def asset_text(name: str) -> str:
    return ASSETS[name].read_text(encoding="utf-8")
