"""The registry's public pages in a real browser, with the shipped data (every area, the North
East's providers): no axe violations, and the search finds a real provider by its URN."""

import pytest

from ecm_inspect.framework.services import framework_load
from ecm_inspect.registry.services import areas_load, providers_load

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A children's home in Northumberland, from Ofsted's file as at 31 March 2025 (shipped).
URN = "2613661"
PAGES = [
    "/areas/",
    "/areas/E06000057/",  # Northumberland
    "/providers/",
    "/providers/?q=children%27s+home&kind=childrens_home",
    f"/providers/{URN}/",
]


@pytest.fixture
def registry(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    areas_load()
    providers_load()
    return live_server


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_accessibility_violations(registry, page, path):  # type: ignore[no-untyped-def]
    response = page.goto(f"{registry.url}{path}")
    assert response.status == 200
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_search_by_urn_finds_the_provider(registry, page):  # type: ignore[no-untyped-def]
    page.goto(f"{registry.url}/providers/")
    page.fill("#q", URN)
    page.click("button:has-text('Search')")
    assert page.locator("caption").inner_text() == "1 provider"
    assert axe_violations(page) == []
    page.click(f"a[href='/providers/{URN}/']")
    # The register holds no name for it: its kind and area in words, never the bare URN.
    assert page.locator("h1").inner_text() == "A children's home in Northumberland"
    assert "Northumberland" in page.locator("main").inner_text()
    assert page.js_errors == []
