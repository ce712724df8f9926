"""Membership exports (CSV or XLSX, one row a member) to validated member rows.

Columns are found by their headings: common names are known (``Full name``,
``First name``/``Last name``, ``Email``, ``Organisation``, ``Town``,
``Cells``, ``Interests``, ``Joined``, ``Consent`` ...), and a small TOML
mapping file can name others::

    [columns]
    name = "Member"
    email = "Contact e-mail"
"""

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graphsvc.errors import ImportFileError
from graphsvc.model import Sector, Visibility
from graphsvc.model.text import fold_text
from importers.dates import DateOrder, read_dates
from importers.report import RowProblem
from importers.source import (
    find_columns,
    full_name,
    is_email,
    iter_records,
    numbers_listed,
    read_table,
    row_problem,
)

# Field to the headings it is known by (compared folded: case, accents and
# punctuation ignored).
DEFAULT_HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "member", "member name", "contact name"),
    "first_name": ("first name", "firstname", "forename", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "e mail", "email address", "e mail address", "work email"),
    "phone": ("phone", "telephone", "mobile", "phone number", "tel"),
    "organisation": ("organisation", "organization", "org", "company", "employer", "affiliation"),
    "job_title": ("job title", "role", "position", "job"),
    "place": (
        "town",
        "city",
        "town city",
        "local authority",
        "location",
        "place",
        "postcode",
        "post code",
        "based in",
    ),
    "sector": ("sector",),
    "cells": ("cells", "cell", "groups", "group", "regional group"),
    "interests": ("interests", "interest", "themes", "topics"),
    "joined": ("joined", "date joined", "join date", "member since", "joined on"),
    "consent": ("consent", "visibility", "share my details", "directory consent"),
}
FIELDS = tuple(DEFAULT_HEADINGS)
# Several values in one cell: "Joining forces; Listening".
_SPLIT = re.compile(r"\s*[;|\n]\s*")

# Words in a free-text sector, to the sector they mean.
SECTOR_WORDS: dict[Sector, tuple[str, ...]] = {
    Sector.VOLUNTARY: ("voluntary", "charity", "charitable", "community", "vcse", "third sector"),
    Sector.PUBLIC_SERVICES: ("public service", "nhs", "health", "police", "fire", "public sector"),
    Sector.LOCAL_GOVERNMENT: ("local government", "council", "local authority"),
    Sector.FUNDERS: ("funder", "funding", "philanthropy", "grant"),
    Sector.UNIVERSITIES: ("university", "universities", "research", "academic", "higher education"),
    Sector.SOCIAL_ENTERPRISE: ("social enterprise", "business", "private", "corporate", "company"),
    Sector.INDEPENDENT: ("independent", "lived experience", "freelance", "individual"),
}
CONSENT_WORDS: dict[Visibility, tuple[str, ...]] = {
    Visibility.NETWORK: ("network", "yes", "y", "true", "agreed", "agree", "members", "all"),
    Visibility.CONNECTORS: ("connectors", "connectors only", "convenors", "limited"),
    Visibility.HIDDEN: ("hidden", "no", "n", "false", "none", "private", "do not share"),
}


@dataclass(frozen=True)
class Member:
    """One member as the file describes them; ``None`` where it says nothing."""

    row: int
    name: str
    email: str | None = None
    phone: str | None = None
    organisation: str | None = None
    job_title: str | None = None
    place: str | None = None
    sector: Sector | None = None
    cells: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    joined: dt.date | None = None
    visibility: Visibility | None = None


@dataclass
class MembershipFile:
    name: str
    rows_read: int
    members: list[Member]
    problems: list[RowProblem]
    notes: list[str] = field(default_factory=list)


def load_mapping(path: Path) -> dict[str, str]:
    """A mapping file's ``[columns]``: field to the heading it has in the file."""
    try:
        return mapping_from_toml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportFileError(f"mapping file {path.name} cannot be read: {exc}") from None
    except ImportFileError as exc:
        raise ImportFileError(f"mapping file {path.name}: {exc}") from None


def mapping_from_toml(text: str) -> dict[str, str]:
    """The ``[columns]`` of a mapping's TOML text: field to the heading it has in the file.

    Raises ``tomllib.TOMLDecodeError`` for text that is not TOML, and
    :class:`ImportFileError` for a table that maps unknown fields or non-headings.

    Examples
    --------
    >>> mapping_from_toml('[columns]\\nname = "Member"')
    {'name': 'Member'}
    """
    columns = tomllib.loads(text).get("columns", {})
    unknown = set(columns) - set(FIELDS) if isinstance(columns, dict) else set()
    if (
        not isinstance(columns, dict)
        or unknown
        or not all(isinstance(v, str) for v in columns.values())
    ):
        raise ImportFileError(
            f"[columns] maps fields ({', '.join(FIELDS)}) "
            f"to headings{'; unknown: ' + ', '.join(sorted(unknown)) if unknown else ''}"
        )
    return dict(columns)


def read_members(
    path: Path,
    max_bytes: int,
    mapping: dict[str, str] | None = None,
    date_order: DateOrder | None = None,
) -> MembershipFile:
    """Read a membership export; rows that cannot be used come back as problems."""
    table = read_table(path, max_bytes)
    columns = find_columns(table, DEFAULT_HEADINGS, mapping)
    records = list(iter_records(table, columns))
    joined = read_dates(
        ((n, values["joined"]) for n, values, _ in records if "joined" in columns),
        columns.get("joined", "joined"),
        date_order,
    )
    members: list[Member] = []
    problems: list[RowProblem] = []
    unknown_sectors: dict[str, list[int]] = {}
    for number, values, problem in records:
        if problem is None:
            problem = row_problem(values) or joined.problems.get(number)
        name = full_name(values)
        email = values.get("email", "").lower() or None
        if problem is None and not name:
            problem = "has no name"
        if problem is None and email and not is_email(email):
            problem = f"'{email}' is not an email address"
        if problem is None and len(name) > 300:
            problem = "the name is longer than 300 characters"
        if problem is not None:
            problems.append(RowProblem(number, problem))
            continue
        sector = sector_from_text(values.get("sector", ""))
        if values.get("sector") and sector is None:
            unknown_sectors.setdefault(values["sector"], []).append(number)
        members.append(
            Member(
                row=number,
                name=name,
                email=email,
                phone=values.get("phone") or None,
                organisation=" ".join(values.get("organisation", "").split()) or None,
                job_title=values.get("job_title") or None,
                place=values.get("place") or None,
                sector=sector,
                cells=split_values(values.get("cells", "")),
                interests=split_values(values.get("interests", "")),
                joined=joined.dates.get(number),
                visibility=consent_from_text(values.get("consent", "")),
            )
        )
    notes = list(table.notes)
    for text, rows in unknown_sectors.items():
        notes.append(f"sector '{text}' not recognised (rows {numbers_listed(rows)}); left blank")
    return MembershipFile(table.name, len(records), members, problems, notes)


def split_values(cell: str) -> tuple[str, ...]:
    """The values in a multi-valued cell, in order, without repeats.

    >>> split_values("Joining forces; Listening |joining forces")
    ('Joining forces', 'Listening')
    """
    seen: dict[str, str] = {}
    for value in _SPLIT.split(cell.strip()):
        value = " ".join(value.split())
        if value and fold_text(value) not in seen:
            seen[fold_text(value)] = value
    return tuple(seen.values())


def sector_from_text(text: str) -> Sector | None:
    """The sector a free-text answer names, or None.

    >>> sector_from_text("Charity / VCSE")
    <Sector.VOLUNTARY: 'voluntary and community'>
    """
    folded = fold_text(text)
    if not folded:
        return None
    for sector in Sector:
        if folded == fold_text(sector.value):
            return sector
    for sector, words in SECTOR_WORDS.items():
        if any(re.search(rf"\b{re.escape(w)}", folded) for w in words):
            return sector
    return None


def consent_from_text(text: str) -> Visibility | None:
    """The visibility a consent answer gives, or None when the cell is blank or unclear."""
    folded = fold_text(text)
    for visibility, words in CONSENT_WORDS.items():
        if folded in words:
            return visibility
    return None
