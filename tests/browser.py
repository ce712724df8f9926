"""The web service on a real port, and a real Chromium driving it (Playwright):
what every browser test sets up — the site, the browser, a page signed in as
someone that hears what the page says, and screenshots.

Debian's ``chromium`` is used (``make test`` installs it); Playwright's own
browser download needs hosts this project cannot reach.
"""

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from api_service import PASSWORD, Service, service_of_its_own
from fastapi import FastAPI
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright

from graphsvc.access import Role
from graphsvc.synthetic import NetworkRecords

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not found:
        raise RuntimeError(
            "browser tests need Debian's chromium: run `make test` (which installs it) "
            "or `apt-get install chromium`, or set CHROMIUM_PATH"
        )
    return found


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def a_site_per_module(prepare: Callable[[Service], object] | None = None) -> Any:
    """A module-scoped ``site`` fixture: (service, base URL) over a graph of the
    module's own, ``prepare``d before the service starts answering."""

    @pytest.fixture(scope="module")
    def site(
        embedded_dir: Path, small_network: NetworkRecords, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[tuple[Service, str]]:
        graph = f"t{uuid.uuid4().hex[:12]}"
        accounts = tmp_path_factory.mktemp("accounts")
        with service_of_its_own(embedded_dir, small_network, accounts, graph) as service:
            if prepare is not None:
                prepare(service)
            with serving(service.app) as base:
                yield service, base

    return site


def a_browser_per_module() -> Any:
    """A module-scoped ``browser`` fixture: Debian's Chromium, launched once."""

    @pytest.fixture(scope="module")
    def browser() -> Iterator[Browser]:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=chromium_path(), args=["--no-sandbox"]
            )
            yield launched
            launched.close()

    return browser


@dataclass
class Heard:
    """What a page said on its console, the script errors it raised, and the
    dialogs it opened (when asked to refuse them)."""

    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def listen(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # What the content security policy refused, said as an error.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " console.error('refused by policy: ' + e.violatedDirective + ' ' + e.sample))"
        )

    def refuse_dialogs(self, page: Page) -> None:
        """Dismiss every dialog ``page`` opens, noting what it said."""
        page.on("dialog", self._dialog)

    def console_errors(self) -> list[str]:
        return [m for m in self.console if m.startswith("error: ")]

    def errors_said(self) -> list[str]:
        """The script errors and the console's errors, warnings aside."""
        return self.errors + self.console_errors()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text} ({message.location.get('url')})")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def heard_page(browser: Browser, viewport: dict[str, int]) -> tuple[Page, Heard]:
    """A page in a fresh context of its own, heard from its first script."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)  # type: ignore[arg-type]
    page = context.new_page()
    heard = Heard()
    heard.listen(page)
    return page, heard


def sign_in(page: Page, base: str, email: str, via: str = "/sign-in") -> None:
    """Sign ``email`` in with the tests' password, from ``via``, which leads to
    the sign-in form; they land on the home page."""
    page.goto(base + via)
    expect(page).to_have_url(base + "/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(base + "/")


def signed_in(
    browser: Browser, base: str, email: str, viewport: dict[str, int]
) -> tuple[Page, Heard]:
    """A heard page in a fresh context, signed in as ``email``."""
    page, heard = heard_page(browser, viewport)
    sign_in(page, base, email)
    return page, heard


@contextmanager
def signed_in_page(
    browser: Browser, service: Service, base: str, role: Role | None, viewport: dict[str, int]
) -> Iterator[tuple[Page, Heard]]:
    """A heard page in a fresh context, signed in as ``role`` (or on the sign-in
    page, signed out, for None); the context is closed afterwards."""
    page, heard = heard_page(browser, viewport)
    try:
        if role is None:
            page.goto(base + "/sign-in")
        else:
            sign_in(page, base, service.email(role))
        yield page, heard
    finally:
        page.context.close()


def shot(page: Page, name: str, full_page: bool = True) -> None:
    """A screenshot of ``page`` as TEST_ARTIFACTS/``name``.png."""
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)


def at_each_size(page: Page) -> Iterator[str]:
    """Set ``page`` to a desktop's size and then a phone's, yielding "1440" and
    "390" for each; then back to the size it had."""
    was = page.viewport_size
    for label, size in (("1440", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.wait_for_function(f"() => window.innerWidth === {size['width']}")
        yield label
    if was is not None:
        page.set_viewport_size(was)
