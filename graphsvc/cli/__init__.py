"""The ``graphsvc`` command."""

import sys
import traceback
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from graphsvc.cli import analyse, backup, demo, imports, maps, people, review, serve, stats, users
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
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.add_typer(backup.store_app, name="store")
app.add_typer(imports.app, name="import")
app.add_typer(review.app, name="review")
app.add_typer(users.app, name="user")
app.add_typer(people.app, name="person")


# The exit code of a failure graphsvc did not foresee (2: an error the user can fix).
UNEXPECTED_EXIT = 3
OUR_PACKAGES = frozenset({"graphsvc", "importers", "visualisations"})


def main() -> None:
    """Entry point: run the CLI, turning errors into one-line messages, never a traceback."""
    try:
        app()
    except GraphsvcError as exc:
        _print_error(escape(str(exc)))
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # whatever else fails: one line, and nothing it was handling
        _print_error(escape(unexpected_error(exc)))
        sys.exit(UNEXPECTED_EXIT)


def _print_error(message: str) -> None:
    Console(stderr=True).print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)


def unexpected_error(exc: BaseException) -> str:
    """A line for a failure graphsvc did not foresee: what failed and where in its code,
    never the message, which may quote a name or an email it was working on.

    >>> try:
    ...     raise ValueError("ada@example.org is not valid")
    ... except ValueError as error:
    ...     line = unexpected_error(error)
    >>> "ValueError" in line and "ada@" not in line
    True
    """
    what = type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        # The system's own words ("No space left on device") name no file or data.
        what = f"{what} ({exc.strerror})"
    where = _where_in_graphsvc(exc)
    return (
        f"unexpected {what}{f' in {where}' if where else ''}. Its details are not shown, "
        "since they may hold personal data from the store or a file; if it happens "
        "again, report this line and the command you ran (not the data)."
    )


def _where_in_graphsvc(exc: BaseException) -> str | None:
    """The last place in this project's own code the exception passed through."""
    root = Path(__file__).resolve().parents[2]
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(root) and path.relative_to(root).parts[0] in OUR_PACKAGES:
            found = f"{path.relative_to(root)}:{frame.lineno}"
    return found
