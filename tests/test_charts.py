"""Representation and growth charts: the shipped boundaries, the figures' content,
and the routes that serve them."""

import itertools
from typing import Any

import networkx as nx
import pytest
from api_service import Service
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from graphsvc.access import Role
from graphsvc.analysis.gaps import MIN_GROUP_SIZE, Share, compare_shares
from graphsvc.analysis.growth import network_growth
from graphsvc.analysis.pipeline import Analysis, analyse
from graphsvc.reference import uk_region_boundaries, uk_regions
from graphsvc.store.snapshot import graph_from_rows
from graphsvc.synthetic import NetworkRecords
from visualisations.growth import growth_chart
from visualisations.plotting import figure_json
from visualisations.representation import VERDICT_COLOURS, region_map, share_bars


@pytest.fixture(scope="module")
def analysis(small_network: NetworkRecords) -> Analysis:
    snapshot = graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in small_network.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in small_network.relationships()),
    )
    return analyse(snapshot)


def test_the_shipped_boundaries_are_the_twelve_regions_and_nations() -> None:
    features = uk_region_boundaries()["features"]
    assert [(f["id"], f["properties"]["ons_code"]) for f in features] == [
        (r.name, r.ons_code) for r in uk_regions()
    ]
    areas = {}
    for feature in features:
        area = shape(feature["geometry"])
        assert area.is_valid, (feature["id"], explain_validity(area))
        west, south, east, north = area.bounds
        assert -8.7 < west < east < 1.8 and 49.8 < south < north < 60.9, feature["id"]
        assert area.contains(Point(feature["properties"]["label"])), feature["id"]
        areas[feature["id"]] = area
    # Neighbours share a border; no two areas overlap by more than simplification slivers.
    assert areas["London"].buffer(0.02).intersects(areas["South East"])
    assert areas["Wales"].buffer(0.02).intersects(areas["West Midlands"])
    assert areas["London"].within(areas["South East"].convex_hull)
    names = list(areas)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            overlap = areas[a].intersection(areas[b]).area
            assert overlap < 0.002 * min(areas[a].area, areas[b].area), (a, b)
    # The largest is Scotland, the smallest London, as on any map.
    by_size = sorted(areas, key=lambda n: areas[n].area)
    assert by_size[0] == "London" and by_size[-1] == "Scotland"


def _fill_of(figure: Any, name: str) -> str:
    [trace] = [t for t in figure.data if t.name == name and t.fill == "toself"]
    return str(trace.fillcolor)


def test_the_region_map_colours_only_what_the_interval_shows() -> None:
    population = {r.name: 1 / 12 for r in uk_regions()}
    counts = {name: 20 for name in population} | {"London": 200, "Wales": 0, "Scotland": 28}
    shares = compare_shares(counts, population)
    verdicts = {s.category: s.verdict for s in shares}
    assert (verdicts["London"], verdicts["Wales"], verdicts["Scotland"]) == (
        "over",
        "under",
        "as expected",
    )
    figure = region_map(shares, "Everyone")
    assert len([t for t in figure.data if t.fill == "toself"]) == 12
    assert _fill_of(figure, "London").startswith("rgba(0,114,178,")  # over: blue
    assert _fill_of(figure, "Wales").startswith("rgba(213,94,0,")  # under: vermilion
    assert _fill_of(figure, "Scotland") == "rgba(200,200,200,0.6)"  # in line: grey
    [labels] = [t for t in figure.data if t.mode == "text"]
    london = list(labels.hovertext)[
        [f["id"] for f in uk_region_boundaries()["features"]].index("London")
    ]
    assert "200 members" in london and "interval" in london and "over-represented" in london
    # The verdicts' legend, in the colours used.
    legend = {t.name: t.marker.color for t in figure.data if t.showlegend is not False}
    assert legend["over-represented"] == "rgb({},{},{})".format(*VERDICT_COLOURS["over"])


def test_share_bars_show_each_interval_and_the_expected_share() -> None:
    shares = [
        Share("funders", 5, 0.5, 0.24, 0.76, 0.1, "over"),
        Share("universities", 1, 0.1, 0.02, 0.4, 0.2, "as expected"),
    ]
    figure = share_bars(shares, "Sectors: <b onmouseover=x>cell</b>", "target mix")
    bars, expected = figure.data
    assert list(bars.y) == ["universities", "funders"]  # the first share at the top
    assert list(bars.error_x.array) == [0.3, 0.26] and list(bars.error_x.arrayminus) == [0.08, 0.26]
    assert list(expected.x) == [0.2, 0.1] and expected.name == "target mix"
    assert figure.layout.title.text == "Sectors: &lt;b onmouseover=x&gt;cell&lt;/b&gt;"
    assert "5 members, 50% (95% interval 24% to 76%)" in bars.hovertext[1]


def test_growth_counts_members_ties_and_constellations_by_month(analysis: Analysis) -> None:
    growth = analysis.growth
    G = analysis.collaboration
    assert G is not None
    dated = [p for p, d in G.nodes(data=True) if d.get("joined")]
    assert growth.members[-1] == len(dated) and growth.undated == len(G) - len(dated)
    assert growth.ties[-1] == sum(
        1 for u, v in G.edges() if G.nodes[u].get("joined") and G.nodes[v].get("joined")
    )
    found = analysis.constellations.constellations
    assert growth.constellations[-1] == len(found)
    assert sum(len(labels) for labels in growth.formed) == len(found)
    for series in (growth.members, growth.ties, growth.constellations):
        assert len(series) == len(growth.months)
        assert all(a <= b for a, b in itertools.pairwise(series))
    # Months are consecutive: no gaps on the time axis.
    years = [int(m[:4]) * 12 + int(m[5:]) for m in growth.months]
    assert years == list(range(years[0], years[0] + len(years)))
    # A constellation forms with its third member: none before three people had joined.
    third = growth.members.index(next(n for n in growth.members if n >= 3))
    assert sum(growth.constellations[:third]) == 0

    chart = figure_json(growth_chart(growth))
    names = [t["name"] for t in chart["data"]]
    assert names[:3] == ["members", "ties (from when both had joined)", "constellations formed"]


def test_growth_of_an_empty_network_is_empty() -> None:
    growth = network_growth(nx.Graph())
    assert growth.months == [] and growth.members == []


def _cell_with(service: Service, analysis_members: int) -> str:
    cells = service.get("/api/cells", Role.ADMIN, limit=100).json()["items"]
    sizes = {c["id"]: c for c in cells}
    for cell_id in sizes:
        found = service.get(f"/api/cells/{cell_id}", Role.ADMIN).json()
        if (found["members"] >= MIN_GROUP_SIZE) == (analysis_members >= MIN_GROUP_SIZE):
            return str(cell_id)
    raise AssertionError("no such cell in the test network")


def test_the_charts_routes_serve_figures_for_the_network_and_a_cell(
    shared_service: Service,
) -> None:
    service = shared_service
    whole = service.get("/api/gaps/charts", Role.CONVENOR)
    assert whole.status_code == 200
    body = whole.json()
    assert body["group"] == "the whole network" and body["members"] == 300
    assert set(body["charts"]) == {"regions_map", "regions", "sectors"}
    fills = [t for t in body["charts"]["regions_map"]["data"] if t.get("fill") == "toself"]
    assert len(fills) == 12

    big = _cell_with(service, MIN_GROUP_SIZE)
    one = service.get("/api/gaps/charts", Role.ADMIN, cell=big).json()
    assert one["group"] != "the whole network" and MIN_GROUP_SIZE <= one["members"] < 300

    small = _cell_with(service, 0)
    refused = service.get("/api/gaps/charts", Role.CONVENOR, cell=small)
    assert refused.status_code == 422 and "judged from 10" in refused.json()["error"]["message"]
    assert service.get("/api/gaps/charts", Role.CONVENOR, cell="cell:nobody").status_code == 404
    assert service.get("/api/gaps/charts", Role.MEMBER).status_code == 403

    growth = service.get("/api/growth", Role.CONVENOR).json()["chart"]
    assert growth["data"][0]["name"] == "members" and growth["data"][0]["y"][-1] > 0


def test_the_chart_scripts_are_served_by_the_service(shared_service: Service) -> None:
    script = shared_service.client.get("/assets/plotly.min.js")
    assert script.status_code == 200 and "plotly.js v" in script.text[:200]
    assert script.headers["content-type"].startswith("text/javascript")
    assert shared_service.client.get("/assets/charts.js").status_code == 200
