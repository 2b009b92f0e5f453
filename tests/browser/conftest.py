"""Headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Locally, a machine without Chromium skips these tests and says so; under CI=true a missing
browser fails the run.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = (
    os.environ.get("ECM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; Django must still allow the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed; CI must run the browser tests (make chromium).")
        pytest.skip("Chromium is not installed: browser tests skipped (run `make chromium`).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.js_errors = errors
    _content_after_load(page)
    yield page
    context.close()


def second_page(browser):  # type: ignore[no-untyped-def]
    """Another person's browser, beside the `page` fixture's (desktop width), its JavaScript
    errors kept in `js_errors`."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    _content_after_load(page)
    return page


def _content_after_load(page) -> None:  # type: ignore[no-untyped-def]
    """`page.content()` waits for the page a click navigated to: read straight after the click,
    on a loaded machine it could catch the new document before it was parsed (empty)."""
    content = page.content

    def loaded_content() -> str:
        page.wait_for_load_state("load")
        return content()

    page.content = loaded_content


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe-core (WCAG 2.0-2.2 A and AA rules) on the page and return its violations."""
    # Evaluated through the browser's debugging protocol: the page's Content-Security-Policy
    # (no inline scripts) would block an injected <script> tag, and rightly so.
    page.evaluate(AXE_JS.read_text() + "\n;window.axe = axe;")
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
