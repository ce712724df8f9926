"""``graphsvc analyse`` and ``graphsvc evaluate``: the network's constellations,
bridges, gaps and introductions, and how good the introductions are."""

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphsvc.analysis.weights import IntroductionWeights
from graphsvc.cli.options import StoreOption
from graphsvc.config import get_settings
from graphsvc.errors import GraphsvcError
from graphsvc.service import open_network
from graphsvc.store import open_store

# The analysis stack (scipy, igraph) is imported by the commands that use it:
# loading it made every other command, imports included, a second slower.
if TYPE_CHECKING:
    import networkx as nx

    from graphsvc.analysis.evaluation import Evaluation
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


def _enough_ties_to_evaluate(graph: "nx.Graph[Any]") -> bool:
    """Some ties to hide, some left to rank by, and some pairs that are not tied."""
    people, ties = graph.number_of_nodes(), graph.number_of_edges()
    return ties >= 10 and ties < people * (people - 1) // 2


def evaluate_command(
    store: StoreOption = None,
    seed: SeedOption = 0,
    hide: Annotated[float, typer.Option(help="Share of ties to hide.", min=0.01, max=0.5)] = 0.1,
    k: Annotated[int, typer.Option(help="Precision is measured over the top K.", min=1)] = 100,
    top: Annotated[
        int, typer.Option(help="The effect is measured for each ranking's top N.", min=1)
    ] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            help="Try this weight beside the configured ones, as name=value "
            "(e.g. both_in_london=-3); repeat for more.",
        ),
    ] = None,
) -> None:
    """Measure introductions: their effect on the network when made (against the
    earlier ranking, common neighbours and random), whether hidden ties come back
    (AUC, precision@k), and what came of those recorded; with --weight, the same
    for other weights beside the configured ones."""
    configured, tried = _weights_to_evaluate(weight or [])
    with open_store(store) as graph:
        snapshot = graph.network()
    from graphsvc.analysis.evaluation import evaluate_introductions
    from graphsvc.analysis.projection import collaboration_graph

    graph_of_ties = collaboration_graph(snapshot)
    if not _enough_ties_to_evaluate(graph_of_ties):
        # A fresh or tiny network: nothing to hide and find again.
        message = f"Nothing to evaluate yet: {graph_of_ties.number_of_edges()} ties."
        empty = {"hidden": 0, "k": k, "methods": [], "effects": [], "outcomes": []}
        typer.echo(json.dumps(empty) if as_json else message)
        return
    from graphsvc.analysis.profiles import profile_network

    profile = profile_network(snapshot)
    result = evaluate_introductions(
        graph_of_ties,
        hide=hide,
        k=k,
        seed=seed,
        effect_k=top,
        recorded=profile.introductions,
        names=profile.node_names,
        weights=configured,
        tried=tried,
    )
    if as_json:
        weights = {"weights": configured.described(), "tried": tried and tried.described()}
        typer.echo(json.dumps({**asdict(result), **weights}, indent=1))
        return
    _print_weights(configured, tried)
    _print_evaluation(result)


def _weights_to_evaluate(
    pairs: list[str],
) -> tuple[IntroductionWeights, IntroductionWeights | None]:
    """The configured weights, and those with ``--weight``'s pairs set (if any)."""
    configured = get_settings().introduction_weight_values
    if not pairs:
        return configured, None
    try:
        return configured, configured.changed(pairs)
    except ValueError as exc:
        raise GraphsvcError(f"--weight: {exc}") from None


def _print_weights(configured: IntroductionWeights, tried: IntroductionWeights | None) -> None:
    out = Console()
    out.print(f"Weights: {configured.described() or 'the defaults'}", highlight=False)
    if tried is not None:
        out.print(f"Tried (rows marked so): {tried.described() or 'the defaults'}", highlight=False)


def _print_evaluation(result: "Evaluation") -> None:
    out = Console()
    table = Table(title=f"Plausibility: {result.hidden} ties hidden, do they come back?")
    for column in ("method", "AUC", f"precision@{result.k}"):
        table.add_column(column)
    for m in result.methods:
        table.add_row(m.method, f"{m.auc:.3f}", f"{m.precision_at_k:.2f}")
    out.print(table)
    effects = Table(title="Effect of each ranking's top suggestions, made as ties")
    columns = (
        ("method", "method"),
        ("people", "people"),
        ("edge_people", "at the edge"),
        ("single_points", "single points"),
        ("unlinked_constellation_pairs_joined", "unlinked pairs joined"),
        ("cross_sector_ties", "cross-sector"),
        ("both_in_london_share", "both in London"),
        ("harmonic_closeness_change", "closeness change"),
        ("cut_points_relieved", "cut-points relieved"),
    )
    for _, heading in columns:
        effects.add_column(heading)
    for e in result.effects:
        row = vars(e)
        cells = [str(row[name]) for name, _ in columns]
        cells[3] = f"{e.single_points} of {e.single_points_nameable}"
        cells[4] = f"{e.unlinked_constellation_pairs_joined} of {e.unlinked_constellation_pairs}"
        cells[6] = f"{e.both_in_london_share:.0%}"
        cells[7] = f"{e.harmonic_closeness_change:+.2%}"
        effects.add_row(*cells)
    out.print(effects)
    if result.outcomes:
        outcomes = Table(title="Recorded introductions by plausibility")
        for column in ("band", "recorded", "made or led somewhere", "declined", "acceptance"):
            outcomes.add_column(column)
        for band in result.outcomes:
            rate = "–" if band.acceptance is None else f"{band.acceptance:.0%}"
            outcomes.add_row(
                band.band, str(band.recorded), str(band.made), str(band.declined), rate
            )
        out.print(outcomes)
