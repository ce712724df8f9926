"""Dates as people type them, read without guessing.

ISO dates and dates with a month name are read as they are. A numeric date
such as 03/04/2024 is day-first in the UK and month-first in US exports, so
the order is taken from the same column (a 25/12/2024 settles it), from the
format (Zoom reports are month-first) or from the person importing; when
none says, the date is reported as ambiguous rather than guessed.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from graphsvc.errors import ImportFileError

DateOrder = Literal["day-first", "month-first"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# An optional time after the date (ignored): 18:05, 06:03:00 PM, 10:30:05-07:00.
_TIME = (
    r"(?:[ T,]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:z|[+-]\d{2}:?\d{2}|utc|gmt|bst)?)?"
)
# Year first, as ISO and as Japanese and Chinese exports write it (2020/12/8).
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME + r"$", re.I)
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})" + _TIME + r"$", re.I)
_DAY_MONTH_NAME = re.compile(
    r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})" + _TIME + r"$", re.I
)
_MONTH_NAME_DAY = re.compile(
    r"(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME + r"$", re.I
)


@dataclass
class DateColumn:
    """The dates read from one column: by row number, and the rows refused."""

    dates: dict[int, dt.date] = field(default_factory=dict)
    problems: dict[int, str] = field(default_factory=dict)


def read_dates(
    values: Iterable[tuple[int, str]], column: str, order: DateOrder | None = None
) -> DateColumn:
    """Read a column's dates, each with its row number; blanks are skipped.

    Raises :class:`ImportFileError` when the column's numeric dates are
    written in both orders, since then no row can be trusted.

    >>> found = read_dates([(2, "03/04/2024"), (3, "25/12/2024")], "Joined")
    >>> found.dates[2]
    datetime.date(2024, 4, 3)
    >>> read_dates([(2, "03/04/2024")], "Joined").problems[2].split(":")[0]
    'ambiguous date in Joined'
    """
    found = DateColumn()
    numeric: list[tuple[int, int, int, int]] = []
    # The first row written in each order: which rows say so, never what they say.
    evidence: dict[str, int] = {}
    for row, raw in values:
        text = raw.strip()
        if not text:
            continue
        if match := _NUMERIC.match(text):
            first, second, year = (int(g) for g in match.groups()[:3])
            if len(match.group(3)) == 2:
                found.problems[row] = f"two-digit year in {column}; write the full year"
                continue
            numeric.append((row, first, second, year))
            if first > 12 >= second:
                evidence.setdefault("day-first", row)
            elif second > 12 >= first:
                evidence.setdefault("month-first", row)
            continue
        parsed = _parse_unambiguous(text)
        if parsed is None:
            found.problems[row] = f"{column} is not a date"
        else:
            found.dates[row] = parsed
    if len(evidence) == 2:
        (_, r1), (_, r2) = sorted(evidence.items())
        raise ImportFileError(
            f"{column} mixes day-first dates (row {r1}) with month-first dates "
            f"(row {r2}); use one order in a column"
        )
    inferred = next(iter(evidence), None)
    if order is not None and inferred is not None and inferred != order:
        row = evidence[inferred]
        raise ImportFileError(
            f"{column} was expected {order}, but row {row} has a {inferred} date; "
            "check the date order"
        )
    use = order or inferred
    for row, first, second, year in numeric:
        if use is None and first != second and first <= 12 and second <= 12:
            found.problems[row] = (
                f"ambiguous date in {column}: day-first or month-first? "
                "(write dates as YYYY-MM-DD, or say --dates day-first)"
            )
            continue
        day, month = (first, second) if use != "month-first" else (second, first)
        try:
            found.dates[row] = dt.date(year, month, day)
        except ValueError:
            found.problems[row] = f"{column} is not a real date"
    return found


@lru_cache(maxsize=2**14)  # an attendance file repeats a few dates thousands of times
def _parse_unambiguous(text: str) -> dt.date | None:
    if match := _ISO.match(text):
        return _date(match.group(1), match.group(3), match.group(4))
    if match := _DAY_MONTH_NAME.match(text):
        return _date(match.group(3), str(MONTHS.get(match.group(2).lower(), 0)), match.group(1))
    if match := _MONTH_NAME_DAY.match(text):
        return _date(match.group(3), str(MONTHS.get(match.group(1).lower(), 0)), match.group(2))
    return None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
