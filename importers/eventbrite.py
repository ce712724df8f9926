"""Eventbrite attendee exports ("Attendee Summary" / "Attendee List" reports).

The columns are Eventbrite's own: ``Order #``, ``Order Date``, ``First Name``,
``Last Name``, ``Email``, ``Quantity``, ``Price Tier``, ``Ticket Type``,
``Attendee #``, ``Group``, ``Order Type``, ``Currency``, ``Total Paid``, fees,
``Attendee Status``, then any questions asked at booking, such as
``Job Title`` and ``Company``. Reports over several events add ``Event Name``
(and ``Event ID``); a column giving the event's date is used when present.
The UK site writes ``Order no.``, ``Attendee no.`` and ``Surname``, and its
address questions ``Home Address 1`` ... ``Home Postcode`` and ``Work City``,
``Work County``, ``Work Postcode``, ``Work Country``: the work address places
a person, else the home one.

Only tickets whose status is *Attending* or *Checked In* count: refunded,
cancelled and transferred tickets are people who did not come. The ticket
type is the part of the event attended unless it is a generic admission.
"""

import datetime as dt
from collections import Counter

from graphsvc.errors import ImportFileError
from graphsvc.model.text import fold_text
from importers.attendance_rows import (
    Attendance,
    AttendanceFile,
    EventGiven,
    attendance_from_fields,
    read_rows,
)
from importers.places import find_place, postcode_area
from importers.registrations import (
    in_the_uk,
    not_counted_notes,
    refuse_if_nobody_came,
    ticket_role_and_part,
)
from importers.source import Table

ADDRESSES = ("work", "home")
EVENTBRITE_HEADINGS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name",),
    "last_name": ("last name", "surname"),
    "email": ("email",),
    "organisation": ("company", "organisation", "organization"),
    "job_title": ("job title",),
    "work_city": ("work city",),
    "work_county": ("work county", "work state"),
    "work_postcode": ("work postcode", "work zip"),
    "work_country": ("work country",),
    "home_city": ("home city",),
    "home_county": ("county of residence", "home county", "home state"),
    "home_postcode": ("home postcode", "home zip"),
    "home_country": ("home country",),
    "place": ("town", "city"),
    "ticket": ("ticket type",),
    "status": ("attendee status",),
    "event": ("event name",),
    "date": ("event date", "event start date", "event start"),
}
COUNTED_STATUSES = ("attending", "checked in")


def is_eventbrite(header: list[str]) -> bool:
    folded = {fold_text(h) for h in header}
    return (
        "attendee status" in folded
        or {"order", "ticket type"} <= folded
        or {"order", "attendee"} <= folded
        or {"order no", "attendee no"} <= folded
    )


def read_eventbrite(table: Table, given: EventGiven) -> AttendanceFile:
    """The counted tickets of an Eventbrite export; a table that is not one is refused."""
    if not is_eventbrite(table.header):
        raise ImportFileError(
            f"{table.name} is not an Eventbrite attendee export (no 'Attendee #' or "
            f"'Order #' and 'Ticket Type' columns; it has: {', '.join(table.header)})"
        )
    not_counted: Counter[str] = Counter()
    abroad = 0

    def not_attending(values: dict[str, str]) -> bool:
        status = values.get("status") or "Attending"
        if fold_text(status) in COUNTED_STATUSES:
            return False
        not_counted[f"with status '{status}'"] += 1
        return True

    def to_attendance(
        number: int, values: dict[str, str], date: dt.date | None
    ) -> tuple[Attendance | None, str | None]:
        nonlocal abroad
        role, part = ticket_role_and_part(values.get("ticket", ""))
        place = values.get("place") or None
        for address in ADDRESSES:
            city, county, postcode, country = (
                values.get(f"{address}_{part_name}", "")
                for part_name in ("city", "county", "postcode", "country")
            )
            if city or postcode:
                if in_the_uk(country):
                    place = address_place(city, county, postcode)
                else:
                    abroad += 1
                    place = None
                break
        return attendance_from_fields(
            number, values, given, date, role=role, part=part, place=place
        )

    out = read_rows(table, EVENTBRITE_HEADINGS, "eventbrite", given, to_attendance, not_attending)
    out.notes.extend(not_counted_notes(not_counted, "tickets"))
    if abroad:
        out.notes.append(f"{abroad} attendees' addresses are outside the UK: no place recorded")
    return refuse_if_nobody_came(out, "only Attending and Checked In tickets count")


def address_place(city: str, county: str, postcode: str) -> str | None:
    """The text that best places an address: its town, settled by county and postcode.

    The whole address is tried first, so that a town several places share is
    read in the light of the rest; a postcode is passed on alone only when it
    has a UK postcode's shape, since an import's notes name a place it cannot
    read, and a postcode is personal data.

    >>> address_place("London", "", "SW14 8NX")
    'London, SW14 8NX'
    >>> address_place("", "", "not a postcode") is None
    True
    """
    tries = [", ".join(p for p in parts if p) for parts in ((city, county, postcode), (city,))]
    for text in tries:
        if text and find_place(text) is not None:
            return text
    if postcode and postcode_area(postcode) is not None:
        return postcode
    return city or county or None
