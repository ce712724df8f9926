"""Lists that travel: every list as CSV and XLSX with the JSON's consent rule,
filtered and sorted by region, cell and sector; network exports labelled by name."""

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
import openpyxl
import pytest

from graphsvc.access import Role, Viewer
from graphsvc.analysis.pipeline import analyse
from graphsvc.service import ImportOptions
from graphsvc.store.snapshot import graph_from_rows
from graphsvc.synthetic import NetworkRecords
from visualisations.export import export_text, shareable_graph

LISTS = {
    "/api/gaps/not-in-the-room": "name",
    "/api/potential-constellations": "name",
    "/api/introductions": "a_name",
    "/api/map": "name",
}
HOSTILE = '=HYPERLINK("http://x","click")'


def _csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def _xlsx_rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _names_in_json(service: Any, path: str, role: Role) -> set[str]:
    if path == "/api/map":
        nodes = service.get(path, role).json()["nodes"]
        return {n["name"] for n in nodes if n["id"].startswith("person:")}
    items = service.get(path, role, limit=200).json()["items"]
    if path == "/api/potential-constellations":
        return {m["name"] for g in items for m in g["members"]}
    if path == "/api/introductions":
        return {i["a"]["name"] for i in items}
    return {i["person"]["name"] for i in items}


@pytest.mark.parametrize("path", list(LISTS))
def test_every_list_downloads_as_csv_and_xlsx_naming_only_whom_the_json_names(
    shared_service: Any, path: str
) -> None:
    role = Role.ADMIN if path == "/api/introductions" else Role.CONVENOR
    column = LISTS[path]
    as_csv = _csv_rows(shared_service.get(path, role, format="csv"))
    as_xlsx = _xlsx_rows(shared_service.get(path, role, format="xlsx"))
    assert as_csv and len(as_csv) == len(as_xlsx)
    assert [r[column] for r in as_csv] == [r[column] for r in as_xlsx]
    named = {r[column] for r in as_csv}
    hidden = {
        shared_service.client.get(
            f"/api/people/{p}", headers=shared_service.headers(Role.ADMIN)
        ).json()["name"]
        for p in shared_service.people["hidden"]
    }
    assert not named & hidden, "a hidden person is in the file"
    if path != "/api/potential-constellations":  # the JSON lists 12 members per group
        assert _names_in_json(shared_service, path, role) <= named | {""}


def test_a_member_gets_no_list_as_a_file_that_they_cannot_see_as_json(
    shared_service: Any,
) -> None:
    for path in ("/api/gaps/not-in-the-room", "/api/potential-constellations"):
        assert shared_service.get(path, Role.MEMBER, format="csv").status_code == 403
    assert shared_service.get("/api/introductions", Role.MEMBER, format="xlsx").status_code == 403


def test_a_list_filtered_by_region_keeps_only_that_region_and_says_how_many(
    shared_service: Any,
) -> None:
    everyone = shared_service.get("/api/gaps/not-in-the-room", Role.ADMIN, limit=200).json()
    region = next(i["person"]["region"] for i in everyone["items"] if i["person"]["region"])
    found = shared_service.get(
        "/api/gaps/not-in-the-room", Role.ADMIN, region=region, limit=200
    ).json()
    assert 0 < found["total"] < everyone["total"]
    assert {i["person"]["region"] for i in found["items"]} == {region}
    groups = shared_service.get(
        "/api/potential-constellations", Role.ADMIN, region=region, limit=200
    ).json()
    assert all(m["region"] == region for g in groups["items"] for m in g["members"]), (
        "a member from another region"
    )


def test_a_list_filtered_by_cell_or_sector_keeps_only_its_people(shared_service: Any) -> None:
    view = shared_service.network.view()
    cell, members = max(view.profile.cells.items(), key=lambda c: len(c[1]))
    found = shared_service.get("/api/gaps/not-in-the-room", Role.ADMIN, cell=cell, limit=200).json()
    assert {i["person"]["id"] for i in found["items"]} <= set(members)
    everyone = shared_service.get("/api/gaps/not-in-the-room", Role.ADMIN, limit=200).json()
    sector = next(i["person"]["sector"] for i in everyone["items"] if i["person"]["sector"])
    found = shared_service.get("/api/gaps/not-in-the-room", Role.ADMIN, sector=sector, format="csv")
    assert {r["sector"] for r in _csv_rows(found)} == {sector}


def test_not_in_the_room_sorts_by_name_and_by_region(shared_service: Any) -> None:
    def listed(sort: str) -> list[dict[str, Any]]:
        page = shared_service.get(
            "/api/gaps/not-in-the-room", Role.ADMIN, sort=sort, limit=200
        ).json()
        return [i["person"] for i in page["items"]]

    names = [p["name"].casefold() for p in listed("name")]
    assert names == sorted(names)
    regions = [p["region"] for p in listed("region") if p["region"]]
    assert regions == sorted(regions)


def test_potential_constellations_sort_by_region(shared_service: Any) -> None:
    page = shared_service.get(
        "/api/potential-constellations", Role.ADMIN, sort="region", limit=200
    ).json()
    regions = [g["region"] for g in page["items"]]
    assert regions == sorted(regions)


def _hidden_names(service: Any) -> set[str]:
    return {
        service.client.get(f"/api/people/{p}", headers=service.headers(Role.ADMIN)).json()["name"]
        for p in service.people["hidden"]
    }


def test_the_introductions_file_says_in_plain_words_how_likely_and_what_would_change(
    shared_service: Any,
) -> None:
    suggested = shared_service.get("/api/introductions", Role.ADMIN, limit=200).json()["items"]
    as_csv = _csv_rows(shared_service.get("/api/introductions", Role.ADMIN, format="csv"))
    assert as_csv and {"likely", "would_change"} <= set(as_csv[0])
    first = suggested[0]
    assert (as_csv[0]["a_name"], as_csv[0]["b_name"]) == (first["a"]["name"], first["b"]["name"])
    assert as_csv[0]["likely"] == first["likely"] in {"high", "fair", "low"}
    assert as_csv[0]["would_change"] == "; ".join(first["would_change"])
    named = {r["a_name"] for r in as_csv} | {r["b_name"] for r in as_csv}
    assert not named & _hidden_names(shared_service), "a hidden person is in the file"


def test_one_persons_and_one_outcomes_introductions_download_as_their_json_lists(
    shared_service: Any,
) -> None:
    person = shared_service.member_person
    listed = shared_service.get(f"/api/people/{person}/introductions", Role.ADMIN, limit=100)
    as_csv = _csv_rows(
        shared_service.get("/api/introductions", Role.ADMIN, person=person, format="csv")
    )
    pairs = {(i["a"]["name"], i["b"]["name"]) for i in listed.json()}
    assert {(r["a_name"], r["b_name"]) for r in as_csv} == pairs
    recorded = shared_service.get("/api/introductions", Role.ADMIN, recorded="all").json()
    as_file = shared_service.get("/api/introductions", Role.ADMIN, recorded="all", format="csv")
    outcomes = [r["status"] for r in _csv_rows(as_file)]
    assert outcomes and outcomes == [i["status"] for i in recorded["items"]]


def test_a_connectors_own_contacts_introductions_download_for_connectors_only(
    shared_service: Any,
) -> None:
    path = f"/api/connectors/{shared_service.connector_person}/introductions"
    listed = shared_service.get(path, Role.CONNECTOR, limit=100).json()
    as_xlsx = _xlsx_rows(shared_service.get(path, Role.CONNECTOR, format="xlsx"))
    assert [(r["a_name"], r["b_name"]) for r in as_xlsx] == [
        (i["a"]["name"], i["b"]["name"]) for i in listed
    ]
    assert shared_service.get(path, Role.MEMBER, format="csv").status_code == 403


def test_my_network_downloads_as_the_people_on_my_own_map_and_no_one_hidden(
    shared_service: Any,
) -> None:
    path = f"/api/people/{shared_service.member_person}/map"
    nodes = shared_service.get(path, Role.MEMBER).json()["nodes"]
    on_map = {n["name"] for n in nodes if n["id"].startswith("person:")}
    as_csv = _csv_rows(shared_service.get(path, Role.MEMBER, format="csv"))
    as_xlsx = _xlsx_rows(shared_service.get(path, Role.MEMBER, format="xlsx"))
    assert on_map and {r["name"] for r in as_csv} == on_map == {r["name"] for r in as_xlsx}
    assert not on_map & _hidden_names(shared_service)
    hidden = shared_service.people["hidden"][0]
    assert shared_service.get(
        f"/api/people/{hidden}/map", Role.MEMBER, format="csv"
    ).status_code == (shared_service.get(f"/api/people/{hidden}/map", Role.MEMBER).status_code)


def test_gexf_and_graphml_label_people_by_name_never_by_id(
    small_network: NetworkRecords,
) -> None:
    nodes = [[r.KIND, {**r.properties(), "id": r.id}] for r in small_network.nodes()]
    edges = ([r.start, r.TYPE, r.end, r.properties()] for r in small_network.relationships())
    snapshot = graph_from_rows(nodes, edges)
    analysis = analyse(snapshot, seed=7)
    graph = shareable_graph(snapshot, analysis, Viewer(Role.MEMBER).may_name)
    back = nx.read_gexf(io.StringIO(export_text(graph, "gexf")))
    labels = dict(back.nodes(data="label"))
    people = [n for n, kind in graph.nodes(data="kind") if kind == "Person"]
    assert people and all(labels[p] == graph.nodes[p]["name"] for p in people)
    assert not any(str(label).startswith(("person:", "event:")) for label in labels.values())
    graphml = export_text(graph, "graphml")
    ET.fromstring(graphml.encode())
    assert 'attr.name="label"' in graphml
    assert all(
        label == graph.nodes[n].get("name") or label.split()[-1].isdigit()
        for n, label in nx.read_graphml(io.StringIO(graphml)).nodes(data="label")
    )


def test_a_name_that_is_a_formula_stays_text_in_csv_and_xlsx(
    shared_service: Any, small_network: NetworkRecords
) -> None:
    """Last in this module: it renames someone in the shared service."""
    page = shared_service.get("/api/gaps/not-in-the-room", Role.ADMIN, limit=1).json()
    target = page["items"][0]["person"]["id"]
    person = next(n for n in small_network.nodes() if n.id == target)
    shared_service.store.upsert_nodes([person.model_copy(update={"name": HOSTILE})])
    shared_service.network.wait_until_current(timeout=120)
    as_csv = _csv_rows(shared_service.get("/api/gaps/not-in-the-room", Role.ADMIN, format="csv"))
    assert "'" + HOSTILE in {r["name"] for r in as_csv}
    as_xlsx = _xlsx_rows(shared_service.get("/api/gaps/not-in-the-room", Role.ADMIN, format="xlsx"))
    assert "'" + HOSTILE in {r["name"] for r in as_xlsx}, "openpyxl wrote it as a formula"


def test_past_imports_say_when_in_utc_with_a_z(service: Any, tmp_path: Any) -> None:
    members = tmp_path / "members.csv"
    members.write_text("Name,Email\nZed Utc,zed@example.org\n")
    service.network.import_file(members, ImportOptions(kind="members"))
    past = service.get("/api/imports", Role.ADMIN).json()["items"][0]
    assert past["created"].endswith("Z") and "+00:00" not in past["created"]
    again = service.get(f"/api/imports/{past['id']}", Role.ADMIN).json()
    assert again["created"] == past["created"]
