"""The pages, and who is offered each: the header, the home page and
``graphsvc demo`` all list them from here. Each page route checks the same
capability on the server (``tests/test_api.py`` checks that they agree).

The header keeps each role's everyday pages in its bar and folds the rest
into a few named groups, so that it stays on one row for an admin, who may
open every page."""

from dataclasses import dataclass, field

from graphsvc.access import Viewer
from graphsvc.access.policy import Capability


@dataclass(frozen=True)
class PageLink:
    path: str
    title: str
    about: str  # what it is for, on the home page
    needs: Capability | None = None
    needs_person: bool = False  # only for users linked to a person in the network
    group: str | None = None  # the header's menu it is folded into; None: in the bar


ADMIN_MENU = "Admin"
ME_MENU = "Me"  # the signed-in user's own pages, and signing out
MENU_ORDER = (ADMIN_MENU, ME_MENU)

PAGES = (
    PageLink("/explore", "Explore", "the map: find people by interest, place or sector"),
    PageLink("/my-network", "My network", "your own network", needs_person=True),
    PageLink(
        "/me/ties",
        "People I know",
        "name who you work with or know, and confirm those who named you",
        needs_person=True,
        group=ME_MENU,
    ),
    PageLink(
        "/introduction-requests",
        "My introductions",
        "ask to be introduced, and answer introductions asked of you",
        needs_person=True,
        group=ME_MENU,
    ),
    PageLink(
        "/me", "My record", "what the network holds about you, and who may see it", group=ME_MENU
    ),
    PageLink(
        "/introductions",
        "Introductions",
        "who to introduce to whom, and through whom",
        needs=Capability.ANY_INTRODUCTIONS,
    ),
    PageLink(
        "/introduction-queue",
        "Requests to pass on",
        "introductions members asked for, waiting for an introducer",
        needs=Capability.ANY_INTRODUCTIONS,
    ),
    PageLink(
        "/records-admin",
        "Erasure requests",
        "members' requests to be erased, and the questions members may answer about themselves",
        needs=Capability.ADMINISTER,
        group=ADMIN_MENU,
    ),
    PageLink(
        "/tie-surveys",
        "Relationship surveys",
        "ask members who they work with, and see who answered",
        needs=Capability.ANALYSIS,
    ),
    PageLink("/buddying", "Buddying", "your buddy, and rounds that pair members one to one"),
    PageLink(
        "/gaps",
        "Gaps",
        "who is under-represented, and who is not in the room",
        needs=Capability.ANALYSIS,
    ),
    PageLink(
        "/imports",
        "Imports",
        "import files and review possible matches",
        Capability.ADMINISTER,
        group=ADMIN_MENU,
    ),
    PageLink(
        "/stewardship",
        "Stewardship",
        "merge records of one person, correct a record, invite people to make accounts",
        needs=Capability.ADMINISTER,
        group=ADMIN_MENU,
    ),
    PageLink(
        "/audit",
        "Audit log",
        "who imported, exported, erased, merged or corrected what, and when",
        needs=Capability.ADMINISTER,
        group=ADMIN_MENU,
    ),
    PageLink("/account", "Account", "your password, and signing out everywhere", group=ME_MENU),
)


def pages_for(viewer: Viewer) -> list[PageLink]:
    """The pages this viewer may open, in the header's order.

    >>> from graphsvc.access import Role
    >>> [p.title for p in pages_for(Viewer(Role.CONVENOR))]
    ['Explore', 'My record', 'Relationship surveys', 'Buddying', 'Gaps', 'Account']
    """
    return [
        page
        for page in PAGES
        if (page.needs is None or viewer.can(page.needs))
        and (not page.needs_person or viewer.person_id is not None)
    ]


@dataclass(frozen=True)
class MenuEntry:
    page: PageLink
    current: bool  # the page being shown, or the page it belongs under


@dataclass(frozen=True)
class MenuGroup:
    label: str
    entries: list[MenuEntry] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(entry.current for entry in self.entries)


@dataclass(frozen=True)
class Menu:
    bar: list[MenuEntry]
    groups: list[MenuGroup]  # in MENU_ORDER, only those with a page for this viewer


def _current_page(pages: list[PageLink], path: str) -> PageLink | None:
    """The page ``path`` is, or is under (``/stewardship/people/x`` is under
    Stewardship); the longest match, so ``/me/ties`` is not taken for ``/me``."""
    under = [p for p in pages if path == p.path or path.startswith(p.path.rstrip("/") + "/")]
    return max(under, key=lambda p: len(p.path), default=None)


def menu_for(viewer: Viewer, path: str) -> Menu:
    """The header's menu for this viewer on the page at ``path``.

    >>> from graphsvc.access import Role
    >>> menu = menu_for(Viewer(Role.ADMIN, "p1"), "/audit")
    >>> [entry.page.title for entry in menu.bar]
    ['Explore', 'My network', 'Introductions', 'Requests to pass on', 'Relationship surveys', \
'Buddying', 'Gaps']
    >>> [(group.label, group.current) for group in menu.groups]
    [('Admin', True), ('Me', False)]
    """
    pages = pages_for(viewer)
    current = _current_page(pages, path)
    entries = [MenuEntry(page, page is current) for page in pages]
    groups = [
        MenuGroup(label, [entry for entry in entries if entry.page.group == label])
        for label in MENU_ORDER
    ]
    return Menu(
        bar=[entry for entry in entries if entry.page.group is None],
        groups=[group for group in groups if group.entries],
    )
