"""What a line of meeting notes is: a title with its date, a list run into one line,
a venue's address, or a name alone.

:mod:`importers.participant_list` reads the lists; this module tells its
lines apart.
"""

import datetime as dt
import re

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text
from importers.dates import DateOrder, read_dates
from importers.person_names import looks_like_name

# Dates as notes write them inside a line: 2019-05-02, 12 March 2025, March 12, 2025, 12/03/2025.
_DATES_IN_TEXT = (
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}\b"),
    re.compile(r"\b[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"),
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b"),
)
# "Video Meeting Notes" names the "Video Meeting".
_NOTES_OF_MEETING = re.compile(r"(\bmeeting)\s+(?:notes|minutes)$", re.I)
# Labels that open a list run into one line: "Present: A, B (Org). Apologies: C".
_LIST_LABEL = re.compile(
    r"\b(present|also present|in attendance|attendees|attending|participants|"
    r"apologies(?: for absence| received)?|absent)\s*:",
    re.I,
)
APOLOGY_WORDS = ("apologies", "unable to attend", "sent regrets", "absent", "did not attend")
# A full UK postcode: a place, never an organisation or a person.
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_STREET = re.compile(
    r"^\d+[a-z]?\s+.*\b(?:street|st|road|rd|lane|ln|avenue|ave|way|place|square|close|"
    r"drive|terrace|crescent|row|walk|gardens|parade|quay|wharf)\b\.?$",
    re.I,
)
VENUE_WORDS = frozenset(
    {
        "centre",
        "center",
        "hall",
        "house",
        "building",
        "library",
        "church",
        "chapel",
        "school",
        "college",
        "office",
        "offices",
        "hotel",
        "room",
        "suite",
        "floor",
        "venue",
        "hub",
        "campus",
        "museum",
        "theatre",
        "chamber",
    }
)
# Words of headings and notes that a person's name does not hold.
NOT_NAME_WORDS = frozenset(
    {
        "meeting",
        "agenda",
        "notes",
        "minutes",
        "action",
        "actions",
        "apologies",
        "attendees",
        "present",
        "date",
        "time",
        "venue",
        "location",
        "welcome",
        "introductions",
        "summary",
        "update",
        "updates",
        "item",
        "items",
        "business",
        "aob",
        "discussion",
        "decisions",
        "next",
        "thanks",
        "online",
        "participants",
    }
)
# Brackets after a name that say how someone took part, not where they work.
PRESENCE_NOTES = frozenset(
    {"online", "remote", "remotely", "virtual", "in person", "by phone", "via zoom", "via teams"}
)


def dated(text: str, order: DateOrder | None) -> tuple[str, dt.date | None]:
    """A title without the date it holds, and the date (a title line such as
    "2019-05-02 Subgroup Video Meeting Notes").

    >>> dated("2019-05-02 Subgroup Video Meeting Notes", None)
    ('Subgroup Video Meeting', datetime.date(2019, 5, 2))
    """
    for pattern in _DATES_IN_TEXT:
        for found in pattern.finditer(text):
            date = date_in(found.group(0), order)
            if date is not None:
                rest = text[: found.start()] + " " + text[found.end() :]
                return event_title(rest), date
    return text, None


def event_title(text: str) -> str:
    """A title line as an event's name: separators left by a removed date tidied,
    "Meeting Notes" the meeting's."""
    title = " ".join(text.split()).strip(" -–—:,|")
    return _NOTES_OF_MEETING.sub(r"\1", title) or text


def date_in(text: str, order: DateOrder | None) -> dt.date | None:
    try:
        return read_dates([(0, text)], "heading", order).dates.get(0)
    except ImportFileError:
        return None


def inline_lists(line: str) -> list[tuple[bool, list[str]]] | None:
    """A line that opens with "Present:" (or "In attendance:" ...) and lists people on it:
    each list, whether it is of apologies, and its entries. None for any other line.

    >>> inline_lists("Present: Ann Lee (Age UK), Bo Chen. Apologies: Cy Dee")
    [(False, ['Ann Lee (Age UK)', 'Bo Chen']), (True, ['Cy Dee'])]
    """
    labels = list(_LIST_LABEL.finditer(line))
    if not labels or labels[0].start() != 0 or is_apology(labels[0].group(1)):
        return None
    lists = []
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(line)
        lists.append((is_apology(label.group(1)), split_entries(line[label.end() : end])))
    return lists if lists[0][1] else None


def is_apology(text: str) -> bool:
    folded = fold_text(text)
    return any(word in folded for word in APOLOGY_WORDS)


def split_entries(text: str) -> list[str]:
    """Entries of a list on one line: split at commas and semicolons outside brackets,
    and at a last "and" between two names."""
    entries: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if ch in ",;" and depth == 0:
            entries.append("".join(current))
            current = []
        else:
            current.append(ch)
    entries.append("".join(current))
    tidied = [e.strip(" .") for e in entries]
    if tidied:
        before, _, after = tidied[-1].rpartition(" and ")
        if before and looks_like_name(_without_notes(before)) and looks_like_name(after):
            tidied[-1:] = [before, after]
    return [re.sub(r"^and\s+", "", e) for e in tidied if e]


def is_address(parts: list[str]) -> bool:
    """Whether a line's comma-separated parts are a venue's address, not a person's line."""
    first = set(fold_text(parts[0]).split())
    has_address = any(POSTCODE.search(p) or _STREET.match(p) for p in parts)
    return bool(_STREET.match(parts[0])) or (has_address and bool(first & VENUE_WORDS))


def name_alone(line: str) -> bool:
    """Whether a line is a person's name and nothing else (a names-only list's line)."""
    if ":" in line or "," in line:
        return False
    words = _without_notes(line).split()
    if len(words) < 2 or set(fold_text(" ".join(words)).split()) & NOT_NAME_WORDS:
        return False
    return looks_like_name(" ".join(words))


def _without_notes(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)", "", text)
