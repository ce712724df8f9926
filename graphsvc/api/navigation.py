"""The pages, and who is offered each: the header, the home page and
``graphsvc demo`` all list them from here. Each page route checks the same
capability on the server (``tests/test_api.py`` checks that they agree)."""

from dataclasses import dataclass

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability


@dataclass(frozen=True)
class PageLink:
    path: str
    title: str
    about: str  # what it is for, on the home page
    needs: Capability | None = None
    needs_person: bool = False  # only for users linked to a person in the network


PAGES = (
    PageLink("/explore", "Explore", "the map: find people by interest, place or sector"),
    PageLink("/my-network", "My network", "your own network", needs_person=True),
    PageLink(
        "/introductions",
        "Introductions",
        "who to introduce to whom, and through whom",
        needs=Capability.ANY_INTRODUCTIONS,
    ),
    PageLink(
        "/gaps",
        "Gaps",
        "who is under-represented, and who is not in the room",
        needs=Capability.ANALYSIS,
    ),
    PageLink(
        "/imports", "Imports", "import files and review possible matches", Capability.ADMINISTER
    ),
)


def pages_for(viewer: Viewer) -> list[PageLink]:
    """The pages this viewer may open, in the header's order.

    >>> from graphsvc.access import Role
    >>> [p.title for p in pages_for(Viewer(Role.CONVENOR))]
    ['Explore', 'Gaps']
    """
    return [
        page
        for page in PAGES
        if (page.needs is None or viewer.can(page.needs))
        and (not page.needs_person or viewer.person_id is not None)
    ]
