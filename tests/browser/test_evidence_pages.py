"""A review's evidence pages in a real browser: evidence, analysis, fieldwork specification,
requests, case files and a case file's readings, with no axe violations or CSP errors."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.evidence.case_files import case_files_import, case_sample_draw

from .conftest import axe_violations
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_evidence_pages(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, world = rw
    review = world.review
    case_files_import(
        review=review,
        text="reference,age,categories,services\nA1,7,looked_after,school;social care\n"
        "A2,15,youth_justice,youth offending team\n",
    )
    case = case_sample_draw(review=review, size=2)[0]
    _sign_in(
        page,
        base,
        world.people.users[Role.REVIEW_TEAM_LEADER].username,
        f"/reviews/{review.pk}/evidence/",
    )
    for path in ("evidence/", "analysis/", "fieldwork-specification/", "requests/", "case-files/",
                 f"case-files/{case.pk}/", "neighbourhoods/", "tracked-children/"):  # fmt: skip
        page.goto(f"{base}/reviews/{review.pk}/{path}")
        assert axe_violations(page) == [], path
    page.goto(f"{base}/reviews/{review.pk}/case-files/{case.pk}/")
    page.fill("#id_finding-found", "Seen by Jessica Smith at NE8 1HH.")
    page.fill("#id_finding-key_judgements", "SS.4")
    page.select_option("#id_finding-indication", "neutral")
    page.fill("#id_finding-found_on", "2026-11-02")
    page.click("button:has-text('Record the reading')")
    assert "This may identify someone" in page.content()
    assert axe_violations(page) == []
    # The refused note answers 422 (the browser logs that); nothing else may fail or be blocked.
    assert [e for e in page.js_errors if "status of 422" not in e] == []
