"""The demo's performance data: the real indicators (DfE LAIT, DWP), earlier area
inspections (Ofsted's ILACS, historical APA and ratings), the APA proposed for the two
latest years with data, and a made-up self-assessment for Gateshead (marked as demo)."""

from django.db.models import Max

from ecm_inspect.accounts.models import User
from ecm_inspect.registry.models import Area

from .area_inspections import area_inspections_load
from .indicators import indicators_load
from .models import Assessment, IndicatorValue
from .self_assessment import (
    self_assessment_for,
    self_assessment_part_write,
    self_assessment_submit,
)

MADE_UP = "(Demo: made up for the demonstration.)"


def demo_performance_ensure() -> None:
    indicators_load()
    area_inspections_load()
    latest = IndicatorValue.objects.filter(area__isnull=False).aggregate(y=Max("year"))["y"]
    if latest is None:
        return
    from .services import apa_run

    for year in (latest - 1, latest):
        if not Assessment.objects.filter(year=year).exists():
            apa_run(year=year)
    gateshead = Area.objects.filter(gss_code="E08000037").first()
    dcs = User.objects.filter(username="demo-dcs").first()
    if gateshead is None:
        return
    found = self_assessment_for(area=gateshead, year=latest)
    if found.parts.exists():
        _demo_letter(gateshead, latest - 1)
        return
    for section, strengths, weaknesses, grade in (
        ("SS", "Multi-agency safeguarding hub answers every contact within a day.",
         "Re-referrals within a year remain above similar areas.", 3),
        ("EA", "Attainment at 16 of children in care is rising.",
         "Persistent absence in secondary schools.", 3),
        ("SM", "Stable leadership; social worker turnover below the region.",
         "Reliance on agency staff in the assessment teams.", 4),
    ):  # fmt: skip
        self_assessment_part_write(
            self_assessment=found, section=section, organisation="Gateshead council",
            strengths=f"{strengths} {MADE_UP}", weaknesses=weaknesses, self_grade=grade, by=dcs,
        )  # fmt: skip
    found.cooperation = f"Partners meet monthly in the children's trust board. {MADE_UP}"
    found.save(update_fields=["cooperation"])
    self_assessment_submit(self_assessment=found, by=dcs)
    _demo_letter(gateshead, latest - 1)


# What the demo's assessing inspector writes for a grade (made up, in plain words).
DEMO_RATIONALE = {
    4: "Outcomes are well above those of similar areas and improving; partners work closely "
    "together and the council knows its strengths and weaknesses well.",
    3: "Outcomes are generally better than those of similar areas; the council's "
    "self-assessment is accurate and improvement plans are on track.",
    2: "Outcomes are broadly in line with those of similar areas, with some that are not yet "
    "improving; the council recognises these and has begun to act.",
    1: "Outcomes are well below those of similar areas and are not improving; leaders have "
    "not yet shown that their plans are making a difference.",
}


def _demo_letter(area: Area, year: int) -> None:
    """Gateshead's letter of the year before the latest, as the assessing inspector writes
    it: every grade recorded (the proposal, where there is one; else adequate) with a plain
    rationale, the meeting with the council held, and the letter issued for factual
    accuracy. Idempotent: a letter already issued is left alone."""
    import datetime

    from .letters import assessment_meeting_record, letter_issue
    from .models import LetterStatus
    from .services import judgement_record

    assessment = Assessment.objects.filter(area=area, year=year).first()
    inspector = User.objects.filter(username="demo-inspector").first()
    if assessment is None or assessment.letter_status != LetterStatus.DRAFT:
        return
    for judgement in assessment.judgements.all():
        if judgement.recorded_grade:
            continue
        grade = judgement.proposed_grade or 2
        judgement_record(
            judgement=judgement,
            grade=grade,
            rationale=f"{DEMO_RATIONALE[grade]} {MADE_UP}",
            override_reason=""
            if judgement.proposed_grade
            else "Evidence gathered at the assessment meeting with the council.",
            seen_version=judgement.version,
            by=inspector,
        )
    assessment_meeting_record(
        assessment=assessment, held_on=datetime.date(year, 9, 24), by=inspector
    )
    letter_issue(assessment=assessment, by=inspector)
