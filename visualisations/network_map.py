"""The network map: people coloured by constellation, sector or region.

Takes the analysis and a test of who the viewer may name, and returns what
vis-network draws: nodes with positions already computed
(:mod:`visualisations.layout`), ties, and a key
(:mod:`visualisations.map_key`). People the viewer may not
name are not on the map at all, and nor are their ties. A map of more people
than a browser can draw at once becomes an overview: one bubble per
constellation, sized by its members (everyone counted, named or not).

Colours come from each category's identity (:func:`visualisations.palette.stable_colours`
over every category of its kind), so they are the same on every map. Each
person's node also carries their name, organisation, place and constellation
as separate fields (what the tooltip says, no more) for the list beside the
map and the labels the page draws.

Tooltips are plain text. vis-network shows a string ``title`` as text, never
as HTML; the page and file templates never turn it into markup (pyvis's own
template does, for any title containing ``href``).
"""

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from graphsvc.analysis.pipeline import Analysis
from visualisations import map_key
from visualisations.layout import centre_of, positions, strongest_ties
from visualisations.map_key import BRIDGE_BORDER, SUGGESTED, TIE, KeyEntry
from visualisations.painter import ColourBy as ColourBy  # re-exported: the routes name it
from visualisations.painter import Painter

COLOUR_BY: tuple[ColourBy, ...] = ("constellation", "sector", "region")
# The most people one map draws; past it, the overview. Headless Chromium on
# two cores draws 5,000 in about a second (benchmarks/map_in_browser.py).
MAX_PEOPLE = 5000

Positions = Mapping[Hashable, tuple[float, float]]


@dataclass
class NetworkMap:
    """What a map page or file draws, as plain data."""

    kind: Literal["people", "overview", "ego"]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[KeyEntry]
    colour_by: ColourBy
    people: int  # named on this map
    not_shown: int = 0  # matching people the map leaves out (overview, or too many)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "nodes": self.nodes,
            "edges": self.edges,
            "legend": self.legend,
            "colour_by": self.colour_by,
            "people": self.people,
            "not_shown": self.not_shown,
            "notes": self.notes,
        }


def network_positions(analysis: Analysis, seed: int = 0) -> Positions:
    """Every person's place on the map, laid out once from the strongest ties."""
    assert analysis.collaboration is not None
    return positions(strongest_ties(analysis.collaboration), seed=seed)


def network_map(
    analysis: Analysis,
    people: Iterable[str],
    where: Positions,
    may_name: Callable[[str], bool],
    colour_by: ColourBy = "constellation",
    max_people: int = MAX_PEOPLE,
    you: str | None = None,
) -> NetworkMap:
    """The map of ``people`` (those the viewer may name), or an overview if too many.

    ``where`` holds every person's position (:func:`visualisations.layout.positions`
    on the whole network, so a filtered map keeps everyone in their place).
    ``you`` is the viewer's own person, marked wherever they are on the map.
    """
    assert analysis.profile is not None and analysis.collaboration is not None
    profiles = analysis.profile.people
    wanted = [profiles[p] for p in people if p in profiles]
    shown = [p for p in wanted if may_name(p.id)]
    if len(shown) > max_people:
        return overview_map(analysis, where, colour_by, not_shown=len(shown), you=you)
    painter = Painter.of(analysis, colour_by, you)
    nodes = [painter.node(p, where.get(p.id, (0.0, 0.0))) for p in shown]
    ids = {p.id for p in shown}
    edges = _tie_edges(analysis, ids)
    return NetworkMap("people", nodes, edges, painter.legend(nodes), colour_by, people=len(shown))


def _tie_edges(analysis: Analysis, ids: set[str]) -> list[dict[str, Any]]:
    assert analysis.collaboration is not None
    shown = strongest_ties(analysis.collaboration.subgraph(ids))
    bridges = {frozenset((t.a, t.b)) for t in analysis.bridges.bridge_ties}
    edges = []
    for a, b, data in shown.edges(data=True):
        bridge = frozenset((a, b)) in bridges
        edges.append(
            {
                "from": a,
                "to": b,
                "width": round(min(6.0, 0.5 + math.log1p(data["weight"])), 2),
                "color": {"color": BRIDGE_BORDER if bridge else TIE, "opacity": 0.6},
                **(
                    {"title": "A bridge tie: the only link between its two sides"} if bridge else {}
                ),
            }
        )
    return edges


def overview_map(
    analysis: Analysis,
    where: Positions,
    colour_by: ColourBy,
    not_shown: int,
    you: str | None = None,
) -> NetworkMap:
    """One bubble per constellation, placed where its members are, tied by shared ties.

    The constellation ``you`` are in has a black ring.
    """
    constellations = analysis.constellations.constellations
    painter = Painter.of(analysis, "constellation")
    yours = analysis.constellations.membership.get(you) if you else None
    largest = max((c.size for c in constellations), default=1)
    nodes = []
    for c in constellations:
        colour = painter.colour_of(c.id)
        label = painter.constellation_labels[c.id]
        centre = centre_of({m: where[m] for m in c.members if m in where})
        node: dict[str, Any] = {
            "id": f"constellation:{c.id}",
            "constellation": c.id,
            "name": label,
            "members": c.size,
            "title": f"{label}\n{c.size} members\nThemes: {', '.join(c.themes[:3])}",
            "x": centre[0],
            "y": centre[1],
            "size": round(10 + 50 * math.sqrt(c.size / largest), 1),
            "color": {"background": colour, "border": colour},
            "borderWidth": 1,
            "shape": "dot",
        }
        if c.id == yours:
            node["you"] = True
            node["title"] += "\nYou are in this constellation"
            node["color"]["border"] = BRIDGE_BORDER
            node["borderWidth"] = 4
        nodes.append(node)
    edges = [
        {"from": f"constellation:{a}", "to": f"constellation:{b}", "width": w}
        for a, b, w in _constellation_ties(analysis)
    ]
    legend = [
        map_key.heading("constellation"),
        *map_key.colour_entries(painter.shown, painter.constellation_labels, False),
        *map_key.overview_entries(you_in=yours is not None),
    ]
    return NetworkMap(
        "overview",
        nodes,
        edges,
        legend,
        colour_by,
        people=0,
        not_shown=not_shown,
        notes=[
            f"{not_shown} people match: too many to draw at once. Each bubble is a "
            "constellation; choose one, or filter, to see its people."
        ],
    )


def _constellation_ties(analysis: Analysis) -> list[tuple[str, str, float]]:
    assert analysis.collaboration is not None
    membership = analysis.constellations.membership
    weights: dict[tuple[str, str], float] = {}
    for a, b, data in analysis.collaboration.edges(data=True):
        ca, cb = membership.get(a), membership.get(b)
        if ca and cb and ca != cb:
            key = (ca, cb) if ca < cb else (cb, ca)
            weights[key] = weights.get(key, 0.0) + data.get("weight", 1.0)
    top = max(weights.values(), default=1.0)
    return [(a, b, round(1 + 7 * w / top, 2)) for (a, b), w in sorted(weights.items())]


def _reached_through_nameable(
    G: "nx.Graph[str]", person_id: str, may_name: Callable[[str], bool], steps: int
) -> set[str]:
    """The people within ``steps`` ties of a person, each reached through people
    ``may_name`` allows (none if the person is not in ``G``)."""
    if person_id not in G:
        return set()
    reached = {person_id}
    frontier = {person_id}
    for _ in range(steps):
        frontier = {o for p in frontier for o in G[p] if o not in reached and may_name(o)}
        reached |= frontier
    return reached


def ego_map(
    analysis: Analysis,
    person_id: str,
    where: Positions,
    may_name: Callable[[str], bool],
    suggested: Iterable[tuple[str, str]] = (),
    colour_by: ColourBy = "constellation",
    you: str | None = None,
) -> NetworkMap:
    """A person's own network two steps out, with suggested introductions dashed.

    The two steps go only through people the viewer may name: someone reached
    only through a person they may not is left out, as they would show that
    person's ties. The person whose network it is has a thick black ring,
    unless they are ``you`` (then a star).
    """
    assert analysis.collaboration is not None and analysis.profile is not None
    near = _reached_through_nameable(analysis.collaboration, person_id, may_name, steps=2)
    pairs = [(a, b) for a, b in suggested if may_name(a) and may_name(b)]
    ids = [p for p in {*near, person_id, *(x for pair in pairs for x in pair)} if may_name(p)]
    drawn = network_map(analysis, ids, where, may_name, colour_by, MAX_PEOPLE, you)
    for node in drawn.nodes:
        if node["id"] == person_id and not node.get("you"):
            node["borderWidth"] = 5
            node["color"]["border"] = BRIDGE_BORDER
            node["centre"] = True
    drawn.edges += [
        {
            "from": a,
            "to": b,
            "dashes": True,
            "width": 2,
            "color": {"color": SUGGESTED},
            "title": "Suggested introduction",
        }
        for a, b in pairs
    ]
    drawn.kind = "ego"
    if pairs:
        drawn.legend.append(map_key.suggested_entry())
    return drawn
