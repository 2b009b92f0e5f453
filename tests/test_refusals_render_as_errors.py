"""Every refusal a web form can meet is shown as an error, with what was typed kept.

Issue 18, item 2: "Every refusal and error is shown: GOV.UK error summary at the top and error
messages beside each field, input kept, on every form; success banners only for success."

One table, REFUSALS, lists each refusal the services of an app can raise through one of its web
forms: who sends it, where, what they send, the reason the page must give, and (where the form
has one) a typed value the page must show again. Each row is sent through the second factor
against the permission matrix's world (tests/test_permission_matrix.py). The answer, after any
redirect, must carry a GOV.UK error summary containing the reason, keep the typed value, and
show no green Success banner.

To cover another app, append its rows to REFUSALS (a `setup` may prepare what the refusal
needs: a complaint acknowledged, an action to report on...).
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import ANONYMOUS, World, client_for
from ecm_inspect.core.models import EmailStatus, OutgoingEmail
from ecm_inspect.evidence.services import request_supply
from ecm_inspect.followup.models import Action, StatementOfAction
from ecm_inspect.framework.models import FrameworkVersion, VersionStatus
from ecm_inspect.performance.models import AssessmentJudgement
from ecm_inspect.performance.services import judgement_record
from ecm_inspect.quality.models import Complaint
from ecm_inspect.quality.services import complaint_acknowledge, complaint_assign, criteria_for
from ecm_inspect.reports.models import Publication, Recommendation
from ecm_inspect.voices.concerns import concern_raise
from ecm_inspect.voices.models import SurveySchool
from tests import test_permission_matrix as matrix

world = matrix.world  # the permission matrix's objects, one of each kind
OWN = matrix.OWN

# Free text the personal-data screen stops (a title and an address).
NAMES_SOMEONE = "We told Mrs Patel at 12 High Street"


def _finding(**fields: str) -> dict[str, str]:
    """The fieldwork finding form's fields (prefixed "finding-"), with defaults."""
    data = {"key_judgements": "SS.3", "indication": "strength", "found_on": "2026-10-01"}
    data.update(fields)
    return {"action": "finding", **{f"finding-{k}": v for k, v in data.items()}}


@dataclass(frozen=True)
class Refusal:
    """One refusal through one web form."""

    name: str
    role: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    reason: str
    kept: str | None = None  # a typed value shown again (as it appears in the HTML)
    setup: Callable[[World], None] | None = None

    def __str__(self) -> str:
        return self.name


def _review(w: World) -> int:
    return int(w.extra["reviews"][OWN].pk)


def _complaint(w: World) -> Complaint:
    return Complaint.objects.get(reference=w.extra["complaint"])


def _complaint_url(w: World) -> str:
    return reverse("quality:complaint", args=[w.extra["complaint"]])


def _acknowledged(w: World) -> None:
    complaint_acknowledge(complaint=_complaint(w), by=w.users[Role.NATIONAL_LEAD])


def _assigned(w: World) -> None:
    _acknowledged(w)
    complaint_assign(
        complaint=_complaint(w),
        investigator=w.users[Role.INSPECTORATE_LEAD],
        by=w.users[Role.NATIONAL_LEAD],
    )


def _a_draft_statement(w: World) -> None:
    _an_action(w)
    StatementOfAction.objects.filter(review=w.extra["reviews"][OWN]).update(status="draft")


def _action(w: World) -> Action:
    return Action.objects.get(review_id=_review(w))


def _an_action(w: World) -> None:
    """A published review whose statement of proposed action the lead inspectorate accepted."""
    review = w.extra["reviews"][OWN]
    if not Publication.objects.filter(review=review).exists():
        Publication.objects.create(
            review=review,
            published_on=date(2027, 1, 20),
            html="",
            children_html="",
            grades={},
            reading_grade=3,
        )
    StatementOfAction.objects.update_or_create(
        review=review, defaults={"status": "accepted", "due_on": date(2027, 4, 1)}
    )
    recommendation = Recommendation.objects.create(
        review=review, text="review referral thresholds", body="Gateshead council", order=0
    )
    Action.objects.create(
        review=review,
        recommendation=recommendation,
        text="review referral thresholds",
        owner_body="Gateshead council",
        deadline=date(2027, 4, 20),
    )


def _an_undelivered_email(w: World) -> None:
    OutgoingEmail.objects.create(
        to="safe@example.org", subject="Refused alert", body="B", purpose="Safeguarding concern",
        status=EmailStatus.FAILED, attempts=5, last_error="SMTPServerDisconnected: closed",
        failed_at=timezone.now(),
    )  # fmt: skip


def _a_concern(w: World) -> None:
    school = SurveySchool.objects.filter(survey=w.extra["surveys"][OWN]).first()
    assert school is not None
    concern_raise(school=school, source="asked", text="Help")


def _concern_pk(w: World) -> str:
    return str(w.extra["surveys"][OWN].concerns.get().pk)


def _questionnaire_answers(w: World) -> dict[str, Any]:
    token = w.extra["questionnaire"]
    from ecm_inspect.quality.models import Questionnaire

    stage = Questionnaire.objects.get(token=token).stage
    first = next(iter(criteria_for(stage)))
    return {first: "4", "comment": "The inspectors listened to us"}


def _a_draft(w: World) -> None:
    """A revision of the Framework loaded as a draft, with nothing in it yet."""
    FrameworkVersion.objects.create(
        code="2007",
        title="A revised Framework",
        source="revision.txt",
        checksum="0" * 64,
        loaded_at=timezone.now(),
        status=VersionStatus.DRAFT,
    )


def _supplied(w: World) -> None:
    request_supply(
        request=w.extra["requests"][OWN],
        title="Self-assessment",
        summary="",
        dated=date(2026, 7, 30),
        by=w.users[Role.DCS],
    )


def _apa_judgement(w: World) -> AssessmentJudgement:
    found = AssessmentJudgement.objects.filter(
        assessment__area=w.own_area, assessment__year=matrix.APA_YEAR
    ).first()
    assert found is not None
    return found


def _recorded_since(w: World) -> None:
    judgement = _apa_judgement(w)
    assert judgement.version == 1
    judgement_record(
        judgement=judgement,
        grade=judgement.proposed_grade or 2,
        rationale="Recorded first",
        override_reason="A colleague's view",
        seen_version=1,
        by=w.users[Role.INSPECTOR],
    )


def _self_assessment(w: World) -> str:
    return reverse("performance:self-assessment", args=[matrix.APA_YEAR, w.own_area.gss_code])


REFUSALS: list[Refusal] = [
    # --- evidence ------------------------------------------------------------------------------
    Refusal(
        "evidence: an item whose summary names someone",
        Role.REVIEW_TEAM_LEADER,
        lambda w: reverse("evidence:list", args=[_review(w)]),
        lambda w: {
            "kind": "plan",
            "title": "Children's plan 2026",
            "source": "Council",
            "dated": "2026-06-01",
            "key_judgements": "SS.3",
            "indication": "neutral",
            "summary": NAMES_SOMEONE,
        },
        "This text may identify someone",
        kept="Children&#x27;s plan 2026",
    ),
    Refusal(
        "evidence: asking the area again for what it was asked",
        Role.REVIEW_TEAM_LEADER,
        lambda w: reverse("evidence:requests", args=[_review(w)]),
        lambda w: {"kind": "self_assessment", "what": "Self-assessment", "due_on": "2026-08-01"},
        "This review has already asked the area for that.",
        kept="Self-assessment",
    ),
    Refusal(
        "evidence: accepting what was not supplied",
        Role.REVIEW_TEAM_LEADER,
        lambda w: reverse(
            "evidence:request-answer",
            args=[_review(w), w.extra["requests"][OWN].pk, "accept"],
        ),
        lambda w: {},
        "Only something supplied can be accepted.",
    ),
    Refusal(
        "evidence: a case-file reading that names someone",
        Role.INSPECTOR,
        lambda w: reverse("evidence:case-file", args=[_review(w), w.extra["case_files"][OWN].pk]),
        lambda w: _finding(found=NAMES_SOMEONE, indication="neutral"),
        "This text may identify someone",
        kept=NAMES_SOMEONE,
    ),
    Refusal(
        "evidence: a tracked child's weakness without its severity",
        Role.INSPECTOR,
        lambda w: reverse(
            "evidence:tracked-child", args=[_review(w), w.extra["tracked_children"][OWN].pk]
        ),
        lambda w: _finding(found="The assessment was late.", indication="weakness"),
        "Say how serious the weakness is",
        kept="The assessment was late.",
    ),
    Refusal(
        "evidence: a finding on a key judgement that does not exist",
        Role.INSPECTOR,
        lambda w: reverse("evidence:meeting", args=[_review(w), w.extra["meetings"][OWN].pk]),
        lambda w: _finding(found="Staff know thresholds.", key_judgements="SS.99"),
        "No such key judgement: SS.99.",
        kept="Staff know thresholds.",
    ),
    Refusal(
        "evidence: a step of a journey in the future",
        Role.INSPECTOR,
        lambda w: reverse(
            "evidence:tracked-child", args=[_review(w), w.extra["tracked_children"][OWN].pk]
        ),
        lambda w: {
            "action": "step",
            "step-on": "2099-01-01",
            "step-kind": "referral",
            "step-service": "School",
            "step-what_happened": "Referred by the school.",
        },  # fmt: skip
        "A step of the journey cannot be in the future.",
        kept="Referred by the school.",
    ),
    Refusal(
        "evidence: a neighbourhood study taking another area's small areas",
        Role.INSPECTOR,
        lambda w: reverse(
            "evidence:neighbourhood", args=[_review(w), w.extra["neighbourhoods"][OWN].pk]
        ),
        lambda w: {
            "action": "describe",
            "place-version": "1",
            "place-name": "The estate",
            "place-place_kind": "estate",
            "place-lsoa_codes": "E01999999",
            "place-context": "Two schools.",
        },  # fmt: skip
        "Not neighbourhoods of Gateshead: E01999999.",
        kept="Two schools.",
    ),
    Refusal(
        "evidence: a meeting whose notes name someone",
        Role.INSPECTOR,
        lambda w: reverse("evidence:meetings", args=[_review(w)]),
        lambda w: {
            "kind": "parents",
            "title": "Foster carers",
            "held_on": "2026-10-01",
            "attendees": "5",
            "notes": NAMES_SOMEONE,
        },  # fmt: skip
        "This text may identify someone",
        kept=NAMES_SOMEONE,
    ),
    Refusal(
        "evidence: withdrawing a finding without confirming",
        Role.INSPECTOR,
        lambda w: reverse(
            "evidence:finding-withdraw", args=[_review(w), w.extra["findings"][OWN].pk]
        ),
        lambda w: {},
        "This field is required.",
    ),
    Refusal(
        "evidence: a neighbourhood outside the area",
        Role.REVIEW_TEAM_LEADER,
        lambda w: reverse("evidence:neighbourhoods", args=[_review(w)]),
        lambda w: {"lsoa_code": "E01999999", "why": "Highest deprivation"},
        "E01999999 is not a neighbourhood of Gateshead.",
    ),
    Refusal(
        "evidence: tracking a child with a summary that names someone",
        Role.INSPECTOR,
        lambda w: reverse("evidence:tracked-children", args=[_review(w)]),
        lambda w: {"case_file": str(w.extra["case_files"][OWN].pk), "summary": NAMES_SOMEONE},
        "This text may identify someone",
        kept=NAMES_SOMEONE,
    ),
    Refusal(
        "evidence: supplying what was already supplied",
        Role.DCS,
        lambda w: reverse(
            "evidence:request-answer",
            args=[_review(w), w.extra["requests"][OWN].pk, "supply"],
        ),
        lambda w: {"title": "Self-assessment, revised", "summary": "", "dated": "2026-07-30"},
        "This request has already been answered.",  # no form to keep it in: nothing to supply
        setup=_supplied,
    ),
    # --- voices --------------------------------------------------------------------------------
    Refusal(
        "voices: a concern handled without saying what was done",
        Role.INSPECTOR,  # the survey's safeguarding contact
        lambda w: reverse("voices:concerns", args=[_review(w)]),
        lambda w: {"concern": _concern_pk(w), "status": "passed_on", "action": "   "},
        "Say what you did.",
        kept='value="passed_on" checked',
        setup=_a_concern,
    ),
    Refusal(
        "voices: feedback to children that names someone",
        Role.REVIEW_TEAM_LEADER,
        lambda w: reverse("voices:feedback", args=[_review(w)]),
        lambda w: {"version": w.extra["surveys"][OWN].version, "did_SS": NAMES_SOMEONE},
        "Take out what could identify someone",
        kept=NAMES_SOMEONE,
    ),
    Refusal(
        "voices: a parent's answers without their child's age",
        ANONYMOUS,  # parents need no account: the review's code is the key
        lambda w: reverse("voices:parents-questions", args=[w.extra["parents"][OWN].code]),
        lambda w: {"relationship": "parent", "safe": "agree", "works_well": "Kept words"},
        "Choose how old your child is.",
        kept="Kept words",
    ),
    # --- followup ------------------------------------------------------------------------------
    Refusal(
        "followup: progress with nothing said",
        Role.DCS,
        lambda w: reverse("followup:actions", args=[_review(w)]),
        lambda w: {"do": "progress", "item": _action(w).pk, "text": "   ", "done": "on"},
        "Say what progress has been made.",
        kept="checked>",
        setup=_an_action,
    ),
    Refusal(
        "followup: an action with no deadline",
        Role.DCS,
        lambda w: reverse("followup:actions", args=[_review(w)]),
        lambda w: {
            "do": "write",
            "recommendation": _action(w).recommendation_id,
            "text": "Agree new thresholds",
            "owner_body": "Gateshead council",
            "service": "council_social_care",
            "deadline": "",
        },
        "Deadline: This field is required.",
        kept="Agree new thresholds",
        setup=_a_draft_statement,
    ),
    # --- quality -------------------------------------------------------------------------------
    Refusal(
        "quality: acknowledging a complaint twice",
        Role.NATIONAL_LEAD,
        _complaint_url,
        lambda w: {"step": "acknowledge"},
        "This complaint has already been acknowledged.",
        setup=_acknowledged,
    ),
    Refusal(
        "quality: assigning nobody",
        Role.NATIONAL_LEAD,
        _complaint_url,
        lambda w: {"step": "assign", "investigator": ""},
        "Choose the investigator.",
        setup=_acknowledged,
    ),
    Refusal(
        "quality: assigning before acknowledging",
        Role.NATIONAL_LEAD,
        _complaint_url,
        lambda w: {"step": "assign", "investigator": w.users[Role.INSPECTORATE_LEAD].pk},
        "Acknowledge the complaint before assigning it.",
    ),
    Refusal(
        "quality: a decision without its reasons",
        Role.NATIONAL_LEAD,
        _complaint_url,
        lambda w: {
            "step": "decide",
            "outcome": "upheld",
            "reasons": "  ",
            "report_change": "Paragraph 12 corrected",
        },
        "Record the outcome and its reasons.",
        kept="Paragraph 12 corrected",
        setup=_assigned,
    ),
    Refusal(
        "quality: a questionnaire with statements unanswered",
        ANONYMOUS,
        lambda w: reverse("quality:questionnaire", args=[w.extra["questionnaire"]]),
        _questionnaire_answers,
        "Answer every statement (missing:",
        kept="The inspectors listened to us",
    ),
    # --- performance ---------------------------------------------------------------------------
    Refusal(
        "performance: submitting a self-assessment with nothing written",
        Role.DCS,
        _self_assessment,
        lambda w: {"submit": "submit"},
        "There is nothing to submit: no section has been written.",
    ),
    Refusal(
        "performance: a grade recorded by someone else since the page was opened",
        Role.NATIONAL_LEAD,
        lambda w: reverse("performance:detail", args=[matrix.APA_YEAR, w.own_area.gss_code]),
        lambda w: {
            "kind": _apa_judgement(w).kind,
            "version": "1",
            "grade": "3",
            "rationale": "Typed rationale: the indicators improved",
            "override_reason": "",
        },
        "after you opened it",
        kept="Typed rationale: the indicators improved",
        setup=_recorded_since,
    ),
    # --- national ------------------------------------------------------------------------------
    Refusal(
        "national: publishing a draft with a date that is not a date",
        Role.NATIONAL_LEAD,
        lambda w: reverse("national:framework-version", args=["2007"]),
        lambda w: {"effective_from": "1 April 2027"},
        "Enter the date it takes effect as YYYY-MM-DD",
        kept='value="1 April 2027"',
        setup=_a_draft,
    ),
    Refusal(
        "national: publishing a draft with nothing in it",
        Role.NATIONAL_LEAD,
        lambda w: reverse("national:framework-version", args=["2007"]),
        lambda w: {"effective_from": "2027-04-01"},
        "Cannot publish: ",
        kept='value="2027-04-01"',
        setup=_a_draft,
    ),
    # --- programme -----------------------------------------------------------------------------
    Refusal(
        "programme: a plan with a start that is not a date",
        Role.NATIONAL_LEAD,
        lambda w: reverse("programme:plan-start"),
        lambda w: {"starts_on": "next summer", "years": "1", "time_limit": "5"},
        "Start of the programme: Enter a valid date.",
        kept='value="next summer"',
    ),
    Refusal(
        "programme: re-planning with no programme",
        Role.NATIONAL_LEAD,
        lambda w: reverse("programme:replan-start"),
        lambda w: {"time_limit": "5"},
        "There is no programme to re-plan: plan one first.",
    ),
    Refusal(
        "programme: confirming a year that is not a year",
        Role.NATIONAL_LEAD,
        lambda w: reverse("programme:confirm"),
        lambda w: {"financial_year": "next year", "teams": "yes"},
        "Give the financial year as its first year, e.g. 2006.",
    ),
    Refusal(
        "national: marking an undelivered e-mail handled without confirming",
        Role.NATIONAL_LEAD,
        lambda w: reverse("national:undelivered-email"),
        lambda w: {"email": OutgoingEmail.objects.get(subject="Refused alert").pk, "note": "Rang."},
        "Confirm that safe@example.org has been told another way.",
        kept="Rang.",
        setup=_an_undelivered_email,
    ),
    Refusal(
        "national: marking an undelivered e-mail handled without a note",
        Role.NATIONAL_LEAD,
        lambda w: reverse("national:undelivered-email"),
        lambda w: {
            "email": OutgoingEmail.objects.get(subject="Refused alert").pk,
            "confirm": "yes",
        },
        "Say what was done instead of the e-mail.",
        setup=_an_undelivered_email,
    ),
    Refusal(
        "programme: confirming a year with no programme",
        Role.NATIONAL_LEAD,
        lambda w: reverse("programme:confirm"),
        lambda w: {"financial_year": "2027"},
        "There is no programme to confirm: plan one first.",
    ),
]


def _error_summary(page: str) -> str:
    """The text of the page's GOV.UK error summary (empty when there is none)."""
    found = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>\s*</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


def test_the_table_names_each_refusal_once() -> None:
    names = [r.name for r in REFUSALS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_a_refusal_is_shown_as_an_error_with_what_was_typed(world: World, refusal: Refusal) -> None:
    if refusal.setup is not None:
        refusal.setup(world)
    user = None if refusal.role == ANONYMOUS else world.users[refusal.role]
    client = client_for(user)
    response = client.post(refusal.url(world), refusal.data(world), follow=True)
    page = response.content.decode()
    assert response.status_code in (200, 400, 409, 422), (response.status_code, page[-2000:])
    summary = _error_summary(page)
    assert summary, f"no error summary on the page: {page[-3000:]}"
    assert refusal.reason in " ".join(summary.split()), summary
    if refusal.kept is not None:
        assert refusal.kept in page, f"{refusal.kept!r} is not kept in the form"
    assert "govuk-notification-banner--success" not in page
