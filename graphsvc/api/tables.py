"""Lists as files to take away: CSV and XLSX of exactly the rows a list shows.

A list route that takes ``?format=csv`` or ``?format=xlsx`` builds the same
items as its JSON, with the same consent rule, then hands them here as rows.
Text cells that a spreadsheet would run as a formula get a leading apostrophe
(:func:`visualisations.export.spreadsheet_safe`), in both formats: openpyxl
too writes a string that begins with ``=`` as a formula.
"""

import io
from collections.abc import Mapping, Sequence
from typing import Annotated, Literal

from fastapi import Query, Response

from graphsvc.api.paging import Paging
from graphsvc.api.schemas import PersonSummary
from visualisations.export import spreadsheet_safe

TableFormat = Literal["csv", "xlsx"]
FormatQuery = Annotated[
    TableFormat | None,
    Query(alias="format", description="csv or xlsx: the whole list as a file, not a page."),
]
# Every item of a list, for a file (lists are at most the network's size).
WHOLE_LIST = Paging(offset=0, limit=10_000_000)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Cell = str | int | float | None
Row = Mapping[str, Cell]


def person_columns(prefix: str, person: PersonSummary | None) -> dict[str, Cell]:
    """A person's name, organisation, place, region and sector as columns."""
    if person is None:
        return {f"{prefix}name": None}
    return {
        f"{prefix}name": person.name,
        f"{prefix}organisation": person.organisation.name if person.organisation else None,
        f"{prefix}place": person.place.name if person.place else None,
        f"{prefix}region": person.region,
        f"{prefix}sector": person.sector,
    }


def _safe(value: Cell) -> Cell:
    return value if isinstance(value, int | float) or value is None else spreadsheet_safe(value)


def table_response(rows: Sequence[Row], fmt: TableFormat, name: str) -> Response:
    """``rows`` as a CSV or XLSX download named ``name``; columns in first-seen order."""
    import pandas as pd  # only when a file is asked for: pandas is slow to import

    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    frame = pd.DataFrame(
        [[_safe(row.get(c)) for c in columns] for row in rows],
        columns=list(columns),
        dtype=object,
    )
    if fmt == "csv":
        body = frame.to_csv(index=False).encode("utf-8")
    else:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name=name[:31], engine="openpyxl")
        body = buffer.getvalue()
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={"content-disposition": disposition})
