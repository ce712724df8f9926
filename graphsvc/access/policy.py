"""Roles and consent: whether a viewer may name a person, see their contact
details, or use a part of the service.

A person's ``visibility`` says who may see them named: ``network`` (every
member), ``connectors`` (connectors and convenors) or ``hidden`` (counted in
aggregates, named to nobody but admins). Everyone sees their own record.
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
NAMEABLE_BY: dict[Role, frozenset[str]] = {
    Role.MEMBER: frozenset({Visibility.NETWORK}),
    Role.CONNECTOR: frozenset({Visibility.NETWORK, Visibility.CONNECTORS}),
    Role.CONVENOR: frozenset({Visibility.NETWORK, Visibility.CONNECTORS}),
    Role.ADMIN: frozenset(Visibility),
}


class Capability(StrEnum):
    """What a role may use, beyond seeing people it may name."""

    ANALYSIS = "constellations in full, gaps and aggregate figures"
    BRIDGES = "brokers and fragile ties"
    ANY_INTRODUCTIONS = "introductions for anyone"
    RECORD_INTRODUCTIONS = "recording what came of an introduction"
    ADMINISTER = "imports, users, review, exports and erasure"


GRANTS: dict[Role, frozenset[Capability]] = {
    Role.MEMBER: frozenset(),
    Role.CONNECTOR: frozenset(
        {Capability.BRIDGES, Capability.ANY_INTRODUCTIONS, Capability.RECORD_INTRODUCTIONS}
    ),
    Role.CONVENOR: frozenset({Capability.ANALYSIS, Capability.BRIDGES}),
    Role.ADMIN: frozenset(Capability),
}


@dataclass(frozen=True)
class Viewer:
    """Who is asking: their role and, for members of the network, their own person id."""

    role: Role
    person_id: str | None = None

    def can(self, capability: Capability) -> bool:
        return capability in GRANTS[self.role]

    @property
    def nameable(self) -> frozenset[str]:
        """The visibility values this viewer may see named."""
        return NAMEABLE_BY[self.role]

    def may_name(self, person_id: str, visibility: str | None) -> bool:
        """Whether this viewer may see the person named (unknown consent is hidden)."""
        return person_id == self.person_id or (visibility or Visibility.HIDDEN) in self.nameable

    def may_contact(self, person_id: str) -> bool:
        """Whether this viewer may see the person's email and phone: their own, or an admin."""
        return self.role is Role.ADMIN or person_id == self.person_id
