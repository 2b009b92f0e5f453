"""The demo's fieldwork for a review in fieldwork: made up, marked so, dated within fieldwork up
to today, made once however often the demo runs, and it moves the proposals it is meant to."""

from datetime import date, timedelta

from django.utils import timezone

from ecm_inspect.evidence.demo import MADE_UP, demo_sunderland_fieldwork_ensure
from ecm_inspect.evidence.models import (
    EvidenceItem,
    EvidenceKind,
    FieldworkFinding,
    FieldworkMeeting,
    Indication,
    JourneyStep,
    NeighbourhoodStudy,
    Origin,
    TrackedChild,
)
from ecm_inspect.evidence.services import evidence_record
from ecm_inspect.reports.models import ReviewJudgement
from ecm_inspect.reports.services import judgements_propose
from ecm_inspect.reviews.models import Milestone, MilestoneKind, Review, Stage
from ecm_inspect.reviews.tests.conftest import ReviewWorld


def _counts(review: Review) -> list[int]:
    return [
        FieldworkFinding.objects.filter(review=review).count(),
        TrackedChild.objects.filter(review=review).count(),
        JourneyStep.objects.filter(child__review=review).count(),
        NeighbourhoodStudy.objects.filter(review=review).count(),
        FieldworkMeeting.objects.filter(review=review).count(),
        EvidenceItem.objects.filter(review=review, origin=Origin.FIELDWORK).count(),
    ]


def test_the_demo_fieldwork_is_made_once_and_moves_ss4_and_bh6(rw: ReviewWorld) -> None:
    review = rw.review
    today = timezone.localdate()
    demo_sunderland_fieldwork_ensure(review)  # not in fieldwork yet: nothing
    assert _counts(review) == [0, 0, 0, 0, 0, 0]
    start = today - timedelta(days=3)
    Milestone.objects.filter(review=review, kind=MilestoneKind.FIELDWORK_START).update(
        planned=start, actual=start
    )
    Review.objects.filter(pk=review.pk).update(stage=Stage.FIELDWORK)
    review.refresh_from_db()
    for code, grade in (("SS.4", 4), ("BH.6", 3)):
        evidence_record(
            review=review, kind=EvidenceKind.EARLIER_INSPECTION, title=f"Inspection {code}",
            source="CSCI", dated=date(2026, 3, 1), key_judgement_codes=[code], grade=grade,
            indication=Indication.STRENGTH,
        )  # fmt: skip
    judgements_propose(review=review)
    before = {j.code: j.proposed_grade for j in ReviewJudgement.objects.filter(review=review)}
    assert (before["SS.4"], before["BH.6"]) == (4, 3)

    demo_sunderland_fieldwork_ensure(review)
    made = _counts(review)
    assert made[0] >= 20
    assert made[1:5] == [2, made[2], 2, 4]
    assert made[2] >= 10
    demo_sunderland_fieldwork_ensure(review)
    assert _counts(review) == made

    findings = FieldworkFinding.objects.filter(review=review)
    assert all(f.is_synthetic and MADE_UP in f.found for f in findings)
    assert all(start <= f.found_on <= today for f in findings)
    assert all(m.is_synthetic for m in FieldworkMeeting.objects.filter(review=review))
    assert {m.kind for m in FieldworkMeeting.objects.filter(review=review)} == {
        "children", "parents", "staff", "partners",
    }  # fmt: skip
    estate, ward = sorted(NeighbourhoodStudy.objects.filter(review=review), key=lambda s: s.pk)
    assert estate.place_kind == "estate"
    assert estate.imd_decile < ward.imd_decile

    judgements_propose(review=review)
    ss4 = ReviewJudgement.objects.get(review=review, code="SS.4")
    assert ss4.proposed_grade == 2
    reasons = " ".join(ss4.proposal_reasons)
    assert "outstanding to adequate" in reasons
    assert "a serious weakness on SS.4" in reasons
    delayed = findings.get(tracked_child__isnull=False, aspect="timeliness", severity="significant")
    assert f"{delayed.reference}: a significant weakness on SS.4 (timeliness" in reasons
    assert ReviewJudgement.objects.get(review=review, code="BH.6").proposed_grade == 2
    for f in findings:
        assert f.found not in reasons
