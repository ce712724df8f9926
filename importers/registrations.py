"""What registration exports share (Eventbrite, Luma, Tito, Meetup): who came, and what
a ticket says of them.

A registration is not attendance: each reader counts only the people its
export says came (a ticket attending or checked in, a guest checked in, an
RSVP marked attended) and notes how many others it left out and why. A file
in which nobody came is refused with those notes, not imported as nothing.
"""

from collections import Counter

from graphsvc.errors import ImportFileError
from graphsvc.model import AttendanceRole
from graphsvc.model.text import fold_text
from importers.attendance_rows import AttendanceFile, role_from_text

# Ticket types that say nothing about which part of an event someone came to.
GENERIC_TICKETS = frozenset(
    {
        "general admission",
        "general",
        "free",
        "free ticket",
        "ticket",
        "tickets",
        "standard",
        "standard ticket",
        "regular",
        "admission",
        "rsvp",
        "attendee",
        "delegate",
        "early bird",
        "student",
        "concession",
    }
)
# Countries an address is in the UK for, as exports write them (places are UK places).
UK_COUNTRIES = frozenset(
    {"", "gb", "uk", "united kingdom", "great britain", "england", "scotland", "wales"}
    | {"northern ireland", "gbr"}
)


def ticket_role_and_part(ticket: str) -> tuple[str, str | None]:
    """What a ticket's type says: a role ("Speaker") or a part of the event ("Dinner only").

    >>> ticket_role_and_part("Speaker"), ticket_role_and_part("Dinner only")
    (('Speaker', None), ('', 'Dinner only'))
    >>> ticket_role_and_part("General Admission")
    ('', None)
    """
    ticket = " ".join(ticket.split())
    if role_from_text(ticket) in (AttendanceRole.SPEAKER, AttendanceRole.HOST):
        return ticket, None
    if not ticket or fold_text(ticket) in GENERIC_TICKETS:
        return "", None
    return "", ticket


def in_the_uk(country: str) -> bool:
    """Whether an address's country is the UK, or not said.

    >>> in_the_uk("GB"), in_the_uk(""), in_the_uk("DE")
    (True, True, False)
    """
    return fold_text(country) in UK_COUNTRIES


def not_counted_notes(counts: Counter[str], what: str) -> list[str]:
    """One note for each reason people were left out, most common first."""
    return [
        f"{count} {what} {reason} not counted as attending"
        for reason, count in counts.most_common()
    ]


def refuse_if_nobody_came(out: AttendanceFile, why: str) -> AttendanceFile:
    """The file as read, unless nobody in it came: then one message says who it lists."""
    if out.attendances or out.problems:
        return out
    said = "; ".join(note for note in out.notes if "not counted" in note) or "it lists no one"
    raise ImportFileError(f"{out.name}: nobody in it attended ({said}); {why}")
