"""Who a meeting tool's report says joined: one entry a person, however many rows.

Zoom and Teams write a row per join (and Teams a row per registration, and
Zoom webinars a table per role), so a person who dropped out and rejoined,
or joined from a second device, is in a report more than once. Rows are the
same person when they share an email (the account's, or the one given at
registration), or, without any, the same name. The strongest role a
person's rows give is theirs.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from graphsvc.model import AttendanceRole
from importers.attendance_rows import AttendanceFile, attendance_row
from importers.report import RowProblem, erasure_keys
from importers.resolution import name_key
from importers.source import is_email

ROLE_STRENGTH = {AttendanceRole.ATTENDEE: 0, AttendanceRole.SPEAKER: 1, AttendanceRole.HOST: 2}


@dataclass
class Joined:
    """One person's rows in a report: the first row's number and what the rows say."""

    row: int
    name: str
    email: str
    role: AttendanceRole
    organisation: str | None = None
    job_title: str | None = None
    rows: int = 1


def person_key(name: str) -> str:
    """How rows without an email are matched: the name as people are matched, and in
    any script (a name never becomes an empty key)."""
    return name_key(name) or " ".join(name.casefold().split())


@dataclass
class MeetingPeople:
    """The people of one report, merged as its rows are added."""

    people: list[Joined] = field(default_factory=list)
    _by_key: dict[str, int] = field(default_factory=dict)
    not_emails: int = 0

    def add(
        self,
        row: int,
        name: str,
        email: str = "",
        *,
        role: AttendanceRole = AttendanceRole.ATTENDEE,
        organisation: str | None = None,
        job_title: str | None = None,
        other_emails: Iterable[str] = (),
    ) -> None:
        """Add a row; ``other_emails`` (a registration's) match it too but are not kept
        unless the row has no email of its own."""
        emails = [e for e in (self._email(email), *map(self._email, other_emails)) if e]
        keys = [f"email:{e}" for e in emails] or [f"name:{person_key(name)}"]
        found = next((self._by_key[k] for k in keys if k in self._by_key), None)
        if found is None:
            found = len(self.people)
            self.people.append(
                Joined(row, name, emails[0] if emails else "", role, organisation, job_title)
            )
        else:
            self._merge(self.people[found], emails, role, organisation, job_title)
        for key in keys:
            self._by_key.setdefault(key, found)

    def _email(self, text: str) -> str:
        email = text.strip().lower()
        if email and not is_email(email):
            # Reports hide or cut short some addresses ("jiro1…"): the person still came.
            self.not_emails += 1
            return ""
        return email

    @staticmethod
    def _merge(
        person: Joined,
        emails: list[str],
        role: AttendanceRole,
        organisation: str | None,
        job_title: str | None,
    ) -> None:
        person.rows += 1
        person.email = person.email or (emails[0] if emails else "")
        if ROLE_STRENGTH[role] > ROLE_STRENGTH[person.role]:
            person.role = role
        person.organisation = person.organisation or organisation
        person.job_title = person.job_title or job_title

    def write_to(self, out: AttendanceFile, event: str | None, date: dt.date | None) -> None:
        """Each person as an attendance of ``out`` (or a problem), and notes on the merging."""
        for person in self.people:
            attendance, problem = attendance_row(
                person.row,
                person.name,
                person.email,
                event=event,
                date=date,
                role=person.role.value,
                organisations=(person.organisation,) if person.organisation else (),
                job_title=person.job_title,
            )
            if attendance is None:
                keys = erasure_keys(person.name, person.email)
                out.problems.append(RowProblem(person.row, problem or "cannot be read", keys))
            else:
                out.attendances.append(attendance)
        merged = sum(p.rows - 1 for p in self.people)
        if merged:
            out.notes.append(f"{merged} rejoins merged into the person's first join")
        if self.not_emails:
            out.notes.append(
                f"{self.not_emails} emails are not email addresses (hidden or cut short by "
                "the export): those people recorded without one"
            )
