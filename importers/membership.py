"""Membership exports (CSV or XLSX, one row a member) to validated member rows.

Columns are found by their headings: common names are known (``Full name``,
``First name``/``Last name``, ``Email``, ``Organisation``, ``Town``,
``Cells``, ``Interests``, ``Joined``, ``Consent`` ...), and a small TOML
mapping file can name others::

    [columns]
    name = "Member"
    email = "Contact e-mail"

Exports of mailing tools and CRMs are read as they come: a Mailchimp
audience export (whose subscribers may give only an email, and whose
``UNSUB_*`` and ``CLEAN_*`` headings repeat), a CiviCRM contact export (whose
related contacts' columns repeat the contact's headings), a CRM's several
email columns and its county, postcode and country columns.
"""

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graphsvc.errors import ImportFileError
from graphsvc.model import Sector, Visibility
from graphsvc.model.text import fold_text
from importers.dates import DateColumn, DateOrder, read_dates
from importers.places import find_place
from importers.report import RowProblem, erasure_keys
from importers.resolution import name_from_email
from importers.source import (
    Table,
    find_columns,
    full_name,
    heading_key,
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
    "email": ("email", "e mail", "email address", "e mail address", "work email", "primary email"),
    "phone": ("phone", "telephone", "mobile", "phone number", "tel"),
    "organisation": (
        "organisation",
        "organization",
        "org",
        "company",
        "employer",
        "affiliation",
        "organisation name",
        "organization name",
        "company name",
        "current employer",
    ),
    "job_title": ("job title", "role", "position", "job"),
    "place": ("town", "city", "town city", "local authority", "location", "place", "based in"),
    "county": ("county", "state", "state province", "province"),
    "postcode": ("postcode", "post code", "postal code", "zip", "zip code"),
    "country": ("country",),
    "sector": ("sector",),
    "cells": ("cells", "cell", "groups", "group", "regional group"),
    "interests": ("interests", "interest", "themes", "topics"),
    "joined": ("joined", "date joined", "join date", "member since", "joined on"),
    "consent": ("consent", "visibility", "share my details", "directory consent"),
}
FIELDS = tuple(DEFAULT_HEADINGS)
# Several values in one cell: "Joining forces; Listening".
_SPLIT = re.compile(r"\s*[;|\n]\s*")
# Mailchimp lists a subscriber's groups with commas: "Housing, Food justice".
_SPLIT_WITH_COMMAS = re.compile(r"\s*[;|\n,]\s*")

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
# A row's further addresses: "email 2", "Secondary email", CiviCRM's "Home-Email".
_OTHER_EMAIL = re.compile(
    r"(?:(?:secondary|second|other|alternative|alternate|additional|personal|private|home"
    r"|work|business|billing|main|primary) )?e ?mail(?: address)?(?: \d+)?"
)
# A country cell that means the UK; any other that names no UK place means abroad.
UK_NAMES = frozenset(
    {
        "uk",
        "gb",
        "gbr",
        "united kingdom",
        "great britain",
        "britain",
        "england",
        "scotland",
        "wales",
        "cymru",
        "northern ireland",
        "united kingdom of great britain and northern ireland",
    }
)
MAILCHIMP = "a Mailchimp audience export"
CIVICRM = "a CiviCRM contact export"
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
    # The row's further email addresses, and its other place cells (county, postcode).
    other_emails: tuple[str, ...] = ()
    place_context: tuple[str, ...] = ()


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
    layout = export_layout(table.header)
    notes = list(table.notes)
    if layout is not None:
        notes.append(f"read as {layout}")
    if layout == CIVICRM:
        table, set_aside = related_columns_set_aside(table)
        if set_aside:
            notes.append(
                f"columns {', '.join(set_aside)} repeat the contact's headings (a related "
                "contact's); they are not read"
            )
    columns = find_columns(table, DEFAULT_HEADINGS, mapping)
    others = other_email_columns(table, columns)
    if "email" not in columns and others:
        columns["email"] = others.pop(next(iter(others)))
    records = list(iter_records(table, {**columns, **others}))
    joined = read_dates(
        ((n, values["joined"]) for n, values, _ in records if "joined" in columns),
        columns.get("joined", "joined"),
        date_order,
    )
    rows = _MemberRows(columns, others, joined, mailing_list=layout == MAILCHIMP)
    members: list[Member] = []
    problems: list[RowProblem] = []
    for number, values, problem in records:
        read = rows.read(number, values, problem)
        if isinstance(read, RowProblem):
            problems.append(read)
        else:
            members.append(read)
    return MembershipFile(table.name, len(records), members, problems, notes + rows.notes())


def export_layout(header: list[str]) -> str | None:
    """Which tool's export a header is, where that changes how it is read.

    >>> export_layout(["Email Address", "First Name", "MEMBER_RATING", "OPTIN_TIME"])
    'a Mailchimp audience export'
    >>> export_layout(["Contact ID", "Contact Type", "First Name", "Last Name"])
    'a CiviCRM contact export'
    """
    keys = {heading_key(heading) for heading in header}
    if {"member rating", "optin time"} <= keys or {"leid", "euid"} <= keys:
        return MAILCHIMP
    if "contact id" in keys and keys & {"contact type", "contact subtype", "display name"}:
        return CIVICRM
    return None


def related_columns_set_aside(table: Table) -> tuple[Table, list[str]]:
    """A CiviCRM export with its related contacts' columns renamed so they are not
    read, and those columns' labels: CiviCRM writes the contact's own columns first,
    and a related contact's repeat their headings."""
    seen: set[str] = set()
    header: list[str] = []
    set_aside: list[str] = []
    for index, heading in enumerate(table.header):
        key = heading_key(heading)
        if key in seen:
            set_aside.append(table.column_label(index))
            heading = f"{heading} [related contact, column {table.column_label(index)}]"
        seen.add(key)
        header.append(heading)
    if not set_aside:
        return table, []
    renamed = Table(
        name=table.name,
        header=header,
        rows=table.rows,
        notes=table.notes,
        formulas=table.formulas,
        column_label=table.column_label,
    )
    return renamed, set_aside


def other_email_columns(table: Table, columns: dict[str, str]) -> dict[str, str]:
    """The row's further email columns, as fields ("email_2" ...) to their headings;
    one whose heading repeats is not read.

    >>> table = Table("t.csv", ["First name", "Last name", "email", "email 2", "Work-Email"], [])
    >>> other_email_columns(table, {"email": "email"})
    {'email_2': 'email 2', 'email_3': 'Work-Email'}
    """
    taken = set(columns.values())
    found: dict[str, str] = {}
    for heading in table.header:
        key = heading_key(heading)
        if heading not in taken and key not in table.repeated and _OTHER_EMAIL.fullmatch(key):
            found[f"email_{len(found) + 2}"] = heading
    return found


def outside_the_uk(country: str) -> bool:
    """Whether a country cell puts a row outside the UK (a blank one does not).

    >>> outside_the_uk("GB"), outside_the_uk("London"), outside_the_uk("Middle Earth")
    (False, False, True)
    """
    folded = fold_text(country)
    return bool(folded) and folded not in UK_NAMES and find_place(country) is None


class _MemberRows:
    """Reads rows into members, keeping count of what the report should say about them."""

    def __init__(
        self,
        columns: dict[str, str],
        others: dict[str, str],
        joined: DateColumn,
        mailing_list: bool,
    ) -> None:
        self.columns = columns
        self.others = others
        self.joined = joined
        # A mailing list's subscribers often give only an email: named from it.
        self.named_from_email = mailing_list
        self.split = _SPLIT_WITH_COMMAS if mailing_list else _SPLIT
        self.unknown_sectors: dict[str, list[int]] = {}
        self.unread_emails: dict[str, list[int]] = {}
        self.named_rows: list[int] = []
        self.abroad_rows: list[int] = []

    def read(self, number: int, values: dict[str, str], problem: str | None) -> Member | RowProblem:
        """The member a row describes, or the reason it cannot be imported."""
        if problem is None:
            problem = row_problem(values) or self.joined.problems.get(number)
        name = full_name(values)
        email = values.get("email", "").lower() or None
        if problem is None and email and not is_email(email):
            problem = f"the email (column '{self.columns['email']}') is not an email address"
        other_emails = self._other_emails(number, values, email)
        if email is None and other_emails:
            email, other_emails = other_emails[0], other_emails[1:]
        if problem is None and not name:
            name, problem = self._name_for(number, email)
        if problem is None and len(name) > 300:
            problem = "the name is longer than 300 characters"
        if problem is not None:
            return RowProblem(number, problem, erasure_keys(name, email))
        return self._member(number, values, name, email, other_emails)

    def _member(
        self,
        number: int,
        values: dict[str, str],
        name: str,
        email: str | None,
        other_emails: tuple[str, ...],
    ) -> Member:
        sector = sector_from_text(values.get("sector", ""))
        if values.get("sector") and sector is None:
            self.unknown_sectors.setdefault(values["sector"], []).append(number)
        place = values.get("place") or None
        place_context = tuple(v for v in (values.get("county"), values.get("postcode")) if v)
        if (place or place_context) and outside_the_uk(values.get("country", "")):
            self.abroad_rows.append(number)
            place, place_context = None, ()
        return Member(
            row=number,
            name=name,
            email=email,
            phone=values.get("phone") or None,
            organisation=" ".join(values.get("organisation", "").split()) or None,
            job_title=values.get("job_title") or None,
            place=place,
            sector=sector,
            cells=split_values(values.get("cells", ""), self.split),
            interests=split_values(values.get("interests", ""), self.split),
            joined=self.joined.dates.get(number),
            visibility=consent_from_text(values.get("consent", "")),
            other_emails=other_emails,
            place_context=place_context,
        )

    def _other_emails(
        self, number: int, values: dict[str, str], email: str | None
    ) -> tuple[str, ...]:
        """The row's further addresses that are addresses; the others are noted, not read."""
        found: dict[str, None] = {}
        for field_name, heading in self.others.items():
            address = values.get(field_name, "").lower()
            if not address or address == email:
                continue
            if is_email(address):
                found[address] = None
            else:
                self.unread_emails.setdefault(heading, []).append(number)
        return tuple(found)

    def _name_for(self, number: int, email: str | None) -> tuple[str, str | None]:
        """A name for a row that gives none, or why the row cannot be imported."""
        if not (self.named_from_email and email):
            return "", "has no name"
        name = name_from_email(email)
        if name is None:
            return "", "has no name, and its email is a shared mailbox's"
        self.named_rows.append(number)
        return name, None

    def notes(self) -> list[str]:
        """What the report says of the rows as a whole (never what a cell holds, but a
        sector's free text, which names no one)."""
        said = [
            f"sector '{text}' not recognised ({rows_listed(rows)}); left blank"
            for text, rows in self.unknown_sectors.items()
        ]
        said += [
            f"column '{heading}' is not an email address in {rows_listed(rows)}; not read"
            for heading, rows in self.unread_emails.items()
        ]
        if self.named_rows:
            said.append(
                f"an email but no name in {rows_listed(self.named_rows)}: named from the "
                "email until a file gives the name"
            )
        if self.abroad_rows:
            said.append(
                f"outside the UK (by the country column) in {rows_listed(self.abroad_rows)}: "
                "place left blank"
            )
        return said


def rows_listed(numbers: list[int]) -> str:
    """Rows by number, for a note.

    >>> rows_listed([3]), rows_listed([3, 4])
    ('row 3', 'rows 3, 4')
    """
    return f"{'row' if len(numbers) == 1 else 'rows'} {numbers_listed(numbers)}"


def split_values(cell: str, separators: re.Pattern[str] = _SPLIT) -> tuple[str, ...]:
    """The values in a multi-valued cell, in order, without repeats.

    >>> split_values("Joining forces; Listening |joining forces")
    ('Joining forces', 'Listening')
    """
    seen: dict[str, str] = {}
    for value in separators.split(cell.strip()):
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
