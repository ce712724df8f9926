"""The whole analysis, from a store snapshot to constellations, bridges, gaps
and introductions (the application layer keeps it, per graph version)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from graphsvc.analysis.bridges import Bridges, find_bridges
from graphsvc.analysis.constellations import Constellations, find_constellations
from graphsvc.analysis.engine import Engine
from graphsvc.analysis.gaps import Gaps, representation_gaps
from graphsvc.analysis.growth import Growth, network_growth
from graphsvc.analysis.introductions import Introduction, suggest_introductions
from graphsvc.analysis.profiles import NetworkProfile, latest_activity, profile_network
from graphsvc.analysis.projection import TieWeights, collaboration_graph
from graphsvc.analysis.weights import IntroductionWeights
from graphsvc.store.snapshot import Snapshot

STAGES = ("projection", "constellations", "bridges", "gaps", "introductions")


@dataclass
class Analysis:
    graph_version: int | None
    people: int
    ties: int
    constellations: Constellations
    bridges: Bridges
    gaps: Gaps
    introductions: list[Introduction]
    growth: Growth
    # What the results were computed from, kept for per-person questions
    # (one person's introductions) that would otherwise rebuild them.
    profile: NetworkProfile | None = field(default=None, repr=False, compare=False)
    collaboration: "nx.Graph[Any] | None" = field(default=None, repr=False, compare=False)
    # The weights the introductions were scored with: one person's are scored alike.
    introduction_weights: IntroductionWeights | None = field(
        default=None, repr=False, compare=False
    )

    def to_json(self) -> dict[str, Any]:
        """Everything but the per-person brokerage scores, as plain JSON."""
        bridges = asdict(self.bridges)
        bridges.pop("scores")
        constellations = asdict(self.constellations)
        constellations.pop("membership")
        return {
            "graph_version": self.graph_version,
            "people": self.people,
            "ties": self.ties,
            "constellations": constellations,
            "bridges": bridges,
            "gaps": asdict(self.gaps),
            "growth": asdict(self.growth),
            "introductions": [asdict(i) for i in self.introductions],
        }


def analyse(
    snapshot: Snapshot,
    graph_version: int | None = None,
    seed: int = 0,
    weights: TieWeights | None = None,
    sector_target: Mapping[str, float] | None = None,
    previous: Mapping[str, Iterable[Any]] | None = None,
    introductions: int = 50,
    engine: Engine = "igraph",
    on_stage: Callable[[str], None] | None = None,
    introduction_weights: IntroductionWeights | None = None,
) -> Analysis:
    """Run every analysis on a snapshot of the store.

    ``previous`` (an earlier run's constellations, id to members) keeps
    constellation ids stable; ``on_stage`` is told each stage as it starts.
    ``engine="networkx"`` runs the same pipeline in plain networkx (slow:
    for comparison). ``introduction_weights`` score the introductions
    (default: :class:`IntroductionWeights`' defaults).

    Examples
    --------
    >>> from graphsvc.synthetic import synthetic_records
    >>> from graphsvc.store.snapshot import graph_from_rows
    >>> records = synthetic_records(200, seed=1)
    >>> snapshot = graph_from_rows(
    ...     ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
    ...     ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    ... )
    >>> result = analyse(snapshot)
    >>> result.people, len(result.constellations.constellations) > 1
    (200, True)
    """
    tell = on_stage or (lambda stage: None)
    tell("projection")
    profile = profile_network(snapshot)
    G = collaboration_graph(snapshot, weights, profile)
    tell("constellations")
    constellations = find_constellations(G, seed=seed, previous=previous, engine=engine)
    tell("bridges")
    bridges = find_bridges(
        G,
        {c.id: c.members for c in constellations.constellations},
        seed=seed,
        engine=engine,
    )
    tell("gaps")
    gaps = representation_gaps(
        G,
        sector_target=sector_target,
        events=profile.events,
        cell_regions=profile.cell_regions,
        names=profile.node_names,
        as_of=latest_activity(profile),
    )
    growth = network_growth(
        G,
        [(c.label, c.members) for c in constellations.constellations],
        until=latest_activity(profile),
    )
    tell("introductions")
    chosen = introduction_weights or IntroductionWeights()
    suggestions = suggest_introductions(
        G,
        k=introductions,
        membership=constellations.membership,
        single_points={s.person for s in constellations.single_points},
        exclude=[(a, b) for a, b, _, _ in profile.introductions],
        names=profile.node_names,
        plausibility_weights=chosen.plausibility,
        weaving_weights=chosen.weaving,
    )
    return Analysis(
        graph_version=graph_version,
        people=G.number_of_nodes(),
        ties=G.number_of_edges(),
        constellations=constellations,
        bridges=bridges,
        gaps=gaps,
        introductions=suggestions,
        growth=growth,
        profile=profile,
        collaboration=G,
        introduction_weights=chosen,
    )
