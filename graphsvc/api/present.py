"""People as a viewer may see them: every name and every count of people in a
response passes through here.

A person the viewer may not name is left out of lists, and a tie or a pair is
shown only when the viewer may name both ends (docs/architecture.md, "Privacy in
the code"); a neighbourhood goes on only through people the viewer may name; a
count of people is "fewer than N" where it is small, except to admins
(graphsvc.access.policy).
"""

from collections.abc import Iterable
from typing import Any

from graphsvc.access import Viewer
from graphsvc.access.policy import may_be_suggested
from graphsvc.analysis.gaps import GroupGaps, Share
from graphsvc.api.errors import not_found
from graphsvc.api.schemas import GroupGapsPublic, PersonPublic, PersonSummary, Ref, SharePublic
from graphsvc.config import get_settings
from graphsvc.service import NetworkView


def count_for(viewer: Viewer, count: int) -> int | str:
    """A count of people as the viewer may see it, at the configured small-count threshold."""
    return viewer.count_as_shown(count, get_settings().small_count)


class Presenter:
    def __init__(self, view: NetworkView, viewer: Viewer) -> None:
        self.view = view
        self.viewer = viewer

    @classmethod
    def about(cls, view: NetworkView, viewer: Viewer, person_id: str) -> "Presenter":
        """A presenter for a request about one person; 404 where the viewer may not name them."""
        presenter = cls(view, viewer)
        if not presenter.may_name(person_id):
            raise not_found("person")
        return presenter

    def may_name(self, person_id: Any) -> bool:
        person = self.view.person(str(person_id))
        return person is not None and self.viewer.may_name(person.id, person.visibility)

    def may_reach(self, node_id: str) -> bool:
        """Whether a neighbourhood may show a node it reached and go on through it:
        a person only if the viewer may name them, so that nothing is reached
        through someone they may not (their events, interests, work)."""
        return self.view.kind(node_id) != "Person" or self.may_name(node_id)

    def count(self, count: int) -> int | str:
        """A count of people as the viewer may see it ("fewer than N" where small)."""
        return count_for(self.viewer, count)

    def share(self, share: Share) -> SharePublic:
        """A share as the viewer may see it: with a small count, no share or
        interval either (with the group's size they would give the count away)."""
        count = self.count(share.count)
        exact = count == share.count
        return SharePublic(
            category=share.category,
            count=count,
            share=share.share if exact else None,
            low=share.low if exact else None,
            high=share.high if exact else None,
            expected=share.expected,
            verdict=share.verdict,
        )

    def shares(self, shares: Iterable[Share]) -> list[SharePublic]:
        return [self.share(s) for s in shares]

    def group_gaps(self, group: GroupGaps) -> GroupGapsPublic:
        """A cell's or an event's categories out of line, counts as the viewer may see them."""
        return GroupGapsPublic(
            id=group.id,
            name=group.name,
            size=self.count(group.size),
            regions=self.shares(group.regions),
            sectors=self.shares(group.sectors),
        )

    def may_suggest(self, person_id: Any) -> bool:
        """Whether the person may be put forward in an introduction, as consent is now."""
        person = self.view.person(str(person_id)) if person_id else None
        return person is not None and may_be_suggested(person.visibility)

    def ref(self, node_id: str | None) -> Ref | None:
        return Ref(id=node_id, name=self.view.name(node_id)) if node_id else None

    def summary(self, person_id: Any) -> PersonSummary | None:
        """The person's card for lists, or None where the viewer may not name them."""
        if not self.may_name(person_id):
            return None
        person = self.view.profile.people[str(person_id)]
        return PersonSummary(
            id=person.id,
            name=person.name,
            sector=person.sector,
            organisation=self.ref(person.organisation),
            place=self.ref(person.place),
            region=person.region,
        )

    def card(self, person_id: Any) -> PersonSummary:
        """The card of someone already checked with :meth:`may_name`."""
        card = self.summary(person_id)
        assert card is not None
        return card

    def people(self, person_ids: Iterable[Any]) -> list[PersonSummary]:
        """Cards for the people the viewer may name, in the order given."""
        return [card for p in person_ids if (card := self.summary(p)) is not None]

    def all_nameable(self, *person_ids: Any) -> list[PersonSummary] | None:
        """Cards for every one of ``person_ids``, or None if any may not be named."""
        cards = self.people(person_ids)
        return cards if len(cards) == len(person_ids) else None

    def person(
        self, person_id: str, stored: dict[str, Any] | None, constellation: str | None
    ) -> PersonPublic | None:
        """One person in full as the viewer may see them; contact details only to
        themselves and admins."""
        card = self.summary(person_id)
        if card is None:
            return None
        profile = self.view.profile.people[person_id]
        stored = stored or {}
        contact = self.viewer.may_contact(person_id)
        return PersonPublic(
            **card.model_dump(),
            job_title=stored.get("job_title"),
            joined=profile.joined,
            interests=[r for t in profile.themes if (r := self.ref(t))],
            cells=[r for c in profile.cells if (r := self.ref(c))],
            constellation=constellation,
            email=stored.get("email") if contact else None,
            phone=stored.get("phone") if contact else None,
            visibility=profile.visibility if contact else None,
        )
