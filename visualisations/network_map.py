"""The network map: people coloured by constellation, sector or region.

Takes the analysis and a test of who the viewer may name, and returns what
vis-network draws: nodes with positions already computed
(:mod:`visualisations.layout`), ties, and a legend. People the viewer may not
name are not on the map at all, and nor are their ties. A map of more people
than a browser can draw at once becomes an overview: one bubble per
constellation, sized by its members (everyone counted, named or not).

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
from graphsvc.analysis.profiles import PersonProfile
from visualisations.layout import centre_of, positions, strongest_ties
from visualisations.palette import UNKNOWN, colours_for

ColourBy = Literal["constellation", "sector", "region"]
COLOUR_BY: tuple[ColourBy, ...] = ("constellation", "sector", "region")
# The most people one map draws; past it, the overview. Headless Chromium on
# two cores draws 5,000 in about a second (benchmarks/map_in_browser.py).
MAX_PEOPLE = 5000
# Labels on every node only for small maps; larger ones show names on hover.
LABELS_UP_TO = 300
BRIDGE_BORDER = "#111111"
SUGGESTED = "#D55E00"

Positions = Mapping[Hashable, tuple[float, float]]


@dataclass
class NetworkMap:
    """What a map page or file draws, as plain data."""

    kind: Literal["people", "overview", "ego"]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[tuple[str, str]]
    colour_by: ColourBy
    people: int  # named on this map
    not_shown: int = 0  # matching people the map leaves out (overview, or too many)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "nodes": self.nodes,
            "edges": self.edges,
            "legend": [{"label": label, "colour": colour} for label, colour in self.legend],
            "colour_by": self.colour_by,
            "people": self.people,
            "not_shown": self.not_shown,
            "notes": self.notes,
        }


@dataclass
class _Painter:
    """How each person looks: colour, size and tooltip, from the analysis."""

    analysis: Analysis
    colour_by: ColourBy
    names: Mapping[str, str]
    constellation_labels: dict[str, str]
    brokers: set[Any]
    single_points: set[Any]
    top_betweenness: float
    colours: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, analysis: Analysis, colour_by: ColourBy, people: list[PersonProfile]) -> "_Painter":
        assert analysis.profile is not None
        bridges = analysis.bridges
        painter = cls(
            analysis,
            colour_by,
            analysis.profile.node_names,
            constellation_labels={c.id: c.label for c in analysis.constellations.constellations},
            brokers={b.person for b in bridges.brokers} | set(bridges.cut_points),
            single_points={s.person for s in analysis.constellations.single_points},
            top_betweenness=max((s.betweenness for s in bridges.scores.values()), default=0) or 1.0,
        )
        painter.colours = colours_for(painter.category(p) for p in people)
        return painter

    def category(self, person: PersonProfile) -> str | None:
        if self.colour_by == "sector":
            return person.sector
        if self.colour_by == "region":
            return person.region
        constellation = self.analysis.constellations.membership.get(person.id)
        return self.constellation_labels.get(constellation) if constellation else None

    def node(
        self, person: PersonProfile, where: tuple[float, float], label: bool
    ) -> dict[str, Any]:
        category = self.category(person)
        colour = self.colours.get(category, UNKNOWN) if category else UNKNOWN
        bridge = person.id in self.brokers
        single = person.id in self.single_points
        node: dict[str, Any] = {
            "id": person.id,
            "title": self.tooltip(person, category, bridge, single),
            "x": where[0],
            "y": where[1],
            "size": self.size(person.id),
            "color": {"background": colour, "border": BRIDGE_BORDER if bridge else colour},
            "borderWidth": 3 if bridge else 1,
            "shape": "diamond" if single else "dot",
        }
        if label:
            node["label"] = person.name
        return node

    def tooltip(
        self, person: PersonProfile, category: str | None, bridge: bool, single: bool
    ) -> str:
        lines = [person.name]
        if person.organisation:
            lines.append(self.names.get(person.organisation, ""))
        if person.place:
            lines.append(self.names.get(person.place, ""))
        if person.themes:
            lines.append("Interests: " + ", ".join(self.names.get(t, t) for t in person.themes))
        if category and self.colour_by == "constellation":
            lines.append(f"Constellation: {category}")
        if bridge:
            lines.append("A bridge between constellations")
        if single:
            lines.append("A single point of light (few or no ties yet)")
        return "\n".join(line for line in lines if line)

    def size(self, person_id: str) -> float:
        score = self.analysis.bridges.scores.get(person_id)
        betweenness = score.betweenness if score else 0.0
        return round(8 + 22 * math.sqrt(betweenness / self.top_betweenness), 1)

    def legend(self) -> list[tuple[str, str]]:
        return [*self.colours.items(), ("unknown", UNKNOWN)]


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
) -> NetworkMap:
    """The map of ``people`` (those the viewer may name), or an overview if too many.

    ``where`` holds every person's position (:func:`visualisations.layout.positions`
    on the whole network, so a filtered map keeps everyone in their place).
    """
    assert analysis.profile is not None and analysis.collaboration is not None
    profiles = analysis.profile.people
    wanted = [profiles[p] for p in people if p in profiles]
    shown = [p for p in wanted if may_name(p.id)]
    if len(shown) > max_people:
        return overview_map(analysis, where, colour_by, not_shown=len(shown))
    painter = _Painter.of(analysis, colour_by, shown)
    label = len(shown) <= LABELS_UP_TO
    nodes = [painter.node(p, where.get(p.id, (0.0, 0.0)), label) for p in shown]
    ids = {p.id for p in shown}
    edges = _tie_edges(analysis, ids)
    return NetworkMap("people", nodes, edges, painter.legend(), colour_by, people=len(shown))


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
                "color": {"color": BRIDGE_BORDER if bridge else "#9AA5B1", "opacity": 0.6},
                **(
                    {"title": "A bridge tie: the only link between its two sides"} if bridge else {}
                ),
            }
        )
    return edges


def overview_map(
    analysis: Analysis, where: Positions, colour_by: ColourBy, not_shown: int
) -> NetworkMap:
    """One bubble per constellation, placed where its members are, tied by shared ties."""
    constellations = analysis.constellations.constellations
    painter = _Painter.of(analysis, "constellation", [])
    painter.colours = colours_for(c.label for c in constellations)
    largest = max((c.size for c in constellations), default=1)
    nodes = [
        {
            "id": f"constellation:{c.id}",
            "constellation": c.id,
            "label": f"{c.label} ({c.size})",
            "title": f"{c.label}\n{c.size} members\nThemes: {', '.join(c.themes[:3])}",
            "x": (centre := centre_of({m: where[m] for m in c.members if m in where}))[0],
            "y": centre[1],
            "size": round(10 + 50 * math.sqrt(c.size / largest), 1),
            "color": painter.colours.get(c.label, UNKNOWN),
            "shape": "dot",
        }
        for c in constellations
    ]
    edges = [
        {"from": f"constellation:{a}", "to": f"constellation:{b}", "width": w}
        for a, b, w in _constellation_ties(analysis)
    ]
    return NetworkMap(
        "overview",
        nodes,
        edges,
        painter.legend(),
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
) -> NetworkMap:
    """A person's own network two steps out, with suggested introductions dashed.

    The two steps go only through people the viewer may name: someone reached
    only through a person they may not is left out, as they would show that
    person's ties.
    """
    assert analysis.collaboration is not None and analysis.profile is not None
    near = _reached_through_nameable(analysis.collaboration, person_id, may_name, steps=2)
    pairs = [(a, b) for a, b in suggested if may_name(a) and may_name(b)]
    ids = [p for p in {*near, person_id, *(x for pair in pairs for x in pair)} if may_name(p)]
    drawn = network_map(analysis, ids, where, may_name, colour_by, max_people=MAX_PEOPLE)
    for node in drawn.nodes:
        if node["id"] == person_id:
            node["borderWidth"] = 5
            node["color"]["border"] = BRIDGE_BORDER
            node["label"] = analysis.profile.people[person_id].name
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
    drawn.legend.append(("suggested introduction (dashed)", SUGGESTED))
    return drawn
