"""The judgements page and the published report in a real browser, with no axe violations or
CSP errors; the public report needs no sign-in."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.reports.services import publication_make
from ecm_inspect.reports.tests.test_reports import _ready

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_pages(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, world = rw
    _ready(world)
    publication_make(review=world.review)
    page.goto(f"{base}/reports/{world.review.pk}/")
    assert "Gateshead" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
    page.goto(f"{base}/reports/{world.review.pk}/children/")
    assert axe_violations(page) == []
    page.goto(f"{base}/reports/")
    assert axe_violations(page) == []
    _sign_in(page, base, world.people.users[Role.REVIEW_TEAM_LEADER].username,
             f"/reviews/{world.review.pk}/judgements/")  # fmt: skip
    assert axe_violations(page) == []
    page.goto(f"{base}/reviews/{world.review.pk}/report/")
    assert axe_violations(page) == []
    assert page.js_errors == []
