"""Buddying in a real browser: a convenor runs a round and confirms its pairs, and
the member sees their buddy on their home page.

Screenshots at 1440×900 and 390×844 go to TEST_ARTIFACTS (test-artifacts/).
"""

import pytest
from api_service import PASSWORD, Service
from browser import DESKTOP, PHONE, a_browser_per_module, a_site_per_module, shot, signed_in
from playwright.sync_api import Browser, Page, expect

from graphsvc.access import Role

pytestmark = pytest.mark.browser
SIZES = {"wide": DESKTOP, "phone": PHONE}


def _opt_in_some(service: Service) -> None:
    for person_id in [*service.people["network"][:24], *service.people["hidden"][:2]]:
        service.network.set_buddying(person_id, True, None)


site = a_site_per_module(_opt_in_some)
browser = a_browser_per_module()


def _shot(page: Page, name: str) -> None:
    shot(page, f"buddying-{name}")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_convenor_runs_a_round_confirms_it_and_the_member_sees_their_buddy(
    site: tuple[Service, str], browser: Browser, size: str
) -> None:
    service, base = site
    page, heard = signed_in(browser, base, service.email(Role.CONVENOR), SIZES[size])
    page.click("header nav a[href='/buddying']")
    expect(page.locator("#opted-in-count")).to_contain_text("24 members")
    page.fill("#round-form input[name=name]", f"Round {size}")
    page.select_option("#round-form select[name=across]", "sectors")
    page.click("#round-form button[type=submit]")
    pairs = page.locator("#proposal .buddy-pairs li")
    expect(pairs.first).to_be_visible()
    expect(pairs.first).to_contain_text("works in")
    names = {service.network.view().name(p) for p in service.people["hidden"][:2]}
    for hidden in names:
        expect(page.locator("#proposal")).not_to_contain_text(hidden)
    proposed = pairs.count()
    _shot(page, f"proposal-{size}")
    page.click("#confirm-round")
    expect(page.locator("#proposal .done")).to_contain_text(f"{proposed} pairs confirmed")
    expect(page.locator("#confirmed li", has_text=f"Round {size}")).to_have_count(proposed)
    _shot(page, f"confirmed-{size}")
    assert heard.errors == []
    page.context.close()

    # The member whose account is linked to someone just paired sees their buddy.
    pair = next(p for p in service.network.buddy_pairs() if p.round == f"Round {size}")
    email = f"buddy-{size}@test.invalid"
    service.accounts.add_user(email, Role.MEMBER, PASSWORD, pair.a)
    member, _ = signed_in(browser, base, email, SIZES[size])
    buddy = service.network.view().name(pair.b)
    expect(member.locator("#my-buddy")).to_be_visible()
    expect(member.locator("#my-buddy-list")).to_contain_text(buddy)
    _shot(member, f"member-home-{size}")
    member.context.close()
