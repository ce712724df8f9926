"""``graphsvc map`` and ``graphsvc export``: the network as a map file, or for
other tools (Gephi, spreadsheets, Kumu).

Both name only the people the chosen audience may see (members, by default:
those who agreed to be named to the network) and never carry contact details.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphsvc.access import Role, Viewer
from graphsvc.cli.analyse import SeedOption, analysed
from graphsvc.cli.options import StoreOption
from graphsvc.errors import GraphsvcError


class Audience(StrEnum):
    member = "member"
    connector = "connector"
    convenor = "convenor"


class ColourChoice(StrEnum):
    constellation = "constellation"
    sector = "sector"
    region = "region"


class FormatChoice(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


AudienceOption = Annotated[
    Audience,
    typer.Option(help="Who it is for: names only the people this role may see named."),
]


def map_command(
    out: Annotated[Path, typer.Option(help="The HTML file to write.")] = Path("network-map.html"),
    colour_by: Annotated[ColourChoice, typer.Option(help="What colours the people.")] = (
        ColourChoice.constellation
    ),
    audience: AudienceOption = Audience.member,
    store: StoreOption = None,
    seed: SeedOption = 0,
) -> None:
    """Write the network map as one HTML file that opens offline."""
    from visualisations.html import map_file
    from visualisations.network_map import network_map, network_positions

    console = Console(stderr=True)
    _, analysis = analysed(store, seed, console)
    assert analysis.profile is not None
    viewer = Viewer(Role(audience.value))
    people = analysis.profile.people
    with console.status("Laying out the map"):
        drawn = network_map(
            analysis,
            people,
            network_positions(analysis, seed),
            lambda p: viewer.may_name(p, people[p].visibility),
            colour_by.value,
        )
    _write(out, map_file(drawn, "Network map"))
    console.print(
        f"Wrote {out}: {drawn.people} people named"
        + (f" (an overview of {drawn.not_shown})" if drawn.kind == "overview" else "")
        + f", {len(people) - drawn.people - drawn.not_shown} not named for {audience.value}s."
    )


def export_command(
    out: Annotated[
        Path, typer.Option(help="The file to write; for csv, a folder for nodes.csv and edges.csv.")
    ],
    fmt: Annotated[FormatChoice, typer.Option("--format", help="File format.")] = (
        FormatChoice.graphml
    ),
    audience: AudienceOption = Audience.member,
    store: StoreOption = None,
) -> None:
    """Export the network for Gephi (GraphML, GEXF) or spreadsheets and Kumu (CSV)."""
    from visualisations.export import edges_csv, export_text, nodes_csv, shareable_graph

    console = Console(stderr=True)
    snapshot, analysis = analysed(store, 0, console)
    graph = shareable_graph(snapshot, analysis, Viewer(Role(audience.value)).may_name)
    if fmt is FormatChoice.csv:
        _write(out / "nodes.csv", nodes_csv(graph), folder=True)
        _write(out / "edges.csv", edges_csv(graph), folder=True)
    else:
        _write(out, export_text(graph, "gexf" if fmt is FormatChoice.gexf else "graphml"))
    console.print(f"Wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} ties.")


def _write(path: Path, text: str, folder: bool = False) -> None:
    try:
        if folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GraphsvcError(f"cannot write {path}: {exc.strerror or exc}") from None
