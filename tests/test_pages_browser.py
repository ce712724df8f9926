"""The pages in a real browser: sign in, explore, search, filter, open a card,
see one's own network, mark an introduction as made; nothing leaves the
machine and no user string runs as code.

Screenshots go to test-artifacts/ (TEST_ARTIFACTS).
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_service import Service, service_of_its_own
from browser import ARTIFACTS, Heard, a_browser_per_module, heard_page, serving, shot, sign_in
from playwright.sync_api import Browser, Page, expect

from graphsvc.access import Role
from graphsvc.model import Cell, CellKind, MemberOf, Provenance
from graphsvc.service import ImportOptions
from graphsvc.synthetic import NetworkRecords

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures"

NASTY_NAME = '<img src=x onerror="window.__xss=1;alert(1)">Nasty'
NASTY_JOB = '<a href="javascript:window.__xss=2">bio</a> with href'
NASTY_CELL = '<a href="javascript:window.__xss=3">Cell</a><img src=x onerror="window.__xss=4">'
# plotly.js also tries to add MapLibre's styles inline when it loads; the
# pages' policy refuses them (no map tiles are used): the one error expected.
REFUSED_ON_PURPOSE = "maplibregl"


@pytest.fixture(scope="module")
def site(
    embedded_dir: Path, small_network: NetworkRecords, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, str]]:
    graph = f"t{uuid.uuid4().hex[:12]}"
    with service_of_its_own(
        embedded_dir, small_network, tmp_path_factory.mktemp("accounts"), graph
    ) as service:
        # A person who agreed to be named, whose name and job are attacks.
        nasty = service.people["network"][2]
        person = next(n for n in small_network.nodes() if n.id == nasty)
        service.store.upsert_nodes(
            [person.model_copy(update={"name": NASTY_NAME, "job_title": NASTY_JOB})]
        )
        # A cell whose name is an attack, big enough to have its own charts.
        today = dt.date(2026, 1, 1)
        seen = Provenance(source="browser test", first_seen=today, last_seen=today)
        cell = Cell(id="cell:nasty", name=NASTY_CELL, category=CellKind.THEME_CELL, provenance=seen)
        service.store.upsert_nodes([cell])
        service.store.upsert_relationships(
            [
                MemberOf(start=p, end=cell.id, provenance=seen)
                for p in service.people["network"][:15]
            ]
        )
        with serving(service.app) as base:
            yield service, base


browser = a_browser_per_module()


class Watched:
    """A page whose every request, dialog, script error and console error is recorded."""

    def __init__(self, page: Page, heard: Heard) -> None:
        self.page = page
        self.heard = heard
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        heard.refuse_dialogs(page)


@pytest.fixture
def signed_in(
    request: pytest.FixtureRequest, site: tuple[Service, str], browser: Browser
) -> Iterator[Any]:
    """A fresh browser context signed in as the role the test is parametrised with."""
    service, base = site
    role: Role = request.param
    page, heard = heard_page(browser, {"width": 1400, "height": 900})
    watched = Watched(page, heard)
    sign_in(page, base, service.email(role), via="/")
    yield service, base, watched
    shot(page, request.node.name.replace("[", "-").replace("]", ""), full_page=False)
    page.context.close()
    # Nothing the pages load comes from anywhere but the service.
    assert watched.requests and all(u.startswith(base + "/") for u in watched.requests), [
        u for u in watched.requests if not u.startswith(base + "/")
    ]
    assert heard.errors == [], heard.errors
    unexpected = [
        m
        for m in heard.console_errors()
        if REFUSED_ON_PURPOSE not in m
        # the policy's own report of the same refusal, which names no content
        and "Content Security Policy" not in m
        # pages that answer 403 or 404 on purpose
        and "status of 40" not in m
    ]
    assert unexpected == [], unexpected
    assert heard.dialogs == [], "a user string ran as script"


def _map_ready(page: Page) -> None:
    expect(page.locator("#map[data-ready=true]")).to_have_count(1, timeout=30_000)


@pytest.mark.parametrize("signed_in", [Role.MEMBER], indirect=True)
def test_a_member_explores_searches_and_opens_a_card(signed_in: Any) -> None:
    service, _base, watched = signed_in
    page = watched.page
    page.click("text=Explore")
    _map_ready(page)
    status = page.locator("#map-status")
    expect(status).to_contain_text("people on the map")
    shown = int(status.inner_text().split()[0])
    assert 0 < shown < len(service.people["network"]) + 2  # only people named to members

    # Search by the first word of a person's name and open their card.
    someone = service.people["network"][5]
    name = service.client.get(f"/api/people/{someone}", headers=service.headers(Role.ADMIN))
    full_name = name.json()["name"]
    page.fill("#q", full_name)
    page.locator("#results button", has_text=full_name).first.click()
    card = page.locator("#card")
    expect(card.locator("h2")).to_have_text(full_name)
    expect(card).not_to_contain_text("@")  # no one else's email

    # Filter by a region: the map is drawn again with fewer people.
    region = page.locator("select[name=region] option").nth(1).get_attribute("value")
    assert region
    page.select_option("select[name=region]", region)
    _map_ready(page)
    expect(status).to_contain_text("people on the map")
    assert int(status.inner_text().split()[0]) < shown


@pytest.mark.parametrize("signed_in", [Role.MEMBER], indirect=True)
def test_hostile_names_and_bios_are_shown_as_text(signed_in: Any) -> None:
    service, base, watched = signed_in
    page = watched.page
    page.goto(base + "/explore")
    _map_ready(page)
    page.fill("#q", "Nasty")
    page.locator("#results button").first.click()
    card = page.locator("#card")
    expect(card.locator("h2")).to_have_text(NASTY_NAME)
    expect(card).to_contain_text(NASTY_JOB)
    # No element made from what the file said: the only links on the card are
    # the page's own actions, with their own words.
    assert card.locator("img").count() == 0
    assert card.locator(":not(.card-actions) > a").count() == 0
    assert card.locator(".card-actions a").all_text_contents() in (
        [],
        ["I know them", "Ask for an introduction"],
    )
    # Their tooltip on the map is text too.
    nasty = service.people["network"][2]
    where = page.evaluate(
        "id => { const n = document.getElementById('map').graphMap;"
        " n.moveTo({position: n.getPosition(id), scale: 1.5, animation: false});"
        " const p = n.canvasToDOM(n.getPosition(id)); const r = document.getElementById('map')"
        ".getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        nasty,
    )
    page.mouse.move(where[0], where[1])
    tooltip = page.locator(".vis-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(NASTY_NAME)
    assert tooltip.locator("img, a").count() == 0
    assert page.evaluate("window.__xss") is None


@pytest.mark.parametrize("signed_in", [Role.MEMBER], indirect=True)
def test_a_member_sees_their_own_network_with_suggested_introductions(signed_in: Any) -> None:
    service, _base, watched = signed_in
    page = watched.page
    page.click("text=My network")
    _map_ready(page)
    expect(page.locator("#map-legend")).to_contain_text("suggested introduction")
    drawn = service.client.get(
        f"/api/people/{service.member_person}/map", headers=service.headers(Role.MEMBER)
    ).json()
    assert any(e.get("dashes") for e in drawn["edges"]), "no suggested introductions drawn"
    assert any(n["id"] == service.member_person for n in drawn["nodes"])


@pytest.mark.parametrize("signed_in", [Role.CONNECTOR], indirect=True)
def test_a_connector_marks_an_introduction_as_made(signed_in: Any) -> None:
    service, _base, watched = signed_in
    page = watched.page
    page.click("header nav a[href='/introductions']")
    first = page.locator("#introductions .intro-card").first
    made = first.locator("button[data-outcome=made]")
    expect(made).to_have_text("Made")
    pair = first.locator("h2").inner_text()
    made.click()
    expect(first.locator(".done")).to_contain_text("Recorded as made")
    names = {d.get("name"): n for n, d in service.store.network().nodes(data=True) if d.get("name")}
    a, b = (names[part] for part in pair.split(" and ", 1))
    recorded = service.store.network().get_edge_data(a, b) or service.store.network().get_edge_data(
        b, a
    )
    assert recorded and recorded["INTRODUCED_TO"]["status"] == "made"


def _chart_ready(page: Page, chart: str) -> None:
    expect(page.locator(f"#{chart}[data-ready=true]")).to_have_count(1, timeout=30_000)


@pytest.mark.parametrize("signed_in", [Role.CONVENOR], indirect=True)
def test_a_convenor_sees_representation_growth_and_who_is_not_in_the_room(
    signed_in: Any,
) -> None:
    service, _base, watched = signed_in
    page = watched.page
    page.click("nav >> text=Gaps")
    for chart in ("regions-map", "regions-bars", "sectors-bars", "growth"):
        _chart_ready(page, chart)
    status = page.locator("#charts-status")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gaps-whole-network.png"), full_page=True)
    everyone = sum(len(ids) for ids in service.people.values())
    expect(status).to_contain_text(f"the whole network: {everyone} members")
    # Twelve regions and nations drawn as filled shapes, each labelled.
    assert page.locator("#regions-map path.js-fill").count() == 12
    # A sector bar's hover gives its count, share and interval.
    bar = page.locator("#sectors-bars .bars .point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    # plotly.js listens on a layer above the bars: move the mouse there.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#sectors-bars .hoverlayer")).to_contain_text("interval")
    # The tables are filled from the service.
    expect(page.locator("#not-in-the-room tr").first).not_to_contain_text("Loading")
    assert page.locator("#not-in-the-room tr").count() > 0
    expect(page.locator("#potential li").first).not_to_contain_text("Loading")
    expect(page.locator("#cells-out-of-line tr").first).not_to_contain_text("Loading")

    # One cell's charts: its name is an attack and shows as text.
    page.select_option("#group", "cell:nasty")
    expect(status).to_contain_text(NASTY_CELL + ": 15 members")
    _chart_ready(page, "sectors-bars")
    title = page.locator("#sectors-bars .gtitle")
    expect(title).to_contain_text(NASTY_CELL)
    assert page.locator("#sectors-bars a, #regions-map a, #regions-bars a, img").count() == 0
    assert page.evaluate("window.__xss") is None


@pytest.mark.parametrize("signed_in", [Role.ADMIN], indirect=True)
def test_an_admin_imports_a_file_and_keeps_a_pair_apart(signed_in: Any) -> None:
    service, _base, watched = signed_in
    page = watched.page
    page.click("header nav summary >> text=Admin")  # its menu group first
    page.click("nav >> text=Imports")
    expect(page.locator("#review li").first).not_to_contain_text("Loading")
    page.set_input_files("input[name=file]", FIXTURES / "members_2024.csv")
    page.click("#upload button[type=submit]")
    expect(page.locator("#preview")).to_contain_text("Nothing has been written yet", timeout=30_000)
    page.click("#preview-import")
    report = page.locator("#report")
    expect(report).to_contain_text("Report for members_2024.csv", timeout=30_000)
    expect(report).to_contain_text("Written to the network.")
    expect(page.locator("#imports tr").first).to_contain_text("members_2024.csv")

    # The import could not tell two people apart: the admin decides.
    pair = page.locator("#review li", has_text="Samantha Okafor may be Sam Okafor")
    expect(pair).to_have_count(1)
    pair.locator("button").click()
    expect(page.locator("#review")).to_contain_text("kept apart")
    assert service.store.possible_matches() == []


@pytest.mark.parametrize("signed_in", [Role.ADMIN], indirect=True)
def test_an_admin_imports_with_a_column_mapping_a_date_order_and_bad_rows_skipped(
    signed_in: Any, tmp_path: Path
) -> None:
    """Every import option the CLI has, on the Imports page too."""
    service, _base, watched = signed_in
    page = watched.page
    page.click("header nav summary >> text=Admin")  # its menu group first
    page.click("nav >> text=Imports")
    members = tmp_path / "crm-export.csv"
    members.write_text(
        "Member,Contact,Since\nIfeoma Adeyemi,ifeoma@example.org,03/04/2023\nBad,not-an-email,\n"
    )
    mapping = tmp_path / "crm.toml"
    mapping.write_text('[columns]\nname = "Member"\nemail = "Contact"\njoined = "Since"\n')
    page.set_input_files("input[name=file]", members)
    page.select_option("select[name=kind]", "members")
    page.set_input_files("input[name=mapping]", mapping)
    page.fill("input[name=as_of]", "2024-05-01")
    page.select_option("select[name=date_order]", "day-first")
    page.check("input[name=skip_bad_rows]")
    expect(page.locator("select[name=format]")).to_be_disabled()
    page.click("#upload button[type=submit]")
    expect(page.locator("#preview")).to_contain_text("Skipped (1)", timeout=30_000)
    page.click("#preview-import")
    report = page.locator("#report")
    expect(report).to_contain_text("Written to the network.", timeout=30_000)
    expect(report.locator("tr", has_text="not an email")).to_contain_text("3")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "imports-with-options-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "imports-with-options-390.png"), full_page=True)
    service.network.wait_until_current(timeout=120)
    found = service.store.search_people("ifeoma adeyemi")
    assert [p["joined"] for p in found] == ["2023-04-03"]


@pytest.mark.parametrize("signed_in", [Role.ADMIN], indirect=True)
def test_an_admin_previews_an_import_row_by_row_then_imports_it(
    signed_in: Any, tmp_path: Path
) -> None:
    service, _base, watched = signed_in
    page = watched.page
    page.set_viewport_size({"width": 1440, "height": 900})
    known = tmp_path / "known.csv"
    known.write_text("Name,Email,Organisation\nGrete Preview,grete@old.example,Acme Ltd\n")
    service.network.import_file(known, ImportOptions(kind="members"))
    again = tmp_path / "again.csv"
    again.write_text(
        "Name,Email,Organisation\n"
        "Grete Preview,grete@new.example,Acme Ltd\n"
        + '"{} Preview",nasty@preview.example,Acme Ltd\n'.format(NASTY_NAME.replace('"', '""'))
    )
    page.click("header nav summary >> text=Admin")  # its menu group first
    page.click("nav >> text=Imports")
    page.set_input_files("input[name=file]", again)
    page.select_option("select[name=kind]", "members")
    before = service.store.state()
    page.click("#upload button[type=submit]")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Preview of again.csv", timeout=30_000)
    expect(preview.locator("tr", has_text="nasty@preview.example")).to_contain_text(
        NASTY_NAME + " Preview"
    )
    expect(preview.locator("tr", has_text="Grete Preview").first).to_contain_text("already known")
    change = preview.locator("tr.warning", has_text="email")
    expect(change).to_contain_text("grete@old.example")
    expect(change).to_contain_text("grete@new.example")
    assert service.store.state() == before, "a preview writes nothing"
    page.screenshot(path="/tmp/imports-preview-1440.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/imports-preview-390.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})

    page.click("#preview-import")
    report = page.locator("#report")
    expect(report).to_contain_text("Written to the network.", timeout=30_000)
    expect(report.locator("tr", has_text="Grete Preview").last).to_contain_text("email")
    expect(preview).to_be_hidden()
    assert page.evaluate("window.__xss") is None
    # A past import shows when it was, in the reader's own time rather than raw UTC.
    expect(page.locator("#imports tr").first).not_to_contain_text("+00:00")

    # A preview can be cancelled, and then nothing is written.
    page.set_input_files("input[name=file]", again)
    page.click("#upload button[type=submit]")
    expect(preview).to_contain_text("Preview of again.csv", timeout=30_000)
    written = service.store.state()
    page.click("#preview-cancel")
    expect(report).to_contain_text("Cancelled: nothing was written.")
    assert service.store.state() == written


@pytest.mark.parametrize(
    ("signed_in", "path", "title", "for_whom"),
    [
        (Role.MEMBER, "/introductions", "Introductions", "connectors and admins"),
        (Role.MEMBER, "/gaps", "Gaps", "convenors and admins"),
        (Role.CONVENOR, "/imports", "Imports", "admins"),
    ],
    indirect=["signed_in"],
)
def test_a_page_is_neither_offered_nor_opened_to_roles_without_it(
    signed_in: Any, path: str, title: str, for_whom: str
) -> None:
    _service, base, watched = signed_in
    page = watched.page
    expect(page.locator("nav")).to_contain_text("Explore")
    expect(page.locator("nav")).not_to_contain_text(title)
    response = page.goto(base + path)
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Forbidden")
    expect(page.locator("main")).to_contain_text(f"this page is for {for_whom}")
