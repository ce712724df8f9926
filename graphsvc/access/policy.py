"""Roles and consent: whether a viewer may name a person, see their contact
details, or use a part of the service.

A person's ``visibility`` says who may see them named: ``network`` (every
member), ``connectors`` (connectors and convenors) or ``hidden`` (counted in
aggregates, named to nobody but admins). Everyone sees their own record. A
visibility that is missing or unknown is ``hidden`` (:meth:`Visibility.parse`).

This module is the only place that says which visibility values let whom see
a person: analysis, exports and pages ask it rather than compare values.

Two consequences hold wherever people are shown around a person or counted:

- **What is reached through someone is theirs.** A neighbourhood or a map goes
  out from a person only through people the viewer may name: an event, a
  theme, an organisation, a place or a cell reached only through someone else
  is not shown, since it would tell their attendance, interests and work.
- **A small count is as good as a name.** An organisation of one, an event
  attended by two, a region with one member: next to what else is known about
  it, such a count singles a person out. Counts of people from 1 up to the
  small-count threshold are shown as "fewer than N" to everyone but admins
  (:meth:`Viewer.count_as_shown`); none (0) singles nobody out and is shown.
"""

from dataclasses import dataclass
from enum import StrEnum

from graphsvc.model import Visibility


class Role(StrEnum):
    MEMBER = "member"
    CONNECTOR = "connector"
    CONVENOR = "convenor"
    ADMIN = "admin"


# The visibility values each role may see named.
NAMEABLE_BY: dict[Role, frozenset[Visibility]] = {
    Role.MEMBER: frozenset({Visibility.NETWORK}),
    Role.CONNECTOR: frozenset({Visibility.NETWORK, Visibility.CONNECTORS}),
    Role.CONVENOR: frozenset({Visibility.NETWORK, Visibility.CONNECTORS}),
    Role.ADMIN: frozenset(Visibility),
}


# Who may be put forward in a suggested introduction, as one of the pair or
# as its introducer: the people connectors may see named. Suggestions are
# worked out once for the whole network and are there for connectors to act
# on (they may make introductions for anyone), so whoever a connector may not
# name is never suggested; each response then shows a suggestion only to a
# viewer who may name both people. Hidden people are never put forward, not
# even to admins: an introduction would name them to the other person.
SUGGESTABLE: frozenset[Visibility] = NAMEABLE_BY[Role.CONNECTOR]


def may_be_suggested(visibility: object) -> bool:
    """Whether a person with this stored visibility may appear in a suggested introduction.

    Examples
    --------
    >>> may_be_suggested("network"), may_be_suggested("hidden"), may_be_suggested(None)
    (True, False, False)
    """
    return Visibility.parse(visibility) in SUGGESTABLE


class Capability(StrEnum):
    """What a role may use, beyond seeing people it may name."""

    ANALYSIS = "constellations in full, gaps and aggregate figures"
    BRIDGES = "brokers and fragile ties"
    ANY_INTRODUCTIONS = "introductions for anyone"
    RECORD_INTRODUCTIONS = "recording what came of an introduction"
    ADMINISTER = "imports, users, review, exports and erasure"
    EXACT_COUNTS = "counts of people below the small-count threshold"


GRANTS: dict[Role, frozenset[Capability]] = {
    Role.MEMBER: frozenset(),
    Role.CONNECTOR: frozenset(
        {Capability.BRIDGES, Capability.ANY_INTRODUCTIONS, Capability.RECORD_INTRODUCTIONS}
    ),
    Role.CONVENOR: frozenset({Capability.ANALYSIS, Capability.BRIDGES}),
    Role.ADMIN: frozenset(Capability),
}


def fewer_than(smallest: int) -> str:
    """How a count below ``smallest`` is shown to those who may not see it exactly.

    >>> fewer_than(3)
    'fewer than 3'
    """
    return f"fewer than {smallest}"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: their role and, for members of the network, their own person id."""

    role: Role
    person_id: str | None = None

    def can(self, capability: Capability) -> bool:
        return capability in GRANTS[self.role]

    @property
    def nameable(self) -> frozenset[Visibility]:
        """The visibility values this viewer may see named."""
        return NAMEABLE_BY[self.role]

    def may_name(self, person_id: str, visibility: object) -> bool:
        """Whether this viewer may see the person named (unknown consent is hidden).

        Examples
        --------
        >>> member = Viewer(Role.MEMBER, "person:1")
        >>> member.may_name("person:2", "network"), member.may_name("person:2", "connectors")
        (True, False)
        >>> member.may_name("person:1", None), Viewer(Role.ADMIN).may_name("person:2", None)
        (True, True)
        """
        return person_id == self.person_id or Visibility.parse(visibility) in self.nameable

    def may_contact(self, person_id: str) -> bool:
        """Whether this viewer may see the person's email and phone: their own, or an admin."""
        return self.role is Role.ADMIN or person_id == self.person_id

    def count_as_shown(self, count: int, smallest: int) -> int | str:
        """A count of people as this viewer may see it: from 1 to ``smallest - 1``,
        "fewer than ``smallest``" to all but admins.

        Examples
        --------
        >>> member, admin = Viewer(Role.MEMBER), Viewer(Role.ADMIN)
        >>> [member.count_as_shown(n, 3) for n in (0, 1, 2, 3)]
        [0, 'fewer than 3', 'fewer than 3', 3]
        >>> admin.count_as_shown(1, 3)
        1
        """
        if 0 < count < smallest and not self.can(Capability.EXACT_COUNTS):
            return fewer_than(smallest)
        return count
