"""Reading an uploaded file into a table of text cells, refusing what is unsafe.

Every whole-file problem (too big, not text, a zip bomb, missing or repeated
headers) raises :class:`ImportFileError` with a message a person can act on;
nothing here guesses silently.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text

# An XLSX is a zip of XML: refuse archives that expand too far (zip bombs).
MAX_EXPANSION_RATIO = 100
# Share of control characters above which a "text" file is binary junk.
MAX_CONTROL_SHARE = 0.01
CSV_DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024
# Control characters other than tab and line breaks: not found in text files.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Table:
    """A file's header and rows of text cells, each row with its number in the file."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)
    # Cells that held a formula, by row number: never imported as values.
    formulas: dict[int, str] = field(default_factory=dict)


def read_table(path: Path, max_bytes: int, header_row: int | None = None) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`.

    ``header_row`` (counted from 1) skips preamble lines, as in a Zoom report;
    by default the first non-empty row is the header.
    """
    size = _check_size(path, max_bytes)
    if path.suffix.lower() == ".xlsx" or _is_zip(path):
        return _read_xlsx(path, max_bytes, size)
    text, notes = read_text(path, max_bytes)
    return _read_csv(path.name, text, notes, header_row)


def read_text(path: Path, max_bytes: int) -> tuple[str, list[str]]:
    """A text file's contents, decoded as UTF-8 (with or without a BOM) or Windows-1252."""
    _check_size(path, max_bytes)
    data = path.read_bytes()
    if not data.strip():
        raise ImportFileError(f"{path.name} is empty")
    if b"\x00" in data[:SNIFF_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(f"{path.name} is not a text file (it holds binary data)")
    notes = []
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
            notes.append("read as UTF-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel on Windows saves "CSV" as Windows-1252; its undefined bytes still fail here.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{path.name} is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8"
            ) from None
        notes.append("read as Windows-1252 (not UTF-8): check accented names")
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ImportFileError(f"{path.name} is not a text file (it holds binary data)")
    return text, notes


def _check_size(path: Path, max_bytes: int) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    if not path.is_file():
        raise ImportFileError(f"{path.name} is not a file")
    if size > max_bytes:
        raise ImportFileError(
            f"{path.name} is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit "
            "(GRAPHSVC_IMPORT_MAX_MB); split it or raise the limit"
        )
    if size == 0:
        raise ImportFileError(f"{path.name} is empty")
    return size


def _is_zip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _read_csv(name: str, text: str, notes: list[str], header_row: int | None) -> Table:
    sample = text[:SNIFF_BYTES]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample, delimiters=CSV_DELIMITERS
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for cells in reader:
            number = reader.line_num
            if header is None:
                if (header_row is None and any(c.strip() for c in cells)) or (
                    header_row is not None and number >= header_row
                ):
                    header = cells
                continue
            rows.append((number, cells))
    except csv.Error as exc:
        raise ImportFileError(f"{name}, line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise ImportFileError(f"{name} has no header row")
    return Table(name=name, header=checked_header(name, header, csv_column), rows=rows, notes=notes)


def _read_xlsx(path: Path, max_bytes: int, size: int) -> Table:
    # Imported here: only XLSX files pay for openpyxl.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

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
                    formulas.setdefault(number, f"{_column_letter(index)}{number}")
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
    while header and not header[-1].strip():
        header.pop()
    return Table(
        name=path.name,
        header=checked_header(path.name, header, _column_letter),
        rows=rows,
        formulas=formulas,
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


def checked_header(name: str, header: list[str], column: Callable[[int], str]) -> list[str]:
    cleaned = [h.strip() for h in header]
    seen: dict[str, int] = {}
    for index, heading in enumerate(cleaned):
        if not heading:
            raise ImportFileError(
                f"{name}: column {column(index)} has no heading; name it or delete the column"
            )
        key = fold_text(heading)
        if key in seen:
            raise ImportFileError(
                f"{name}: the heading '{heading}' appears twice (columns "
                f"{column(seen[key])} and {column(index)}); rename one"
            )
        seen[key] = index
    return cleaned


def csv_column(index: int) -> str:
    return str(index + 1)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def iter_records(
    table: Table, columns: dict[str, str]
) -> Iterator[tuple[int, dict[str, str], str | None]]:
    """Each non-blank row as field to stripped cell text, with its problem if any.

    ``columns`` names the heading of each field (``find_columns``). Short rows
    are padded with blanks; a row with more filled cells than there are
    headings, or with a formula, comes with the reason to reject it.
    """
    width = len(table.header)
    picks = [(name, table.header.index(heading)) for name, heading in columns.items()]
    for number, cells in table.rows:
        stripped = [c.strip() for c in cells]
        if not any(stripped):
            continue
        problem = None
        if any(stripped[width:]):
            problem = f"has {len(cells)} cells but the header has {width}"
        elif number in table.formulas:
            problem = f"cell {table.formulas[number]} holds a formula; export values, not formulas"
        if len(stripped) < width:
            stripped += [""] * (width - len(stripped))
        yield number, {name: stripped[index] for name, index in picks}, problem


def find_columns(
    table: Table, headings: dict[str, tuple[str, ...]], mapping: dict[str, str] | None = None
) -> dict[str, str]:
    """Field to the heading it has in ``table``: named by ``mapping``, else a known heading.

    Headings are compared folded (case, accents and punctuation ignored); a
    heading serves one field only. A file lacking a person's name refuses.
    """
    by_folded = {fold_text(h): h for h in table.header}
    columns: dict[str, str] = {}
    for field_name, heading in (mapping or {}).items():
        if fold_text(heading) not in by_folded:
            raise ImportFileError(
                f"{table.name}: the mapping names the column '{heading}' for {field_name}, "
                f"but the file has no such heading (it has: {', '.join(table.header)})"
            )
        columns[field_name] = by_folded[fold_text(heading)]
    for field_name, known in headings.items():
        if field_name not in columns:
            found = next((by_folded[k] for k in known if k in by_folded), None)
            if found is not None and found not in columns.values():
                columns[field_name] = found
    if "name" not in columns and not {"first_name", "last_name"} <= set(columns):
        raise ImportFileError(
            f"{table.name}: no name column (looked for 'Full name', 'Name', or 'First name' "
            f"and 'Last name'; it has: {', '.join(table.header)}); name it in a mapping file"
        )
    return columns


def full_name(values: dict[str, str]) -> str:
    """A row's name, from a name column or first and last names, spacing tidied."""
    return " ".join(values.get("name", "").split()) or " ".join(
        f"{values.get('first_name', '')} {values.get('last_name', '')}".split()
    )


# Longest text a field may hold (the graph model's limits); others hold 300 characters.
FIELD_LIMITS = {"email": 320, "phone": 50, "part": 200}


def row_problem(values: dict[str, str]) -> str | None:
    """Why a row's cells cannot be imported as they are (a formula, an overlong value), or None."""
    for field_name, value in values.items():
        limit = FIELD_LIMITS.get(field_name, 300)
        if len(value) > limit:
            return f"{field_name} is longer than {limit} characters"
    return formula_in(values)


def formula_in(values: dict[str, str]) -> str | None:
    """Why a row holding a formula (text starting "=") is refused, or None."""
    for field_name, value in values.items():
        if value.startswith("="):
            return f"{field_name} holds a formula ({value[:30]}); export values, not formulas"
    return None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LETTER = re.compile(r"[^\W\d_]")


def has_letter(text: str) -> bool:
    """Whether ``text`` holds a letter of any alphabet (a name, not a phone number).

    >>> has_letter("Zoë"), has_letter("+44 20 7946 0000")
    (True, False)
    """
    return _LETTER.search(text) is not None


def is_email(text: str) -> bool:
    """Whether text has the shape of an email address (one @, a dot after it)."""
    return bool(_EMAIL.match(text))


def numbers_listed(numbers: list[int]) -> str:
    """Row or line numbers for a message: the first five, then how many more.

    >>> numbers_listed([2, 3, 5, 8, 13, 21, 34])
    '2, 3, 5, 8, 13 and 2 more'
    """
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
