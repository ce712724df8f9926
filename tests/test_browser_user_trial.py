"""What a trial of the site as its users found, in a real browser: a long email in
the greeting, buddying's counts said in the singular, and merge buttons that say
which of two same-named records is kept.

Screenshots go to TEST_ARTIFACTS (test-artifacts/).
"""

import datetime as dt

import pytest
from api_service import PASSWORD, Service
from browser import DESKTOP, PHONE, a_browser_per_module, a_site_per_module, shot, signed_in
from playwright.sync_api import Browser, Page, expect

from graphsvc.access import Role
from graphsvc.model import Provenance
from graphsvc.model.relationships import MayBeSame

pytestmark = pytest.mark.browser
SEEN = Provenance(source="test", first_seen=dt.date(2024, 1, 1), last_seen=dt.date(2024, 1, 1))
LONG_EMAIL = "a.convenor.with.a.rather.long.address@a-long-domain.test.invalid"

site = a_site_per_module()
browser = a_browser_per_module()


def _sideways(page: Page) -> int:
    """How far the page scrolls sideways, in CSS pixels."""
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    return int(page.evaluate(f"() => {width}"))


def test_a_long_email_in_the_greeting_wraps_rather_than_scrolling_a_phone_sideways(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    if service.accounts.user_by_email(LONG_EMAIL) is None:
        service.accounts.add_user(LONG_EMAIL, Role.CONVENOR, PASSWORD)
    page, heard = signed_in(browser, base, LONG_EMAIL, PHONE)
    expect(page.locator("#greeting")).to_contain_text(LONG_EMAIL)
    shot(page, "trial-greeting-phone")
    assert _sideways(page) == 0
    assert not heard.errors_said()


def test_one_member_asking_for_a_buddy_is_said_in_the_singular(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    for person in service.store.buddying_opt_ins():
        service.network.set_buddying(person, False, None)
    service.network.set_buddying(service.people["network"][3], True, None)
    page, heard = signed_in(browser, base, service.email(Role.CONVENOR), DESKTOP)
    page.goto(base + "/buddying")
    expect(page.locator("#opted-in-count")).to_have_text("1 member has asked for a buddy.")
    assert not heard.errors_said()


def test_a_pair_with_one_name_has_merge_buttons_that_say_which_record_is_kept(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    kept, gone = service.people["network"][20], service.people["network"][21]
    name = service.network.view().name(kept)
    assert service.store.update_person(gone, {"name": name})
    service.store.upsert_relationships(
        [MayBeSame(start=kept, end=gone, reason="same name", provenance=SEEN)]
    )
    page, heard = signed_in(browser, base, service.email(Role.ADMIN), DESKTOP)
    page.goto(base + "/stewardship")
    pair = page.locator(".steward-pair", has=page.locator(f"a[href='/stewardship/people/{gone}']"))
    labels = pair.locator("button").all_text_contents()
    shot(page, "trial-same-name-pair")
    assert len(labels) == 2 and labels[0] != labels[1], labels
    assert all(label.startswith(f"Merge, keeping {name} (") for label in labels), labels
    assert not heard.errors_said()
