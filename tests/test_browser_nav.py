"""The header's navigation in a real browser, for every role, at a desktop's
size and a phone's: one row at 1440 px wide, nothing wider than a phone's
screen, every page the role may open reached from it with the keyboard alone,
and the header still passing axe-core with a menu group open."""

from pathlib import Path

import pytest
from api_service import Service
from browser import DESKTOP, PHONE, a_browser_per_module, a_site_per_module, signed_in_page
from playwright.sync_api import Browser, Page, expect
from test_browser_a11y import _settled, _violations

from graphsvc.access import Role, Viewer
from graphsvc.api.navigation import PageLink, pages_for

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent.parent / "tools" / "axe-core" / "node_modules" / "axe-core"
SHOTS = Path("/tmp/shots_nav")
ROLES = [Role.MEMBER, Role.CONNECTOR, Role.CONVENOR, Role.ADMIN]
SIZES = {"desktop": DESKTOP, "phone": PHONE}
GROUPS = "header nav details.nav-group"

site = a_site_per_module()
browser = a_browser_per_module()


def _pages_of(service: Service, role: Role) -> list[PageLink]:
    user = service.accounts.user_by_email(service.email(role))
    assert user is not None
    return pages_for(Viewer(role, user.person_id))


def _open_every_group(page: Page) -> None:
    for summary in page.locator(f"{GROUPS} > summary").all():
        summary.click()


def _focused_href(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('href')")


def _tab_to(page: Page, target: PageLink) -> None:
    """Tab through the header until the link to ``target`` has focus, opening
    (with Enter) the group that holds it on the way."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if _focused_href(page) == target.path:
            return
        holds_target = page.evaluate(
            "(path) => { const s = document.activeElement;"
            " return s.tagName === 'SUMMARY' && !s.parentElement.open"
            " && !!s.parentElement.querySelector(`a[href='${path}']`); }",
            target.path,
        )
        if holds_target:
            page.keyboard.press("Enter")
    raise AssertionError(f"no link to {target.path} was reached with Tab")


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_the_header_is_one_row_at_a_desktop_width(
    site: tuple[Service, str], browser: Browser, role: Role
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, role, DESKTOP) as (page, _heard):
        one_link = page.locator("header nav a").first.bounding_box()
        nav = page.locator("header nav").bounding_box()
        header = page.locator("header").bounding_box()
        assert one_link and nav and header
        # Measured: one row is one link's height; the admin's menu used to take three.
        assert nav["height"] < 2 * one_link["height"], nav
        assert header["height"] < 3 * one_link["height"], header
        tops = {round(box["y"]) for box in _item_boxes(page)}
        assert len(tops) == 1, tops
        page.screenshot(path=str(SHOTS / f"{role.value}-1440.png"))


def _item_boxes(page: Page) -> list[dict[str, float]]:
    boxes = [item.bounding_box() for item in page.locator("header .nav-bar > li").all()]
    return [box for box in boxes if box is not None]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_nothing_scrolls_sideways_on_a_phone_with_any_group_open(
    site: tuple[Service, str], browser: Browser, role: Role
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, role, PHONE) as (page, _heard):
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        for index, group in enumerate(page.locator(GROUPS).all()):
            group.locator("summary").click()
            menu = group.locator(".nav-menu").bounding_box()
            assert menu and menu["x"] >= 0 and menu["x"] + menu["width"] <= PHONE["width"]
            assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
            page.screenshot(path=str(SHOTS / f"{role.value}-390-open-{index}.png"))
        page.screenshot(path=str(SHOTS / f"{role.value}-390.png"))


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_every_page_the_role_may_open_is_reached_from_the_menu_with_the_keyboard(
    site: tuple[Service, str], browser: Browser, role: Role, size: dict[str, int]
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, role, size) as (page, heard):
        for target in _pages_of(service, role):
            page.goto(base + "/")
            _tab_to(page, target)
            page.keyboard.press("Enter")
            page.wait_for_url(base + target.path)
            current = page.locator("header nav a[aria-current=page]")
            expect(current).to_have_count(1)
            expect(current).to_have_attribute("href", target.path)
        assert heard.errors == []


def test_escape_closes_the_open_group_and_gives_focus_back_to_its_name(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.ADMIN, DESKTOP) as (page, _heard):
        admin, me = page.locator(GROUPS).all()
        admin.locator("summary").focus()
        page.keyboard.press(" ")
        expect(admin).to_have_attribute("open", "")
        page.keyboard.press("Tab")
        assert _focused_href(page) == admin.locator("a").first.get_attribute("href")
        page.keyboard.press("Escape")
        expect(admin).not_to_have_attribute("open", "")
        assert page.evaluate("() => document.activeElement.textContent") == "Admin"
        # One group open at a time: opening Me closes Admin.
        admin.locator("summary").click()
        me.locator("summary").click()
        expect(admin).not_to_have_attribute("open", "")
        expect(me).to_have_attribute("open", "")
        page.locator("main").click()
        expect(me).not_to_have_attribute("open", "")


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_the_header_with_its_groups_open_passes_axe(
    site: tuple[Service, str], browser: Browser, role: Role, size: dict[str, int]
) -> None:
    if not (AXE / "axe.min.js").is_file():
        pytest.skip("axe-core is not installed: run `make test` (needs node and npm)")
    service, base = site
    with signed_in_page(browser, service, base, role, size) as (page, _heard):
        for group in page.locator(GROUPS).all():
            group.evaluate("details => { details.open = true; }")
        assert _violations(page, (AXE / "axe.min.js").read_text(encoding="utf-8")) == []


def test_the_list_on_explore_follows_the_map_even_when_a_long_card_is_shown(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.ADMIN, DESKTOP) as (page, _heard):
        page.goto(base + "/explore")
        _settled(page)
        row_gap = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.explore')).rowGap)"
        )
        tallest_card = 0.0
        for index in range(0, 30, 3):
            page.locator(".map-list button.choose").nth(index).click()
            expect(page.locator(".explore > .card h2")).to_be_visible()
            frame = page.locator(".explore > .map-frame").bounding_box()
            listed = page.locator(".explore > .map-list").bounding_box()
            card = page.locator(".explore > .card").bounding_box()
            assert frame and listed and card
            assert listed["y"] - (frame["y"] + frame["height"]) <= row_gap + 1, index
            tallest_card = max(tallest_card, card["height"])
        # The case that left a band: a card longer than the map beside it.
        assert tallest_card > frame["height"]
        page.screenshot(path=str(SHOTS / "explore-1440.png"), full_page=True)
