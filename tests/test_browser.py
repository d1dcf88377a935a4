"""A real browser on the served pages: every diagram loads and the console stays clean.

Needs Debian's Chromium (`make test` installs it) and the Playwright package; it never
downloads a browser of its own.
"""
from __future__ import annotations

import shutil

import pytest

from conftest import needs_graphviz

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = [needs_graphviz,
              pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser.new_page()
        browser.close()


def test_every_diagram_loads_without_console_errors(live, page):
    _, base = live
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    for url in (f"{base}/", f"{base}/spam-filter/index.html"):
        page.goto(url, wait_until="load")
        page.wait_for_timeout(500)  # let the reload poll run once
    loaded = page.evaluate("""() => [...document.querySelectorAll('figure object')].map(o =>
        o.contentDocument && o.contentDocument.documentElement.nodeName)""")
    assert loaded == ["svg"] * 6  # two diagrams and four per-stage views
    assert page.locator("h1").inner_text() == "Spam filter"
    assert problems == []


def _click_node(page, base: str, title: str) -> None:
    """Open the design's page and click the architecture node whose tooltip starts so."""
    page.goto(f"{base}/spam-filter/index.html", wait_until="load")
    page.locator("#diagram-system-architecture object").scroll_into_view_if_needed()
    page.evaluate("""(title) => {
        const svg = document.querySelector('#diagram-system-architecture object').contentDocument;
        const link = [...svg.querySelectorAll('a')].find(a => a.getAttribute('xlink:title')
            && a.getAttribute('xlink:title').startsWith(title));
        link.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
    }""", title)


def test_clicking_a_component_opens_its_row_and_a_node_its_stage(live, page):
    _, base = live
    _click_node(page, base, "Spam scorer")
    page.wait_for_url("**/spam-filter/index.html#component-spam-scorer")
    assert page.locator("#component-spam-scorer").is_visible()
    _click_node(page, base, "Dashboards")
    page.wait_for_url("**/spam-filter/index.html#stage-7-monitoring")
