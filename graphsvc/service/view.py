"""The network as the web service reads it: one in-memory view per graph version.

Requests are answered from this view rather than one query each: it is built
once per graph version (a few hundred milliseconds for 10,000 members) and
then every list, filter and card is a dictionary lookup, so responses stay
fast under load. The application layer keeps it, with the analysis of the
same snapshot (:mod:`graphsvc.service.generations`).
"""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from graphsvc.analysis.profiles import (
    NetworkProfile,
    PersonProfile,
    profile_network,
    region_names_by_place,
)
from graphsvc.model import Visibility
from graphsvc.model.text import fold_text
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
    # Finished JSON bodies of this version, by request and audience (see
    # graphsvc.api.cached); never saved with the view.
    # Least recently used first; ``responses_bytes`` counts their bodies and keys.
    responses: dict[tuple[str, ...], bytes] = field(default_factory=dict, repr=False)
    responses_bytes: int = field(default=0, repr=False)
    # Moves at every consent change applied: a response begun before one is not kept.
    consent_epoch: int = 0
    _responses_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["responses"], state["responses_bytes"] = {}, 0
        del state["_responses_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _responses_lock=threading.Lock())

    def kept_response(self, key: tuple[str, ...]) -> bytes | None:
        """A kept response, which becomes the most recently used."""
        with self._responses_lock:
            body = self.responses.pop(key, None)
            if body is not None:
                self.responses[key] = body
            return body

    def keep_response(self, key: tuple[str, ...], body: bytes, epoch: int, budget: int) -> None:
        """Keep a finished response, unless consent changed since it was begun
        (``epoch``); the least recently used go to keep all within ``budget`` bytes."""
        size = _kept_size(key, body)
        with self._responses_lock:
            if epoch != self.consent_epoch or size > budget:
                return
            if (old := self.responses.pop(key, None)) is not None:
                self.responses_bytes -= _kept_size(key, old)
            while self.responses and self.responses_bytes + size > budget:
                oldest = next(iter(self.responses))
                self.responses_bytes -= _kept_size(oldest, self.responses.pop(oldest))
            self.responses[key] = body
            self.responses_bytes += size

    def set_visibility(self, changed: dict[str, Visibility]) -> None:
        """Take consent changes written since this view was built, at once.

        Every name a response shows is checked against the view's profile, so
        a person who became more private is not named from an older view while
        a newer one is computed. Finished responses are dropped: they may name them.
        """
        with self._responses_lock:
            people = self.profile.people
            for person_id, visibility in changed.items():
                if person_id in people and people[person_id].visibility != visibility:
                    people[person_id] = replace(people[person_id], visibility=visibility)
            self.consent_epoch += 1
            self.responses.clear()
            self.responses_bytes = 0

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
        and accents ignored, or what a person who is not hidden offers or asks
        for; the others take an id or a name.
        """
        people: Iterable[PersonProfile] = self.profile.people.values()
        words = fold_text(text).split() if text else []
        if words:
            people = [
                p
                for p in people
                if _all_words_in(words, self.name_words[p.id]) or self._offers_or_asks(p, words)
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

    def _offers_or_asks(self, person: PersonProfile, words: list[str]) -> bool:
        """Whether every word begins a word of what the person offers or asks for.

        Never for someone hidden: what they say of themselves is found by
        nobody. Who else may see the person found is the presenter's to decide.
        """
        if person.visibility is Visibility.HIDDEN:
            return False
        said = self.snapshot.nodes[person.id]
        if not said.get("offers") and not said.get("asks"):
            return False
        phrases = " ".join([*said.get("offers", ()), *said.get("asks", ())])
        return _all_words_in(words, tuple(fold_text(phrases).split()))

    def neighbourhood(
        self, person_id: str, depth: int, may_reach: Callable[[str], bool]
    ) -> tuple[set[str], list[Any]]:
        """Nodes within ``depth`` steps of a person, and the relationships among them.

        Only nodes ``may_reach`` allows are reached, and only through those:
        whatever lies beyond a node it refuses is reached by another way or
        not at all.
        """
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
            frontier = {node for node in found - reached if may_reach(node)}
            reached |= frontier
        ties = [
            (start, key, end)
            for start, end, key in graph.subgraph(reached).edges(keys=True)
            if key not in UNSHOWN_TIES
        ]
        return reached, ties


def _all_words_in(words: list[str], found: tuple[str, ...]) -> bool:
    """Whether each of ``words`` begins one of the words ``found``."""
    return all(any(w.startswith(q) for w in found) for q in words)


def _kept_size(key: tuple[str, ...], body: bytes) -> int:
    return len(body) + sum(len(part) for part in key)
