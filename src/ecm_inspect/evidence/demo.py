"""The demo's evidence: existing evidence pulled into both demo reviews, and for Gateshead's
(complete) review made-up fieldwork evidence, a synthetic pseudonymised case-file list with a
sample and notes, a neighbourhood study and a tracked child; then the analysis. All marked as
demo. Idempotent."""

import random
from datetime import timedelta

from ecm_inspect.reviews.models import Review

from .analysis import analysis_run
from .models import CaseCategory, CaseFile, EvidenceItem, EvidenceKind, Indication
from .services import (
    case_files_import,
    case_note_write,
    case_sample_draw,
    child_track,
    evidence_pull,
    evidence_record,
    journey_add,
    neighbourhood_study_add,
    neighbourhoods_suggest,
)

MADE_UP = "Demo: made up for the demonstration."
FIELDWORK = (
    (EvidenceKind.MEETING_MEMBERS_OFFICERS, "Meeting with the lead member and senior officers",
     ["SS.4", "EA.1"], 3, Indication.STRENGTH),
    (EvidenceKind.FOCUS_GROUP_STAFF, "Focus group of social workers on thresholds",
     ["SS.3", "SS.4"], 2, Indication.WEAKNESS),
    (EvidenceKind.MEETING_SERVICE_USERS, "Meeting with parents and young people's representatives",
     ["PC.1", "BH.1"], None, Indication.STRENGTH),
    (EvidenceKind.SETTING_VISIT, "Visit to a children's home", ["SS.7"], 3, Indication.STRENGTH),
    (EvidenceKind.FIRST_HAND_IMPACT, "First-hand evidence: transition plans for disabled youth",
     ["SS.8", "EW.6"], 2, Indication.WEAKNESS),
)  # fmt: skip
SERVICES = ["children's social care", "health visiting", "school", "CAMHS", "youth offending team"]


def _case_list(seed: int) -> str:
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    lines = ["reference,age,categories,services"]
    for n in range(80):
        categories = rng.sample(list(CaseCategory.values), k=rng.choice([1, 1, 2]))
        services = rng.sample(SERVICES, k=rng.choice([1, 2, 3]))
        lines.append(f"GH{n:04d},{rng.randint(0, 17)},{';'.join(categories)},{';'.join(services)}")
    return "\n".join(lines) + "\n"


def demo_evidence_ensure() -> None:
    for review in Review.objects.filter(is_synthetic=True):
        evidence_pull(review=review)
        if review.area.gss_code != "E08000037":
            analysis_run(review=review)
            continue
        start = review.analysis_starts_on
        if not EvidenceItem.objects.filter(review=review, is_synthetic=True).exists():
            for n, (kind, title, codes, grade, indication) in enumerate(FIELDWORK):
                evidence_record(
                    review=review, kind=kind, title=f"{title} (demo)", source="Review team",
                    dated=start + timedelta(days=21 + n), key_judgement_codes=codes, grade=grade,
                    indication=indication, summary=MADE_UP, is_synthetic=True,
                )  # fmt: skip
        if not CaseFile.objects.filter(review=review).exists():
            case_files_import(review=review, text=_case_list(review.pk))
            sample = case_sample_draw(review=review, size=24)
            case_note_write(
                case_file=sample[0], key_judgement_codes=["SS.3"], indication=Indication.WEAKNESS,
                text="Referral accepted within a day; the assessment took 14 weeks, beyond the "
                "timescale, and the plan was not reviewed. " + MADE_UP,
            )  # fmt: skip
            case_note_write(
                case_file=sample[1], key_judgement_codes=["SS.7"], indication=Indication.STRENGTH,
                text="Stable placement for two years; the child's views are recorded at every "
                "review. " + MADE_UP,
            )  # fmt: skip
            child = child_track(review=review, case_file=sample[2], summary=MADE_UP)
            for days, service, what in (
                (0, "Children's social care", "Referral from school about neglect."),
                (30, "Health visiting", "Developmental check; concerns shared."),
                (90, "Children's social care", "Child protection plan; core group met monthly."),
            ):
                journey_add(child=child, on=start - timedelta(days=200 - days), service=service,
                            what_happened=f"{what} {MADE_UP}")  # fmt: skip
            for row in neighbourhoods_suggest(area=review.area, count=2):
                neighbourhood_study_add(
                    review=review, lsoa_code=row["lsoa11cd"], why_chosen=row["why"]
                )
        analysis_run(review=review)
