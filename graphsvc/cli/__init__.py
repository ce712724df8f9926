"""The ``graphsvc`` command."""

import sys

import typer
from rich.console import Console
from rich.markup import escape

from graphsvc.cli import analyse, demo, imports, maps, people, review, serve, stats, users
from graphsvc.errors import GraphsvcError

app = typer.Typer(
    name="graphsvc",
    help="Map who works with whom across a civil-society network.",
    no_args_is_help=True,
    # Errors users can act on are printed as one line; see main().
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("stats")(stats.stats)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("analyse")(analyse.analyse_command)
app.command("evaluate")(analyse.evaluate_command)
app.command("map")(maps.map_command)
app.command("export")(maps.export_command)
app.add_typer(imports.app, name="import")
app.add_typer(review.app, name="review")
app.add_typer(users.app, name="user")
app.add_typer(people.app, name="person")


def main() -> None:
    """Entry point: run the CLI, turning known errors into one-line messages."""
    try:
        app()
    except GraphsvcError as exc:
        Console(stderr=True).print(
            f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
