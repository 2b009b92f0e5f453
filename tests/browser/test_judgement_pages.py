"""Judgements made by the team, in a real browser: a team member drafts two key judgements of
the outcome they lead with the grade words (one not judged, with a reason), sees a refusal as
an error with what they typed kept; the team leader returns one with a comment and signs off
the rest of the outcome together. The pages fit a 375-pixel-wide screen."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.evidence.services import evidence_record
from ecm_inspect.reports.models import ReviewJudgement
from ecm_inspect.reports.services import judgements_propose, outcome_lead_set

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe's violations, less one: GOV.UK Frontend (6.6) sets aria-expanded on a radio that
    reveals a conditional field (the "Not judged" radio), which axe does not allow on a radio.
    That is the design system's own markup; anything else still fails."""
    out = []
    for v in axe_violations(page):
        if v["id"] == "aria-allowed-attr":
            v["nodes"] = [n for n in v["nodes"] if not n[0].endswith("-nj")]
            if not v["nodes"]:
                continue
        out.append(v)
    return out


def _fits(page, width: int = 375) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide at {width}px"
    page.set_viewport_size({"width": 1200, "height": 900})


def test_a_member_drafts_and_the_leader_moderates(rw, page, browser):  # type: ignore[no-untyped-def]  # noqa: F811
    base, world = rw
    review = world.review
    item = evidence_record(
        review=review,
        kind="meeting_members_officers",
        title="Meeting with the safeguarding board",
        source="Team",
        dated=date(2026, 10, 6),
        key_judgement_codes=["SS.1", "SS.2"],
        grade=3,
    )
    judgements_propose(review=review)
    outcome_lead_set(
        review=review,
        outcome_code="SS",
        member=review.team.get(inspector=world.pool[1]),
        by=None,
    )
    url = f"/reviews/{review.pk}/judgements/SS/"
    _sign_in(page, base, world.people.users[Role.INSPECTOR].username, url)
    assert _axe(page) == []
    # SS.1: good, with a finding, rationale and its evidence.
    card = page.locator('[id="j-SS.1"]')
    card.get_by_label("Good", exact=True).check()
    card.get_by_label("Finding").fill("Children are safe at home.")
    card.get_by_label("Rationale").fill("The board's minutes and the case sample.")
    page.fill("#q", "nothing like it")  # filtered as typed
    assert not card.get_by_label("Meeting with the safeguarding board").is_visible()
    page.fill("#q", "")
    card.get_by_label("Meeting with the safeguarding board").check()
    card.get_by_role("button", name="Save draft").click()
    assert "SS.1 saved as a draft." in page.content()
    # SS.2: not judged, first without a reason: refused, with what was typed kept.
    card = page.locator('[id="j-SS.2"]')
    card.get_by_label("Not judged").check()
    reason = card.get_by_label("Why the team is not judging it")
    assert reason.is_visible()  # the conditional reveal
    card.get_by_label("Finding").fill("Kept after the refusal.")
    card.get_by_role("button", name="Save draft").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Success" not in page.content()
    card = page.locator('[id="j-SS.2"]')
    assert (
        card.locator(".govuk-error-message")
        .first.inner_text()
        .endswith("Say why the team is not judging this.")
    )
    assert card.get_by_label("Finding").input_value() == "Kept after the refusal."
    assert card.get_by_label("Not judged").is_checked()
    assert _axe(page) == []
    _fits(page)
    card.get_by_label("Why the team is not judging it").fill("No young carers in the sample.")
    card.get_by_role("button", name="Save draft").click()
    assert "SS.2 saved as a draft." in page.content()
    ss2 = ReviewJudgement.objects.get(review=review, code="SS.2")
    assert ss2.not_judged
    assert ss2.not_judged_reason == "No young carers in the sample."
    assert ss2.evidence.count() == 0
    del item

    # The team leader returns SS.1 and signs off the rest of the outcome together.
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    leader = context.new_page()
    _sign_in(leader, base, world.people.users[Role.REVIEW_TEAM_LEADER].username, url)
    card = leader.locator('[id="j-SS.1"]')
    card.locator("summary:has-text('Return to the drafter')").click()
    card.get_by_label("What should the drafter look at again?").fill(
        "Two tracked children waited weeks: is this good?"
    )
    card.get_by_role("button", name="Return").click()
    assert "SS.1 returned to its drafter." in leader.content()
    leader.get_by_role("button", name="Sign off 1 drafted judgement").click()
    assert "1 judgement signed off." in leader.content()
    assert _axe(leader) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    leader.screenshot(path=str(SCREENSHOTS / "judgements-outcome.png"), full_page=True)
    leader.goto(f"{base}/reviews/{review.pk}/judgements/")
    assert "1 signed off" in leader.content()
    assert _axe(leader) == []
    _fits(leader)
    context.close()

    # The drafter sees the comment.
    page.goto(f"{base}{url}")
    card = page.locator('[id="j-SS.1"]')
    assert "Two tracked children waited weeks" in card.inner_text()
    assert "Returned" in card.inner_text()
    assert "Signed off" in page.locator('[id="j-SS.2"]').inner_text()
    _fits(page)
    # The refusal's 422 is logged by the browser as a failed load: the only error allowed.
    assert [e for e in page.js_errors if "status of 422" not in e] == []
