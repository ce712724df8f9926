"""``graphsvc stats``: what is in the graph."""

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphsvc.cli.options import StoreOption
from graphsvc.store import GraphCounts, open_store


def counts_table(counts: GraphCounts) -> Table:
    table = Table(title=f"Graph version {counts.version}", show_lines=False)
    table.add_column("Nodes")
    table.add_column("", justify="right")
    table.add_column("Relationships")
    table.add_column("", justify="right")
    nodes, rels = list(counts.nodes.items()), list(counts.relationships.items())
    for i in range(max(len(nodes), len(rels))):
        kind, n = nodes[i] if i < len(nodes) else ("", "")
        rel_type, r = rels[i] if i < len(rels) else ("", "")
        table.add_row(kind, str(n), rel_type, str(r))
    return table


def stats(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show nodes by kind, relationships by type and the graph version."""
    with open_store(store) as graph:
        counts = graph.counts()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "nodes": counts.nodes,
                    "relationships": counts.relationships,
                    "graph_version": counts.version,
                },
                indent=2,
            )
        )
    else:
        Console().print(counts_table(counts))
