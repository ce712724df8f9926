"""``graphsvc review``: people imports could not tell apart, for a person to decide."""

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graphsvc.cli.options import StoreOption
from graphsvc.errors import GraphsvcError
from graphsvc.service import open_network
from graphsvc.store import open_store

app = typer.Typer(
    help="List possible matches between people, and keep apart those that are different.",
    invoke_without_command=True,
)


@app.callback()
def review_list(
    context: typer.Context,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List pairs of people that may be one person, with why they were not merged."""
    if context.invoked_subcommand is not None:
        return
    with open_store(store) as graph:
        pairs = graph.possible_matches()
    if as_json:
        typer.echo(json.dumps([asdict(pair) for pair in pairs], indent=2))
        return
    console = Console()
    if not pairs:
        console.print("No possible matches wait for review.")
        return
    table = Table(title=f"{len(pairs)} possible matches to review")
    for heading in ("Person", "May be", "Why"):
        table.add_column(heading)
    for pair in pairs:
        # Text, not markup: names are data.
        table.add_row(
            Text(
                _who(
                    pair.person_name,
                    pair.person_email,
                    pair.person_organisations,
                    pair.person_places,
                )
                + f"\n{pair.person}"
            ),
            Text(
                _who(
                    pair.candidate_name,
                    pair.candidate_email,
                    pair.candidate_organisations,
                    pair.candidate_places,
                )
                + f"\n{pair.candidate}"
            ),
            Text(pair.reason),
        )
    console.print(table)
    console.print(
        "Keep a pair apart with: graphsvc review different PERSON_ID OTHER_ID", highlight=False
    )


def _who(
    name: str, email: str | None, organisations: tuple[str, ...], places: tuple[str, ...]
) -> str:
    """A person as the review list shows them: name, email, where they work and are based."""
    works = ", ".join(organisations) or "no organisation"
    based = ", ".join(places) or "no place"
    return f"{name} <{email or 'no email'}>\n{works} · {based}"


@app.command("different")
def review_different(
    person: Annotated[str, typer.Argument(help="The first id of the pair.", show_default=False)],
    candidate: Annotated[
        str, typer.Argument(help="The second id of the pair.", show_default=False)
    ],
    store: StoreOption = None,
) -> None:
    """Record that two people are different: the pair is not proposed again."""
    with open_network(store) as network:
        if not network.keep_apart(person, candidate):
            raise GraphsvcError(
                f"no possible match {person} -> {candidate} waits for review (see graphsvc review)"
            )
    Console().print("Kept apart; later imports will not propose this pair again.")
