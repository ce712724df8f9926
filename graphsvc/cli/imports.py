"""``graphsvc import members|attendance``: files in, with a report."""

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from graphsvc.cli.options import StoreOption
from graphsvc.cli.preview import SHOWN, report_people, show_preview
from graphsvc.cli.progress import progress_bar
from graphsvc.service import ImportDone, ImportOptionError, ImportOptions, open_network
from importers.attendance import FORMATS

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
MappingOption = Annotated[
    Path | None,
    typer.Option(
        help='TOML file naming columns whose headings are not known: \\[columns] name = "Member".',
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the import report as JSON.")]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Show, row by row, what the import would do, and write nothing.",
    ),
]
DatesOption = Annotated[
    str | None,
    typer.Option(
        "--dates",
        help="Order of numeric dates such as 03/04/2024: day-first or month-first.",
        show_default=False,
    ),
]


# CLI options by the option names of ImportOptions, for messages.
FLAGS = {
    "file_format": "--format",
    "event": "--event",
    "date": "--date",
    "date_order": "--dates",
    "mapping": "--mapping",
    "as_of": "--as-of",
    "kind": "kind",
}


@app.command("members")
def members_command(
    file: FileArgument,
    store: StoreOption = None,
    mapping: MappingOption = None,
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
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
) -> None:
    """Import a membership export: one row a member."""
    options = _options(
        "members",
        mapping=_read_mapping(mapping),
        skip_bad_rows=skip_bad_rows,
        date_order=dates,
        as_of=as_of,
    )
    _import(file, store, options, as_json, dry_run)


@app.command("attendance")
def attendance_command(
    file: Annotated[
        Path,
        typer.Argument(
            help=(
                "The file: a CSV/XLSX table; an Eventbrite, Zoom, Google Meet, Luma, Tito "
                "or Meetup export; or a .txt list."
            ),
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
        typer.Option("--format", help=f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}."),
    ] = "auto",
    mapping: MappingOption = None,
    skip_bad_rows: SkipOption = False,
    dates: DatesOption = None,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
) -> None:
    """Import who attended an event: one person a row (or a line, for a text list)."""
    options = _options(
        "attendance",
        file_format=file_format,
        event=event,
        date=date,
        mapping=_read_mapping(mapping),
        skip_bad_rows=skip_bad_rows,
        date_order=dates,
    )
    _import(file, store, options, as_json, dry_run)


def _options(kind: str, **given: Any) -> ImportOptions:
    """The options as the application layer takes them; a bad one names its flag."""
    try:
        return ImportOptions.parse(kind, **given)
    except ImportOptionError as exc:
        flag = FLAGS.get(exc.option, exc.option)
        raise typer.BadParameter(str(exc).removeprefix(f"{exc.option} "), param_hint=flag) from None


def _read_mapping(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}", param_hint="--mapping") from None


def _import(
    file: Path, store: str | None, options: ImportOptions, as_json: bool, dry_run: bool
) -> None:
    if dry_run:
        with open_network(store) as network:
            preview = network.preview_import(file, options)
        show_preview(preview, as_json)
        return
    with progress_bar() as (on_stage, on_progress), open_network(store) as network:
        done = network.import_file(file, options, on_stage=on_stage, on_progress=on_progress)
        names = {} if as_json else network.people_in_report(done.report, SHOWN)
    _show(done, as_json, names)
    if not done.written:
        raise typer.Exit(1)


def _show(done: ImportDone, as_json: bool, names: dict[str, str]) -> None:
    report = done.report
    if as_json:
        # One line: a report can list hundreds of thousands of rows.
        typer.echo(json.dumps(report, separators=(",", ":")))
        return
    console = Console()
    kind = f" ({report['format']})" if report.get("format") else ""
    console.print(
        f"[bold]{escape(report['file'])}[/]{kind}: {report['rows_read']} rows read", highlight=False
    )
    rejected = report["rejected"]
    if done.written:
        console.print(
            f"  written: {report['created']} created, {report['updated']} updated, "
            f"{report['unchanged']} unchanged; {len(report['merges'])} rows matched to people "
            f"already known; {len(report['review'])} possible matches to review",
            highlight=False,
        )
    else:
        console.print(
            f"  [red]nothing written[/]: {len(rejected)} rows cannot be imported "
            "(fix them, or import the rest with --skip-bad-rows)",
            highlight=False,
        )
    for problem in rejected[:20]:
        console.print(f"  row {problem['row']}: {problem['reason']}", highlight=False, markup=False)
    if len(rejected) > 20:
        console.print(f"  ... and {len(rejected) - 20} more (see --json)")
    if done.written:
        report_people(Console(highlight=False, markup=False).print, report, names)
    for note in report["notes"]:
        console.print(f"  note: {note}", highlight=False, markup=False)
