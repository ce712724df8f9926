"""``graphsvc import members|attendance``: files in, with a report."""

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from graphsvc.cli.options import StoreOption
from graphsvc.ingest import import_members
from graphsvc.store import open_store
from importers.membership import load_mapping
from importers.report import ImportReport

app = typer.Typer(help="Import membership and attendance files.", no_args_is_help=True)

FileArgument = Annotated[
    Path, typer.Argument(help="The file to import (CSV or XLSX).", show_default=False)
]
SkipOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows", help="Import the good rows of a file that has bad ones (else none)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the import report as JSON.")]
DatesOption = Annotated[
    str | None,
    typer.Option(
        "--dates",
        help="Order of numeric dates such as 03/04/2024: day-first or month-first.",
        show_default=False,
    ),
]


@app.command("members")
def members_command(
    file: FileArgument,
    store: StoreOption = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help='TOML file naming columns: [columns] name = "Member".', show_default=False
        ),
    ] = None,
    skip_bad_rows: SkipOption = False,
    dates: DatesOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date of the export, YYYY-MM-DD [default: the file's date].",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a membership export: one row a member."""
    console = Console(stderr=True)
    order = _date_order(dates)
    with console.status("Importing members"), open_store(store) as graph:
        report = import_members(
            graph,
            file,
            mapping=load_mapping(mapping) if mapping else None,
            skip_bad_rows=skip_bad_rows,
            date_order=order,
            as_of=_as_of(as_of),
        )
    _show(report, as_json)
    if not report.written:
        raise typer.Exit(1)


def _date_order(text: str | None) -> Literal["day-first", "month-first"] | None:
    if text is None:
        return None
    if text not in ("day-first", "month-first"):
        raise typer.BadParameter("use day-first or month-first", param_hint="--dates")
    return "day-first" if text == "day-first" else "month-first"


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("write the date as YYYY-MM-DD", param_hint="--as-of") from None


def _show(report: ImportReport, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    console = Console()
    console.print(f"[bold]{report.file}[/]: {report.rows_read} rows read", highlight=False)
    if report.written:
        console.print(
            f"  written: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {len(report.merges)} rows matched to people "
            f"already known; {len(report.review)} possible matches to review",
            highlight=False,
        )
    else:
        console.print(
            f"  [red]nothing written[/]: {len(report.rejected)} rows cannot be imported "
            "(fix them, or import the rest with --skip-bad-rows)",
            highlight=False,
        )
    for problem in report.rejected[:20]:
        console.print(f"  row {problem.row}: {problem.reason}", highlight=False, markup=False)
    if len(report.rejected) > 20:
        console.print(f"  ... and {len(report.rejected) - 20} more (see --json)")
    for note in report.notes:
        console.print(f"  note: {note}", highlight=False, markup=False)
