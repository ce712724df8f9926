"""Consent is decided in one place: ``graphsvc.access``. The analysis hands up
enums, reads unknown consent as hidden, and never puts a hidden person forward."""

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphsvc.access.policy import NAMEABLE_BY, SUGGESTABLE, Role, Viewer, may_be_suggested
from graphsvc.analysis.introductions import Introduction, suggest_introductions
from graphsvc.analysis.pipeline import Analysis, analyse
from graphsvc.analysis.profiles import INTRODUCTION_TIE_STATUSES, profile_network
from graphsvc.analysis.projection import collaboration_graph
from graphsvc.model import IntroductionStatus, SinglePointStatus, Visibility
from graphsvc.privacy import _other_end_as_consented
from graphsvc.store.snapshot import Snapshot, graph_from_rows
from graphsvc.synthetic import NetworkRecords, synthetic_records

ROOT = Path(__file__).resolve().parent.parent
UNREADABLE_CONSENT = [None, "", "everyone", "Network", "NETWORK", " network", 3]


def snapshot_of(records: NetworkRecords) -> Snapshot:
    return graph_from_rows(
        ([r.KIND, {**r.properties(), "id": r.id}] for r in records.nodes()),
        ([r.start, r.TYPE, r.end, r.properties()] for r in records.relationships()),
    )


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(snapshot_of(synthetic_records(400, seed=5)), introductions=200)


# -- the rule ---------------------------------------------------------------


@pytest.mark.parametrize("visibility", UNREADABLE_CONSENT)
def test_a_person_whose_consent_cannot_be_read_is_named_to_nobody_but_themselves_and_admins(
    visibility: Any,
) -> None:
    for role in Role:
        someone_else = Viewer(role, "person:other")
        assert someone_else.may_name("person:x", visibility) is (role is Role.ADMIN), role
        assert Viewer(role, "person:x").may_name("person:x", visibility), role
    assert Visibility.parse(visibility) is Visibility.HIDDEN
    assert not may_be_suggested(visibility)


def test_each_visibility_is_named_to_exactly_the_roles_the_readme_lists() -> None:
    named_to = {v: {r for r in Role if Viewer(r).may_name("person:x", v)} for v in Visibility}
    assert named_to == {
        Visibility.NETWORK: set(Role),
        Visibility.CONNECTORS: {Role.CONNECTOR, Role.CONVENOR, Role.ADMIN},
        Visibility.HIDDEN: {Role.ADMIN},
    }


def test_who_may_be_suggested_is_who_connectors_may_name_and_never_the_hidden() -> None:
    assert NAMEABLE_BY[Role.CONNECTOR] == SUGGESTABLE
    assert Visibility.HIDDEN not in SUGGESTABLE
    assert {v for v in Visibility if may_be_suggested(v)} == SUGGESTABLE
    assert all(isinstance(v, Visibility) for v in SUGGESTABLE)


def test_an_export_names_the_other_end_only_if_every_member_may_see_them() -> None:
    def exported(kind: str, visibility: Any, start: str = "person:me") -> Any:
        end = "person:them" if start == "person:me" else "person:me"
        tie = {"start": start, "end": end, "other_kind": kind, "other_name": "Them"}
        shown = _other_end_as_consented({**tie, "other_visibility": visibility}, "person:me")
        assert "other_visibility" not in shown
        return shown["other_name"]

    assert exported("Person", "network") == "Them"
    assert exported("Person", "network", start="person:them") == "Them"
    for unnamed in (Visibility.CONNECTORS, Visibility.HIDDEN, *UNREADABLE_CONSENT):
        assert exported("Person", unnamed) is None, unnamed
    assert exported("Organisation", None) == "Them"


# -- the analysis reads consent as the rule says ------------------------------


def _person(pid: str, **props: Any) -> list[Any]:
    return ["Person", {"id": pid, "name": pid, **props}]


def test_the_profile_reads_missing_or_unknown_consent_as_hidden() -> None:
    snapshot = graph_from_rows(
        [
            _person("person:a", visibility="network"),
            _person("person:b"),
            _person("person:c", visibility="everyone"),
            _person("person:d", visibility="connectors"),
        ],
        [],
    )
    people = profile_network(snapshot).people
    assert {p: people[p].visibility for p in people} == {
        "person:a": Visibility.NETWORK,
        "person:b": Visibility.HIDDEN,
        "person:c": Visibility.HIDDEN,
        "person:d": Visibility.CONNECTORS,
    }
    assert all(isinstance(p.visibility, Visibility) for p in people.values())


def test_an_introduction_of_unknown_status_is_known_but_makes_no_tie() -> None:
    snapshot = graph_from_rows(
        [_person(f"person:{p}", visibility="network") for p in "abcdef"],
        [
            ["person:a", "INTRODUCED_TO", "person:b", {"status": "made"}],
            ["person:c", "INTRODUCED_TO", "person:d", {"status": "happened, we think"}],
            ["person:e", "INTRODUCED_TO", "person:f", {}],
        ],
    )
    profile = profile_network(snapshot)
    statuses = {(a, b): status for a, b, _, status in profile.introductions}
    assert statuses == {
        ("person:a", "person:b"): IntroductionStatus.MADE,
        ("person:c", "person:d"): IntroductionStatus.SUGGESTED,
        ("person:e", "person:f"): IntroductionStatus.SUGGESTED,
    }
    assert all(isinstance(s, IntroductionStatus) for s in statuses.values())
    G = collaboration_graph(snapshot, profile=profile)
    assert G.has_edge("person:a", "person:b")
    assert not G.has_edge("person:c", "person:d") and not G.has_edge("person:e", "person:f")


def _triangle_fan(
    hub_visibility: Any, ends_visibility: Any = Visibility.NETWORK
) -> "nx.Graph[str]":
    """Two people who share an interest and a contact, the only contact they share."""
    G: nx.Graph[str] = nx.Graph([("ann", "hub"), ("hub", "bo"), ("hub", "cy")])
    for person in G:
        G.nodes[person]["visibility"] = ends_visibility
        G.nodes[person]["themes"] = ["Housing"]
    G.nodes["hub"]["visibility"] = hub_visibility
    return G


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, *UNREADABLE_CONSENT])
def test_a_hidden_mutual_contact_is_never_named_as_introducer(visibility: Any) -> None:
    found = suggest_introductions(_triangle_fan(visibility), k=5)
    assert found and all(s.introducer is None for s in found)
    assert all("hub" not in (s.a, s.b) for s in found)
    # The same graph with the contact named to connectors names them.
    shown = suggest_introductions(_triangle_fan(Visibility.CONNECTORS), k=5)
    assert shown and all(s.introducer == "hub" for s in shown)


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, *UNREADABLE_CONSENT])
def test_a_hidden_person_is_never_one_of_a_suggested_pair(visibility: Any) -> None:
    G = _triangle_fan(Visibility.NETWORK)
    G.nodes["bo"]["visibility"] = visibility
    found = suggest_introductions(G, k=5)
    assert [(s.a, s.b) for s in found] == [("ann", "cy")]
    assert suggest_introductions(G, for_person="bo") == []
    assert all("bo" not in (s.a, s.b) for s in suggest_introductions(G, for_connector="hub"))


def test_callers_may_still_narrow_or_lift_who_is_suggested() -> None:
    G = _triangle_fan(Visibility.CONNECTORS)
    G.nodes["bo"]["visibility"] = Visibility.CONNECTORS
    narrowed = suggest_introductions(G, k=5, nameable={Visibility.NETWORK})
    assert [(s.a, s.b, s.introducer) for s in narrowed] == [("ann", "cy", None)]
    # Plain strings still work: the enum compares equal to its value.
    assert suggest_introductions(G, k=5, nameable={"network"}) == narrowed
    G.nodes["bo"]["visibility"] = Visibility.HIDDEN
    everyone = suggest_introductions(G, k=5, nameable=None)  # evaluation only
    assert {"bo"} <= {x for s in everyone for x in (s.a, s.b)}


def test_nobody_hidden_ever_appears_in_a_synthetic_networks_suggestions(
    analysis: Analysis,
) -> None:
    assert analysis.profile is not None and analysis.collaboration is not None
    people, G = analysis.profile.people, analysis.collaboration
    assert any(p.visibility is Visibility.HIDDEN for p in people.values())
    assert len(analysis.introductions) >= 50
    assert any(s.introducer is not None for s in analysis.introductions)
    busiest = sorted(G, key=lambda p: (-G.degree(p), p))[:20]
    # (suggestions, the connector who asked for them: named as their introducer)
    asked: list[tuple[list[Introduction], str | None]] = [(analysis.introductions, None)]
    for person in busiest:
        asked.append((suggest_introductions(G, for_person=person, k=10), None))
        asked.append((suggest_introductions(G, for_connector=person, k=10), person))
    assert sum(len(found) for found, _ in asked) > 200
    for found, connector in asked:
        for s in found:
            assert people[s.a].visibility in SUGGESTABLE
            assert people[s.b].visibility in SUGGESTABLE
            if connector is not None:
                assert s.introducer == connector
            elif s.introducer is not None:
                assert people[s.introducer].visibility in SUGGESTABLE


# -- what the analysis hands up ---------------------------------------------


def test_the_analysis_hands_up_enums_not_strings(analysis: Analysis) -> None:
    assert analysis.profile is not None and analysis.collaboration is not None
    points = analysis.constellations.single_points
    assert points and all(isinstance(s.status, SinglePointStatus) for s in points)
    assert {s.status for s in points} == set(SinglePointStatus)
    assert all(
        s.status is (SinglePointStatus.ISOLATED if s.ties == 0 else SinglePointStatus.PERIPHERAL)
        for s in points
    )
    assert all(isinstance(p.visibility, Visibility) for p in analysis.profile.people.values())
    assert analysis.profile.introductions
    assert all(isinstance(i[3], IntroductionStatus) for i in analysis.profile.introductions)
    assert all(isinstance(s, IntroductionStatus) for s in INTRODUCTION_TIE_STATUSES)
    assert all(
        isinstance(d["visibility"], Visibility) for _, d in analysis.collaboration.nodes(data=True)
    )
    # Still plain JSON on the way out.
    out = json.loads(json.dumps(analysis.to_json()))
    assert {s["status"] for s in out["constellations"]["single_points"]} == {
        "isolated",
        "peripheral",
    }


# -- nobody else restates the rule --------------------------------------------

VISIBILITY_VALUES = frozenset(v.value for v in Visibility)
# Where the rule and its vocabulary may be spelled out.
ALLOWED = ("graphsvc/access/", "graphsvc/model/")
SCANNED = ("graphsvc", "visualisations")


def _is_value(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in VISIBILITY_VALUES
    )


def _holds_value(node: ast.AST) -> bool:
    return _is_value(node) or (
        isinstance(node, ast.Tuple | ast.List | ast.Set) and any(map(_is_value, node.elts))
    )


def restatements(source: str) -> Iterator[tuple[int, str]]:
    """Where code decides by a visibility value itself, as (line, code).

    Caught: comparing with one (``v == "network"``, ``v in ("network",
    "connectors")``, ``case "hidden":``), defaulting to one
    (``d.get("visibility", "hidden")``, ``getattr(p, "visibility", "hidden")``)
    and listing two or more (``NAMEABLE = ("network", "connectors")``). Not
    caught, so not flagged: the same word meaning something else, such as a
    graph named ``"network"`` or an API tag ``["network"]``.
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        found = False
        if isinstance(node, ast.Compare):
            found = any(map(_holds_value, [node.left, *node.comparators]))
        elif isinstance(node, ast.MatchValue):
            found = _is_value(node.value)
        elif isinstance(node, ast.Call):
            func = node.func
            defaults: list[ast.expr] = []
            if isinstance(func, ast.Attribute) and func.attr in {"get", "pop", "setdefault"}:
                defaults = node.args[1:2]
            elif isinstance(func, ast.Name) and func.id == "getattr":
                defaults = node.args[2:3]
            found = any(map(_is_value, defaults))
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            listed = {e.value for e in node.elts if isinstance(e, ast.Constant) and _is_value(e)}
            found = len(listed) >= 2
        if found:
            yield node.lineno, ast.get_source_segment(source, node) or ""


def _sources() -> Iterator[tuple[str, str]]:
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(ALLOWED):
                yield relative, path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "snippet",
    [
        'if person["visibility"] == "network": pass',
        'shown = "hidden" != visibility',
        'ok = v in ("network", "connectors")',
        'ok = v not in {"hidden"}',
        'v = G.nodes[c].get("visibility", "hidden")',
        'v = data.pop("visibility", "hidden")',
        'v = getattr(person, "visibility", "hidden")',
        'NAMEABLE = ("network", "connectors")  # who may appear in a suggestion',
        'ALLOWED = frozenset(["connectors", "network"])',
        'match v:\n    case "hidden":\n        pass',
    ],
)
def test_the_checker_catches_a_restated_rule(snippet: str) -> None:
    assert list(restatements(snippet)), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        'graph_name: str = Field(default="network")',
        'router = APIRouter(prefix="/api", tags=["network"])',
        'MIX = {"network": 0.6, "connectors": 0.25, "hidden": 0.15}',
        'ok = v == Visibility.NETWORK or kind == "networks"',
        'v = Visibility.parse(d.get("visibility"))',
        'name = d.get("graph", "default")',
    ],
)
def test_the_checker_leaves_other_uses_of_the_words_alone(snippet: str) -> None:
    assert not list(restatements(snippet)), snippet


def test_no_module_outside_access_and_the_model_restates_the_consent_rule() -> None:
    sources = dict(_sources())
    assert "graphsvc/analysis/introductions.py" in sources and "visualisations/export.py" in sources
    found = [
        f"{path}:{line}: {code}"
        for path, source in sources.items()
        for line, code in restatements(source)
    ]
    assert not found, "ask graphsvc.access instead of comparing visibility values:\n" + "\n".join(
        found
    )
