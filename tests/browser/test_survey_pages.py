"""Every page of the children's survey in real headless Chromium, at a phone's width: each
version's pages as `ecm survey urls` lists them, then a child answering the whole survey and
asking to talk to someone, with zero axe-core violations (WCAG 2.2 AA) and nothing blocked by
the Content-Security-Policy. Then the team's survey pages, signed in."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.models import Outcome
from ecm_inspect.framework.services import framework_load
from ecm_inspect.registry.models import Inspector, Inspectorate
from ecm_inspect.reviews.services import national_themes_ensure, review_create, review_team_set
from ecm_inspect.voices.concerns import concern_raise
from ecm_inspect.voices.management.commands.survey import child_urls
from ecm_inspect.voices.services import (
    survey_create,
    survey_open,
    survey_sample,
)
from ecm_inspect.voices.synthetic import responses_generate
from ecm_inspect.voices.tests.conftest import frame_make

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def survey(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    national_themes_ensure()
    review = review_create(
        area=people.own_area,
        analysis_starts_on=date(2026, 9, 14),
        dcs_name="D",
        dcs_email="d@example.org",
    )
    inspectors = [
        Inspector.objects.create(
            full_name=f"Inspector {n}",
            inspectorate=Inspectorate.objects.get(code=body),
            grade="lead",
            user=user,
        )
        for n, (body, user) in enumerate(
            [
                ("OFSTED", people.users[Role.REVIEW_TEAM_LEADER]),
                ("OFSTED", people.users[Role.INSPECTOR]),
                ("CSCI", None),
                ("CSCI", None),
            ]
        )
    ]
    for inspector in inspectors:
        inspector.outcome_expertise.set(Outcome.objects.filter(version__code="2005"))
    review_team_set(review=review, leader=inspectors[0], members=inspectors[1:])
    contact = people.users[Role.INSPECTOR]
    contact.email = "safe@example.org"
    contact.save()
    created = survey_create(
        review=review,
        opens_on=date(2020, 1, 1),
        closes_on=date(2099, 1, 1),
        safeguarding_contact=contact,
    )
    survey_sample(survey=created, size=5, frame=frame_make())
    opened = survey_open(survey=created, by=None)
    return live_server.url, opened, people


def test_every_page_a_child_can_reach_has_no_violations(survey, browser):  # type: ignore[no-untyped-def]
    base, found, _ = survey
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("response", lambda r: r.status == 404 and errors.append(r.url))
    checked = 0
    for what, path in child_urls(found):
        page.goto(base + path)
        assert axe_violations(page) == [], f"{what}: {path}"
        checked += 1
    assert checked >= 30  # every version's pages, and the pages around them
    assert errors == []
    context.close()


def test_a_child_answers_on_a_phone_and_asks_to_talk(survey, browser):  # type: ignore[no-untyped-def]
    base, found, _ = survey
    code = found.schools.first().code
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/s/")
    page.fill("#code", code.lower())
    page.click("button:has-text('Continue')")
    assert page.locator("h1").inner_text() == "What is it like to live here?"
    page.click("button:has-text('Start')")  # no age chosen: the error names it
    assert "Choose how old you are" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Under 8").check()
    page.click("button:has-text('Start')")
    page.click("button:has-text('Continue')")  # about you: optional
    steps = 0
    while "Check your answers" not in page.locator("h1").inner_text():
        assert axe_violations(page) == [], page.url
        radios = page.locator(".govuk-radios__input")
        if radios.count():
            radios.first.check()
        page.click("button:has-text('Continue')")
        steps += 1
    assert steps >= 4
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "survey-check.png"), full_page=True)
    page.click("button:has-text('Send my answers')")
    assert "your answers have been sent" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    page.click("a:has-text('I want to talk to someone')")
    assert axe_violations(page) == []
    page.click("button:has-text('Tell someone now')")
    assert page.locator("h1").inner_text() == "We have told someone"
    assert axe_violations(page) == []
    assert found.concerns.count() == 1
    assert found.responses.filter(submitted_on__isnull=False, version="pictures").count() == 1
    context.close()


def test_the_team_pages_have_no_violations(survey, page, settings):  # type: ignore[no-untyped-def]
    base, found, people = survey
    responses_generate(survey=found, count=300, seed=3)
    # Three posts from one device past a limit of one: one e-mailed, two held for the page.
    settings.ECM_SURVEY_TALK_CLIENT_LIMIT = "1/600"
    school = found.schools.order_by("pk")[0]
    for n in range(3):
        concern_raise(school=school, source="asked", text=f"Worried {n}", client="one-device")
    review = found.review.pk
    _sign_in(
        page, base, people.users[Role.REVIEW_TEAM_LEADER].username, f"/reviews/{review}/survey/"
    )
    assert axe_violations(page) == []
    for path in (
        "survey/results/",
        "survey/results/?as=published",
        "survey/concerns/",
        "survey/feedback/",
        "views/",
    ):
        page.goto(f"{base}/reviews/{review}/{path}")
        assert axe_violations(page) == [], path
    page.goto(f"{base}/reviews/{review}/survey/concerns/")
    assert "2 held concerns to read" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "survey-concerns-held.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / "survey-concerns-held-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/reviews/{review}/survey/results/?as=published")
    assert "fewer than 10" in page.content()
    assert page.js_errors == []
