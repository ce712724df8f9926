"""The network as the web service reads it: one in-memory view per graph version.

Requests are answered from this view rather than one query each: it is built
once after every change (a few hundred milliseconds for 10,000 members) and
then every list, filter and card is a dictionary lookup, so responses stay
fast under load. The analysis is computed from the same snapshot, on first
use.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphsvc.analysis.pair_scores import PairScorer
from graphsvc.analysis.pipeline import Analysis, AnalysisCache
from graphsvc.analysis.profiles import (
    NetworkProfile,
    PersonProfile,
    profile_network,
    region_names_by_place,
)
from graphsvc.model.text import fold_text
from graphsvc.store import GraphStore
from graphsvc.store.snapshot import Snapshot

# Relationships a neighbourhood never shows: the review list is for admins only.
UNSHOWN_TIES = frozenset({"MAY_BE_SAME"})


@dataclass
class NetworkView:
    version: int
    snapshot: Snapshot
    profile: NetworkProfile
    name_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # folded name -> ids, for filters that accept a name as well as an id
    ids_by_name: dict[str, list[str]] = field(default_factory=dict)
    region_of_place: dict[str, str] = field(default_factory=dict)
    people_by_place: dict[str, list[str]] = field(default_factory=dict)
    # Finished JSON bodies of this version, by request and audience (see cached_json).
    responses: dict[tuple[str, ...], bytes] = field(default_factory=dict, repr=False)
    # Everyone's place on the map (visualisations.layout), laid out on first use.
    map_positions: dict[Any, tuple[float, float]] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, version: int, snapshot: Snapshot) -> "NetworkView":
        profile = profile_network(snapshot)
        ids_by_name: dict[str, list[str]] = {}
        for node, name in profile.node_names.items():
            if not node.startswith("person:"):
                ids_by_name.setdefault(fold_text(name), []).append(node)
        people_by_place: dict[str, list[str]] = {}
        for person in profile.people.values():
            if person.place:
                people_by_place.setdefault(person.place, []).append(person.id)
        return cls(
            version=version,
            snapshot=snapshot,
            profile=profile,
            name_words={p.id: tuple(fold_text(p.name).split()) for p in profile.people.values()},
            ids_by_name=ids_by_name,
            region_of_place=region_names_by_place(snapshot),
            people_by_place=people_by_place,
        )

    def prop(self, node_id: str, name: str) -> Any:
        return self.snapshot.nodes[node_id].get(name)

    def linked(self, node_id: str, rel_type: str, *, incoming: bool = False) -> list[str]:
        """The nodes at the other end of ``node_id``'s relationships of one type."""
        if incoming:
            edges = self.snapshot.in_edges(node_id, keys=True)
            return sorted(a for a, _, key in edges if key == rel_type)
        return sorted(
            b for _, b, key in self.snapshot.out_edges(node_id, keys=True) if key == rel_type
        )

    def kind(self, node_id: str) -> str | None:
        data = self.snapshot.nodes.get(node_id)
        return str(data["kind"]) if data else None

    def name(self, node_id: str) -> str:
        return self.profile.node_names.get(node_id, node_id)

    def nodes_of_kind(self, kind: str) -> list[str]:
        return sorted(
            (n for n, d in self.snapshot.nodes(data=True) if d.get("kind") == kind),
            key=lambda n: (fold_text(self.name(n)), n),
        )

    def resolve(self, given: str, kind: str) -> set[str]:
        """Ids of the ``kind`` nodes that ``given`` names, by id or by name."""
        if self.kind(given) == kind:
            return {given}
        return {n for n in self.ids_by_name.get(fold_text(given), []) if self.kind(n) == kind}

    def person(self, person_id: str) -> PersonProfile | None:
        return self.profile.people.get(person_id)

    def find_people(
        self,
        text: str | None = None,
        *,
        interest: str | None = None,
        place: str | None = None,
        region: str | None = None,
        sector: str | None = None,
        cell: str | None = None,
        organisation: str | None = None,
    ) -> list[PersonProfile]:
        """People matching every filter given, by name (then id).

        ``text`` matches names word by word from the start of each word, case
        and accents ignored; the others take an id or a name.
        """
        people: Iterable[PersonProfile] = self.profile.people.values()
        words = fold_text(text).split() if text else []
        if words:
            people = [
                p
                for p in people
                if all(any(w.startswith(q) for w in self.name_words[p.id]) for q in words)
            ]
        if interest is not None:
            themes = self.resolve(interest, "Theme")
            people = [p for p in people if themes.intersection(p.themes)]
        if place is not None:
            places = self.resolve(place, "Place")
            people = [p for p in people if p.place in places]
        if region is not None:
            wanted = fold_text(region)
            people = [p for p in people if p.region and fold_text(p.region) == wanted]
        if sector is not None:
            wanted = fold_text(sector)
            people = [p for p in people if p.sector and fold_text(p.sector) == wanted]
        if cell is not None:
            cells = self.resolve(cell, "Cell")
            people = [p for p in people if cells.intersection(p.cells)]
        if organisation is not None:
            orgs = self.resolve(organisation, "Organisation")
            members = {m for o in orgs for m in self.profile.organisations.get(o, [])}
            people = [p for p in people if p.id in members]
        return sorted(people, key=lambda p: (fold_text(p.name), p.id))

    def neighbourhood(self, person_id: str, depth: int) -> tuple[set[str], list[Any]]:
        """Nodes within ``depth`` steps of a person, and the relationships among them."""
        reached = {person_id}
        frontier = {person_id}
        graph = self.snapshot
        for _ in range(depth):
            found: set[str] = set()
            for node in frontier:
                for _, other, key in graph.out_edges(node, keys=True):
                    if key not in UNSHOWN_TIES:
                        found.add(other)
                for other, _, key in graph.in_edges(node, keys=True):
                    if key not in UNSHOWN_TIES:
                        found.add(other)
            frontier = found - reached
            reached |= frontier
        ties = [
            (start, key, end)
            for start, end, key in graph.subgraph(reached).edges(keys=True)
            if key not in UNSHOWN_TIES
        ]
        return reached, ties


class ViewCache:
    """The latest view and analysis, rebuilt when the graph version moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._layout_lock = threading.Lock()  # held for seconds: apart from _lock
        self._view: NetworkView | None = None
        self._analysis = AnalysisCache()
        self._scorer: tuple[Analysis, PairScorer] | None = None

    def view(self, store: GraphStore) -> NetworkView:
        version = store.version()
        with self._lock:
            if self._view is None or self._view.version != version:
                self._view = NetworkView.build(version, store.network())
            return self._view

    def analysis(self, store: GraphStore) -> Analysis:
        return self.analysis_of(self.view(store))

    def analysis_of(self, view: NetworkView) -> Analysis:
        """The analysis of the view's version, computed from its snapshot on first use."""
        return self._analysis.get(view.version, lambda: view.snapshot)

    def positions_of(self, view: NetworkView) -> dict[Any, tuple[float, float]]:
        """Where everyone sits on the map for the view's version: laid out once
        (about a second at 5,000 members, 18 s at 50,000), so filtered maps keep
        people in place. Requests arriving meanwhile wait for that one layout."""
        from visualisations.network_map import network_positions

        if view.map_positions is None:
            with self._layout_lock:
                if view.map_positions is None:
                    view.map_positions = dict(network_positions(self.analysis_of(view)))
        return view.map_positions

    def scorer(self, analysis: Analysis) -> PairScorer:
        """The pair scorer for an analysis, built once (a second at 10,000 members)."""
        with self._lock:
            if self._scorer is None or self._scorer[0] is not analysis:
                assert analysis.collaboration is not None
                self._scorer = (
                    analysis,
                    PairScorer.build(
                        analysis.collaboration,
                        analysis.constellations.membership,
                        {s.person for s in analysis.constellations.single_points},
                    ),
                )
            return self._scorer[1]

    def clear(self) -> None:
        """Forget everything held (after an erasure: nothing of the person may linger)."""
        with self._lock:
            self._view = None
            self._scorer = None
        self._analysis.clear()
