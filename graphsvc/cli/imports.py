"""``graphsvc import members|attendance``: files in, with a report."""

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from graphsvc.cli.options import StoreOption
from graphsvc.ingest import StageCallback, import_attendance, import_members
from graphsvc.store import open_store
from graphsvc.store.graph_store import ProgressCallback
from importers.attendance import FORMATS, AttendanceFormat
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
    order = _date_order(dates)
    with _progress() as (on_stage, on_progress), open_store(store) as graph:
        report = import_members(
            graph,
            file,
            mapping=load_mapping(mapping) if mapping else None,
            skip_bad_rows=skip_bad_rows,
            date_order=order,
            as_of=_date(as_of, "--as-of"),
            on_stage=on_stage,
            on_progress=on_progress,
        )
    _finish(report, as_json)


@app.command("attendance")
def attendance_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="The file: a CSV/XLSX table, an Eventbrite or Zoom report, or a .txt list.",
            show_default=False,
        ),
    ],
    store: StoreOption = None,
    event: Annotated[
        str | None,
        typer.Option(
            help="The event, for files that do not name it on each row.", show_default=False
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="The event's date, YYYY-MM-DD, for files that do not give it.", show_default=False
        ),
    ] = None,
    file_format: Annotated[
        str,
        typer.Option("--format", help="auto, csv, eventbrite, zoom or text."),
    ] = "auto",
    skip_bad_rows: SkipOption = False,
    dates: DatesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import who attended an event: one person a row (or a line, for a text list)."""
    if file_format not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    order = _date_order(dates)
    with _progress() as (on_stage, on_progress), open_store(store) as graph:
        report = import_attendance(
            graph,
            file,
            file_format=cast(AttendanceFormat, file_format),
            event=event,
            date=_date(date, "--date"),
            skip_bad_rows=skip_bad_rows,
            date_order=order,
            on_stage=on_stage,
            on_progress=on_progress,
        )
    _finish(report, as_json)


@contextmanager
def _progress() -> Iterator[tuple[StageCallback, ProgressCallback]]:
    """A progress bar on standard error: a spinner while reading, a bar while writing."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("starting", total=None)

        def on_stage(stage: str, total: int | None) -> None:
            progress.reset(task, description=stage, total=total)

        yield on_stage, lambda n: progress.advance(task, n)


def _finish(report: ImportReport, as_json: bool) -> None:
    _show(report, as_json)
    if not report.written:
        raise typer.Exit(1)


def _date_order(text: str | None) -> Literal["day-first", "month-first"] | None:
    if text is None:
        return None
    if text not in ("day-first", "month-first"):
        raise typer.BadParameter("use day-first or month-first", param_hint="--dates")
    return "day-first" if text == "day-first" else "month-first"


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("write the date as YYYY-MM-DD", param_hint=option) from None


def _show(report: ImportReport, as_json: bool) -> None:
    if as_json:
        # One line: a report can list hundreds of thousands of rows.
        typer.echo(json.dumps(report.to_json(), separators=(",", ":")))
        return
    console = Console()
    kind = f" ({report.format})" if report.format else ""
    console.print(
        f"[bold]{escape(report.file)}[/]{kind}: {report.rows_read} rows read", highlight=False
    )
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
