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

Lines without a comma, lines with a colon, and lines with a date are headings
or notes: skipped, and reported. People listed under "Apologies" sent
apologies and are not recorded as attending. The first heading names the
event and its date when the person importing does not.
"""

import datetime as dt
import re

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole, Sector
from graphsvc.model.text import fold_text
from importers.attendance_rows import Attendance, AttendanceFile, EventGiven, role_from_text
from importers.dates import DateOrder, read_dates
from importers.graph_records import PersonRow
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
APOLOGY_WORDS = ("apologies", "unable to attend", "sent regrets", "absent", "did not attend")
INDEPENDENT_WORDS = frozenset(
    {"independent", "freelance", "self employed", "independent consultant", "lived experience"}
)
MAX_NAME_WORDS = 6
# A participant line is never this long: longer lines are notes.
MAX_LINE = 300
# Headings that head the list rather than name the event.
LIST_HEADINGS = frozenset(
    {"participants", "attendees", "attendance", "present", "in the room", "online", "list"}
)


def read_participant_list(
    name: str, text: str, notes: list[str], given: EventGiven
) -> AttendanceFile:
    legend: dict[str, str] = {}
    people: list[tuple[PersonRow, AttendanceRole, str | None]] = []
    skipped: list[str] = []
    unused_notes: dict[str, list[int]] = {}
    unknown_markers: dict[str, list[int]] = {}
    apologies = 0
    in_apologies = False
    title: str | None = None
    date: dt.date | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        if (found := _LEGEND.match(line)) and not (
            len(found.group(1)) == 1
            and "," in line
            and _names_a_person(found.group(2).split(",")[0])
        ):
            legend[found.group(1)] = found.group(2).strip()
            continue
        line = _BULLET.sub("", line)
        heading = (line, None) if len(line) > MAX_LINE else _heading(line, given.date_order)
        if heading is not None:
            heading_text, heading_date = heading
            folded = fold_text(line)
            in_apologies = any(word in folded for word in APOLOGY_WORDS)
            if in_apologies and ":" in line:
                apologies += len([p for p in line.split(":", 1)[1].split(",") if p.strip()])
            elif not people and title is None and fold_text(heading_text) not in LIST_HEADINGS:
                title, date = heading_text, heading_date
            else:
                date = date or heading_date
            skipped.append(f"{number}: {line[:60]}")
            continue
        if in_apologies:
            apologies += 1
            continue
        person, role, marker, odd = _participant(number, line)
        for note in odd:
            unused_notes.setdefault(note, []).append(number)
        people.append((person, role, marker))
    event = given.name or title
    when = given.date or date
    if not people:
        raise ImportFileError(
            f"{name}: no participant lines found (one 'Name, Affiliation' a line)"
        )
    if event is None or when is None:
        missing = " and ".join(
            w for w, v in (("--event NAME", event), ("--date YYYY-MM-DD", when)) if v is None
        )
        raise ImportFileError(
            f"{name}: the list does not say which event it is or when; give {missing}"
        )
    out = AttendanceFile(name, "text", len(people), [], [], list(notes))
    for person, role, marker in people:
        if marker and marker not in legend:
            unknown_markers.setdefault(marker, []).append(person.row)
        part = legend.get(marker) if marker else None
        out.attendances.append(Attendance(person, event, when, role, part))
    if not given.name:
        out.notes.append(f"event named from the list's heading: '{event}'")
    if not given.date:
        out.notes.append(f"event date taken from the list's heading: {when.isoformat()}")
    if skipped:
        out.notes.append(
            f"{len(skipped)} heading or note lines skipped (line {'; line '.join(skipped)})"
        )
    if apologies:
        out.notes.append(f"{apologies} people sent apologies: not recorded as attending")
    for marker, lines in unknown_markers.items():
        out.notes.append(
            f"marker {marker} (lines {numbers_listed(lines)}) has no legend; part left blank"
        )
    for note, lines in unused_notes.items():
        out.notes.append(f"note '({note})' (lines {numbers_listed(lines)}) is not a role; left out")
    return out


def _participant(number: int, line: str) -> tuple[PersonRow, AttendanceRole, str | None, list[str]]:
    """A participant line's person, role, legend marker and notes not understood."""
    markers = _MARKER.findall(line)
    line = _MARKER.sub("", line)
    role = AttendanceRole.ATTENDEE
    odd: list[str] = []
    past: list[str] = []
    for note in _NOTE.findall(line):
        if (found_role := role_from_text(note)) is not None:
            role = found_role if role == AttendanceRole.ATTENDEE else role
        elif found := _PAST.match(note.strip()):
            past.append(found.group(1).strip())
        else:
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
        elif place is None and place_named(part) is not None:
            place = part
        else:
            organisations.append(part)
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


def _heading(line: str, order: DateOrder | None) -> tuple[str, dt.date | None] | None:
    """A heading or note line's text without its date, and the date; None for a participant."""
    parts = [p.strip() for p in line.split(",")]
    dates = {p: _date_in(p, order) for p in parts if _YEAR.search(p)}
    if dates or ":" in line or len(parts) < 2 or not _names_a_person(parts[0]):
        undated = [p for p in parts if p and dates.get(p) is None]
        found = [d for d in dates.values() if d is not None]
        return ", ".join(undated) or line, found[0] if found else None
    return None


def _date_in(text: str, order: DateOrder | None) -> dt.date | None:
    try:
        return read_dates([(0, text)], "heading", order).dates.get(0)
    except ImportFileError:
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
