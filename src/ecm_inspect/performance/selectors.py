"""Reads of the annual performance assessment, each asking the policy."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.core.work import WorkItem, work_item
from ecm_inspect.framework.grades import grade_words
from ecm_inspect.registry.models import Area, StatisticalNeighbour

from .calendar import calendar_for
from .models import (
    Assessment,
    AssessmentJudgement,
    CpaBlockScore,
    IndicatorDefinition,
    IndicatorValue,
    InterventionAlert,
    JudgementKind,
    LetterStatus,
    SelfAssessment,
    SelfAssessmentStatus,
)
from .proposals import MIN_NEIGHBOURS, OUTCOME_TITLES

ORDER = [k.value for k in JudgementKind]
# The real national spread of APA overall grades in 2005 (REFERENCE: 8% / 67% / 24% / 1% for
# grades 4..1), for comparing the proposals with.
REAL_2005_OVERALL = {4: 8, 3: 67, 2: 24, 1: 1}


# The first APA was in 2005 (the 2004 proposals, section 4; "the 2005 APA" of DESIGN.md). A
# council may begin its self-assessment for next year's APA, never one further ahead.
FIRST_APA_YEAR = 2005


def apa_years_open(*, today: date | None = None) -> range:
    """The years an APA (and so a self-assessment) can be for: 2005 to next year."""
    return range(FIRST_APA_YEAR, (today or timezone.localdate()).year + 2)


def self_assessment_get(*, area: Area, year: int) -> SelfAssessment:
    """The area's self-assessment for the year, or a blank one not yet stored (reading never
    creates it; the first part written does). A year no APA can be for is not found."""
    if year not in apa_years_open():
        raise Http404("No annual performance assessment for that year.")
    found = SelfAssessment.objects.filter(area=area, year=year).first()
    return found or SelfAssessment(area=area, year=year)


def assessment_years() -> list[int]:
    return sorted(set(Assessment.objects.values_list("year", flat=True)), reverse=True)


def assessments_for_user(*, user: Any, year: int) -> QuerySet[Assessment]:
    if not user.has_perm("performance.view_assessment_list"):
        raise PermissionDenied
    return (
        Assessment.objects.filter(year=year)
        .select_related("area")
        .prefetch_related("judgements")
        .order_by("area__name")
    )


def cpa_block_scores_for_user(*, user: Any, year: int | None = None) -> QuerySet[CpaBlockScore]:
    """The stored CPA children and young people block scores (all years, or one): inspectorate
    staff only, since an undecided one is a proposal."""
    if not user.has_perm("performance.view_proposals"):
        raise PermissionDenied
    found = CpaBlockScore.objects.select_related("area")
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-year", "area__name")


def cpa_block_score_rows(scores: Any) -> list[dict[str, Any]]:
    return [
        {
            "year": b.year,
            "gss_code": b.area.gss_code,
            "area": b.area.name,
            "score": b.score,
            "source": b.source,
            "source_label": b.get_source_display(),
            "decided": b.decided,
            "written_at": b.written_at.isoformat(),
        }
        for b in scores
    ]


CPA_BLOCK_SCORE_FIELDS = [
    "year", "gss_code", "area", "score", "source", "source_label", "decided", "written_at",
]  # fmt: skip


def assessment_get_for_user(*, user: Any, year: int, gss_code: str) -> Assessment:
    area = Area.objects.filter(gss_code=gss_code).first()
    if area is None:
        raise Http404("No such area.")
    if not user.has_perm("performance.view_assessment", area):
        raise PermissionDenied
    assessment = (
        Assessment.objects.filter(area=area, year=year).prefetch_related("judgements").first()
    )
    if assessment is None:
        raise Http404(f"{area.name} has not been assessed for {year} yet.")
    return assessment


def judgements_in_order(assessment: Assessment) -> list[AssessmentJudgement]:
    found = {j.kind: j for j in assessment.judgements.all()}
    return [found[k] for k in ORDER if k in found]


def overall_spread(assessments: list[Assessment]) -> dict[int | None, int]:
    spread: dict[int | None, int] = {4: 0, 3: 0, 2: 0, 1: 0, None: 0}
    for a in assessments:
        overall = next((j for j in a.judgements.all() if j.kind == "overall"), None)
        spread[overall.grade if overall else None] += 1
    return spread


@dataclass(frozen=True)
class IndicatorRow:
    definition: IndicatorDefinition
    value: float | None
    england: float | None
    previous: float | None
    neighbours: float | None = None  # the mean of the statistical neighbours with data
    neighbours_with_data: int = 0

    @property
    def against_neighbours(self) -> str:
        """Better, worse or about the same as the neighbours' mean (5% either way), as the
        indicator's polarity reads; empty for context indicators or no mean."""
        polarity = self.definition.polarity
        if self.value is None or self.neighbours is None or polarity not in {"higher", "lower"}:
            return ""
        scale = abs(self.neighbours) or 1.0
        difference = (self.value - self.neighbours) / scale
        if polarity == "lower":
            difference = -difference
        if difference > 0.05:
            return "better"
        if difference < -0.05:
            return "worse"
        return "similar"


def indicator_rows(*, area: Area, year: int) -> dict[str, list[IndicatorRow]]:
    """The area's indicator values this year beside England's, the mean of its statistical
    neighbours (when at least MIN_NEIGHBOURS have data) and last year's, by outcome."""
    neighbour_ids = list(
        StatisticalNeighbour.objects.filter(area=area).values_list("neighbour_id", flat=True)
    )
    values = {
        (v.indicator_id, v.area_id, v.year): v.value
        for v in IndicatorValue.objects.filter(year__in=[year, year - 1], area__in=[area]).only(
            "indicator_id", "area_id", "year", "value"
        )
    }
    for v in IndicatorValue.objects.filter(year=year, area__isnull=True).only(
        "indicator_id", "year", "value"
    ):
        values[(v.indicator_id, None, v.year)] = v.value
    around: dict[int, list[float]] = {}
    for indicator_id, near_value in IndicatorValue.objects.filter(
        year=year, area_id__in=neighbour_ids
    ).values_list("indicator_id", "value"):
        around.setdefault(indicator_id, []).append(near_value)
    out: dict[str, list[IndicatorRow]] = {}
    for d in IndicatorDefinition.objects.order_by("outcome", "code"):
        value = values.get((d.pk, area.pk, year))
        if value is None:
            continue
        near = around.get(d.pk, [])
        out.setdefault(OUTCOME_TITLES.get(d.outcome, d.outcome), []).append(
            IndicatorRow(
                d,
                value,
                values.get((d.pk, None, year)),
                values.get((d.pk, area.pk, year - 1)),
                sum(near) / len(near) if len(near) >= MIN_NEIGHBOURS else None,
                len(near),
            )
        )
    # Section by section in the Framework's order (the five outcomes, then service management).
    order = list(OUTCOME_TITLES.values())
    return dict(sorted(out.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))


# Where else the area's director of children's services is named, for a council with no DCS
# account: the joint area review feature registers the DCS named on the area's latest review.
DCS_NAMED: list[Callable[[Area], str]] = []


def letter_addressee(area: Area) -> str:
    """The named director of children's services the letter is addressed to: the council's
    DCS account (its full name), else the DCS named on the area's latest review, else the
    post alone."""

    dcs = (
        User.objects.filter(role=Role.DCS, is_active=True, organisation__area=area)
        .exclude(full_name="")
        .order_by("pk")
        .first()
    )
    if dcs is not None:
        return str(dcs.full_name)
    return next((name for named in DCS_NAMED if (name := named(area))), "")


def letter_paragraphs(assessment: Assessment) -> dict[str, Any]:
    """The letter's plain words, from the recorded grades and the inspector's rationale only
    (never the proposals or their reasons): each outcome's finding, the strengths and the
    areas for improvement."""
    recorded = {j.kind: j for j in assessment.judgements.all() if j.recorded_grade}
    sections = []
    strengths: list[str] = []
    improvements: list[str] = []
    for kind in [*OUTCOME_TITLES]:
        j = recorded.get(kind)
        title = OUTCOME_TITLES[kind]
        if j is None:
            sections.append({"title": title, "grade": None, "finding": "", "rationale": ""})
            continue
        word = grade_words(j.recorded_grade or 0)
        finding = LETTER_FINDINGS[kind].format(word=word)
        sections.append(
            {"title": title, "grade": word, "finding": finding, "rationale": j.rationale}
        )
        first = re.split(r"(?<=[.!?])\s", j.rationale.strip(), maxsplit=1)[0] if j.rationale else ""
        line = f"{title} ({word}): {first}" if first else f"{title} ({word})."
        (strengths if (j.recorded_grade or 0) >= 3 else improvements).append(line)
    overall = recorded.get("overall")
    capacity = recorded.get("capacity")
    return {
        "sections": sections,
        "strengths": strengths,
        "improvements": improvements,
        "overall": grade_words(overall.recorded_grade or 0) if overall else None,
        "overall_rationale": overall.rationale if overall else "",
        "capacity": grade_words(capacity.recorded_grade or 0) if capacity else None,
        "capacity_rationale": capacity.rationale if capacity else "",
        "complete": all(k in recorded for k in [*OUTCOME_TITLES, "capacity", "overall"]),
    }


LETTER_FINDINGS = {
    "BH": "The council's contribution to helping children and young people be healthy is {word}.",
    "SS": "The council's contribution to keeping children and young people safe is {word}.",
    "EA": "The council's contribution to helping children and young people enjoy and achieve "
    "is {word}.",
    "PC": "The council's contribution to helping children and young people make a positive "
    "contribution is {word}.",
    "EW": "The council's contribution to helping children and young people achieve economic "
    "well-being is {word}.",
    "SM": "The management of the council's services for children and young people is {word}.",
}


def apa_fieldwork_issues(*, area: Area, before_year: int) -> tuple[Assessment | None, str]:
    """The fieldwork issues the area's latest APA (of `before_year` or earlier) identifies for
    its next joint area review, as lines for the set-up meeting, with the assessment they came
    from; (None, "") when there are none."""
    assessment = (
        Assessment.objects.filter(area=area, year__lte=before_year)
        .exclude(fieldwork_specification=[])
        .exclude(source="jar")
        .order_by("-year")
        .first()
    )
    if assessment is None:
        return None, ""
    recorded = {j.kind: j.recorded_grade for j in assessment.judgements.all()}
    lines = []
    for item in assessment.fieldwork_specification:
        kind = str(item.get("judgement", ""))
        title = OUTCOME_TITLES.get(kind) or dict(JudgementKind.choices).get(kind, kind)
        grade = recorded.get(kind)
        # Plain words only: the grade the inspector recorded, else what kind of concern it is
        # (the part of the seed's reason before its first colon), never the proposal's scores.
        why = (
            f"graded {grade_words(grade)}"
            if grade
            else str(item.get("why", "")).split(":")[0].strip() or "to look at"
        )
        lines.append(f"{title}: {why} (APA {assessment.year})")
    return assessment, "\n".join(lines)


def alerts_for_user(*, user: Any) -> QuerySet[InterventionAlert]:
    if not user.has_perm("performance.view_alerts"):
        return InterventionAlert.objects.none()
    return InterventionAlert.objects.filter(acknowledged_at__isnull=True).select_related("area")


# -- the start page ------------------------------------------------------------------------


def alert_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """Intervention alerts not yet acknowledged (`performance.view_alerts`), one item linking
    to the APA page where each is acknowledged."""
    alerts = list(alerts_for_user(user=user))
    if not alerts or not user.has_perm("performance.view_assessment_list"):
        return []
    n = len(alerts)
    return [
        work_item(
            "Alerts",
            f"Acknowledge {n} intervention alert{pluralize(n)}",
            reverse("performance:list"),
            today=today,
            detail=", ".join(sorted({a.area.name for a in alerts})) + ".",
        )
    ]


def apa_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """For a council's DCS and partner contributors, their area's APA: the latest letter issued
    to them (`performance.view_letter`; representations on its factual accuracy are open until
    their due date while it is issued), and the self-assessment to write: any earlier one left
    unsubmitted whose letter is not published yet, and the next one due
    (`performance.view_self_assessment`)."""
    if user.role not in {Role.DCS, Role.PARTNER_CONTRIBUTOR} or user.area_id is None:
        return []
    area = user.organisation.area
    items: list[WorkItem] = []
    letter = (
        Assessment.objects.filter(
            area=area, letter_status__in=[LetterStatus.ISSUED, LetterStatus.PUBLISHED]
        )
        .order_by("-year")
        .first()
    )
    if letter is not None and user.has_perm("performance.view_letter", letter):
        href = reverse("performance:letter", args=[letter.year, area.gss_code])
        closes = calendar_for(letter.year)["representations"]
        if letter.letter_status == LetterStatus.ISSUED and closes >= today:
            represents = user.has_perm("performance.make_representation", letter)
            items.append(
                work_item(
                    "Annual performance assessment",
                    f"Check your APA letter for {letter.year}"
                    + (" and make any representations on its accuracy" if represents else ""),
                    href,
                    today=today,
                    due=closes,
                    detail="Issued to the council; not yet published.",
                    is_task=represents,
                )
            )
        else:
            items.append(
                work_item(
                    "Annual performance assessment",
                    f"Your APA letter for {letter.year}",
                    href,
                    today=today,
                    detail="Published."
                    if letter.letter_status == LetterStatus.PUBLISHED
                    else "Issued to the council; not yet published.",
                    is_task=False,
                )
            )
    if not user.has_perm("performance.view_self_assessment", area):
        return items
    writes = user.has_perm("performance.change_self_assessment", area)
    published = set(
        Assessment.objects.filter(area=area, letter_status=LetterStatus.PUBLISHED).values_list(
            "year", flat=True
        )
    )
    stored = {s.year: s for s in SelfAssessment.objects.filter(area=area)}
    years = apa_years_open(today=today)
    # The next one due: this year's, or, once its date has passed, next year's.
    upcoming = next(
        (y for y in (today.year, today.year + 1) if calendar_for(y)["self_assessment"] >= today),
        None,
    )
    wanted = sorted(
        {
            y
            for y, s in stored.items()
            if y in years and s.status != SelfAssessmentStatus.SUBMITTED and y not in published
        }
        | ({upcoming} if upcoming else set())
    )
    for year in wanted:
        found = stored.get(year)
        if found is not None and found.status == SelfAssessmentStatus.SUBMITTED:
            continue
        items.append(
            work_item(
                "Annual performance assessment",
                f"{'Write' if writes else 'Read'} the self-assessment for the {year} APA",
                reverse("performance:self-assessment", args=[year, area.gss_code]),
                today=today,
                due=calendar_for(year)["self_assessment"],
                detail="Started, not submitted." if found else "Not started.",
                is_task=writes,
            )
        )
    return items
