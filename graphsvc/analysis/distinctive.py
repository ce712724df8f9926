"""Labels for groups that say what sets each apart from the whole network.

A constellation's label names the themes, places and sectors over-represented
in it compared with the rest of the network, ranked by a smoothed log-odds
ratio (Monroe, Colaresi and Quinn 2008), not the values most of its members
hold: in a network that is mostly London and voluntary-sector, a plurality
says the same of every group. Where two groups still read alike, each label
takes its next most distinctive value until they differ.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

# (node attribute, part of the label it goes in); themes are a list per person.
FACETS = ("themes", "region", "place", "sector")
# A value must be held by this share of the group (and by at least MIN_COUNT
# people) to describe it: a rare value over-represented by one person is noise.
MIN_SHARE = 0.1
MIN_COUNT = 2
# Log-odds above this (about 1.3 times the odds of the rest of the network).
MIN_LOG_ODDS = 0.25
SHOWN = 2  # values of each kind kept on the constellation
EXTENSIONS = 3  # further values a label may take to tell it from another


def facet_counts(G: "nx.Graph[Any]", members: Iterable[Any]) -> dict[str, Counter[str]]:
    """How many of ``members`` hold each theme, region, place and sector."""
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    for m in members:
        data = G.nodes[m]
        counts["themes"].update(set(data.get("themes") or ()))
        for facet in FACETS[1:]:
            if data.get(facet):
                counts[facet][str(data[facet])] += 1
    return counts


def log_odds_ratio(inside: int, size: int, overall: int, total: int) -> float:
    """Smoothed log-odds of a value inside a group against the rest of the network.

    Examples
    --------
    >>> round(log_odds_ratio(30, 50, 100, 1000), 2)  # 60% inside, 7% outside
    2.92
    >>> log_odds_ratio(3, 50, 100, 1000) < 0  # rarer inside than outside
    True
    """
    rest, rest_size = overall - inside, total - size
    inside_odds = (inside + 0.5) / (size - inside + 0.5)
    rest_odds = (rest + 0.5) / (rest_size - rest + 0.5)
    return math.log(inside_odds / rest_odds)


def distinctive_values(
    inside: Counter[str], size: int, overall: Counter[str], total: int
) -> list[str]:
    """Values over-represented in a group of ``size``, most distinctive first."""
    least = max(MIN_COUNT, math.ceil(MIN_SHARE * size))
    scored = [
        (log_odds_ratio(count, size, overall[value], total), value)
        for value, count in inside.items()
        if count >= least
    ]
    return [value for score, value in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


@dataclass
class GroupLabel:
    """The parts of a label as it is built."""

    themes: list[str]
    regions: list[str]
    sectors: list[str]
    places: list[str] = field(default_factory=list)
    # Further values, in the order a label takes them when it reads like another's.
    extra: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        where = " & ".join(self.regions) or "across regions"
        if self.places:
            where += f" ({' & '.join(self.places)})"
        return " · ".join(
            [
                " & ".join(self.themes) or "mixed interests",
                where,
                " & ".join(self.sectors) or "mixed sectors",
            ]
        )

    def extend(self) -> bool:
        """Take the next distinctive value into the label; False if none is left."""
        if not self.extra:
            return False
        facet, value = self.extra.pop(0)
        {"themes": self.themes, "region": self.regions, "place": self.places}.get(
            facet, self.sectors
        ).append(value)
        return True


def _label_of(ranked: dict[str, list[str]], scores: dict[str, list[float]]) -> GroupLabel:
    def first(facet: str) -> list[str]:
        return [v for v, s in zip(ranked[facet], scores[facet], strict=True) if s > MIN_LOG_ODDS][
            :1
        ]

    label = GroupLabel(themes=first("themes"), regions=first("region"), sectors=first("sector"))
    taken = {("themes", *label.themes), ("region", *label.regions), ("sector", *label.sectors)}
    for facet in ("themes", "place", "region", "sector"):
        for value, score in zip(ranked[facet], scores[facet], strict=True):
            if score > MIN_LOG_ODDS and (facet, value) not in taken:
                label.extra.append((facet, value))
    # Themes tell groups apart best, then a town, then the rest.
    label.extra.sort(key=lambda fv: ("themes", "place", "region", "sector").index(fv[0]))
    label.extra = label.extra[:EXTENSIONS]
    return label


@dataclass(frozen=True)
class Distinctive:
    """What sets a group apart: its most over-represented values of each kind, and
    a label from them."""

    themes: list[str]
    regions: list[str]
    sectors: list[str]
    label: str


def label_groups(G: "nx.Graph[Any]", groups: Sequence[Iterable[Any]]) -> list[Distinctive]:
    """What sets each group apart, with labels as distinct from each other as they can be.

    Parameters
    ----------
    G : networkx.Graph
        People with ``themes``, ``region``, ``place`` and ``sector`` attributes.
    groups : sequence of collections of nodes
        The groups to label (constellations, largest first).

    Returns
    -------
    list of Distinctive
        In the order of ``groups``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> for i in range(40):
    ...     G.add_node(i, themes=["Food"] if i < 10 else ["Arts"], region="London", sector="arts")
    >>> [g.label for g in label_groups(G, [range(10), range(10, 20)])]
    ['Food · across regions · mixed sectors', 'Arts · across regions · mixed sectors']

    References
    ----------
    .. [1] B. L. Monroe, M. P. Colaresi and K. M. Quinn, "Fightin' words:
       lexical feature selection and evaluation for identifying the content
       of political conflict", Political Analysis 16, 372 (2008).
    """
    total = G.number_of_nodes()
    overall = facet_counts(G, G.nodes)
    ranked_groups, labels = [], []
    for group in groups:
        members = list(group)
        size = len(members)
        inside = facet_counts(G, members)
        ranked = {f: distinctive_values(inside[f], size, overall[f], total) for f in FACETS}
        scores = {
            f: [log_odds_ratio(inside[f][v], size, overall[f][v], total) for v in ranked[f]]
            for f in FACETS
        }
        ranked_groups.append(ranked)
        labels.append(_label_of(ranked, scores))
    _tell_apart(labels)
    return [
        Distinctive(
            themes=ranked["themes"][:SHOWN],
            regions=ranked["region"][:SHOWN],
            sectors=ranked["sector"][:SHOWN],
            label=label.label,
        )
        for ranked, label in zip(ranked_groups, labels, strict=True)
    ]


def _tell_apart(labels: list[GroupLabel]) -> None:
    """Extend labels that read alike, each by its own next value, until they differ."""
    for _ in range(EXTENSIONS):
        seen: Counter[str] = Counter(label.label for label in labels)
        clashing = [label for label in labels if seen[label.label] > 1]
        if not clashing or not any([label.extend() for label in clashing]):
            return
