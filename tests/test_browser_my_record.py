"""My record in a real browser: a member changes who sees them, their interests,
offers and asks and an answer about themselves, sees them kept, and downloads
everything held about them; an admin sees the request to be erased.

Screenshots at 1440x900 and 390x844 go to test-artifacts/ (TEST_ARTIFACTS).
"""

import json
from pathlib import Path

import pytest
from api_service import Service
from browser import (
    ARTIFACTS,
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


def _current(service: Service) -> None:
    service.network.wait_until_current(timeout=120)


site = a_site_per_module(_current)
browser = a_browser_per_module()


def _shot(page: Page, name: str) -> None:
    shot(page, f"my_record_{name}")


def _save(page: Page) -> None:
    page.click("#save-record")
    expect(page.locator("#record-status")).to_contain_text("Your changes are saved", timeout=15_000)


def test_a_member_edits_consent_interests_offers_and_asks_and_sees_them_kept(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.MEMBER, DESKTOP) as (page, heard):
        name = service.store.person(service.member_person)["name"]  # type: ignore[index]
        expect(page.locator("#greeting")).to_have_text(f"Welcome, {name}")
        _shot(page, "home_desktop")
        page.click("header nav summary >> text=Me")  # its menu group first
        page.click("header nav >> text=My record")
        expect(page.locator("h1")).to_have_text("My record")
        _shot(page, "before_desktop")
        page.check("input[name=visibility][value=connectors]")
        page.fill("#offers", "Grant writing for small charities\nFacilitating workshops")
        page.fill("#asks", "A mentor in local government")
        page.fill("#bio", "I run a food bank in Calderdale.")
        page.fill("#place", "Hebden Bridge")
        first_theme = page.locator("input[name=interest]").first
        first_theme.check()
        page.fill("#new-interests", "Community energy")
        page.select_option("#q-age_band", "25-34")
        page.select_option("#q-lived_experience", "yes")  # no consent ticked: not kept
        _save(page)
        expect(page.locator("#record-status")).to_contain_text("not kept")
        expect(page.locator("input[name=visibility][value=connectors]")).to_be_checked()
        expect(page.locator("#offers")).to_have_value(
            "Grant writing for small charities\nFacilitating workshops"
        )
        expect(page.locator("#place")).to_have_value("Hebden Bridge")
        expect(page.locator("#q-age_band")).to_have_value("25-34")
        expect(page.locator("#q-lived_experience")).to_have_value("")
        expect(page.locator("section[aria-labelledby=held]")).to_contain_text("Community energy")
        # With the consent box ticked, the answer is kept.
        page.select_option("#q-lived_experience", "yes")
        page.check("#q-lived_experience-consent")
        _save(page)
        expect(page.locator("#q-lived_experience")).to_have_value("yes")
        _shot(page, "after_desktop")
        page.set_viewport_size(PHONE)
        _shot(page, "after_phone")
        with page.expect_download() as download_info:
            page.click("#download-json")
        held = json.loads(Path(download_info.value.path()).read_text())
        assert held["person"]["offers"] == [
            "Grant writing for small charities",
            "Facilitating workshops",
        ]
        assert held["person"]["visibility"] == "connectors"
        page.click("#read-data")
        expect(page.locator("h1")).to_have_text("Everything held about you")
        expect(page.locator("#data-person")).to_contain_text("Facilitating workshops")
        _shot(page, "data_phone")
        assert heard.errors == [] and not [c for c in heard.console if "refused" in c]


def test_a_member_asks_to_be_erased_and_an_admin_sees_the_request(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    with signed_in_page(browser, service, base, Role.CONNECTOR, PHONE) as (page, heard):
        page.goto(base + "/me")
        page.on("dialog", lambda dialog: dialog.accept())
        page.click("#ask-erasure")
        expect(page.locator("#erasure-waiting")).to_be_visible(timeout=15_000)
        _shot(page, "erasure_phone")
        assert heard.errors == []
    with signed_in_page(browser, service, base, Role.ADMIN, DESKTOP) as (page, heard):
        expect(page.locator("#erasure-waiting")).to_contain_text("1 request")
        page.click("#erasure-waiting a")
        item = page.locator(f"#erasure-requests li[data-person='{service.connector_person}']")
        expect(item).to_be_visible()
        _shot(page, "requests_desktop")
        item.locator(".decline-erasure").click()
        expect(page.locator("#erasure-requests")).to_contain_text("No requests wait")
        assert service.store.person(service.connector_person) is not None
        # The Gaps page counts the answers over everyone, ages against the UK's.
        page.goto(base + "/gaps")
        expect(page.locator("#age-bands tbody tr")).to_have_count(6, timeout=30_000)
        expect(page.locator("#age-source")).to_contain_text("Office for National Statistics")
        page.locator("#self-description").screenshot(
            path=str(ARTIFACTS / "my_record_gaps_desktop.png")
        )
        page.goto(base + "/")
        _shot(page, "home_admin_desktop")
        assert heard.errors == []
