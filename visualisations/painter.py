"""How each person on a map looks: colour, size, shape, tooltip and the fields
the list beside the map shows, from the analysis.

Colours come from each category's identity over every category of its kind
(:mod:`visualisations.palette`), never from the people one
map shows, so a region, sector or constellation looks the same on every map.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graphsvc.analysis.pipeline import Analysis
from graphsvc.analysis.profiles import PersonProfile
from graphsvc.model.enums import Sector
from graphsvc.reference import uk_regions
from visualisations import map_key
from visualisations.map_key import BRIDGE_BORDER, KeyEntry
from visualisations.palette import UNKNOWN, fixed_colours, stable_colours

ColourBy = Literal["constellation", "sector", "region"]
# The smallest a star marking "you" is drawn, so it is found at any zoom.
YOU_SIZE = 22


@dataclass
class Painter:
    """How each person looks: colour, size and tooltip, from the analysis."""

    analysis: Analysis
    colour_by: ColourBy
    names: Mapping[str, str]
    constellation_labels: dict[str, str]
    brokers: set[Any]
    single_points: set[Any]
    top_betweenness: float
    you: str | None = None
    colours: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # categories drawn, for the key
    any_unknown: bool = False

    @classmethod
    def of(cls, analysis: Analysis, colour_by: ColourBy, you: str | None = None) -> "Painter":
        assert analysis.profile is not None
        bridges = analysis.bridges
        painter = cls(
            analysis,
            colour_by,
            analysis.profile.node_names,
            constellation_labels=unique_labels(analysis),
            brokers={b.person for b in bridges.brokers} | set(bridges.cut_points),
            single_points={s.person for s in analysis.constellations.single_points},
            top_betweenness=max((s.betweenness for s in bridges.scores.values()), default=0) or 1.0,
            you=you,
        )
        painter.colours = category_colours(analysis, colour_by)
        return painter

    def category(self, person: PersonProfile) -> str | None:
        if self.colour_by == "sector":
            return person.sector
        if self.colour_by == "region":
            return person.region
        return self.analysis.constellations.membership.get(person.id)

    def colour_of(self, category: str | None) -> str:
        colour = self.colours.get(category, UNKNOWN) if category else UNKNOWN
        if colour == UNKNOWN:
            self.any_unknown = True
        else:
            assert category is not None
            self.shown[category] = colour
        return colour

    def node(self, person: PersonProfile, where: tuple[float, float]) -> dict[str, Any]:
        category = self.category(person)
        colour = self.colour_of(category)
        bridge = person.id in self.brokers
        single = person.id in self.single_points
        constellation = self.analysis.constellations.membership.get(person.id)
        node: dict[str, Any] = {
            "id": person.id,
            "title": self.tooltip(person, constellation, bridge, single),
            "x": where[0],
            "y": where[1],
            "size": self.size(person.id),
            "color": {"background": colour, "border": BRIDGE_BORDER if bridge else colour},
            "borderWidth": 3 if bridge else 1,
            "shape": "diamond" if single else "dot",
            "name": person.name,
            "organisation": self.names.get(person.organisation, "") if person.organisation else "",
            "place": self.names.get(person.place, "") if person.place else "",
            "constellation": self.constellation_labels.get(constellation, "")
            if constellation
            else "",
        }
        if person.id == self.you:
            mark_as_you(node)
        return node

    def tooltip(
        self, person: PersonProfile, constellation: str | None, bridge: bool, single: bool
    ) -> str:
        lines = ["You: " + person.name if person.id == self.you else person.name]
        if person.organisation:
            lines.append(self.names.get(person.organisation, ""))
        if person.place:
            lines.append(self.names.get(person.place, ""))
        if person.themes:
            lines.append("Interests: " + ", ".join(self.names.get(t, t) for t in person.themes))
        if constellation in self.constellation_labels:
            lines.append(f"Constellation: {self.constellation_labels[constellation]}")
        if bridge:
            lines.append("A bridge between constellations")
        if single:
            lines.append("A single point of light (few or no ties yet)")
        return "\n".join(line for line in lines if line)

    def size(self, person_id: str) -> float:
        score = self.analysis.bridges.scores.get(person_id)
        betweenness = score.betweenness if score else 0.0
        return round(8 + 22 * math.sqrt(betweenness / self.top_betweenness), 1)

    def legend(self, drawn: list[dict[str, Any]]) -> list[KeyEntry]:
        labels = self.constellation_labels if self.colour_by == "constellation" else {}
        return [
            map_key.heading(self.colour_by),
            *map_key.colour_entries(self.shown, labels, self.any_unknown),
            *map_key.people_entries(
                you_shown=any(n.get("you") for n in drawn),
                bridges=any(n["borderWidth"] == 3 for n in drawn),
                single_points=any(n["shape"] == "diamond" for n in drawn),
            ),
        ]


def unique_labels(analysis: Analysis) -> dict[str, str]:
    """Each constellation's label, numbered where two share one, so that the
    key and the list never show one name in two colours."""
    constellations = sorted(analysis.constellations.constellations, key=lambda c: c.id)
    counts: dict[str, int] = {}
    for c in constellations:
        counts[c.label] = counts.get(c.label, 0) + 1
    seen: dict[str, int] = {}
    labels = {}
    for c in constellations:
        seen[c.label] = seen.get(c.label, 0) + 1
        labels[c.id] = f"{c.label} ({seen[c.label]})" if counts[c.label] > 1 else c.label
    return labels


def mark_as_you(node: dict[str, Any]) -> None:
    """The viewer's own node: a star, never too small to find."""
    node["you"] = True
    node["shape"] = "star"
    node["size"] = max(node["size"], YOU_SIZE)
    node["color"]["border"] = BRIDGE_BORDER
    node["borderWidth"] = 2


def category_colours(analysis: Analysis, colour_by: ColourBy) -> dict[str, str]:
    """Every category of the kind the map is coloured by, each with its stable colour.

    The categories are all there are (every UK region in ONS order, every
    sector, any other value a person holds after them, every constellation of
    the analysis), never only those on one map.
    """
    assert analysis.profile is not None
    people = analysis.profile.people.values()
    if colour_by == "region":
        known = [r.name for r in uk_regions()]
        others = sorted({p.region for p in people if p.region} - set(known))
        return fixed_colours([*known, *others])
    if colour_by == "sector":
        known = [s.value for s in Sector]
        others = sorted({p.sector for p in people if p.sector} - set(known))
        return fixed_colours([*known, *others])
    return stable_colours(c.id for c in analysis.constellations.constellations)
