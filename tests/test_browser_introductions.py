"""Introductions in a real browser: a connector finds a person's introductions by
name, filters by region, marks one as made and finds it under Recorded; a
member sees only their own, in My network; a person's card on Explore shows
theirs; and at a desktop's and a phone's size nothing scrolls sideways.

Screenshots at 1440×900 and 390×844 go to TEST_ARTIFACTS (test-artifacts/).
"""

import time
from urllib.parse import parse_qs, quote, urlparse

import pytest
from api_service import Service
from browser import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    a_browser_per_module,
    a_site_per_module,
    shot,
    signed_in,
)
from playwright.sync_api import Browser, Locator, Page, expect

from graphsvc.access import Role

pytestmark = pytest.mark.browser
SIZES = {"wide": DESKTOP, "phone": PHONE}


site = a_site_per_module()
browser = a_browser_per_module()


def _shot(page: Page, name: str) -> None:
    shot(page, f"introductions-{name}")
    shot(page, f"introductions-{name}-screen", full_page=False)


def _shot_of(part: Locator, name: str) -> None:
    part.screenshot(path=str(ARTIFACTS / f"introductions-{name}.png"))


def _nothing_scrolls_sideways(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls {overflow}px sideways"


def _someone_with_introductions(service: Service) -> dict[str, str]:
    """A person (not the connector) with suggested introductions that state a region."""
    for person_id in service.people["network"][2:]:
        found = service.get(f"/api/people/{person_id}/introductions", Role.CONNECTOR).json()
        if found:
            me = found[0]["a"] if found[0]["a"]["id"] == person_id else found[0]["b"]
            return {"id": person_id, "name": me["name"], "region": me["region"]}
    raise AssertionError("no one in the test network has introductions")


def _pair(card: Locator) -> set[str | None]:
    return {card.get_attribute("data-a"), card.get_attribute("data-b")}


def _listed_as_recorded(service: Service, a: str, b: str, timeout_s: float = 30) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        items = service.get("/api/introductions", Role.CONNECTOR, recorded="made").json()["items"]
        if any({i["a"]["id"], i["b"]["id"]} == {a, b} for i in items):
            return True
        time.sleep(0.3)
    return False


@pytest.mark.parametrize("size", list(SIZES))
def test_a_connector_finds_a_persons_introductions_filters_by_region_and_records_one(
    site: tuple[Service, str], browser: Browser, size: str
) -> None:
    service, base = site
    someone = _someone_with_introductions(service)
    page, heard = signed_in(browser, base, service.email(Role.CONNECTOR), SIZES[size])
    page.goto(base + "/introductions")
    cards = page.locator("#introductions .intro-card")
    expect(cards.first).to_be_visible()
    expect(cards.first.locator(".intro-scores")).to_contain_text("Likely to meet well")
    likely = cards.first.locator(".intro-scores dd").first.inner_text()
    assert likely in {"high", "fair", "low"}
    _nothing_scrolls_sideways(page)
    _shot(page, f"connector-network-{size}")

    # Searched by name: that person's introductions, with reasons and regions.
    page.fill("#intro-q", someone["name"])
    page.locator("#intro-people button", has_text=someone["name"]).first.click()
    expect(page.locator("#intro-status")).to_contain_text(f"for {someone['name']}")
    expect(cards.first).to_contain_text(someone["name"])
    expect(cards.first).to_contain_text(someone["region"])
    expect(cards.first.locator(".intro-reasons li").first).to_be_visible()
    assert cards.count() == cards.filter(has_text=someone["name"]).count()
    assert parse_qs(urlparse(page.url).query)["person"] == [someone["id"]]
    _nothing_scrolls_sideways(page)
    _shot(page, f"connector-person-{size}")
    _shot_of(cards.first, f"connector-person-card-{size}")

    # The address restores it.
    page.reload()
    expect(page.locator("#intro-status")).to_contain_text(f"for {someone['name']}")
    expect(page.locator("#intro-person")).to_contain_text(someone["name"])

    # A region: every pair has someone there, and the address says so.
    page.select_option("#intro-filters select[name=region]", "Wales")
    expect(page.locator("#intro-status")).to_contain_text("region: Wales")
    expect(cards.first).to_be_visible()
    assert cards.count() == cards.filter(has_text="Wales").count()
    query = parse_qs(urlparse(page.url).query)
    assert query["region"] == ["Wales"] and "person" not in query

    # Marked as made: listed under Recorded, not just gone.
    first = cards.first
    a, b = first.get_attribute("data-a"), first.get_attribute("data-b")
    assert a and b
    heading = first.locator("h2").inner_text()
    first.locator(".intro-outcomes button[data-outcome=made]").click()
    expect(first.locator(".intro-outcomes")).to_contain_text("Recorded as made")
    page.click("#tab-recorded")
    recorded = page.locator("#introductions .intro-card", has_text=heading)
    expect(recorded).to_contain_text("Recorded: made")
    assert _listed_as_recorded(service, a, b)
    page.goto(base + "/introductions?recorded=made")
    expect(page.locator("#tab-recorded")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#introductions .intro-card", has_text=heading)).to_be_visible()
    _nothing_scrolls_sideways(page)
    _shot(page, f"connector-recorded-{size}")
    assert heard.errors == []
    page.context.close()


def test_a_connector_sees_the_pairs_among_their_own_contacts(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    expected = service.get(
        f"/api/connectors/{service.connector_person}/introductions", Role.CONNECTOR
    ).json()
    page, _ = signed_in(browser, base, service.email(Role.CONNECTOR), SIZES["wide"])
    page.goto(base + "/introductions?among=mine")
    expect(page.locator("#intro-filters input[name=among]")).to_be_checked()
    expect(page.locator("#intro-status")).to_contain_text("among your contacts")
    expect(page.locator("#introductions .intro-card")).to_have_count(len(expected))
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_member_sees_only_their_own_introductions_in_my_network(
    site: tuple[Service, str], browser: Browser, size: str
) -> None:
    service, base = site
    view = service.network.view()
    hidden = [view.name(p) for p in service.people["hidden"]]
    page, heard = signed_in(browser, base, service.email(Role.MEMBER), SIZES[size])
    page.goto(base + "/my-network")
    box = page.locator("#my-introductions")
    expect(box).to_contain_text("Introductions for you")
    cards = box.locator(".intro-card")
    expect(cards.first).to_be_visible()
    assert all(service.member_person in _pair(card) for card in cards.all())
    expect(cards.first.locator("h3")).to_contain_text("With ")
    expect(cards.first.locator(".intro-reasons li").first).to_be_visible()
    shown = box.inner_text()
    assert not [name for name in hidden if name in shown]
    _nothing_scrolls_sideways(page)
    _shot(page, f"member-my-network-{size}")
    _shot_of(box, f"member-my-introductions-{size}")
    assert page.goto(base + "/introductions").status == 403  # type: ignore[union-attr]
    assert heard.errors == []
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_an_admin_sees_a_persons_introductions_on_their_card(
    site: tuple[Service, str], browser: Browser, size: str
) -> None:
    service, base = site
    someone = _someone_with_introductions(service)
    page, heard = signed_in(browser, base, service.email(Role.ADMIN), SIZES[size])
    page.goto(base + "/explore?person=" + someone["id"])
    box = page.locator("#card #card-introductions")
    expect(box.locator(".intro-card").first).to_be_visible()
    assert all(someone["id"] in _pair(card) for card in box.locator(".intro-card").all())
    expect(box.locator("a", has_text="All their introductions")).to_have_attribute(
        "href", "/introductions?person=" + quote(someone["id"])
    )
    expect(box.locator(".intro-reasons li").first).to_be_attached()
    _nothing_scrolls_sideways(page)
    _shot(page, f"admin-card-{size}")
    _shot_of(page.locator("#card"), f"admin-card-only-{size}")
    page.goto(base + "/introductions?nation=Wales")
    expect(page.locator("#intro-status")).to_contain_text("nation: Wales")
    _nothing_scrolls_sideways(page)
    _shot(page, f"admin-nation-{size}")
    assert heard.errors == []
    page.context.close()
