"""Reading an uploaded file into a table of text cells, refusing what is unsafe.

Every whole-file problem (too big, not text, a zip bomb, a missing heading)
raises :class:`ImportFileError` with a message a person can act on; nothing
here guesses silently. A heading that appears twice refuses the file only
when a reader asks for that column (:func:`match_columns`): exports repeat
headings of columns nobody imports.

CSV and TSV are read with the standard library's ``csv`` module, not pandas:
it gives each row its line number in the file (a quoted cell may span
lines), takes rows of any width (reports put several tables of different
widths in one file, and pandas refuses a row wider than the first), and
pandas' quicker parsing would save about half a second in 500,000 rows,
little of such an import.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from email_validator.syntax import validate_email_local_part

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text, storable

# Share of control characters above which a "text" file is binary junk.
MAX_CONTROL_SHARE = 0.01
CSV_DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024
# Control characters other than tab and line breaks: not found in text files.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_column(index: int) -> str:
    return str(index + 1)


@dataclass
class Table:
    """A file's header and rows of text cells, each row with its number in the file.

    ``rows`` are every row after the header, blank ones included, so that a
    reader of a report with several tables can find each (:meth:`section`).
    """

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)
    # Cells that held a formula, by row number: never imported as values.
    formulas: dict[int, str] = field(default_factory=dict)
    # How a column is named in messages: "3" in a CSV, "C" in a workbook.
    column_label: Callable[[int], str] = field(default=csv_column, repr=False)
    # Headings met more than once (as compared), with the first two columns that have them.
    repeated: dict[str, tuple[int, int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        first: dict[str, int] = {}
        self.repeated = {}
        for index, heading in enumerate(self.header):
            key = heading_key(heading)
            if key in first:
                self.repeated.setdefault(key, (first[key], index))
            else:
                first[key] = index

    def section(self, header_at: int, end: int | None = None) -> "Table":
        """The table whose header is ``rows[header_at]`` and whose rows run up to ``end``."""
        _, cells = self.rows[header_at]
        return Table(
            name=self.name,
            header=checked_header(self.name, cells, self.column_label),
            rows=self.rows[header_at + 1 : end],
            notes=self.notes,
            formulas=self.formulas,
            column_label=self.column_label,
        )


def read_table(path: Path, max_bytes: int, header_row: int | None = None) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`.

    ``header_row`` (counted from 1) skips preamble lines, as in a Zoom report;
    by default the first non-empty row is the header.
    """
    size = _check_size(path, max_bytes)
    if path.suffix.lower() == ".xlsx" or _is_zip(path):
        # Imported here: only workbooks pay for openpyxl.
        from importers.workbook import read_xlsx

        return read_xlsx(path, max_bytes, size)
    text, notes = read_text(path, max_bytes)
    return _read_csv(path.name, text, notes, header_row)


def read_text(path: Path, max_bytes: int) -> tuple[str, list[str]]:
    """A text file's contents, decoded as UTF-8 (with or without a BOM) or Windows-1252."""
    _check_size(path, max_bytes)
    data = path.read_bytes()
    if not data.strip():
        raise ImportFileError(f"{path.name} is empty")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
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
    # A NUL anywhere, even one in a long file: the database cannot store it.
    if controls > MAX_CONTROL_SHARE * len(text) or "\x00" in text:
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
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


def delimiter_of(text: str) -> str:
    r"""The delimiter of a CSV or TSV text: of comma, semicolon and tab, the one that
    splits the most of its first lines, then the one that splits them most alike.

    The standard library's sniffer gives up on a tab-separated report whose
    cells hold commas (a Teams report's "Goliath, David"), and then reads it as
    a CSV; counting whole rows does not.

    >>> delimiter_of("Name\tEmail\nGoliath, David\tdg@example.org\n")
    '\t'
    >>> delimiter_of("Name;Town\nAda;Leeds\n"), delimiter_of("lorem ipsum\n")
    (';', ',')
    """
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES:
        # A cut line would count as a short row.
        sample = sample.rpartition("\n")[0] or sample
    best, best_score = ",", (0, 0.0)
    for candidate in CSV_DELIMITERS:
        try:
            widths = [
                len(cells)
                for cells in csv.reader(io.StringIO(sample, newline=""), delimiter=candidate)
                if any(c.strip() for c in cells)
            ]
        except csv.Error:
            continue
        split = [w for w in widths if w > 1]
        if not split:
            continue
        usual = max(split.count(w) for w in set(split)) / len(split)
        score = (len(split), usual)
        if score > best_score:
            best, best_score = candidate, score
    return best


def checked_header(name: str, header: list[str], column: Callable[[int], str]) -> list[str]:
    """Headings stripped, blank ones at the end dropped (Zoom and Teams end their lines
    with a delimiter); a blank heading before another refuses the file."""
    cleaned = [h.strip() for h in header]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    for index, heading in enumerate(cleaned):
        if not heading:
            raise ImportFileError(
                f"{name}: column {column(index)} has no heading; name it or delete the column"
            )
    return cleaned


_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=2**12)
def heading_key(heading: str) -> str:
    """A heading as headings are compared: case, accents, width and punctuation aside,
    letters of every script kept (a Japanese heading never compares as empty).

    >>> heading_key(" E-mail Address "), heading_key("Zoë"), heading_key("所要時間（分）")
    ('e mail address', 'zoe', '所要時間 分')
    """
    if heading.isascii():
        return fold_text(heading)
    decomposed = unicodedata.normalize("NFKD", heading)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", bare.casefold())).strip()


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


def match_columns(
    table: Table, headings: dict[str, tuple[str, ...]], mapping: dict[str, str] | None = None
) -> dict[str, str]:
    """Field to the heading it has in ``table``: named by ``mapping``, else a known heading.

    Headings are compared by :func:`heading_key`; a heading serves one field
    only. A heading the file repeats refuses it, but only when it is one of
    the columns read.
    """
    by_key: dict[str, str] = {}
    for heading in table.header:
        by_key.setdefault(heading_key(heading), heading)
    columns: dict[str, str] = {}
    for field_name, heading in (mapping or {}).items():
        if heading_key(heading) not in by_key:
            raise ImportFileError(
                f"{table.name}: the mapping names the column '{heading}' for {field_name}, "
                f"but the file has no such heading (it has: {', '.join(table.header)})"
            )
        columns[field_name] = by_key[heading_key(heading)]
    for field_name, known in headings.items():
        if field_name not in columns:
            keys = (heading_key(k) for k in known)
            found = next((by_key[k] for k in keys if k in by_key), None)
            if found is not None and found not in columns.values():
                columns[field_name] = found
    for heading in columns.values():
        if (twice := table.repeated.get(heading_key(heading))) is not None:
            first, second = (table.column_label(i) for i in twice)
            raise ImportFileError(
                f"{table.name}: the heading '{heading}' appears twice (columns "
                f"{first} and {second}); rename one"
            )
    return columns


def find_columns(
    table: Table, headings: dict[str, tuple[str, ...]], mapping: dict[str, str] | None = None
) -> dict[str, str]:
    """:func:`match_columns`, for a table of people: one lacking a person's name refuses."""
    columns = match_columns(table, headings, mapping)
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
    """Why a row's cells cannot be imported as they are (a formula, an overlong value,
    a character no database stores), or None. Says which field, never what it holds.

    >>> row_problem({"name": "Ada", "email": "=HYPERLINK(1)"})
    'email holds a formula; export values, not formulas'
    """
    for field_name, value in values.items():
        limit = FIELD_LIMITS.get(field_name, 300)
        if len(value) > limit:
            return f"{field_name} is longer than {limit} characters"
        if not storable(value):
            # An XLSX can spell both as _x0000_ and _xD800_.
            return f"{field_name} holds a NUL or a broken character; export the file again"
    return formula_in(values)


def formula_in(values: dict[str, str]) -> str | None:
    """Why a row holding a formula (text starting "=") is refused, or None."""
    for field_name, value in values.items():
        if value.startswith("="):
            return f"{field_name} holds a formula; export values, not formulas"
    return None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LETTER = re.compile(r"[^\W\d_]")


def has_letter(text: str) -> bool:
    """Whether ``text`` holds a letter of any alphabet (a name, not a phone number).

    >>> has_letter("Zoë"), has_letter("+44 20 7946 0000")
    (True, False)
    """
    return _LETTER.search(text) is not None


# The longest address email-validator accepts (RFC 5321's path, less its brackets).
MAX_EMAIL_LENGTH = 254


def is_email(text: str) -> bool:
    """Whether text is an email address, by its syntax (email-validator's; no network).

    "gandalf@..." and "bilbo@ baggins.com" are not. Each domain is checked
    once (a file's addresses share a few), each local part on its own: the two
    checks email-validator makes of a whole address.

    >>> is_email("Zoë.O'Brien@example.org"), is_email("gandalf@..."), is_email("a@localhost")
    (True, False, False)
    """
    if len(text) > MAX_EMAIL_LENGTH or not _EMAIL.match(text):
        return False
    local, _, domain = text.rpartition("@")
    return _domain_ok(domain) and _local_part_ok(local)


@lru_cache(maxsize=2**12)
def _domain_ok(domain: str) -> bool:
    try:
        validate_email(f"postmaster@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _local_part_ok(local: str) -> bool:
    try:
        validate_email_local_part(unicodedata.normalize("NFC", local))
    except EmailNotValidError:
        return False
    return True


def numbers_listed(numbers: list[int]) -> str:
    """Row or line numbers for a message: the first five, then how many more.

    >>> numbers_listed([2, 3, 5, 8, 13, 21, 34])
    '2, 3, 5, 8, 13 and 2 more'
    """
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
