"""The network for other tools: GraphML and GEXF (Gephi), CSV nodes and edges
(spreadsheets, Kumu); consent respected, contact details never included.

People the viewer may not name are left out with their ties; every node is
labelled by its name, or by a neutral label where it has none, never by its
id (Gephi shows the ``label``). Spreadsheet
cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
are written with a leading apostrophe, so a name cannot become a formula
(OWASP, "CSV Injection").
"""

import csv
import io
from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

import networkx as nx

from graphsvc.analysis.pipeline import Analysis
from graphsvc.store.snapshot import Snapshot

ExportFormat = Literal["graphml", "gexf", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("graphml", "gexf", "csv")
# What a node carries out: names and groupings, never email, phone or notes.
NODE_FIELDS = ("kind", "name", "sector", "level", "date", "region", "constellation")
# Ties kept for the reviewers of uncertain merges only.
NOT_EXPORTED = frozenset({"MAY_BE_SAME"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def shareable_graph(
    snapshot: Snapshot, analysis: Analysis, may_name: Callable[[str, str | None], bool]
) -> "nx.DiGraph[Any]":
    """The network with only what the viewer may see: one node per entity, one edge per tie.

    ``may_name(person_id, visibility)`` decides who is named (``Viewer.may_name``,
    given the visibility as stored: it reads a missing or unknown one as hidden).
    """
    assert analysis.profile is not None
    regions = {p.id: p.region for p in analysis.profile.people.values()}
    membership = analysis.constellations.membership
    out: nx.DiGraph[Any] = nx.DiGraph()
    unnamed: Counter[str] = Counter()
    for node, data in snapshot.nodes(data=True):
        if data.get("kind") == "Person" and not may_name(node, data.get("visibility")):
            continue
        fields = {**data, "region": regions.get(node), "constellation": membership.get(node)}
        kept = {k: fields[k] for k in NODE_FIELDS if fields.get(k) is not None}
        out.add_node(node, label=_label(kept, unnamed), **kept)
    for a, b, kind in snapshot.edges(keys=True):
        if kind not in NOT_EXPORTED and a in out and b in out:
            if out.has_edge(a, b):
                out[a][b]["type"] += f";{kind}"
            else:
                out.add_edge(a, b, type=kind)
    return out


def _label(fields: dict[str, Any], unnamed: "Counter[str]") -> str:
    """What Gephi and igraph show for a node: its name, else a neutral label
    ("Member 3", "Event 1"), never its id, which says nothing to a reader."""
    if fields.get("name"):
        return str(fields["name"])
    kind = "Member" if fields.get("kind", "Person") == "Person" else str(fields["kind"])
    unnamed[kind] += 1
    return f"{kind} {unnamed[kind]}"


def export_text(graph: "nx.DiGraph[Any]", fmt: Literal["graphml", "gexf"]) -> str:
    """GraphML or GEXF, as text."""
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer)
    else:
        nx.write_gexf(graph, buffer)
    return buffer.getvalue().decode("utf-8")


def nodes_csv(graph: "nx.DiGraph[Any]") -> str:
    rows = (
        [node, *(data.get(f, "") for f in NODE_FIELDS)] for node, data in graph.nodes(data=True)
    )
    return _csv(["id", *NODE_FIELDS], rows)


def edges_csv(graph: "nx.DiGraph[Any]") -> str:
    rows = ([a, b, data["type"]] for a, b, data in graph.edges(data=True))
    return _csv(["from", "to", "type"], rows)


def spreadsheet_safe(value: Any) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula.

    Examples
    --------
    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("Ann"), spreadsheet_safe(3)
    ('\\'=HYPERLINK("http://x")', 'Ann', '3')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: list[str], rows: Any) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return buffer.getvalue()
