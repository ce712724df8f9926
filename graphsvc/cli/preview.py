"""How ``graphsvc import … --dry-run`` and an import's report print who is who."""

import json
from collections.abc import Callable, Sequence
from typing import Any

import typer
from rich.console import Console

from graphsvc.service import ImportPreview

# Rows printed per list; --json has them all.
SHOWN = 20


def show_preview(preview: ImportPreview, as_json: bool) -> None:
    """Print what an import would do, row by row (plain text: names are data)."""
    if as_json:
        typer.echo(json.dumps(preview.to_json(), separators=(",", ":")))
        return
    say = Console(highlight=False, markup=False).print
    kind = f" ({preview.format})" if preview.format else ""
    say(f"{preview.file}{kind}: {preview.rows_read} rows read. Dry run: nothing was written.")
    say(
        f"  would {'import' if preview.would_write else 'write nothing'}: "
        f"{_count(preview.created, 'person', 'people')} created, "
        f"{_count(preview.matched, 'row', 'rows')} matched, "
        f"{_count(preview.changed, 'person', 'people')} changed, "
        f"{len(preview.review)} to review, {_count(preview.skipped, 'row', 'rows')} skipped"
    )
    if preview.new_nodes:
        added = ", ".join(f"{count} {kind}" for kind, count in preview.new_nodes.items())
        say(f"  would also add: {added}")
    listing(say, "would create", preview.created, lambda p: f"{p.name} <{p.email or 'no email'}>")
    listing(say, "matched", preview.matched, _matched)
    listing(say, "would change", preview.changed, _changed)
    listing(
        say,
        "to review",
        preview.review,
        lambda r: f"{r.name} may be {r.candidate_name} ({r.candidate}): {r.reason}",
    )
    listing(say, "skipped", preview.skipped, lambda p: p.reason)
    for note in preview.notes:
        say(f"  note: {note}")


def _count(items: Sequence[object], one: str, many: str) -> str:
    return f"{len(items)} {one if len(items) == 1 else many}"


def _matched(match: Any) -> str:
    whom = "someone an earlier row adds" if match.new else "someone already known"
    return f"{match.name} ({match.person}), {whom}: {match.reason}"


def _changed(change: Any) -> str:
    said = "; ".join(f"{c.field} {_value(c.old)} -> {_value(c.new)}" for c in change.changes)
    return f"{change.name} ({change.person}): {said}"


def _value(value: object) -> str:
    return "(blank)" if value is None else repr(value) if isinstance(value, str) else str(value)


def listing[T](
    say: Callable[[str], None], heading: str, items: Sequence[T], line: Callable[[T], str]
) -> None:
    """A heading and the first rows of a list, each with its row number."""
    if not items:
        return
    say(f"  {heading}:")
    for item in items[:SHOWN]:
        row = item.get("row") if isinstance(item, dict) else getattr(item, "row", None)
        say(f"    {'row ' + str(row) if row else 'file'}: {line(item)}")
    if len(items) > SHOWN:
        say(f"    ... and {len(items) - SHOWN} more (see --json)")


def report_people(
    say: Callable[[str], None], report: dict[str, Any], names: dict[str, str]
) -> None:
    """Who an import created, matched (to whom, and why) and changed, by name."""

    def named(pid: str) -> str:
        return f"{names.get(pid, '(no longer held)')} ({pid})"

    listing(say, "created", report.get("added", []), lambda a: named(a["person"]))
    listing(
        say, "matched", report.get("merges", []), lambda m: f"{named(m['person'])}: {m['reason']}"
    )
    listing(
        say,
        "changed",
        report.get("changed", []),
        lambda c: f"{named(c['person'])}: {', '.join(c['fields'])}",
    )
    listing(
        say,
        "to review",
        report.get("review", []),
        lambda r: f"{named(r['person'])} may be {named(r['candidate'])}: {r['reason']}",
    )
