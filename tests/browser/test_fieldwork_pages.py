"""Fieldwork reaching the judgements, in a real browser: the team leader records a weakness read in
a case file, tracks a child through a referral and a late assessment and records the delay,
holds a meeting with parents of disabled children; the SS.4 proposal then cites both
findings by reference, and none of what was written leaves the confidential area. Every page
has no axe violations and fits a 375-pixel-wide screen."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.evidence.case_files import case_files_import, case_sample_draw
from ecm_inspect.evidence.services import evidence_record

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READING = "Strategy discussion held but the assessment began eleven weeks later."
DELAY = "Assessment completed long after the referral; the family waited without a plan."


def _fits(page, width: int = 375) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide at {width}px"
    page.set_viewport_size({"width": 1200, "height": 900})


def _checked(page) -> None:  # type: ignore[no-untyped-def]
    assert axe_violations(page) == [], page.url
    _fits(page)


def test_fieldwork_findings_reach_the_ss4_proposal(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, world = rw
    review = world.review
    evidence_record(
        review=review, kind="earlier_inspection", title="Inspection of safeguarding",
        source="CSCI", dated=date(2026, 3, 1), key_judgement_codes=["SS.4"], grade=3,
        indication="strength",
    )  # fmt: skip
    case_files_import(
        review=review,
        text="reference,age,categories,services\nA1,7,looked_after,school;social care\n"
        "A2,15,ldd,health;social care\n",
    )
    case = case_sample_draw(review=review, size=2)[0]
    root = f"{base}/reviews/{review.pk}"
    leader = world.people.users[Role.REVIEW_TEAM_LEADER].username
    _sign_in(page, base, leader, f"/reviews/{review.pk}/")
    # A reading of a case file.
    page.goto(f"{root}/case-files/{case.pk}/")
    _checked(page)
    page.fill("#id_finding-found", READING)
    page.fill("#id_finding-key_judgements", "SS.4")
    page.select_option("#id_finding-indication", "weakness")
    page.fill("#id_finding-found_on", "2026-11-02")
    page.click("button:has-text('Record the reading')")
    # Refused: a weakness needs its severity; what was typed is kept.
    assert "There is a problem" in page.content()
    assert page.input_value("#id_finding-found") == READING
    _checked(page)
    page.select_option("#id_finding-severity", "significant")
    page.click("button:has-text('Record the reading')")
    assert "Recorded Case-file reading F" in page.content()
    # The leader proposes the grades; later findings keep the proposals up to date.
    page.goto(f"{root}/judgements/")
    page.click("button:has-text('Propose grades from the evidence')")
    assert "Grades proposed from the evidence." in page.content()
    # A tracked child: two steps of the journey, then the delay as a finding.
    page.goto(f"{root}/tracked-children/")
    _checked(page)
    page.fill("#summary", "Referred by the school; waited for an assessment.")
    page.click("button:has-text('Track')")
    page.click(f"a:has-text('{case.pseudonym}')")
    _checked(page)
    for on, kind, service in (
        ("2026-06-01", "referral", "School"),
        ("2026-08-31", "assessment", "Children's social care"),
    ):
        page.click("summary:has-text('Add a step to the journey')")
        page.fill("#id_step-on", on)
        page.select_option("#id_step-kind", kind)
        page.fill("#id_step-service", service)
        page.fill("#id_step-what_happened", f"{kind.title()} recorded.")
        page.click("button:has-text('Add the step')")
    # fmt: skip
    assert "91 days later" in page.content()
    page.fill("#id_finding-found", DELAY)
    page.fill("#id_finding-key_judgements", "SS.4")
    page.select_option("#id_finding-indication", "weakness")
    page.select_option("#id_finding-severity", "significant")
    page.fill("#id_finding-service", "Children's social care")
    page.select_option("#id_finding-aspect", "timeliness")
    page.fill("#id_finding-found_on", "2026-11-03")
    page.click("button:has-text('Record the finding')")
    assert "Recorded Tracked child F" in page.content()
    _checked(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tracked-child.png"), full_page=True)
    # A meeting with parents of disabled children.
    page.goto(f"{root}/meetings/")
    _checked(page)
    page.select_option("#id_kind", "parents")
    page.fill("#id_title", "Parents of disabled children")
    page.fill("#id_held_on", "2026-11-04")
    page.fill("#id_attendees", "8")
    page.check("input[value='ldd']")
    page.fill("#id_notes", "Short breaks are hard to get.")
    page.click("button:has-text('Record the meeting')")
    assert "Recorded the meeting" in page.content()
    _checked(page)
    # The leader sees them all, by outcome.
    page.goto(f"{root}/findings/")
    _checked(page)
    assert page.locator("svg rect[fill='#d4351c']").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "fieldwork-findings.png"), full_page=True)
    # The proposal of SS.4 cites both findings by reference and quotes neither.
    page.goto(f"{root}/judgements/SS/")
    body = page.content()
    assert "Case-file reading F" in body
    assert "Tracked child F" in body
    assert "good to adequate" in body
    assert READING not in body
    assert DELAY not in body
    page.goto(f"{root}/evidence/")
    assert READING not in page.content()
    assert "Case-file reading F" in page.content()
