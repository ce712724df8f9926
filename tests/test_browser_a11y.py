"""Every page, as every role, in a real browser: nothing on the console (no
warning, no error, no refusal by the content security policy), and no serious
or critical accessibility violation as axe-core finds them, colour contrast
included.

axe-core comes from npm (tools/axe-core, installed by ``make test``) and is
served to the page from the service's own origin, so the pages' policy
applies unchanged while it runs.
"""

import json
import shutil
from pathlib import Path

import pytest
from api_service import Service
from browser import DESKTOP, PHONE, a_browser_per_module, a_site_per_module, signed_in_page
from playwright.sync_api import Browser, Page, Route

from graphsvc.access import Role, Viewer
from graphsvc.api.navigation import pages_for

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent.parent / "tools" / "axe-core" / "node_modules" / "axe-core"
AXE_PATH = "/__tests__/axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_script() -> str:
    if shutil.which("npm") is None or not (AXE / "axe.min.js").is_file():
        pytest.skip("axe-core is not installed: run `make test` (needs node and npm)")
    return (AXE / "axe.min.js").read_text(encoding="utf-8")


site = a_site_per_module()
browser = a_browser_per_module()


def _paths_for(service: Service, role: Role | None) -> list[str]:
    if role is None:
        return ["/sign-in"]
    user = service.accounts.user_by_email(service.email(role))
    assert user is not None
    return ["/", *(p.path for p in pages_for(Viewer(role, user.person_id)))]


def _settled(page: Page) -> None:
    """Wait until the page has loaded what it fetches and drawn its maps and charts."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ready]')]"
        ".every(e => e.dataset.ready === 'true')",
        timeout=30_000,
    )


def _violations(page: Page, script: str) -> list[str]:
    def serve_axe(route: Route) -> None:
        route.fulfill(body=script, content_type="text/javascript")

    page.route("**" + AXE_PATH, serve_axe)
    page.add_script_tag(url=AXE_PATH)
    found = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " where: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)})))"
    )
    return [json.dumps(v) for v in found if v["impact"] in SERIOUS]


ROLES = [None, Role.MEMBER, Role.CONNECTOR, Role.CONVENOR, Role.ADMIN]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "signed-out")
def test_every_page_is_quiet_and_accessible_for_each_role(
    site: tuple[Service, str],
    browser: Browser,
    axe_script: str,
    role: Role | None,
    viewport: dict[str, int],
) -> None:
    service, base = site
    problems: dict[str, list[str]] = {}
    with signed_in_page(browser, service, base, role, viewport) as (page, heard):
        for path in _paths_for(service, role):
            page.goto(base + path)
            _settled(page)
            said = heard.console + heard.errors
            heard.console.clear()
            heard.errors.clear()
            found = said + _violations(page, axe_script)
            if found:
                problems[path] = found
    assert problems == {}, json.dumps(problems, indent=1)
