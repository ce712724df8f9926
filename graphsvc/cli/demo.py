"""``graphsvc demo``: a synthetic network, loaded and served."""

import secrets
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphsvc.access import Role, Viewer
from graphsvc.cli.options import HostOption, PortOption, StoreOption
from graphsvc.cli.serve import run_server
from graphsvc.cli.stats import counts_table
from graphsvc.errors import GraphsvcError
from graphsvc.service import Network, network_of
from graphsvc.store import open_store
from graphsvc.synthetic import NetworkRecords, synthetic_records


def _load(
    network: Network, records: NetworkRecords, meta: dict[str, int], console: Console
) -> None:
    columns = (
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        nodes = progress.add_task("Nodes", total=records.node_count)
        rels = progress.add_task("Relationships", total=records.relationship_count)
        network.replace_with(
            records.nodes(),
            records.relationships(),
            meta={"demo": True, **meta},
            on_nodes=lambda n: progress.advance(nodes, n),
            on_relationships=lambda n: progress.advance(rels, n),
        )


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
    network = network_of(open_store(store), store, background=serve)
    try:
        _load_demo(network, members, seed, console)
        console.print(
            f"Ready in {time.perf_counter() - started:.1f} s: {network.store.description}"
        )
        _demo_users(network, console)
        if serve:
            console.print("Sign in at /sign-in on the address below with one of these users.")
    except BaseException:
        network.close()
        raise
    if serve:
        run_server(network, host, port)
    else:
        network.close()


def _load_demo(network: Network, members: int, seed: int, console: Console) -> None:
    graph = network.store
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
        _load(network, records, {"demo_members": members, "demo_seed": seed}, console)
    console.print(counts_table(graph.counts()))


def _demo_users(network: Network, console: Console) -> None:
    """One user per role, with a new password each run, printed for trying the service.

    The member and the connector are linked to people in the synthetic
    network who agreed to be named, so they have records and networks of
    their own.
    """
    # Here, not above: the web service's modules are for when it serves.
    from graphsvc.api.navigation import pages_for

    people = network.view().profile.people.values()
    any_member = Viewer(Role.MEMBER)  # agreed to be named: every member may see them
    named = sorted(p.id for p in people if any_member.may_name(p.id, p.visibility))
    linked = dict(zip((Role.MEMBER, Role.CONNECTOR), named, strict=False))
    # Narrow enough for an 80-column terminal: an email or password cut
    # short cannot be typed in. The pages each role may open come in a
    # second table, whose one column may wrap.
    users = Table(title="Demo users (new passwords each run)")
    for heading in ("Email", "Role", "Password"):
        users.add_column(heading, no_wrap=True)
    pages = Table(title="Pages each may open")
    pages.add_column("Role", no_wrap=True)
    pages.add_column("Pages")
    accounts = network.accounts
    for role in Role:
        email, password = f"{role.value}@demo.invalid", secrets.token_urlsafe(12)
        user = accounts.user_by_email(email)
        if user is None:
            accounts.add_user(email, role, password, linked.get(role))
        else:
            accounts.set_password(user.id, password)
        users.add_row(email, role.value, password)
        viewer = Viewer(role, linked.get(role))
        pages.add_row(role.value, " ".join(p.path for p in pages_for(viewer)))
    console.print(users)
    console.print(pages)
