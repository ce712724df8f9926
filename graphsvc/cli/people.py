"""``graphsvc person``: a person's data export and erasure."""

import json
from typing import Annotated

import typer
from rich.console import Console

from graphsvc.cli.options import StoreOption
from graphsvc.errors import GraphsvcError
from graphsvc.service import open_network

app = typer.Typer(help="Export or erase everything held about a person.", no_args_is_help=True)

PersonArgument = Annotated[
    str, typer.Argument(help="The person's id, like person:0000042.", show_default=False)
]


@app.command("export")
def export_command(person: PersonArgument, store: StoreOption = None) -> None:
    """Print everything held about a person as JSON (for an access request)."""
    with open_network(store) as network:
        held = network.export_person(person)
    if held is None:
        raise GraphsvcError(f"no person {person} in the store")
    typer.echo(json.dumps(held, indent=2, ensure_ascii=False))


@app.command("erase")
def erase_command(
    person: PersonArgument,
    store: StoreOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a person: from the store and its files, import reports and user accounts."""
    if not yes:
        typer.confirm(f"Erase {person} and everything held about them?", abort=True)
    with open_network(store) as network:
        erased = network.erase_person(person)
    if not erased:
        raise GraphsvcError(f"no person {person} in the store")
    Console().print("Erased. A running service forgets them at its next request.", highlight=False)
