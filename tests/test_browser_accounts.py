"""Accounts and stewardship in a real browser: an admin invites a person, who opens
the link, sets a password and is signed in; an admin merges a pair from the review
list and undoes it; a member changes their password and signs out everywhere.

Screenshots at 1440×900 and 390×844 go to TEST_ARTIFACTS (test-artifacts/).
"""

import datetime as dt

import pytest
from api_service import PASSWORD, Service
from browser import (
    DESKTOP,
    PHONE,
    a_browser_per_module,
    a_site_per_module,
    heard_page,
    shot,
    signed_in,
)
from playwright.sync_api import Browser, Page, expect

from graphsvc.access import Role
from graphsvc.model import Provenance
from graphsvc.model.relationships import MayBeSame

pytestmark = pytest.mark.browser
SIZES = {"wide": DESKTOP, "phone": PHONE}
NEW_PASSWORD = "the invitee's own password"
SEEN = Provenance(source="test", first_seen=dt.date(2024, 1, 1), last_seen=dt.date(2024, 1, 1))


site = a_site_per_module()
browser = a_browser_per_module()


def _shot(page: Page, name: str) -> None:
    shot(page, f"accounts-{name}")


def _unlinked(service: Service, n: int) -> str:
    linked = {u.person_id for u in service.accounts.users()}
    return [p for p in service.people["network"][10:] if p not in linked][n]


@pytest.mark.parametrize("size", list(SIZES))
def test_an_admin_invites_a_person_who_sets_a_password_and_signs_in(
    site: tuple[Service, str], browser: Browser, size: str
) -> None:
    service, base = site
    person = _unlinked(service, 0 if size == "wide" else 1)
    name = service.network.view().name(person)
    admin, admin_heard = signed_in(browser, base, service.email(Role.ADMIN), SIZES[size])
    admin.goto(base + "/stewardship")
    admin.fill("input[name=q]", name)
    admin.click(".steward-find button[type=submit]")
    admin.click(f".steward-found a[href='/stewardship/people/{person}']")
    expect(admin.locator("h1")).to_have_text(name)
    admin.fill("#invite input[name=email]", f"invitee-{size}@test.invalid")
    admin.click("#invite button[type=submit]")
    link = admin.locator(".link-made input.link-text").input_value()
    assert "/sign-in?token=" in link
    _shot(admin, f"invitation-{size}")
    invitee, invitee_heard = heard_page(browser, SIZES[size])
    invitee.goto(link)
    expect(invitee.locator("h1")).to_have_text("Set your password")
    _shot(invitee, f"set-password-{size}")
    invitee.fill("input[name=password]", NEW_PASSWORD)
    invitee.fill("input[name=password_again]", NEW_PASSWORD)
    invitee.click("button[type=submit]")
    expect(invitee).to_have_url(base + "/")
    expect(invitee.locator("header .sign-out span")).to_contain_text(f"invitee-{size}@test.invalid")
    again, _ = heard_page(browser, SIZES[size])
    again.goto(link)
    expect(again.locator("[role=alert]")).to_contain_text("has been used")
    assert not admin_heard.errors_said() and not invitee_heard.errors_said()


@pytest.mark.parametrize("size", list(SIZES))
def test_an_admin_merges_a_pair_from_the_review_list_and_undoes_it(
    site: tuple[Service, str], browser: Browser, size: str
) -> None:
    service, base = site
    kept, gone = (
        _unlinked(service, 2 if size == "wide" else 4),
        _unlinked(service, 3 if size == "wide" else 5),
    )
    service.store.upsert_relationships(
        [MayBeSame(start=kept, end=gone, reason="same name", provenance=SEEN)]
    )
    ties_before = sorted((t.type, t.start, t.end) for t in service.store.person_ties(gone))
    view = service.network.view()
    kept_name = view.name(kept)
    page, heard = signed_in(browser, base, service.email(Role.ADMIN), SIZES[size])
    page.click("header nav summary >> text=Admin")  # its menu group first
    page.click("header nav a[href='/stewardship']")
    pair = page.locator(".steward-pair", has=page.locator(f"a[href='/stewardship/people/{gone}']"))
    _shot(page, f"review-{size}")
    pair.locator("button", has_text=f"keeping {kept_name}").click()
    expect(page.locator(".notice")).to_contain_text("Merged")
    assert service.store.person(gone) is None
    row = page.locator("#merges tbody tr", has=page.locator(f"text={gone}"))
    _shot(page, f"merged-{size}")
    row.locator("button", has_text="Undo").click()
    expect(page.locator(".notice")).to_contain_text("undone")
    assert service.store.person(gone) is not None
    assert sorted((t.type, t.start, t.end) for t in service.store.person_ties(gone)) == ties_before
    page.click("header nav summary >> text=Admin")  # its menu group first
    page.click("header nav a[href='/audit']")
    expect(page.locator("#audit")).to_contain_text("person.merge_undone")
    _shot(page, f"audit-{size}")
    assert not heard.errors_said()


def test_a_member_changes_their_password_and_signs_out_everywhere(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    page, _ = signed_in(browser, base, service.email(Role.MEMBER), SIZES["phone"])
    page.goto(base + "/account")
    page.fill("input[name=current_password]", PASSWORD)
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=new_password_again]", NEW_PASSWORD)
    page.click("text=Change password")
    expect(page.locator(".notice")).to_contain_text("Password changed")
    _shot(page, "account-phone")
    page.click("text=Sign out everywhere")
    expect(page).to_have_url(base + "/sign-in")
    user = service.accounts.user_by_email(service.email(Role.MEMBER))
    assert user is not None and service.accounts.tokens(user.id) == []
    service.accounts.set_password(user.id, PASSWORD)
    service.ensure_users()
