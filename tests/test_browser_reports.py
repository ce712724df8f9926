"""Reports that leave the page, in a real browser: the Gaps page's view in its
address, its lists filtered, sorted, linked to the map and downloaded, its
charts saved as images, the page printed as a short board report; past
imports reopened.

Screenshots go to test-artifacts/ (TEST_ARTIFACTS).
"""

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from api_service import Service
from browser import (
    ARTIFACTS,
    DESKTOP,
    a_browser_per_module,
    a_site_per_module,
    at_each_size,
    shot,
    signed_in_page,
)
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from graphsvc.access import Role
from graphsvc.service import ImportOptions

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures"
CHARTS = ("regions-map", "regions-bars", "sectors-bars", "growth")


def _imported_and_current(service: Service) -> None:
    service.network.import_file(FIXTURES / "members_2024.csv", ImportOptions(kind="members"))
    service.network.wait_until_current(timeout=120)


site = a_site_per_module(_imported_and_current)
browser = a_browser_per_module()


@pytest.fixture
def gaps(site: tuple[Service, str], browser: Browser) -> Iterator[tuple[Page, Service, str]]:
    """The Gaps page as a convenor sees it, every chart and list drawn."""
    service, base = site
    with signed_in_page(browser, service, base, Role.CONVENOR, DESKTOP) as (page, heard):
        page.goto(base + "/gaps")
        _drawn(page)
        yield page, service, base
        assert heard.errors == [], heard.errors


def _drawn(page: Page) -> None:
    for chart in CHARTS:
        expect(page.locator(f"#{chart}[data-ready=true]")).to_have_count(1, timeout=30_000)
    expect(page.locator("#not-in-the-room tr").first).not_to_contain_text("Loading")
    expect(page.locator("#potential li").first).not_to_contain_text("Loading")


def _count_text(total: int, what: str, page_size: int = 50) -> str:
    if total > page_size:
        return f"Showing {page_size} of {total} {what}."
    return f"All {total} {what} shown."


def test_the_gaps_view_is_in_its_address_and_comes_back_from_it(
    gaps: tuple[Page, Service, str],
) -> None:
    page, service, base = gaps
    region = page.locator("#list-filters select[name=region] option").nth(1).get_attribute("value")
    assert region
    page.select_option("#list-filters select[name=region]", region)
    page.select_option("#not-in-the-room-sort", "name")
    page.select_option("#group", "")
    expect(page).to_have_url(re.compile(r"region=.*room_sort=name"))
    total = service.get("/api/gaps/not-in-the-room", Role.CONVENOR, region=region).json()["total"]
    count = _count_text(total, "members you may see by name")
    expect(page.locator("#not-in-the-room-count")).to_have_text(count)
    shared = page.url

    page.goto(base + "/")
    page.goto(shared)
    _drawn(page)
    expect(page.locator("#list-filters select[name=region]")).to_have_value(region)
    expect(page.locator("#not-in-the-room-sort")).to_have_value("name")
    expect(page.locator("#not-in-the-room-count")).to_have_text(count)
    names = page.locator("#not-in-the-room tr td:first-child").all_inner_texts()
    assert names == sorted(names, key=str.casefold)


def test_gaps_lists_say_when_they_are_cut_and_link_names_to_the_map(
    gaps: tuple[Page, Service, str],
) -> None:
    page, service, _base = gaps
    total = service.get("/api/gaps/not-in-the-room", Role.CONVENOR, limit=1).json()["total"]
    expect(page.locator("#not-in-the-room-count")).to_have_text(
        _count_text(total, "members you may see by name")
    )
    expect(page.locator("#potential-count")).to_contain_text("groups")
    link = page.locator("#not-in-the-room a").first
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/explore\?person=person%3A\d+", href)
    name = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/explore\?(.*&)?person=person%3A\d+"))
    expect(page.locator("#card h2")).to_have_text(name, timeout=30_000)
    page.go_back()
    _drawn(page)
    groups = service.get("/api/potential-constellations", Role.CONVENOR, limit=20).json()
    cut = [g for g in groups["items"] if len(g["members"]) < g["size"]]
    if cut:
        expect(page.locator("#potential")).to_contain_text(
            f"showing {len(cut[0]['members'])} of {cut[0]['size']}"
        )


def test_gaps_lists_download_as_csv_and_xlsx_with_the_filters_shown(
    gaps: tuple[Page, Service, str],
) -> None:
    page, _service, _base = gaps
    sector = page.locator("#list-filters select[name=sector] option").nth(1).get_attribute("value")
    assert sector
    page.select_option("#list-filters select[name=sector]", sector)
    expect(page.locator("#not-in-the-room-csv")).to_have_attribute("href", re.compile("sector="))
    expect(page.locator("#not-in-the-room tr").first).not_to_contain_text("Loading")
    with page.expect_download() as got:
        page.click("#not-in-the-room-csv")
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text())))
    assert rows and {r["sector"] for r in rows} == {sector}
    with page.expect_download() as got:
        page.click("#potential-xlsx")
    assert got.value.suggested_filename == "potential-constellations.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes())).active
    assert sheet is not None and sheet.max_row >= 1


def test_each_gaps_chart_downloads_as_png_and_svg_from_its_mode_bar(
    gaps: tuple[Page, Service, str],
) -> None:
    page, _service, _base = gaps
    chart = page.locator("#sectors-bars")
    chart.hover()
    with page.expect_download() as got:
        chart.locator("[data-title='Download plot as a PNG']").first.click()
    assert got.value.suggested_filename == "sectors.png"
    assert Path(got.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    chart.hover()
    with page.expect_download() as got:
        chart.locator("[data-title='Download as SVG']").click()
    assert got.value.suggested_filename == "sectors.svg"
    assert b"<svg" in Path(got.value.path()).read_bytes()[:400]
    assert page.locator("a.modebar-btn[href*='plotly'], .modebar a[href^=http]").count() == 0


def test_the_gaps_page_prints_as_a_short_board_report_without_navigation(
    gaps: tuple[Page, Service, str], tmp_path: Path
) -> None:
    page, _service, _base = gaps
    # The browser's print dialog says "beforeprint" first: the charts fit the paper.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    page.emulate_media(media="print")
    pdf = tmp_path / "gaps.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "gaps-printed.pdf").write_bytes(pdf.read_bytes())
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(ARTIFACTS / "gaps-printed.png"), full_page=True)
    printed = PdfReader(pdf)
    assert len(printed.pages) <= 6, f"{len(printed.pages)} pages"
    first = printed.pages[0].extract_text()
    assert "Gaps report for the whole network" in first
    assert "printed" in first
    words = " ".join(p.extract_text() for p in printed.pages)
    for link in ("Explore", "Introductions", "Sign out", "Show more", "Download the whole"):
        assert link not in words, f"{link!r} is printed"
    # Each chart is on one page whole: no chart is taller than a page's content.
    heights = page.eval_on_selector_all(".chart", "cs => cs.map(c => c.offsetHeight)")
    assert all(0 < h < 1000 for h in heights), heights


def test_an_admin_reopens_a_past_import_in_their_own_time(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.ADMIN, DESKTOP) as (page, heard):
        page.click("header nav summary >> text=Admin")  # its menu group first
        page.click("nav >> text=Imports")
        past = page.locator("#imports tr", has_text="members_2024.csv").first
        expect(past).not_to_contain_text("+00:00")
        expect(past.locator("td").first).not_to_have_text(re.compile(r"T\d\d:|Z$"))
        past.locator("button", has_text="members_2024.csv").click()
        report = page.locator("#report")
        expect(report).to_contain_text("Report for members_2024.csv")
        expect(report).to_contain_text("rows read")
        assert heard.errors == []


# What sticks out past the window's right edge, other than inside a box that
# scrolls or clips on its own (wide tables, charts).
STICKING_OUT = """(within) => [...document.querySelectorAll(within)]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && !e.closest('.table-scroll, .chart'))
  .map(e => e.tagName + (e.id ? '#' + e.id : ''))"""


def _shoot(page: Page, name: str, within: str = "body *") -> None:
    for label in at_each_size(page):
        shot(page, f"reports/{name}-{label}")
        assert page.evaluate(STICKING_OUT, within) == [], f"{name} is too wide at {label}"


# The Gaps page's own sections (others may be added to it by other features).
GAPS_SECTIONS = (
    ", ".join(f"[aria-labelledby={s}] *" for s in ("representation", "over-time", "out-of-line"))
    + ", .lists *"
)


def test_gaps_imports_and_home_fit_a_desktop_and_a_phone(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.ADMIN, DESKTOP) as (page, _heard):
        _shoot(page, "home")
        page.goto(base + "/gaps")
        _drawn(page)
        _shoot(page, "gaps", GAPS_SECTIONS)
        page.goto(base + "/imports")
        expect(page.locator("#imports tr").first).not_to_contain_text("Loading")
        _shoot(page, "imports")


def test_the_favicon_is_served_and_linked(site: tuple[Service, str]) -> None:
    service, _base = site
    icon = service.client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    page: Any = service.client.get("/sign-in").text
    assert '<link rel="icon" href="/favicon.ico"' in page
