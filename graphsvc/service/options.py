"""What the person importing a file says about it: one set of options for every front-end.

The CLI (``graphsvc import``), the API (``POST /api/imports``) and the
Imports page fill the same :class:`ImportOptions` through
:meth:`ImportOptions.parse`, so an option works the same everywhere and a
bad value gets the same message, naming the option as that front-end calls it.
"""

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from typing import Literal, cast, get_args

from graphsvc.errors import GraphsvcError
from importers.attendance import FORMATS, AttendanceFormat, attendance_mapping
from importers.dates import DateOrder
from importers.membership import mapping_from_toml

ImportKind = Literal["members", "attendance"]
KINDS: tuple[str, ...] = get_args(ImportKind)
DATE_ORDERS: tuple[str, ...] = get_args(DateOrder)

# Options that only one kind of file reads; naming one for the other kind is a mistake
# worth saying, not ignoring.
ONLY_FOR: dict[str, ImportKind] = {
    "as_of": "members",
    "event": "attendance",
    "date": "attendance",
    "file_format": "attendance",
}


class ImportOptionError(GraphsvcError):
    """An import option has a value that cannot be used; ``option`` names it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class ImportOptions:
    """How to read one file. Every field but ``kind`` is optional.

    Parameters
    ----------
    kind
        ``members`` (a membership export) or ``attendance`` (who came to an event).
    file_format
        For attendance: ``auto`` (from the file's contents) or a named format.
    event, date
        For attendance files that do not name the event or its date on each row.
    date_order
        How to read numeric dates such as 03/04/2024 when the file does not settle it.
    mapping
        Field to the heading it has in the file, for headings the importer does not know.
    as_of
        For membership exports: the date of the export (default: the file's date).
    skip_bad_rows
        Import the good rows of a file that has bad ones (otherwise none).
    """

    kind: ImportKind
    file_format: AttendanceFormat = "auto"
    event: str | None = None
    date: dt.date | None = None
    date_order: DateOrder | None = None
    mapping: dict[str, str] | None = field(default=None, hash=False)
    as_of: dt.date | None = None
    skip_bad_rows: bool = False

    @classmethod
    def parse(
        cls,
        kind: str,
        *,
        file_format: str | None = None,
        event: str | None = None,
        date: str | None = None,
        date_order: str | None = None,
        mapping: str | None = None,
        as_of: str | None = None,
        skip_bad_rows: bool = False,
    ) -> "ImportOptions":
        """Options from text as a person gave them; blank text counts as not given.

        ``mapping`` is the text of a TOML mapping file (``[columns] name = "Member"``).
        Raises :class:`ImportOptionError` naming the first option at fault.

        Examples
        --------
        >>> ImportOptions.parse("attendance", event="Spring gathering", date="2024-03-01").date
        datetime.date(2024, 3, 1)
        >>> ImportOptions.parse("members", date="2024-03-01")
        Traceback (most recent call last):
        ...
        graphsvc.service.options.ImportOptionError: date is read for attendance files only
        """
        if kind not in KINDS:
            raise ImportOptionError("kind", f"kind must be one of {', '.join(KINDS)}")
        given = {
            "file_format": _blank(file_format),
            "event": _blank(event),
            "date": _blank(date),
            "mapping": _blank(mapping),
            "as_of": _blank(as_of),
        }
        for option, value in given.items():
            if option == "file_format" and value == "auto":
                continue  # the default, sent by forms whatever the kind
            if value is not None and ONLY_FOR.get(option, kind) != kind:
                raise ImportOptionError(
                    option, f"{option} is read for {ONLY_FOR[option]} files only"
                )
        fmt = given["file_format"] or "auto"
        if fmt not in FORMATS:
            raise ImportOptionError("file_format", f"format must be one of {', '.join(FORMATS)}")
        order = _blank(date_order)
        if order is not None and order not in DATE_ORDERS:
            raise ImportOptionError("date_order", f"date order must be {' or '.join(DATE_ORDERS)}")
        return cls(
            kind=cast(ImportKind, kind),
            file_format=cast(AttendanceFormat, fmt),
            event=given["event"],
            date=_iso_date(given["date"], "date"),
            date_order=cast(DateOrder | None, order),
            mapping=_mapping(given["mapping"], kind),
            as_of=_iso_date(given["as_of"], "as_of"),
            skip_bad_rows=skip_bad_rows,
        )


def _blank(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _iso_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _not_a_date(option)
    except ValueError:
        return _not_a_date(option)


def _not_a_date(option: str) -> dt.date:
    raise ImportOptionError(option, f"{option} must be a date written YYYY-MM-DD")


def _mapping(text: str | None, kind: str) -> dict[str, str] | None:
    """A mapping's columns, checked against the fields that kind of file has."""
    if text is None:
        return None
    try:
        return attendance_mapping(text) if kind == "attendance" else mapping_from_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImportOptionError("mapping", f"the mapping is not valid TOML: {exc}") from None
    except GraphsvcError as exc:
        raise ImportOptionError("mapping", str(exc)) from None
