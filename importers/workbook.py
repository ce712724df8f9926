"""XLSX workbooks read into a :class:`~importers.source.Table`, refusing zip bombs and
keeping note of every cell that holds a formula (never imported as a value)."""

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from graphsvc.errors import ImportFileError
from importers.source import Table, checked_header

# An XLSX is a zip of XML: refuse archives that expand too far (zip bombs).
MAX_EXPANSION_RATIO = 100


def read_xlsx(path: Path, max_bytes: int, size: int) -> Table:
    _check_zip(path, max_bytes, size)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(f"{path.name} is not a readable XLSX workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        formulas: dict[int, str] = {}
        header: list[str] | None = None
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    formulas.setdefault(number, f"{column_letter(index)}{number}")
                values.append(_cell_text(cell.value))
            if header is None:
                if any(v.strip() for v in values):
                    header = values
                continue
            rows.append((number, values))
    finally:
        book.close()
    if header is None:
        raise ImportFileError(f"{path.name} has no header row")
    return Table(
        name=path.name,
        header=checked_header(path.name, header, column_letter),
        rows=rows,
        formulas=formulas,
        column_label=column_letter,
    )


def _check_zip(path: Path, max_bytes: int, size: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ImportFileError(f"{path.name} is not a readable XLSX workbook") from None
    if expanded > MAX_EXPANSION_RATIO * size or expanded > 4 * max_bytes:
        raise ImportFileError(
            f"{path.name} expands to {expanded / 2**20:.0f} MiB when unzipped; "
            "refused as a possible zip bomb"
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
