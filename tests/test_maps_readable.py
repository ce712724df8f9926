"""Maps people can read: stable colours, "you" marked, a key that explains
everything drawn, and a layout unconnected people cannot squash."""

from types import SimpleNamespace
from typing import Any, cast

import networkx as nx
import pytest

from graphsvc.access import Role
from graphsvc.analysis.pipeline import Analysis
from visualisations.layout import positions
from visualisations.map_key import SUGGESTED
from visualisations.painter import unique_labels
from visualisations.palette import COLOURS, UNKNOWN, stable_colours


def _colours_by(drawn: dict[str, Any], field: str) -> dict[str, str]:
    """Each value of a node field (a constellation's label, say) and the colour it is drawn in."""
    found: dict[str, set[str]] = {}
    for node in drawn["nodes"]:
        if node.get(field):
            found.setdefault(node[field], set()).add(node["color"]["background"])
    assert all(len(c) == 1 for c in found.values()), "one category drawn in two colours"
    return {k: next(iter(c)) for k, c in found.items()}


def _agree(*maps: dict[str, str]) -> int:
    """How many categories two or more maps share; fails if any is coloured differently."""
    shared = 0
    for first in maps:
        for other in maps:
            for key in first.keys() & other.keys():
                assert first[key] == other[key], key
                shared += 1
    return shared


def test_a_constellation_keeps_its_colour_on_every_map_after_a_filter_and_for_every_role(
    shared_service: Any,
) -> None:
    service = shared_service
    member_map = service.get("/api/map", Role.MEMBER).json()
    admin_map = service.get("/api/map", Role.ADMIN).json()
    region = next(n for n in service.get("/api/people", Role.ADMIN, limit=50).json()["items"])
    region_name = service.get(f"/api/people/{region['id']}", Role.ADMIN).json()["region"]
    filtered = service.get("/api/map", Role.CONNECTOR, region=region_name).json()
    own = service.get(f"/api/people/{service.member_person}/map", Role.MEMBER).json()
    maps = [_colours_by(m, "constellation") for m in (member_map, admin_map, filtered, own)]
    assert len(maps[2]) < len(maps[1])  # the filter left some constellations out
    assert _agree(*maps) > 10


def test_a_region_and_a_sector_keep_their_colours_after_a_filter_and_for_every_role(
    shared_service: Any,
) -> None:
    service = shared_service
    for colour_by, field in (("region", "region"), ("sector", "sector")):
        everyone = service.get("/api/map", Role.ADMIN, colour_by=colour_by).json()
        members = service.get("/api/map", Role.MEMBER, colour_by=colour_by).json()
        cell = service.get("/api/cells", Role.ADMIN).json()["items"][0]["id"]
        one_cell = service.get("/api/map", Role.MEMBER, colour_by=colour_by, cell=cell).json()
        keys = [
            {e["label"]: e["colour"] for e in m["legend"] if e["kind"] == "colour"}
            for m in (everyone, members, one_cell)
        ]
        assert len(keys[2]) < len(keys[0]), field
        assert _agree(*keys) > 3


def test_the_palette_is_free_of_greys_and_suggested_ties_have_a_style_of_their_own() -> None:
    def grey(colour: str) -> bool:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return max(red, green, blue) - min(red, green, blue) < 24

    assert [c for c in COLOURS if grey(c)] == [] and grey(UNKNOWN)
    assert len(set(COLOURS)) == len(COLOURS) and SUGGESTED not in COLOURS


def test_a_colour_depends_on_the_whole_set_never_on_the_order_it_is_given_in() -> None:
    regions = [f"region {i}" for i in range(12)]
    assert stable_colours(regions) == stable_colours(list(reversed(regions)))
    assert len(set(stable_colours(regions).values())) == 12  # collisions moved, not kept


def test_you_are_marked_on_every_map_you_appear_on_and_the_key_says_so(
    shared_service: Any,
) -> None:
    service = shared_service
    for path in ("/api/map", f"/api/people/{service.member_person}/map"):
        drawn = service.get(path, Role.MEMBER).json()
        yours = [n for n in drawn["nodes"] if n.get("you")]
        assert [n["id"] for n in yours] == [service.member_person]
        assert yours[0]["shape"] == "star"
        assert "star: you" in [e["label"] for e in drawn["legend"]]
    # The connector's map marks the connector, never the member.
    drawn = service.get("/api/map", Role.CONNECTOR).json()
    assert [n["id"] for n in drawn["nodes"] if n.get("you")] == [service.connector_person]


def test_the_key_explains_colour_size_ring_shape_and_suggested_ties(shared_service: Any) -> None:
    service = shared_service
    drawn = service.get(f"/api/people/{service.member_person}/map", Role.MEMBER).json()
    kinds = {e["kind"] for e in drawn["legend"]}
    assert {"heading", "colour", "size", "you", "tie", "suggested"} <= kinds
    everyone = service.get("/api/map", Role.ADMIN).json()
    kinds = {e["kind"] for e in everyone["legend"]}
    assert {"ring", "diamond"} <= kinds  # bridges and single points of light
    assert any(n["shape"] == "diamond" for n in everyone["nodes"])


@pytest.mark.parametrize("unconnected", [5, 60])
def test_unconnected_people_do_not_squash_the_main_part_of_the_map(unconnected: int) -> None:
    # Large enough for the layout's grid variant, where loose nodes flew furthest.
    G = nx.connected_watts_strogatz_graph(1500, 6, 0.1, seed=3)
    G.add_nodes_from(f"alone {i}" for i in range(unconnected))
    G.add_edge("pair a", "pair b")
    where = positions(G)
    assert len(where) == len(G)

    def span(nodes: list[Any]) -> float:
        xs = [where[n][0] for n in nodes]
        ys = [where[n][1] for n in nodes]
        return max(max(xs) - min(xs), max(ys) - min(ys))

    main = [n for n in G if isinstance(n, int)]
    # The main part spans most of the map, whichever way the map is fitted.
    assert span(main) > 0.6 * span(list(G))


def test_constellations_sharing_a_label_are_numbered_apart() -> None:
    def found(id_: str, label: str) -> SimpleNamespace:
        return SimpleNamespace(id=id_, label=label)

    analysis = SimpleNamespace(
        constellations=SimpleNamespace(
            constellations=[
                found("c:2", "Health · London"),
                found("c:1", "Health · London"),
                found("c:3", "Youth work"),
            ]
        )
    )
    assert unique_labels(cast(Analysis, analysis)) == {
        "c:1": "Health · London (1)",
        "c:2": "Health · London (2)",
        "c:3": "Youth work",
    }
