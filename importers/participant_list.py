"""Participant lists as printed in meeting notes: one ``Name, Affiliation`` a line.

::

    Annual Gathering, Birmingham, 12 March 2025
    Participants
    Amina Yusuf, Coventry Grapevine*
    Bob  Smith ,Birmingham City Council, Birmingham
    Carla Jones, Independent (guest speaker)
    Dan Green, Age UK, formerly Shelter**

    *Dinner only
    **Morning only
    Apologies: Ed Black, Fay White

After the name, each comma-separated part is an organisation, a known place
(which sets where the person is based), ``Independent``, or ``formerly X``
(a past affiliation). A bracketed note is a role when it names one
("guest speaker", "chair"); trailing ``*`` markers point to a legend line in
the same list that says which part of the event the person came to.

Under a heading that opens a list ("Attendees:", "Present"), a line may
be a name alone; in a list of names alone, "Birch Jr, Johnnie L" is one
name written surname first. A list may be run into one line, ``Present: Ann
Lee (Age UK), Bo Chen (MH). Apologies: Cy Dee``: there a bracket names the
organisation, unless it names a role or is the person's initials.

Other lines without a comma, lines with a colon, lines with a date and a
venue's address are headings or notes: skipped, and reported. A full
postcode is a place, never an organisation. People listed under
"Apologies" sent apologies and are not recorded as attending. The first
heading names the event and its date (from anywhere in the line: "2019-05-02
Subgroup Meeting Notes") when the person importing does not.
"""

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole, Sector
from graphsvc.model.text import fold_text
from importers.attendance_rows import Attendance, AttendanceFile, EventGiven, role_from_text
from importers.dates import DateOrder
from importers.graph_records import PersonRow
from importers.minutes_lines import (
    POSTCODE,
    PRESENCE_NOTES,
    date_in,
    dated,
    inline_lists,
    is_address,
    is_apology,
    name_alone,
)
from importers.person_names import (
    are_initials,
    first_name_first,
    has_surname_suffix,
    is_status_tag,
)
from importers.places import place_named
from importers.source import numbers_listed

_BULLET = re.compile(r"^(?:[-•·–]\s*|\*\s+|\d{1,3}[.)]\s+)")
_LEGEND = re.compile(r"^(\*+)\s*(\S.*)$")
_MARKER = re.compile(r"(?<=[^\s*])\s*(\*+)")
_NOTE = re.compile(r"\(([^()]*)\)")
_EMAIL_IN_LINE = re.compile(r"<?([^\s<>,@]+@[^\s<>,@]+\.[^\s<>,@]+)>?")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_PAST = re.compile(r"^(?:formerly|previously|ex-?|former|late of)\s+(.+)$", re.I)
# A name: a few words of letters, the first and last capitalised ("Mary-Ann O'Neil",
# "Zoë de la Cruz").
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’.\-][^\W\d_]*)*\.?$")
INDEPENDENT_WORDS = frozenset(
    {"independent", "freelance", "self employed", "independent consultant", "lived experience"}
)
MAX_NAME_WORDS = 6
# A participant line is never this long: longer lines are notes.
MAX_LINE = 300
# Headings that head the list rather than name the event.
LIST_HEADINGS = frozenset(
    {
        "participants",
        "attendees",
        "attendance",
        "present",
        "in attendance",
        "attending",
        "also present",
        "in the room",
        "online",
        "list",
    }
)


@dataclass
class _Reading:
    """What the lines of a list have said so far."""

    order: DateOrder | None
    legend: dict[str, str] = field(default_factory=dict)
    people: list[tuple[PersonRow, AttendanceRole, str | None]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unused_notes: dict[str, list[int]] = field(default_factory=dict)
    apologies: int = 0
    # Under a heading that opens a list: of those present (False) or of apologies (True).
    under_list: bool | None = None
    title: str | None = None
    date: dt.date | None = None
    # Participant lines with no comma (a names-only list) and with one.
    names_alone: int = 0
    with_commas: int = 0

    def line(self, number: int, line: str) -> None:
        if (found := _LEGEND.match(line)) and not (
            len(found.group(1)) == 1
            and "," in line
            and _names_a_person(found.group(2).split(",")[0])
        ):
            self.legend[found.group(1)] = found.group(2).strip()
            return
        line = _BULLET.sub("", line)
        if (lists := inline_lists(line)) is not None:
            for of_apologies, entries in lists:
                for entry in entries:
                    self.participant(number, entry, of_apologies)
            self.under_list = lists[-1][0]
            return
        if self.under_list is not None and name_alone(line):
            self.names_alone += 1
            self.participant(number, line, self.under_list)
            return
        heading = (line, None) if len(line) > MAX_LINE else _heading(line, self.order)
        if heading is None:
            self.with_commas += 1
            self.participant(number, line, self.under_list is True)
        else:
            self.heading(number, line, *heading)

    def heading(self, number: int, line: str, text: str, date: dt.date | None) -> None:
        of_apologies = is_apology(line)
        opens = fold_text(text) in LIST_HEADINGS
        self.under_list = True if of_apologies else (False if opens else None)
        if of_apologies and ":" in line:
            self.apologies += len([p for p in line.split(":", 1)[1].split(",") if p.strip()])
        elif not self.people and self.title is None and not opens:
            self.title, self.date = dated(text, self.order) if date is None else (text, date)
        else:
            self.date = self.date or date or dated(text, self.order)[1]
        self.skipped.append(f"{number}: {line[:60]}")

    def participant(self, number: int, line: str, of_apologies: bool) -> None:
        if of_apologies:
            self.apologies += 1
            return
        parts = [p.strip() for p in line.split(",")]
        if is_address(parts):
            self.skipped.append(f"{number}: {line[:60]}")
            return
        person, role, marker, odd = _participant(number, line)
        for note in odd:
            self.unused_notes.setdefault(note, []).append(number)
        self.people.append((person, role, marker))

    def surnames_first(self) -> None:
        """In a list of names alone, "Birch Jr, Johnnie L" is a name written surname first."""
        names_only = self.names_alone > self.with_commas
        for index, (person, role, marker) in enumerate(self.people):
            if len(person.organisations) != 1 or person.place or person.email:
                continue
            written = f"{person.name}, {person.organisations[0]}"
            turned = first_name_first(written)
            if turned != written and (names_only or has_surname_suffix(person.name)):
                self.people[index] = (replace(person, name=turned, organisations=()), role, marker)


def read_participant_list(
    name: str, text: str, notes: list[str], given: EventGiven
) -> AttendanceFile:
    reading = _Reading(given.date_order)
    for number, raw in enumerate(text.splitlines(), start=1):
        if line := " ".join(raw.split()):
            reading.line(number, line)
    reading.surnames_first()
    event = given.name or reading.title
    when = given.date or reading.date
    if not reading.people:
        raise ImportFileError(
            f"{name}: no participant lines found (one 'Name, Affiliation' a line, or "
            "names one a line under 'Attendees:')"
        )
    if event is None or when is None:
        missing = " and ".join(
            w for w, v in (("--event NAME", event), ("--date YYYY-MM-DD", when)) if v is None
        )
        raise ImportFileError(
            f"{name}: the list does not say which event it is or when; give {missing}"
        )
    out = AttendanceFile(name, "text", len(reading.people), [], [], list(notes))
    unknown_markers: dict[str, list[int]] = {}
    for person, role, marker in reading.people:
        if marker and marker not in reading.legend:
            unknown_markers.setdefault(marker, []).append(person.row)
        part = reading.legend.get(marker) if marker else None
        out.attendances.append(Attendance(person, event, when, role, part))
    _note(out, reading, given, unknown_markers)
    return out


def _note(
    out: AttendanceFile, reading: _Reading, given: EventGiven, unknown: dict[str, list[int]]
) -> None:
    if not given.name:
        out.notes.append(f"event named from the list's heading: '{out.attendances[0].event}'")
    if not given.date:
        out.notes.append(
            f"event date taken from the list's heading: {out.attendances[0].date.isoformat()}"
        )
    if reading.skipped:
        out.notes.append(
            f"{len(reading.skipped)} heading or note lines skipped "
            f"(line {'; line '.join(reading.skipped)})"
        )
    if reading.apologies:
        out.notes.append(f"{reading.apologies} people sent apologies: not recorded as attending")
    for marker, lines in unknown.items():
        out.notes.append(
            f"marker {marker} (lines {numbers_listed(lines)}) has no legend; part left blank"
        )
    for note, lines in reading.unused_notes.items():
        out.notes.append(f"note '({note})' (lines {numbers_listed(lines)}) is not a role; left out")


def _participant(number: int, line: str) -> tuple[PersonRow, AttendanceRole, str | None, list[str]]:
    """A participant line's person, role, legend marker and notes not understood."""
    markers = _MARKER.findall(line)
    line = _MARKER.sub("", line)
    role = AttendanceRole.ATTENDEE
    odd: list[str] = []
    past: list[str] = []
    written_name = _NOTE.sub("", line).split(",")[0].strip()
    for note in _NOTE.findall(line):
        if (found_role := role_from_text(note)) is not None:
            role = found_role if role == AttendanceRole.ATTENDEE else role
        elif found := _PAST.match(note.strip()):
            past.append(found.group(1).strip())
        elif not are_initials(note.strip(), written_name):
            odd.append(note.strip())
    line = _NOTE.sub("", line)
    email = None
    if found_email := _EMAIL_IN_LINE.search(line):
        email = found_email.group(1).lower()
        line = line.replace(found_email.group(0), "")
    parts = [" ".join(p.split()) for p in line.split(",")]
    organisations: list[str] = []
    place = None
    independent = False
    for part in parts[1:]:
        if not part:
            continue
        if fold_text(part) in INDEPENDENT_WORDS:
            independent = True
        elif found := _PAST.match(part):
            past.append(found.group(1).strip())
        elif POSTCODE.search(part):
            place = place or part
        elif place is None and place_named(part) is not None:
            place = part
        else:
            organisations.append(part)
    if not organisations and not independent and (bracketed := _organisation_note(odd)):
        # "Ann Lee (Age UK)": with no organisation after a comma, the bracket names it.
        organisations.append(bracketed)
        odd.remove(bracketed)
    person = PersonRow(
        row=number,
        name=parts[0],
        email=email,
        organisations=tuple(organisations),
        past_organisations=tuple(past),
        place=place,
        sector=Sector.INDEPENDENT if independent and not organisations else None,
    )
    return person, role, max(markers, key=len) if markers else None, odd


def _organisation_note(notes: list[str]) -> str | None:
    return next(
        (n for n in notes if fold_text(n) not in PRESENCE_NOTES and not is_status_tag(n)), None
    )


def _heading(line: str, order: DateOrder | None) -> tuple[str, dt.date | None] | None:
    """A heading or note line's text without its date, and the date; None for a participant."""
    parts = [p.strip() for p in line.split(",")]
    dates = {p: date_in(p, order) for p in parts if _YEAR.search(p)}
    if dates or ":" in line or len(parts) < 2 or not _names_a_person(parts[0]):
        undated = [p for p in parts if p and dates.get(p) is None]
        found = [d for d in dates.values() if d is not None]
        return ", ".join(undated) or line, found[0] if found else None
    return None


def _names_a_person(text: str) -> bool:
    """Whether text (markers and notes aside) looks like a person's name."""
    words = _NOTE.sub("", _MARKER.sub("", text)).replace("<", " <").split()
    words = [w for w in words if "@" not in w]
    if not words or len(words) > MAX_NAME_WORDS:
        return False
    if not all(_NAME_WORD.match(w) for w in words):
        return False
    return words[0][0].isupper() and words[-1][0].isupper()
