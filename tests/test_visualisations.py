"""Maps and exports: consent respected, every string inert, files self-contained."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from test_cli import run

from graphsvc.access import Role, Viewer
from graphsvc.analysis.pipeline import Analysis, analyse
from graphsvc.store.snapshot import Snapshot, graph_from_rows
from graphsvc.synthetic import NetworkRecords
from visualisations.export import (
    edges_csv,
    export_text,
    nodes_csv,
    shareable_graph,
    spreadsheet_safe,
)
from visualisations.html import map_file, script_json
from visualisations.map_key import SUGGESTED
from visualisations.network_map import NetworkMap, ego_map, network_map, network_positions

HOSTILE = '</script><script>alert(1)</script>=HYPERLINK("http://x")'


@pytest.fixture(scope="module")
def network(small_network: NetworkRecords) -> tuple[Snapshot, Analysis]:
    nodes = []
    for r in small_network.nodes():
        props = {**r.properties(), "id": r.id}
        if r.id == "person:0000003":
            props["name"] = HOSTILE
            props["visibility"] = "network"
        nodes.append([r.KIND, props])
    snapshot = graph_from_rows(
        nodes, ([r.start, r.TYPE, r.end, r.properties()] for r in small_network.relationships())
    )
    return snapshot, analyse(snapshot)


def _named_to(analysis: Analysis, role: Role) -> set[str]:
    assert analysis.profile is not None
    viewer = Viewer(role)
    return {p.id for p in analysis.profile.people.values() if viewer.may_name(p.id, p.visibility)}


def _map_for(analysis: Analysis, role: Role, max_people: int = 5000) -> NetworkMap:
    """The map of everyone, as ``role`` may see it."""
    assert analysis.profile is not None
    named = _named_to(analysis, role)
    return network_map(
        analysis,
        list(analysis.profile.people),
        network_positions(analysis),
        lambda person: person in named,
        max_people=max_people,
    )


def test_a_map_names_only_people_the_audience_may_see(network: tuple[Snapshot, Analysis]) -> None:
    _, analysis = network
    assert analysis.profile is not None
    everyone = list(analysis.profile.people)
    drawn = _map_for(analysis, Role.MEMBER)
    shown = {n["id"] for n in drawn.nodes}
    assert shown == _named_to(analysis, Role.MEMBER) and len(shown) < len(everyone)
    assert all(e["from"] in shown and e["to"] in shown for e in drawn.edges)
    text = str(drawn.to_json())
    for person in set(everyone) - shown:
        assert analysis.profile.people[person].name not in text


def test_a_map_of_too_many_people_is_an_overview_of_constellations(
    network: tuple[Snapshot, Analysis],
) -> None:
    _, analysis = network
    assert analysis.profile is not None
    drawn = _map_for(analysis, Role.ADMIN, max_people=50)
    assert drawn.kind == "overview" and drawn.people == 0
    assert len(drawn.nodes) == len(analysis.constellations.constellations)
    text = str(drawn.to_json())
    assert not any(p.name in text for p in analysis.profile.people.values())


def test_an_ego_map_reaches_two_steps_and_dashes_suggestions(
    network: tuple[Snapshot, Analysis],
) -> None:
    _, analysis = network
    assert analysis.collaboration is not None
    person = max(analysis.collaboration.degree, key=lambda d: d[1])[0]
    near = nx.single_source_shortest_path_length(analysis.collaboration, person, cutoff=2)
    stranger = next(p for p in analysis.collaboration if p not in near)
    drawn = ego_map(
        analysis, person, network_positions(analysis), lambda p: True, [(person, stranger)]
    )
    assert {n["id"] for n in drawn.nodes} == set(near) | {stranger}
    assert [e for e in drawn.edges if e.get("dashes")] == [
        {
            "from": person,
            "to": stranger,
            "dashes": True,
            "width": 2,
            "color": {"color": SUGGESTED},
            "title": "Suggested introduction",
        }
    ]


def test_the_map_file_is_self_contained_and_its_strings_are_inert(
    network: tuple[Snapshot, Analysis],
) -> None:
    _, analysis = network
    assert analysis.profile is not None
    drawn = _map_for(analysis, Role.MEMBER)
    page = map_file(drawn, "Network <map>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<title>Network &lt;map&gt;</title>" in page
    # The hostile name is in the data, escaped so that it cannot close the script.
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page
    assert "</script><script>alert(1)" not in page
    assert script_json({"a": "<&>"}) == '{"a": "\\u003c\\u0026\\u003e"}'


def test_exports_respect_consent_and_carry_no_contact_details(
    network: tuple[Snapshot, Analysis],
) -> None:
    snapshot, analysis = network
    graph = shareable_graph(snapshot, analysis, Viewer(Role.MEMBER).may_name)
    people = {n for n, kind in graph.nodes(data="kind") if kind == "Person"}
    assert people == _named_to(analysis, Role.MEMBER)
    for fmt in ("graphml", "gexf"):
        text = export_text(graph, fmt)  # type: ignore[arg-type]
        back = nx.read_graphml(io.StringIO(text)) if fmt == "graphml" else None
        if back is not None:
            assert set(back.nodes) == set(graph.nodes)
        ET.fromstring(text.encode())  # well-formed XML, whatever the names held
        assert "@" not in text.replace("xmlns", "")  # no email addresses
    rows = list(csv.DictReader(io.StringIO(nodes_csv(graph))))
    assert {r["id"] for r in rows} == set(graph.nodes)
    hostile = next(r for r in rows if r["id"] == "person:0000003")
    assert hostile["name"] == spreadsheet_safe(HOSTILE) == HOSTILE  # starts with "<": inert
    ties = list(csv.DictReader(io.StringIO(edges_csv(graph))))
    assert len(ties) == graph.number_of_edges()


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_spreadsheet_cells_never_start_a_formula(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


def test_the_map_and_export_commands_write_their_files(tmp_path: Path) -> None:
    store = str(tmp_path / "demo")
    assert run("demo", "--store", store, "--members", "150", "--no-serve").returncode == 0
    drawn = run(
        "map", "--store", store, "--out", str(tmp_path / "map.html"), "--colour-by", "sector"
    )
    assert drawn.returncode == 0, drawn.stderr
    assert "people named" in drawn.stderr
    assert "vis.Network" in (tmp_path / "map.html").read_text()
    for fmt, out in (("gexf", "net.gexf"), ("graphml", "net.graphml"), ("csv", "csv")):
        done = run("export", "--store", store, "--format", fmt, "--out", str(tmp_path / out))
        assert done.returncode == 0, done.stderr
    assert nx.read_gexf(tmp_path / "net.gexf").number_of_nodes() > 150
    assert (tmp_path / "csv" / "edges.csv").read_text().startswith("from,to,type")
    refused = run("export", "--store", store, "--out", "/proc/nowhere/x.gexf", "--format", "gexf")
    assert refused.returncode == 2 and "cannot write" in refused.stderr
