"""Gateshead's demo review (already at follow-up) gets what its reporting would have made:
judgements recorded from the evidence and signed off, gaps, recommendations, two drafts with
the DCS's circulation and accuracy comments decided, and the published report. Made up;
marked as demo. Sunderland's review, in fieldwork, gets the drafts of a team at work: two
members drafting the outcomes they lead, one key judgement not judged, one draft returned by
the team leader and one signed off."""

from django.db import transaction

from ecm_inspect.accounts.models import User
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.reviews.demo import DEMO_SLIPS, walk
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.voices.concerns import concern_handle
from ecm_inspect.voices.models import Concern, ConcernStatus

from .models import GapKind, Level, Priority, Publication, ReviewJudgement
from .services import (
    comment_add,
    comment_decide,
    draft_circulate,
    draft_make,
    gap_record,
    group_statements,
    judgement_record,
    judgement_return,
    judgement_sign_off,
    judgements_propose,
    outcome_lead_set,
    recommendation_add,
    relevant_items,
)

FINDINGS = {
    4: "Services work very well together here and outcomes for children are strong.",
    3: "Services are good and most children and young people do well.",
    2: "Services are adequate, but some children and young people wait too long for help.",
    1: "Services do not keep children and young people safe or well enough.",
}
# Made-up findings of particular judgements, so that the demo report reads like one.
SPECIFIC = {
    "BH": "Most children are healthy; teenage conceptions have fallen faster than in similar "
    "areas, and health checks for children in care are timely.",
    "SS": "Children at risk are identified and protected; thresholds for referral are not yet "
    "applied consistently by all agencies.",
    "EA": "Attainment at every key stage is above that of similar areas, and very few pupils "
    "are excluded.",
    "PC": "Young people's views shape services through a well-run youth assembly; first-time "
    "offending has fallen.",
    "EW": "Most young people stay in education or training at 16; care leavers are well "
    "supported into work and housing.",
    "SM": "Leaders share clear ambitions for children, and partners plan together through the "
    "children's trust.",
    "SM.1": "Leadership is strong and the children and young people's plan sets clear priorities.",
    "SM.7": "Services are commissioned jointly and give good value for money; unit costs are "
    "below those of similar areas.",
    "capacity": "Good management, a record of improvement and sound finances give the area good "
    "capacity to improve.",
    "SS.4": "Agencies work well together to safeguard children; case files show timely "
    "strategy discussions.",
}
STATEMENT_FINDINGS = (
    "Most of this is in place; the team saw it in the cases it tracked (demo).",
    "This works for most children, though not yet for all (demo).",
)


def _record_all(review: Review, leader: User) -> None:
    strongest = list(EvidenceItem.objects.filter(review=review).order_by("-grade")[:4])
    for j in judgements_propose(review=review):
        grade = j.proposed_grade or 3
        related = list(relevant_items(j)[:3]) or strongest
        tagged = set(relevant_items(j).values_list("pk", flat=True))
        j = judgement_record(
            judgement=j,
            grade=grade if j.is_graded or j.proposed_grade else None,
            finding=f"{SPECIFIC.get(j.code, FINDINGS[grade])} (Demo.)",
            rationale="The evidence listed, weighed at the team's moderation meeting (demo).",
            evidence_ids=[e.pk for e in related],
            statement_findings={
                s.code: STATEMENT_FINDINGS[n % 2] for n, s in enumerate(group_statements(j))
            },
            evidence_reasons={
                e.pk: "Among the area's strongest evidence, weighed at moderation (demo)."
                for e in related
                if e.pk not in tagged
            },
            seen_version=j.version,
            by=leader,
        )
        judgement_sign_off(judgement=j, by=leader)


def _gaps_and_recommendations(review: Review, leader: User) -> None:
    for kind, service, description, managed in (
        (
            GapKind.INEFFECTIVE,
            "Child and adolescent mental health",
            "Waiting times are long although the service is big enough. (Demo.)",
            "",
        ),
        (
            GapKind.CAPACITY,
            "Short breaks for disabled children",
            "Too few places, and no provider has offered more. (Demo.)",
            "The council pays for places in a neighbouring area meanwhile. (Demo.)",
        ),
        (
            GapKind.VERY_GOOD,
            "The youth offending team",
            "Its work with schools has cut first-time entrants. (Demo.)",
            "",
        ),
    ):
        gap_record(
            review=review,
            kind=kind,
            service=service,
            description=description,
            how_managed=managed,
            by=leader,
        )
    for text, body, priority in (
        (
            "review the thresholds for referral to children's social care",
            "Gateshead council",
            Priority.IMMEDIATELY,
        ),
        (
            "shorten waits for mental health assessment",
            "The primary care trust",
            Priority.SIX_MONTHS,
        ),
        (
            "plan transition to adult services for disabled young people",
            "Gateshead council",
            Priority.LONGER_TERM,
        ),
    ):
        recommendation_add(review=review, text=text, body=body, priority=priority, by=leader)


def _concerns_handled(review: Review) -> None:
    """The survey's safeguarding contact has passed on every concern (publication waits for
    it)."""

    for concern in Concern.objects.filter(survey__review=review, status=ConcernStatus.NEW):
        concern_handle(
            concern=concern,
            status=ConcernStatus.PASSED_ON,
            action="Passed to the school's safeguarding lead by telephone. (Demo.)",
            by=concern.survey.safeguarding_contact,
        )


def _draft(judgement: ReviewJudgement, by: User, finding: str) -> ReviewJudgement | None:
    """A member's draft of a key judgement from its own evidence (None if it has none)."""
    items = list(relevant_items(judgement)[:3])
    if not items:
        return None
    return judgement_record(
        judgement=judgement,
        grade=judgement.proposed_grade or 3,
        finding=f"{finding} (Demo.)",
        rationale="The evidence listed; to be weighed at the team's moderation meeting (demo).",
        evidence_ids=[e.pk for e in items],
        seen_version=judgement.version,
        by=by,
    )


@transaction.atomic
def demo_sunderland_drafts_ensure() -> None:
    """Sunderland's review, in fieldwork, as a team works it: the demo inspector leads staying
    safe, the demo health inspector being healthy; each has drafted key judgements of their
    outcome, one is marked not judged with a reason, one draft is returned by the team leader
    with a comment and one is signed off."""
    review = Review.objects.filter(
        is_synthetic=True, area__gss_code="E08000024", stage=Stage.FIELDWORK
    ).first()
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    leader = users.get("demo-team-leader")
    if review is not None and review.outcome_leads.exists():
        judgements_propose(review=review)  # the proposals follow the fieldwork found since
        return
    if review is None or leader is None:
        return
    judgements_propose(review=review)
    drafters = {"SS": users.get("demo-inspector"), "BH": users.get("demo-health-inspector")}
    drafted: dict[str, list[ReviewJudgement]] = {}
    for outcome, user in drafters.items():
        member = review.team.filter(inspector__user=user).first() if user else None
        if user is None or member is None:
            continue
        outcome_lead_set(review=review, outcome_code=outcome, member=member, by=leader)
        kjs = review.judgements.filter(level=Level.KEY_JUDGEMENT, code__startswith=f"{outcome}.")
        for j in kjs:
            done = _draft(j, user, SPECIFIC.get(j.code, FINDINGS[j.proposed_grade or 3]))
            if done is not None:
                drafted.setdefault(outcome, []).append(done)
            if len(drafted.get(outcome, [])) == 2:
                break
        untouched = kjs.exclude(pk__in=[j.pk for j in drafted.get(outcome, [])]).first()
        if outcome == "SS" and untouched is not None:
            judgement_record(
                judgement=untouched,
                grade=None,
                finding="",
                rationale="",
                evidence_ids=[],
                not_judged=True,
                not_judged_reason="No service in the area does this work yet, so there is "
                "nothing to judge this time (demo).",
                seen_version=untouched.version,
                by=user,
            )
    if drafted.get("SS"):
        judgement_sign_off(judgement=drafted["SS"][0], by=leader)
    if drafted.get("BH"):
        judgement_return(
            judgement=drafted["BH"][-1],
            comment="The health visiting evidence points the other way: look at it again "
            "before we moderate (demo).",
            by=leader,
        )


@transaction.atomic
def demo_reports_ensure() -> None:
    demo_sunderland_drafts_ensure()
    review = Review.objects.filter(is_synthetic=True, area__gss_code="E08000037").first()
    if review is None or Publication.objects.filter(review=review).exists():
        return
    if review.stage not in {Stage.FIELDWORK, Stage.FINDINGS_AGREED}:
        return  # an older demo database walked it through already
    leader = User.objects.filter(username="demo-team-leader").first()
    if leader is None:
        return
    _record_all(review, leader)
    _gaps_and_recommendations(review, leader)
    # The findings are agreed once every key judgement is recorded (reports.guards).
    review = walk(review, Stage.FINDINGS_AGREED, DEMO_SLIPS)
    first = draft_make(review=review, by=leader)
    review = walk(review, Stage.DRAFT_SENT, DEMO_SLIPS)
    dcs = User.objects.filter(username="demo-dcs").first()
    draft_circulate(
        draft=first,
        organisations=["Gateshead council", "Gateshead primary care trust", "Northumbria police"],
        by=dcs,
    )
    comment = comment_add(
        draft=first,
        paragraph="C1",
        organisation="Gateshead council",
        text="Our population figure was updated by the ONS after the draft was written. (Demo.)",
        by=dcs,
    )
    comment_decide(
        comment=comment, accept=True, reason="Checked against the ONS estimate.", by=leader
    )
    ss = review.judgements.get(code="SS")
    judgement_record(
        judgement=ss,
        grade=ss.grade,
        finding=f"{ss.finding} Referrals are answered within a day.",
        rationale=ss.rationale,
        evidence_ids=list(ss.evidence.values_list("pk", flat=True)),
        seen_version=ss.version,
        by=leader,
    )
    judgement_sign_off(judgement=review.judgements.get(code="SS"), by=leader)
    draft_make(review=review, by=leader)
    _concerns_handled(review)
    # Comments close on their planned day; publishing (confirmed) freezes the report then.
    walk(review, Stage.FOLLOW_UP, DEMO_SLIPS)
