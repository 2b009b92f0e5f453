"""Gateshead's demo review (already at follow-up) gets what its reporting would have made:
judgements recorded from the evidence and signed off, gaps, recommendations, two drafts with
accuracy comments decided, and the published report. Made up; marked as demo."""

from django.db import transaction

from ecm_inspect.accounts.models import User
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.reviews.demo import DEMO_SLIPS, walk
from ecm_inspect.reviews.models import MilestoneKind, Review, Stage

from .models import Gap, GapKind, Priority, Publication, Recommendation
from .services import (
    comment_add,
    comment_decide,
    draft_make,
    judgement_record,
    judgement_sign_off,
    judgements_propose,
    publication_make,
)

FINDINGS = {
    4: "Services work very well together here and children's outcomes are strong.",
    3: "Services are good and most children and young people do well.",
    2: "Services are adequate, but some children and young people wait too long for help.",
    1: "Services do not keep children and young people safe or well enough.",
}


@transaction.atomic
def demo_reports_ensure() -> None:
    review = Review.objects.filter(is_synthetic=True, area__gss_code="E08000037").first()
    if review is None or Publication.objects.filter(review=review).exists():
        return
    if review.stage != Stage.FINDINGS_AGREED:
        return  # an older demo database walked it through already
    leader = User.objects.filter(username="demo-team-leader").first()
    if leader is None:
        return
    evidence = list(EvidenceItem.objects.filter(review=review).order_by("-grade")[:4])
    for j in judgements_propose(review=review):
        grade = j.proposed_grade or 3
        related = list(j.review.evidence.filter(key_judgements__code=j.code)[:3]) or evidence
        judgement_record(
            judgement=j,
            grade=grade if j.is_graded else None,
            finding=f"{FINDINGS[grade]} (Demo.)",
            rationale="From the evidence listed.",
            evidence_ids=[e.pk for e in related],
            seen_version=j.version,
            by=leader,
        )
        j.refresh_from_db()
        judgement_sign_off(judgement=j, by=leader)
    Gap.objects.create(
        review=review,
        kind=GapKind.INEFFECTIVE,
        service="Child and adolescent mental health",
        description="Waiting times are long although the service is sufficient in size. (Demo.)",
    )
    Gap.objects.create(
        review=review,
        kind=GapKind.VERY_GOOD,
        service="The youth offending team",
        description="Very good work with schools cuts first-time entrants. (Demo.)",
    )
    for order, (text, body, priority) in enumerate(
        (
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
        )
    ):
        Recommendation.objects.create(
            review=review, text=text, body=body, priority=priority, order=order
        )
    first = draft_make(review=review, by=leader)
    review = walk(review, Stage.DRAFT_SENT, DEMO_SLIPS)
    dcs = User.objects.filter(username="demo-dcs").first()
    comment = comment_add(
        draft=first,
        paragraph=first.paragraphs[0][0],
        organisation="Gateshead council",
        text="Our referral figures for the last quarter were updated after the draft. (Demo.)",
        by=dcs,
    )
    comment_decide(
        comment=comment, accept=True, reason="Checked against the new figures.", by=leader
    )
    draft_make(review=review, by=leader)
    review = walk(review, Stage.FINDINGS_MEETING_HELD, DEMO_SLIPS)
    published = review.milestones.get(kind=MilestoneKind.PUBLICATION)
    publication_make(review=review, on=published.planned, by=leader)
    walk(review, Stage.FOLLOW_UP, DEMO_SLIPS)
