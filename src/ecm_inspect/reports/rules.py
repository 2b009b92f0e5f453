"""Who may see and write a review's judgements and report. The team sees the judgements and
drafts; the team leader assigns each outcome a lead from the team, who drafts its judgements
(the team leader, or the national lead, drafts any); only the team leader signs off or returns
a draft. After publication, the team leader or the national lead corrects through an erratum. The
area's DCS and partners see the draft once it is sent for accuracy comments, and comment (and
record its circulation) while it is out. Anyone sees a published report."""

from typing import Any

import rules

from ecm_inspect.accounts.rules import (
    is_dcs,
    is_inspectorate_lead,
    is_national_lead,
    is_partner_contributor,
    passed_second_factor,
)
from ecm_inspect.reviews.models import STAGE_ORDER, Stage
from ecm_inspect.reviews.rules import is_on_review_team, leads_the_review, works_in_reviewed_area


@rules.predicate
def draft_is_out(user: Any, review: Any) -> bool:
    return review is not None and STAGE_ORDER.index(Stage(review.stage)) >= STAGE_ORDER.index(
        Stage.DRAFT_SENT
    )


@rules.predicate
def comments_are_open(user: Any, review: Any) -> bool:
    return review is not None and review.stage == Stage.DRAFT_SENT


@rules.predicate
def leads_the_outcome(user: Any, judgement: Any) -> bool:
    """The user is the team member the team leader made lead of the judgement's outcome (or of
    the vulnerable groups, or of service management and capacity)."""
    code = getattr(judgement, "lead_code", "")
    if not code or not passed_second_factor(user):
        return False
    from .models import OutcomeLead

    return OutcomeLead.objects.filter(
        review=judgement.review, outcome_code=code, member__inspector__user=user
    ).exists()


area_staff = (is_dcs | is_partner_contributor) & works_in_reviewed_area
team = is_on_review_team | is_national_lead | is_inspectorate_lead

rules.add_perm("reports.view_judgements", team)
rules.add_perm("reports.change_judgements", is_national_lead | leads_the_review)
rules.add_perm("reports.sign_off_judgements", leads_the_review)
# A judgement (the object is the ReviewJudgement): the leader drafts any, a member those of the
# outcomes they lead.
rules.add_perm(
    "reports.draft_judgement",
    is_national_lead | leads_the_review | (is_on_review_team & leads_the_outcome),
)
rules.add_perm("reports.assign_outcome_leads", is_national_lead | leads_the_review)
rules.add_perm("reports.correct_judgements", is_national_lead | leads_the_review)
rules.add_perm("reports.view_draft", team | (area_staff & draft_is_out))
rules.add_perm("reports.comment_draft", area_staff & comments_are_open)
