"""The APA letter in a real browser, from draft to published: the assessing inspector records
the grades and issues the letter (confirming), the DCS, who saw no proposals before, reads it
and makes a representation on factual accuracy, the inspector answers it and publishes."""

import re

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load
from ecm_inspect.performance.models import (
    Assessment,
    IndicatorDefinition,
    IndicatorValue,
    LetterStatus,
)
from ecm_inspect.performance.services import apa_run

from .conftest import SCREENSHOTS, axe_violations, second_page
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024
DETAIL = f"/apa/{YEAR}/E08000037/"
LETTER = f"{DETAIL}letter/"


@pytest.fixture
def world(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    for n, group in enumerate(["BH", "SS", "EA", "PC", "EW", "SM"] * 2):
        d = IndicatorDefinition.objects.create(
            code=f"X{n}", title=f"Indicator {n}", outcome=group, polarity="higher"
        )
        for area, value in ((None, 50), (people.own_area, 60), (people.other_area, 40)):
            IndicatorValue.objects.create(
                indicator=d, area=area, year=YEAR, period=str(YEAR), value=value
            )
    apa_run(year=YEAR)
    return live_server, people


def test_from_grades_to_a_published_letter(world, page, browser):  # type: ignore[no-untyped-def]
    base, people = world
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The DCS, before the inspector decides: no proposals, no letter.
    dcs = second_page(browser)
    _sign_in(dcs, base, people.users[Role.DCS].username, DETAIL)
    content = dcs.content()
    assert "Proposed" not in content
    assert "score" not in content
    assert "still deciding the grades" in content
    assert dcs.locator("a:has-text('The APA letter')").count() == 0
    assert axe_violations(dcs) == []
    assert dcs.goto(f"{base}{LETTER}").status == 403

    # The assessing inspector records every grade, with a rationale.
    _sign_in(page, base, people.users[Role.INSPECTOR].username, DETAIL)
    assert "Staying safe: proposed 4 (outstanding)" in page.content()
    assert page.locator("#calendar-table").count() == 1
    assert page.locator("svg[aria-labelledby^='apa-calendar-title']").count() == 1
    kinds = ["BH", "SS", "EA", "PC", "EW", "SM", "capacity", "overall"]
    for kind in kinds:
        card = page.locator(f"#judgement-{kind}")
        card.locator("summary").click()
        page.fill(f"#rationale-{kind}", f"Strong and improving work on {kind.lower()}.")
        card.locator("button:has-text('Record')").click()
        page.wait_for_url(f"{base}{DETAIL}")
        assert "Recorded the grade." in page.content()
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "apa-calendar.png"), full_page=True)

    # Issues the letter: a confirmation first, refused unticked.
    page.goto(f"{base}{LETTER}")
    page.click("a:has-text('Issue the letter to the council')")
    assert page.locator("h1").inner_text() == "Check before you issue the letter to the council"
    assert axe_violations(page) == []
    page.click("button:has-text('Confirm: issue the letter to the council')")
    assert "Confirm: tick to confirm." in page.content()
    page.check("#id_confirm")
    page.click("button:has-text('Confirm: issue the letter to the council')")
    page.wait_for_url(f"{base}{LETTER}")
    assert "Issued the letter to the council." in page.content()

    # The DCS now reads the letter: addressed to them, signed, no internal scores.
    dcs.goto(f"{base}{DETAIL}")
    assert "Strong and improving work on ss." in dcs.content()
    assert "Proposed" not in dcs.content()
    dcs.click("a:has-text('The APA letter')")
    letter = dcs.locator(".app-letter").inner_text()
    assert f"Dear {people.users[Role.DCS].full_name}," in letter
    assert people.users[Role.INSPECTOR].full_name in dcs.locator("#signatory").inner_text()
    assert not re.search(r"score|Only \d+ indicator", letter)
    assert axe_violations(dcs) == []
    dcs.screenshot(path=str(SCREENSHOTS / "apa-letter.png"), full_page=True)
    dcs.select_option("#id_section", "SS")
    dcs.fill("#id_text", "The re-referral rate was 18% in the year, not 22%.")
    dcs.click("button:has-text('Send the representation')")
    dcs.wait_for_url(f"{base}{LETTER}")
    assert "Awaiting the assessing inspector" in dcs.content()

    # Publishing is refused while the representation is unanswered.
    page.goto(f"{base}{LETTER}publish/")
    assert "outstanding representation" in page.content()
    assert page.locator("button:has-text('Confirm: publish the letter')").count() == 0
    # The inspector answers it, with reasons, then publishes.
    page.goto(f"{base}{LETTER}")
    card = page.locator("[id^=representation-]").first
    card.locator("select").select_option("accepted")
    card.locator("textarea").fill("Checked against the council's return: corrected.")
    card.locator("button:has-text('Answer')").click()
    page.wait_for_url(f"{base}{LETTER}")
    assert "Accepted: the letter is corrected" in page.content()
    page.click("a:has-text('Publish the letter')")
    page.check("#id_confirm")
    page.click("button:has-text('Confirm: publish the letter')")
    page.wait_for_url(f"{base}{LETTER}")
    assert page.locator("#letter-status").inner_text() == "Published"
    assessment = Assessment.objects.get(area=people.own_area, year=YEAR)
    assert assessment.letter_status == LetterStatus.PUBLISHED
    assert assessment.letter_published_by == people.users[Role.INSPECTOR]
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "apa-letter-phone.png"), full_page=True)

    # The self-assessment page: the indicators, section by section, fit a phone.
    dcs.goto(f"{base}{DETAIL}self-assessment/")
    assert "Statistical neighbours (mean)" in dcs.content()
    assert axe_violations(dcs) == []
    dcs.set_viewport_size({"width": 375, "height": 812})
    assert dcs.evaluate("document.documentElement.scrollWidth") <= 375
    dcs.screenshot(path=str(SCREENSHOTS / "apa-self-assessment-phone.png"), full_page=True)

    # Anyone reads the published letter.
    anyone = second_page(browser)
    anyone.goto(f"{base}/apa/letters/{YEAR}/E08000037/")
    assert "Yours sincerely" in anyone.content()
    assert axe_violations(anyone) == []
    # The unticked confirmation came back as 422, as it should; nothing else went wrong.
    assert [e for e in page.js_errors if "status of 422" not in e] == []
    assert dcs.js_errors == []
