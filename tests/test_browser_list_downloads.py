"""Lists that download, in a real browser: the Introductions page's list and the
people beside the map on Explore and My network each have CSV and XLSX links
that carry what is chosen now (filters, a person, Recorded, my contacts) and
fetch a real file of the same list.
"""

import csv
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from api_service import Service
from browser import DESKTOP, a_browser_per_module, a_site_per_module, signed_in_page
from playwright.sync_api import Browser, Page, expect

from graphsvc.access import Role

pytestmark = pytest.mark.browser

site = a_site_per_module()
browser = a_browser_per_module()


def _downloaded(page: Page, link: str) -> tuple[str, bytes]:
    with page.expect_download() as got:
        page.click(link)
    return got.value.suggested_filename, Path(got.value.path()).read_bytes()


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def _xlsx(body: bytes) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _in_the_list(page: Page) -> int:
    """How many rows the map's list says it has, shown or not yet."""
    said = page.locator("#map-list-count").inner_text()
    found = re.search(r"(\d+) in the list|of (\d+),", said)
    assert found, said
    return int(found.group(1) or found.group(2))


def _second_option(page: Page, select: str) -> str:
    value = page.locator(f"{select} option").nth(1).get_attribute("value")
    assert value
    return value


def test_the_introductions_list_downloads_with_its_region_its_tab_and_my_contacts(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.CONNECTOR, DESKTOP) as (page, heard):
        page.goto(base + "/introductions")
        expect(page.locator("#intro-status")).to_contain_text("suggestion")
        region = _second_option(page, "#intro-filters select[name=region]")
        page.select_option("#intro-filters select[name=region]", region)
        expect(page.locator("#intro-file-csv")).to_have_attribute(
            "href", re.compile(r"^/api/introductions\?region=.+&format=csv$")
        )
        name, body = _downloaded(page, "#intro-file-csv")
        rows = _csv(body)
        shown = page.request.get(
            base + "/api/introductions", params={"region": region, "limit": 100}
        ).json()
        assert name == "introductions.csv" and len(rows) == shown["total"] > 0
        assert {"likely", "would_change"} <= set(rows[0])

        page.click("#tab-recorded")
        expect(page.locator("#intro-file-xlsx")).to_have_attribute(
            "href", "/api/introductions?recorded=all&format=xlsx"
        )
        name, body = _downloaded(page, "#intro-file-xlsx")
        assert name == "introductions.xlsx"
        assert all(r["status"] in {"made", "declined", "led_somewhere"} for r in _xlsx(body))

        page.click("#tab-suggested")
        page.check("#intro-filters input[name=among]")
        mine = f"/api/connectors/{quote(service.connector_person, safe='')}/introductions"
        expect(page.locator("#intro-file-csv")).to_have_attribute("href", mine + "?format=csv")
        _name, body = _downloaded(page, "#intro-file-csv")
        listed = page.request.get(
            base + f"/api/connectors/{service.connector_person}/introductions?limit=100"
        ).json()
        assert [r["a_name"] for r in _csv(body)] == [i["a"]["name"] for i in listed]
        assert heard.errors == [], heard.errors


def test_the_people_beside_the_explore_map_download_with_its_filters(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.CONVENOR, DESKTOP) as (page, heard):
        page.goto(base + "/explore")
        expect(page.locator("#map-list tbody tr").first).to_be_visible()
        region = _second_option(page, "#filters select[name=region]")
        page.select_option("#filters select[name=region]", region)
        expect(page.locator("#map-list-csv")).to_have_attribute(
            "href", re.compile(r"^/api/map\?.*region=.+&format=csv$")
        )
        expect(page.locator("#map-list-downloads")).to_be_visible()
        name, body = _downloaded(page, "#map-list-csv")
        rows = _csv(body)
        assert name == "people-on-the-map.csv"
        assert rows and {r["region"] for r in rows} == {region}
        expect(page.locator("#map-list-count")).to_contain_text(str(len(rows)))
        assert _in_the_list(page) == len(rows)
        assert heard.errors == [], heard.errors


def test_my_network_downloads_the_people_on_my_own_map(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.MEMBER, DESKTOP) as (page, heard):
        page.goto(base + "/my-network")
        expect(page.locator("#map-list tbody tr").first).to_be_visible()
        own = f"/api/people/{quote(service.member_person, safe='')}/map?format=xlsx"
        expect(page.locator("#map-list-xlsx")).to_have_attribute("href", own)
        name, body = _downloaded(page, "#map-list-xlsx")
        names = [r["name"] for r in _xlsx(body)]
        assert name == "my-network.xlsx" and len(names) == _in_the_list(page)
        listed = page.locator("#map-list tbody th").all_inner_texts()
        assert {n.removesuffix(" (you)") for n in listed} <= set(names)
        assert heard.errors == [], heard.errors
