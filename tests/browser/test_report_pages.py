"""The report's pages in a real browser: no axe violations and no Content Security Policy
errors (no inline script or style) on the public report, the area's page, the children's
version, the list, the judgements page, the report page and the comparison of drafts; the
public pages need no sign-in."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.reports.models import ReviewJudgement
from ecm_inspect.reports.services import (
    draft_make,
    judgement_record,
    judgement_sign_off,
)
from ecm_inspect.reports.tests.test_reports import _publish, _ready

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_inline_code(page) -> None:  # type: ignore[no-untyped-def]
    html = page.content()
    assert " style=" not in html
    assert page.locator("script:not([src])").count() == 0


def test_report_pages(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, world = rw
    _ready(world)
    draft_make(review=world.review)
    ss = ReviewJudgement.objects.get(review=world.review, code="SS")
    judgement_record(
        judgement=ss,
        grade=2,
        finding="Some children wait too long.",
        rationale="Thresholds.",
        seen_version=ss.version,
        by=None,
        evidence_ids=list(ss.evidence.values_list("pk", flat=True)),
        evidence_reasons=ss.evidence_reasons,
    )
    draft_make(review=world.review)
    judgement_sign_off(
        judgement=ReviewJudgement.objects.get(pk=ss.pk),
        by=world.people.users[Role.REVIEW_TEAM_LEADER],
    )
    _publish(world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path, shot in (
        (f"/reports/{world.review.pk}/", "report.png"),
        ("/reports/areas/E08000037/", None),
        (f"/reports/{world.review.pk}/children/", "report-children.png"),
        ("/reports/", None),
    ):
        page.goto(f"{base}{path}")
        assert "sign-in" not in page.url
        assert axe_violations(page) == [], path
        _no_inline_code(page)
        if shot:
            page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
    assert "Gateshead" in page.content()
    _sign_in(
        page,
        base,
        world.people.users[Role.REVIEW_TEAM_LEADER].username,
        f"/reviews/{world.review.pk}/judgements/",
    )
    assert axe_violations(page) == []
    for path in (
        f"/reviews/{world.review.pk}/report/",
        f"/reviews/{world.review.pk}/report/compare/",
    ):
        page.goto(f"{base}{path}")
        assert axe_violations(page) == [], path
        _no_inline_code(page)
    page.screenshot(path=str(SCREENSHOTS / "report-compare.png"), full_page=True)
    assert page.js_errors == []
