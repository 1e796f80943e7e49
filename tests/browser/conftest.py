"""Playwright driving Debian's Chromium against the real server."""

import functools
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ..support.live_server import LiveServer

CHROMIUM = os.environ.get("COPROD_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which a closed venue
# network (and CI) refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run .ci/system-packages as root.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(databases, tmp_path):
    server = LiveServer(databases.fresh(), log_path=tmp_path / "server.log").start()
    yield server
    server.stop()


@pytest.fixture
def open_context(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


# The WCAG 2.2 A and AA rules (axe-core tags): every impact level counts, a "minor" problem
# still stops someone.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    """Every WCAG 2.2 A/AA problem axe-core finds on the page: rule, impact, what to fix, where."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's own protocol, not as a <script> tag: the pages'
        # Content-Security-Policy rightly refuses inline scripts.
        page.evaluate(_axe_source())
    result = page.evaluate("""async (tags) => (await axe.run(document, {
        runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})).violations""", AXE_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:3]} for v in result]
