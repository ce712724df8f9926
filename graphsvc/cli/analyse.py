"""``graphsvc analyse`` and ``graphsvc evaluate``: the network's constellations,
bridges, gaps and introductions, and how good the introductions are."""

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphsvc.cli.options import StoreOption
from graphsvc.service import open_network
from graphsvc.store import open_store

# The analysis stack (scipy, igraph) is imported by the commands that use it:
# loading it made every other command, imports included, a second slower.
if TYPE_CHECKING:
    from graphsvc.analysis.pipeline import Analysis
    from graphsvc.store.snapshot import Snapshot

SeedOption = Annotated[int, typer.Option(help="Seed for every randomised step.")]


def _run(store: str | None, seed: int, console: Console) -> "Analysis":
    return analysed(store, seed, console)[1]


def analysed(store: str | None, seed: int, console: Console) -> tuple["Snapshot", "Analysis"]:
    """The store's network and its analysis, with a progress bar on ``console``.

    The service's saved analysis is used when it is of the store's version.
    """
    from graphsvc.analysis.pipeline import STAGES

    with open_network(store) as network:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("Reading the graph", total=len(STAGES) + 1)

            def stage(name: str) -> None:
                progress.update(task, description=f"Finding {name}", advance=1)

            return network.analyse(seed, on_stage=stage)


def analyse_command(
    store: StoreOption = None,
    seed: SeedOption = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
) -> None:
    """Find constellations, bridges, gaps and introductions."""
    console = Console(stderr=True)
    result = _run(store, seed, console)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=1))
        return
    out = Console()
    found = result.constellations
    out.print(
        f"{result.people} people, {result.ties} ties, graph version {result.graph_version}: "
        f"{len(found.constellations)} constellations (modularity {found.modularity}), "
        f"{sum(s.status == 'isolated' for s in found.single_points)} isolated and "
        f"{sum(s.status == 'peripheral' for s in found.single_points)} peripheral members, "
        f"{len(found.potential)} potential constellations."
    )
    table = Table(title="Largest constellations")
    for column in ("size", "cohesion", "label"):
        table.add_column(column)
    for c in found.constellations[:10]:
        table.add_row(str(c.size), f"{c.cohesion:.2f}", c.label)
    out.print(table)
    gaps = Table(title="Regions and nations against population")
    for column in ("region", "members", "share", "95% interval", "population", "verdict"):
        gaps.add_column(column)
    for s in result.gaps.regions:
        gaps.add_row(
            s.category,
            str(s.count),
            f"{s.share:.1%}",
            f"{s.low:.1%}–{s.high:.1%}",
            f"{s.expected:.1%}",
            s.verdict,
        )
    out.print(gaps)
    bridges = result.bridges
    no_group = ", ".join(result.gaps.regions_without_cells)
    out.print(
        f"{len(bridges.cut_points)} people and {len(bridges.bridge_ties)} ties whose loss splits "
        f"the network; {len(bridges.held_together)} constellation members hold theirs together; "
        f"regions with members but no regional group: {no_group or 'none'}; "
        f"{len(result.gaps.not_in_the_room)} members not in the room; "
        f"{len(result.introductions)} introductions suggested (see --json)."
    )


def evaluate_command(
    store: StoreOption = None,
    seed: SeedOption = 0,
    hide: Annotated[float, typer.Option(help="Share of ties to hide.", min=0.01, max=0.5)] = 0.1,
    k: Annotated[int, typer.Option(help="Precision is measured over the top K.", min=1)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Measure introductions: hide ties and see if they are suggested (AUC, precision@k)."""
    with open_store(store) as graph:
        snapshot = graph.network()
    from graphsvc.analysis.evaluation import evaluate_introductions
    from graphsvc.analysis.projection import collaboration_graph

    result = evaluate_introductions(collaboration_graph(snapshot), hide=hide, k=k, seed=seed)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "hidden": result.hidden,
                    "k": result.k,
                    "methods": [vars(m) for m in result.methods],
                },
                indent=1,
            )
        )
        return
    table = Table(title=f"{result.hidden} ties hidden")
    for column in ("method", "AUC", f"precision@{result.k}"):
        table.add_column(column)
    for m in result.methods:
        table.add_row(m.method, f"{m.auc:.3f}", f"{m.precision_at_k:.2f}")
    Console().print(table)
