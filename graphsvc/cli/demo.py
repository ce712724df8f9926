"""``graphsvc demo``: a synthetic network, loaded and served."""

import secrets
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphsvc.access import Role, Viewer
from graphsvc.accounts import open_accounts
from graphsvc.api.navigation import pages_for
from graphsvc.cli.options import HostOption, PortOption, StoreOption
from graphsvc.cli.serve import run_server
from graphsvc.cli.stats import counts_table
from graphsvc.config import get_settings
from graphsvc.errors import GraphsvcError
from graphsvc.store import GraphStore, open_store
from graphsvc.synthetic import NetworkRecords, synthetic_records


def _load(store: GraphStore, records: NetworkRecords, console: Console) -> None:
    columns = (
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        nodes = progress.add_task("Nodes", total=records.node_count)
        store.upsert_nodes(records.nodes(), on_progress=lambda n: progress.advance(nodes, n))
        rels = progress.add_task("Relationships", total=records.relationship_count)
        store.upsert_relationships(
            records.relationships(), on_progress=lambda n: progress.advance(rels, n)
        )
    store.compact()


def demo(
    store: StoreOption = None,
    members: Annotated[
        int, typer.Option(min=100, max=1_000_000, help="Members to generate.")
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Seed for the synthetic network.")] = 42,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve it afterwards.")] = True,
    host: HostOption = None,
    port: PortOption = None,
) -> None:
    """Load a synthetic network into the store and serve it.

    The demo only ever replaces an earlier demo: a store holding imported
    data is left alone.
    """
    console = Console()
    started = time.perf_counter()
    graph = open_store(store)
    try:
        _load_demo(graph, members, seed, console)
    except BaseException:
        graph.close()
        raise
    console.print(f"Ready in {time.perf_counter() - started:.1f} s: {graph.description}")
    _demo_users(graph, store, console)
    if serve:
        run_server(graph, host, port, store)
    else:
        graph.close()


def _load_demo(graph: GraphStore, members: int, seed: int, console: Console) -> None:
    meta = graph.graph_meta()
    has_data = any(graph.counts().nodes.values())
    if has_data and not meta.get("demo"):
        raise GraphsvcError(
            f"the store ({graph.description}) holds data that is not a demo; the demo will "
            "not replace it: give another directory with --store"
        )
    already = (meta.get("demo_members"), meta.get("demo_seed"), meta.get("demo_complete"))
    if already == (members, seed, True):
        console.print(f"The {members}-member demo network (seed {seed}) is already loaded.")
    else:
        with console.status(f"Generating a {members:,}-member network (seed {seed})…"):
            records = synthetic_records(members, seed)
        graph.clear()
        graph.set_graph_meta(demo=True, demo_members=members, demo_seed=seed, demo_complete=False)
        _load(graph, records, console)
        graph.set_graph_meta(demo_complete=True)
    console.print(counts_table(graph.counts()))


def _demo_users(graph: GraphStore, store: str | None, console: Console) -> None:
    """One user per role, with a new password each run, printed for trying the service.

    The member and the connector are linked to people in the synthetic
    network who agreed to be named, so they have records and networks of
    their own.
    """
    snapshot = graph.network()
    any_member = Viewer(Role.MEMBER)  # agreed to be named: every member may see them
    named = sorted(
        n
        for n, d in snapshot.nodes(data=True)
        if d.get("kind") == "Person" and any_member.may_name(n, d.get("visibility"))
    )
    linked = dict(zip((Role.MEMBER, Role.CONNECTOR), named, strict=False))
    table = Table(title="Demo users (new passwords each run)")
    for heading in ("Email", "Role", "Password", "Pages"):
        table.add_column(heading)
    with open_accounts(get_settings().accounts_path(store)) as accounts:
        for role in Role:
            email, password = f"{role.value}@demo.invalid", secrets.token_urlsafe(12)
            user = accounts.user_by_email(email)
            if user is None:
                accounts.add_user(email, role, password, linked.get(role))
            else:
                accounts.set_password(user.id, password)
            viewer = Viewer(role, linked.get(role))
            table.add_row(email, role.value, password, " ".join(p.path for p in pages_for(viewer)))
    console.print(table)
