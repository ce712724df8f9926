"""The map pages in a real browser on a phone and a wide screen: the map
draws and fills its box, nothing scrolls sideways, the filters and the card
open as panels on a phone, the list beside the map chooses people on it,
the view travels in the address, and the map downloads as a PNG.

Screenshots go to test-artifacts/ (TEST_ARTIFACTS).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import (
    DESKTOP,
    PHONE,
    a_browser_per_module,
    a_site_per_module,
    shot,
    signed_in_page,
)
from playwright.sync_api import Browser, Page, expect

from graphsvc.access import Role

pytestmark = pytest.mark.browser
PAGES = ["/explore", "/my-network"]


site = a_site_per_module()
browser = a_browser_per_module()


class SignedIn:
    """A page signed in as a member, and the base URL of the site it is on."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        expect(self.page.locator("#map[data-ready=true]")).to_have_count(1, timeout=30_000)
        return self.page


@pytest.fixture
def member(request: pytest.FixtureRequest, site: Any, browser: Browser) -> Iterator[SignedIn]:
    """Signed in as a member; afterwards, a screenshot, and no console error or
    warning and no script error."""
    service, base = site
    viewport = getattr(request, "param", DESKTOP)
    with signed_in_page(browser, service, base, Role.MEMBER, viewport) as (page, heard):
        yield SignedIn(page, base)
        name = request.node.name.replace("[", "-").replace("]", "").replace("/", "")
        shot(page, f"maps-{name}", full_page=False)
    noisy = heard.console + heard.errors
    assert noisy == [], noisy


def _drawn_pixels(page: Page) -> int:
    """How many pixels of the map's canvas are not plain white."""
    return int(
        page.evaluate(
            "() => { const c = document.querySelector('#map canvas');"
            " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 0; i < d.length; i += 4)"
            " if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++; return n; }"
        )
    )


@pytest.mark.parametrize("member", [PHONE, DESKTOP], indirect=True, ids=["phone", "wide"])
@pytest.mark.parametrize("path", PAGES)
def test_the_map_fills_its_box_and_draws_and_nothing_scrolls_sideways(
    member: SignedIn, path: str
) -> None:
    page = member.open(path)
    box = page.locator("#map canvas").bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["width"] > 0.8 * viewport["width"] - 600 and box["width"] > 300
    assert box["height"] > 400
    assert _drawn_pixels(page) > 1000
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]


@pytest.mark.parametrize("member", [PHONE], indirect=True, ids=["phone"])
def test_on_a_phone_the_filters_and_the_card_open_as_panels(member: SignedIn) -> None:
    page = member.open("/explore")
    filters = page.locator("#filters")
    expect(filters).to_be_hidden()
    page.click("#show-filters")
    expect(filters).to_be_visible()
    expect(page.locator("#show-filters")).to_have_attribute("aria-expanded", "true")
    filters.locator(".panel-close").click()
    expect(filters).to_be_hidden()
    # Choosing someone in the list opens their card in its panel.
    row = page.locator("#map-list tbody button.choose").first
    name = row.inner_text()
    row.click()
    card = page.locator("#card")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text(name.removesuffix(" (you)"))
    assert page.evaluate("document.documentElement.scrollWidth") == 390


def test_choosing_a_row_chooses_the_person_on_the_map_and_back(member: SignedIn) -> None:
    page = member.open("/explore")
    chosen = page.locator("#map-list tbody tr").nth(2)
    person = chosen.get_attribute("data-id")
    chosen.locator("button.choose").click()
    assert page.evaluate("document.getElementById('map').graphMap.getSelectedNodes()") == [person]
    expect(chosen).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(f"{member.base}/explore?person={person.replace(':', '%3A')}")
    # Focusing a row by keyboard highlights that person's ties on the map.
    other = page.locator("#map-list tbody tr").nth(4)
    other.locator("button.choose").focus()
    focused = page.evaluate("document.getElementById('map').graphMap.graphDrawing.focus")
    assert focused == other.get_attribute("data-id")
    # A person clicked on the map is marked in the list.
    someone = page.evaluate("document.getElementById('map').graphMap.body.nodeIndices[7]")
    page.evaluate(
        "id => { const n = document.getElementById('map').graphMap;"
        " n.moveTo({position: n.getPosition(id), scale: 2, animation: false}); }",
        someone,
    )
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(f"#map-list tr[data-id='{someone}']")).to_have_attribute(
        "aria-current", "true"
    )


def test_the_list_sorts_by_any_column_for_keyboards_and_screen_readers(
    member: SignedIn,
) -> None:
    page = member.open("/explore")
    heads = page.locator("#map-list thead th")
    expect(heads).to_have_text(["Name", "Organisation", "Place", "Constellation"])
    expect(heads.nth(0)).to_have_attribute("aria-sort", "ascending")
    place = heads.nth(2).locator("button")
    place.focus()
    page.keyboard.press("Enter")
    expect(heads.nth(2)).to_have_attribute("aria-sort", "ascending")
    expect(heads.nth(0)).to_have_attribute("aria-sort", "none")
    places = page.locator("#map-list tbody td:nth-child(3)").all_inner_texts()
    assert places[:20] == sorted(places[:20], key=str.lower)
    page.keyboard.press("Enter")  # the button keeps the focus: again, to reverse
    expect(heads.nth(2)).to_have_attribute("aria-sort", "descending")


def test_the_filters_and_the_person_travel_in_the_address(member: SignedIn) -> None:
    page = member.open("/explore")
    everyone = int(page.locator("#map-status").inner_text().split()[0])
    region = page.locator("select[name=region] option").nth(1).get_attribute("value")
    assert region
    page.select_option("select[name=region]", region)
    page.select_option("select[name=colour_by]", "sector")
    expect(page.locator("#map[data-ready=true]")).to_have_count(1)
    page.locator("#map-list tbody button.choose").first.click()
    address = page.url
    assert "colour_by=sector" in address and "region=" in address and "person=" in address
    # Opening the address again restores the view: filters, colours and card.
    page.goto(address)
    expect(page.locator("#map[data-ready=true]")).to_have_count(1)
    expect(page.locator("select[name=region]")).to_have_value(region)
    expect(page.locator("select[name=colour_by]")).to_have_value("sector")
    expect(page.locator("#card h2")).to_have_count(1)
    assert int(page.locator("#map-status").inner_text().split()[0]) < everyone
    expect(page.locator("#map-legend")).to_contain_text("Colour: sector")


def test_the_view_controls_zoom_fit_and_reset_and_the_map_downloads_as_png(
    member: SignedIn,
) -> None:
    page = member.open("/my-network")
    scale = "document.getElementById('map').graphMap.getScale()"
    before = page.evaluate(scale)
    page.click("#map-zoom-in")
    assert page.evaluate(scale) > before
    page.click("#map-zoom-out")
    page.click("#map-zoom-out")
    assert page.evaluate(scale) < before
    page.click("#map-fit")
    assert abs(page.evaluate(scale) - before) < before * 0.2
    page.locator("#map-list tbody button.choose").first.click()
    page.click("#map-reset")
    assert page.evaluate("document.getElementById('map').graphMap.getSelectedNodes()") == []
    with page.expect_download() as download:
        page.click("#map-png")
    saved = Path(download.value.path())
    assert download.value.suggested_filename == "my-network.png"
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and saved.stat().st_size > 10_000
    expect(page.locator("#map-legend")).to_contain_text("star: you")
