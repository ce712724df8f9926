"""``graphsvc backup``, ``graphsvc restore`` and ``graphsvc store copy``: a whole
network kept in one file, and moved between stores of either backend."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from graphsvc.cli.options import StoreOption
from graphsvc.cli.progress import progress_bar
from graphsvc.config import get_settings
from graphsvc.service.backup import Manifest, Progress, copy_store, restore_backup, write_backup
from graphsvc.store import open_store

store_app = typer.Typer(help="Move a network between stores.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(help="The backup file.", show_default=False)]
ReplaceOption = Annotated[
    bool,
    typer.Option(
        "--replace", help="Delete what the destination holds first (else it must be empty)."
    ),
]


def backup(
    file: FileArgument,
    store: StoreOption = None,
    accounts: Annotated[
        bool,
        typer.Option(
            "--accounts/--no-accounts", help="Include the users and sign-ins (the accounts file)."
        ),
    ] = True,
) -> None:
    """Write a compressed, consistent backup of the store and its accounts file.

    Safe while the service runs. The file holds names, emails and password
    hashes: it is written owner-only; keep it as safe as the store.
    """
    accounts_file = get_settings().accounts_path(store) if accounts else None
    with progress_bar() as (on_stage, on_progress), open_store(store) as graph:
        manifest = write_backup(
            graph, file, accounts=accounts_file, progress=Progress(on_stage, on_progress)
        )
    _summary(f"Backed up to {file}", manifest)
    if accounts_file is not None and not manifest.accounts:
        Console().print(
            f"  no accounts file at {escape(str(accounts_file))}: users and sign-ins are not "
            "in the backup (GRAPHSVC_ACCOUNTS names the file)",
            highlight=False,
        )


def restore(
    file: FileArgument,
    store: StoreOption = None,
    replace: ReplaceOption = False,
) -> None:
    """Restore a backup into an empty store (of either backend) and its accounts file.

    Stop the service on that store first; start it again afterwards.
    """
    settings = get_settings()
    with progress_bar() as (on_stage, on_progress), open_store(store) as graph:
        manifest = restore_backup(
            file,
            graph,
            accounts=settings.accounts_path(store),
            saved_analysis=settings.saved_analysis_path(store),
            replace=replace,
            progress=Progress(on_stage, on_progress),
        )
        where = graph.description
    _summary(f"Restored {file} into {where}", manifest)
    if manifest.accounts:
        Console().print(f"  users and sign-ins: {escape(str(settings.accounts_path(store)))}")


@store_app.command("copy")
def copy(
    source: Annotated[
        str, typer.Option("--from", help="The store to copy (directory or bolt:// URL).")
    ],
    target: Annotated[
        str, typer.Option("--to", help="The store to copy into (directory or bolt:// URL).")
    ],
    replace: ReplaceOption = False,
) -> None:
    """Copy every node and relationship, with provenance, review decisions and the
    graph version, from one store to another; run again, it makes the same copy.

    Counts are checked at the end. Users and sign-ins are not copied: they
    stay in the accounts file (GRAPHSVC_ACCOUNTS).
    """
    settings = get_settings()
    with (
        progress_bar() as (on_stage, on_progress),
        open_store(source) as origin,
        open_store(target) as destination,
    ):
        manifest = copy_store(
            origin,
            destination,
            replace=replace,
            saved_analysis=settings.saved_analysis_path(target),
            progress=Progress(on_stage, on_progress),
        )
        where = destination.description
    _summary(f"Copied into {where}", manifest)
    accounts_from, accounts_to = settings.accounts_path(source), settings.accounts_path(target)
    if accounts_from != accounts_to and accounts_from.is_file():
        Console().print(
            f"  users and sign-ins stay in {escape(str(accounts_from))}; a service on the new "
            f"store reads {escape(str(accounts_to))} unless GRAPHSVC_ACCOUNTS names one",
            highlight=False,
        )


def _summary(headline: str, manifest: Manifest) -> None:
    nodes, relationships = sum(manifest.nodes.values()), sum(manifest.relationships.values())
    Console().print(
        f"{escape(headline)}: {nodes:,} nodes and {relationships:,} relationships "
        f"(graph version {manifest.meta.get('version', 0)}; counts checked)",
        highlight=False,
    )
