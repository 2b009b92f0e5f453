"""Every page fits a phone (issue 23): as each demo role and as the public, the per-role crawl
(`tests/test_crawl.py`) finds every page the person can reach in the start pages' world; one
page of each URL pattern is then opened in Chromium at 375 px and must not scroll sideways,
nor show a chart (charts give way to their tables on a phone).
The pages that fail are named with their width, and photographed in
var/screenshots/phone-crawl/ (every page is, with ECM_PHONE_SHOTS=1)."""

import os
import re

import pytest
from django.conf import settings

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.web.tests.start_world import start_world_build
from tests.test_crawl import _model_names, _pattern, crawl

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_page_a_role_reaches_fits_a_phone(live_server, browser, role: str | None) -> None:  # type: ignore[no-untyped-def]
    world = start_world_build()
    user = None if role is None else world.people.users[role]
    client = client_for(user)
    visited: list[str] = []
    crawl(client, _model_names(), user.username if user else "", visited)
    # One page of each URL pattern: the same template with other records adds nothing here.
    pages: dict[str, str] = {}
    for path in visited:
        pages.setdefault(_pattern(path), path)
    assert len(pages) > 1

    context = browser.new_context(viewport=PHONE)
    host = re.sub(r"^https?://", "", live_server.url).split(":")[0]
    if user is not None:
        # The test client's signed-in session (both factors passed), handed to the browser.
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "domain": host,
                    "path": "/",
                }
            ]
        )
    page = context.new_page()
    too_wide = []
    shots = SCREENSHOTS / "phone-crawl"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        for path in pages.values():
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None, path
            assert response.status < 400, f"{path} answers {response.status}"
            if user is not None:
                assert "/sign-in/" not in page.url, f"{path} asked {role} to sign in"
            width = page.evaluate("document.documentElement.scrollWidth")
            # Charts give way to their tables: none is left showing on a phone.
            charts = page.evaluate(
                "[...document.querySelectorAll('svg[role=img]')]"
                ".filter(svg => svg.getBoundingClientRect().width > 0).length"
            )
            if charts:
                too_wide.append(f"{path} shows {charts} chart(s) on a phone")
            if width > PHONE["width"]:
                too_wide.append(f"{path} is {width} px wide")
            if width > PHONE["width"] or os.environ.get("ECM_PHONE_SHOTS"):
                name = re.sub(r"[^a-z0-9]+", "-", f"{role or 'public'}{path}").strip("-")
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    finally:
        context.close()
    print(f"{role or 'public'}: {len(pages)} pages at 375 px")
    assert too_wide == [], "\n".join(too_wide)
