"""Ties and introduction requests in a real browser: a member names someone they
know and the other confirms it from their home page; a member asks for an
introduction, a connector passes it on, both say yes, and only then does each
see the other's email. A convenor opens a relationship survey round.

Screenshots at 1440x900 and 390x844 go to test-artifacts/ (TEST_ARTIFACTS).
"""

import datetime as dt

import pytest
from api_service import PASSWORD, Service
from browser import DESKTOP, a_browser_per_module, a_site_per_module, at_each_size, shot, signed_in
from playwright.sync_api import Browser, Page, expect

from graphsvc.access import Role

pytestmark = pytest.mark.browser

OTHER_EMAIL = "other-member@test.invalid"


def _another_member(service: Service) -> None:
    service.accounts.add_user(OTHER_EMAIL, Role.MEMBER, PASSWORD, service.people["network"][7])


site = a_site_per_module(_another_member)
browser = a_browser_per_module()


class Visitor:
    """One signed-in browser context; fails the test on any script error or dialog."""

    def __init__(self, browser: Browser, base: str, email: str) -> None:
        self.base = base
        self.page, self.heard = signed_in(browser, base, email, DESKTOP)
        self.heard.refuse_dialogs(self.page)

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def shots(self, name: str) -> None:
        """The page at both sizes, whole."""
        for label in at_each_size(self.page):
            shot(self.page, f"ties-{name}-{label}")

    def close(self) -> None:
        self.page.context.close()
        said = self.heard.errors + ["dialog: " + d for d in self.heard.dialogs]
        assert said == [], said


def _name(service: Service, person_id: str) -> str:
    found = service.client.get(f"/api/people/{person_id}", headers=service.headers(Role.ADMIN))
    return str(found.json()["name"])


def _email(service: Service, person_id: str) -> str:
    stored = service.store.person(person_id)
    assert stored is not None
    return str(stored["email"])


def test_a_member_names_a_tie_and_the_other_confirms_it(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    me, other = service.member_person, service.people["network"][7]
    member = Visitor(browser, base, service.email(Role.MEMBER))
    page = member.open("/me/ties")
    page.fill("#tie-query", _name(service, other))
    page.click("#tie-search button[type=submit]")
    result = page.locator("#tie-results li", has_text=_name(service, other)).first
    result.locator("select").select_option("work_closely")
    result.locator("button", has_text="Add").click()
    expect(page.locator("#ties-status")).to_contain_text("is asked to confirm")
    expect(page.locator("#ties-named")).to_contain_text("waiting for them to confirm")
    member.shots("people-i-know")

    theirs = Visitor(browser, base, OTHER_EMAIL)
    home = theirs.page
    asks = home.locator("#home-asks")
    expect(asks).to_be_visible()
    expect(asks).to_contain_text(_name(service, me))
    expect(asks).to_contain_text("says they know you (work closely)")
    theirs.shots("home-waiting")
    asks.locator("button", has_text="Confirm").click()
    expect(asks).to_be_hidden()
    page = theirs.open("/me/ties")
    expect(page.locator("#ties-confirmed")).to_contain_text(_name(service, me))
    theirs.shots("confirmed")
    member.close()
    theirs.close()


def test_a_member_asks_for_an_introduction_and_both_accept(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    me, other = service.member_person, service.people["network"][9]
    service.accounts.add_user("third@test.invalid", Role.MEMBER, PASSWORD, other)
    member = Visitor(browser, base, service.email(Role.MEMBER))
    # from a person's card on the map
    page = member.open(f"/explore?person={other}")
    expect(page.locator("#card h2")).to_have_text(_name(service, other), timeout=30_000)
    member.shots("card")
    page.locator("#card a", has_text="Ask for an introduction").click()
    expect(page).to_have_url(f"{base}/introduction-requests?to={other.replace(':', '%3A')}")
    result = page.locator("#request-results li", has_text=_name(service, other)).first
    result.locator("input").fill("We both run food projects")
    result.locator("button", has_text="Ask for an introduction").click()
    expect(page.locator("#requests-asked-by")).to_contain_text("waiting for the introducer")
    member.shots("asked")

    connector = Visitor(browser, base, service.email(Role.CONNECTOR))
    queue = connector.open("/introduction-queue")
    item = queue.locator("#queue li", has_text=_name(service, other)).first
    expect(item).to_contain_text("We both run food projects")
    connector.shots("queue")
    item.get_by_role("button", name="Pass on", exact=True).click()
    expect(queue.locator("#queue-status")).to_contain_text("Passed on")

    page = member.open("/introduction-requests")
    mine = page.locator("#requests-asked-by li").first
    mine.locator("button", has_text="Yes, share my email").click()
    expect(page.locator("#requests-asked-by")).to_contain_text("waiting for the other answer")
    expect(page.locator("#intro-requests")).not_to_contain_text(_email(service, other))

    theirs = Visitor(browser, base, "third@test.invalid")
    home = theirs.page
    expect(home.locator("#home-asks")).to_contain_text(_name(service, me))
    expect(home.locator("#home-asks")).to_contain_text("would like to meet you")
    home.locator("#home-asks a", has_text="Answer").click()
    asked = home.locator("#requests-asked-of li").first
    expect(asked).not_to_contain_text("@")
    asked.locator("button", has_text="Yes, share my email").click()
    expect(home.locator("#requests-asked-of .contact")).to_contain_text(_email(service, me))
    theirs.shots("introduced")

    page = member.open("/introduction-requests")
    expect(page.locator("#requests-asked-by .contact")).to_contain_text(_email(service, other))
    member.shots("introduced-requester")
    for visitor in (member, connector, theirs):
        visitor.close()


def test_a_convenor_opens_a_survey_round_and_members_are_asked(
    site: tuple[Service, str], browser: Browser
) -> None:
    service, base = site
    convenor = Visitor(browser, base, service.email(Role.CONVENOR))
    page = convenor.open("/tie-surveys")
    page.fill("#survey-form input[name=name]", "Who works with whom, spring")
    closes = (dt.date.today() + dt.timedelta(days=21)).isoformat()
    page.fill("#survey-form input[name=closes]", closes)
    page.click("#survey-form button[type=submit]")
    expect(page.locator("#surveys .survey")).to_contain_text("Who works with whom, spring")
    convenor.shots("surveys")
    member = Visitor(browser, base, service.email(Role.MEMBER))
    expect(member.page.locator("#home-asks")).to_contain_text("asks who you work with")
    member.shots("home-survey")
    member.page.locator("#home-asks a", has_text="Name people you know").click()
    expect(member.page).to_have_url(base + "/me/ties")
    page = convenor.open("/tie-surveys")
    page.locator("#surveys button", has_text="Close the round").click()
    expect(page.locator("#surveys .survey").first).to_contain_text("closed")
    convenor.close()
    member.close()
