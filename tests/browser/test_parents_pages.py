"""The parents' and carers' questionnaire in real headless Chromium at a phone's width (375
px): every page a parent can reach, a parent answering (with a mistake first), with zero
axe-core violations (WCAG 2.2 AA); then the team's results and the coverage panel, signed in."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.voices.management.commands.parents import parent_urls
from ecm_inspect.voices.models import ParentResponse
from ecm_inspect.voices.parents import parents_proforma_create, parents_proforma_open
from ecm_inspect.voices.synthetic import parent_responses_generate

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_survey_pages import PHONE, survey  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parents(survey):  # type: ignore[no-untyped-def]  # noqa: F811
    base, found, people = survey
    proforma = parents_proforma_open(proforma=parents_proforma_create(survey=found), by=None)
    return base, proforma, people


def test_a_parent_answers_on_a_phone(parents, browser):  # type: ignore[no-untyped-def]
    base, proforma, _ = parents
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for what, path in parent_urls(proforma):
        page.goto(base + path)
        assert axe_violations(page) == [], f"{what}: {path}"
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], what
    page.goto(f"{base}/p/")
    page.fill("#code", proforma.code.lower())
    page.click("button:has-text('Continue')")
    assert page.locator("h1").inner_text() == "Tell us about services for your child"
    page.click("a:has-text('Start now')")
    page.click("button:has-text('Send my answers')")  # nothing chosen: the errors say what
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Choose how old your child is" in summary
    assert axe_violations(page) == []
    page.get_by_label("Foster carer or kinship carer").check()
    page.locator("#child_age_band-1").check()
    page.locator("#child_in_care-1").check()
    page.locator("#safe-1").check()
    page.fill("#works_well", "The short breaks service.")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "parents-questions-phone.png"), full_page=True)
    page.click("button:has-text('Send my answers')")
    assert "your answers have been sent" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    response = ParentResponse.objects.get()
    assert response.relationship == "foster_kinship"
    assert response.child_in_care == "yes"
    assert response.answers == {"safe": "agree"}
    context.close()


def test_the_team_sees_results_and_coverage(parents, page):  # type: ignore[no-untyped-def]
    base, proforma, people = parents
    parent_responses_generate(proforma=proforma, count=120, seed=5)
    review = proforma.survey.review.pk
    _sign_in(
        page, base, people.users[Role.REVIEW_TEAM_LEADER].username, f"/reviews/{review}/parents/"
    )
    assert "120 parents and carers answered" in page.content()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "parents-results.png"), full_page=True)
    for path in ("views/", ""):
        page.goto(f"{base}/reviews/{review}/{path}")
        assert "Whose views have been gathered" in page.content()
        assert axe_violations(page) == [], path
    assert "No views gathered from" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "review-coverage.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/reviews/{review}/parents/")
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "parents-results-phone.png"), full_page=True)
    assert page.js_errors == []
