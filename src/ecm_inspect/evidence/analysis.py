"""The analysis stage as a function: for every in-scope key judgement, is the existing evidence
sufficient to agree a finding now, or is fieldwork needed, and why? Then the fieldwork
specification for the set-up meeting.

The 2004 proposals, "Differentiating fieldwork": new fieldwork "where outcomes give rise to
particular concern, or where the judgement of service contribution cannot be made in any other
way ... because the review team does not have access to existing inspection evidence for a
service, or because the evidence is not relevant and up-to-date, is limited in its scope or is
conflicting"; and "service contributions to safeguarding welfare will be inspected through some
fieldwork in each review". The rules, each tested on a case where it fires and its near miss:

- NO_EVIDENCE: nothing bears on the judgement.
- NOT_RECENT: the newest evidence is older than MAX_AGE_MONTHS (36) before the analysis week.
- LIMITED_SCOPE: relevant kinds of provider in the area have no recent inspection on the
  judgement (the setting-inspection pooling's gaps), or a judgement about a vulnerable group has
  no evidence about that group.
- CONFLICTING: graded sources two grades or more apart, or strengths and weaknesses both.
- CONCERN: the outcome is of particular concern: graded 2 or below in the latest APA, or weak
  performance data.
- SAFEGUARDING: judgements about agencies working together to safeguard children (SS.4)
  always get fieldwork.

Any rule firing means "fieldwork needed", with the reasons and a hypothesis to test (the team
may rewrite it; their edits are kept and audited). Otherwise "finding can be agreed at
analysis", with the proposed grade: the mean of the graded evidence, rounded.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.provision.selectors import area_pool
from ecm_inspect.reviews.models import Review, TeamRole

from .models import (
    AnalysisStatus,
    CaseFile,
    EvidenceItem,
    EvidenceKind,
    Indication,
    JudgementAnalysis,
    NeighbourhoodStudy,
)
from .services import neighbourhoods_suggest

MAX_AGE_MONTHS = 36
SAFEGUARDING_JUDGEMENTS = frozenset({"SS.4"})
GRADE_GAP = 2
WORDS = {4: "outstanding", 3: "good", 2: "adequate", 1: "inadequate"}


@dataclass
class Verdict:
    key_judgement: KeyJudgement
    evidence: list[EvidenceItem]
    reasons: list[str] = field(default_factory=list)
    proposed_grade: int | None = None

    @property
    def status(self) -> str:
        return AnalysisStatus.FIELDWORK if self.reasons else AnalysisStatus.AGREED


def in_scope_judgements(review: Review) -> list[KeyJudgement]:
    """The key judgements of the outcomes in scope (those about children in care and children
    with learning difficulties and/or disabilities are always there: they sit in the outcomes)."""
    outcomes = list(review.outcomes.values_list("pk", flat=True))
    return list(
        KeyJudgement.objects.filter(Q(outcome_id__in=outcomes) | ~Q(vulnerable_group=""))
        .filter(version__code=review.framework_code)
        .select_related("outcome")
        .order_by("outcome__order", "order")
        .distinct()
    )


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


def judge(
    kj: KeyJudgement,
    items: list[EvidenceItem],
    *,
    start: datetime.date,
    gaps: list[str],
    concern: str | None,
    group_covered: bool,
) -> Verdict:
    """The sufficiency rules for one key judgement (pure: no database)."""
    verdict = Verdict(kj, items)
    if kj.code in SAFEGUARDING_JUDGEMENTS:
        verdict.reasons.append(
            "Safeguarding: how agencies work together to safeguard children is always inspected "
            "in fieldwork."
        )
    if not items:
        verdict.reasons.append("No evidence bears on this judgement.")
        return verdict
    newest = max(i.dated for i in items)
    if newest < _months_before(start, MAX_AGE_MONTHS):
        verdict.reasons.append(
            f"Not recent: the newest evidence is from {newest:%B %Y}, more than "
            f"{MAX_AGE_MONTHS // 12} years before the analysis."
        )
    if gaps:
        verdict.reasons.append(f"Limited in scope: no recent inspection of {', '.join(gaps)}.")
    if kj.vulnerable_group and not group_covered:
        verdict.reasons.append(
            f"Limited in scope: no evidence about {kj.get_vulnerable_group_display().lower()}."
        )
    grades = [i.grade for i in items if i.grade is not None]
    if grades and max(grades) - min(grades) >= GRADE_GAP:
        verdict.reasons.append(
            f"Conflicting: sources grade it from {min(grades)} to {max(grades)}."
        )
    indications = {i.indication for i in items}
    if {Indication.STRENGTH, Indication.WEAKNESS} <= indications and not (
        grades and max(grades) - min(grades) >= GRADE_GAP
    ):
        verdict.reasons.append("Conflicting: some evidence shows a strength, some a weakness.")
    if concern:
        verdict.reasons.append(f"Of particular concern: {concern}.")
    if grades:
        verdict.proposed_grade = round(sum(grades) / len(grades))
    elif indications == {Indication.STRENGTH}:
        verdict.proposed_grade = 3
    elif Indication.WEAKNESS in indications and Indication.STRENGTH not in indications:
        verdict.proposed_grade = 2
    return verdict


def _concerns(items: list[EvidenceItem]) -> dict[str, str]:
    """Outcomes of particular concern: graded 2 or below in the APA, or weak performance data."""
    out: dict[str, str] = {}
    for item in items:
        outcomes = {kj.outcome.code for kj in item.key_judgements.all()}
        if item.kind == EvidenceKind.APA_FINDINGS and item.grade is not None and item.grade <= 2:
            for code in outcomes:
                out.setdefault(code, f"graded {item.grade} ({WORDS[item.grade]}) in the APA")
        if item.kind == EvidenceKind.PERFORMANCE_DATA and item.indication == Indication.WEAKNESS:
            for code in outcomes:
                out.setdefault(code, "performance data worse than England on most indicators")
    return out


def _hypothesis(verdict: Verdict) -> str:
    kj = verdict.key_judgement
    return f"Test whether {kj.text} ({kj.code}): " + " ".join(verdict.reasons)


@transaction.atomic
def analysis_run(*, review: Review) -> list[JudgementAnalysis]:
    """Run the sufficiency rules over every in-scope key judgement and store the verdicts,
    keeping hypotheses the team has edited."""
    items = list(
        EvidenceItem.objects.filter(review=review).prefetch_related(
            "key_judgements__outcome", "vulnerable_groups"
        )
    )
    by_kj: dict[int, list[EvidenceItem]] = {}
    for item in items:
        for kj in item.key_judgements.all():
            by_kj.setdefault(kj.pk, []).append(item)
    pool = area_pool(area=review.area, as_of=review.analysis_starts_on)
    gaps = {p.code: [f"{g.kind} ({g.providers})" for g in p.gaps] for p in pool.key_judgements}
    concerns = _concerns(items)
    out = []
    for kj in in_scope_judgements(review):
        mine = by_kj.get(kj.pk, [])
        covered = any(
            kj.vulnerable_group in {g.slug for g in i.vulnerable_groups.all()}
            or i.kind == EvidenceKind.EARLIER_INSPECTION
            for i in mine
        )
        verdict = judge(
            kj,
            mine,
            start=review.analysis_starts_on,
            gaps=gaps.get(kj.code, []),
            concern=concerns.get(kj.outcome.code),
            group_covered=covered,
        )
        found = JudgementAnalysis.objects.filter(review=review, key_judgement=kj).first()
        finding = (
            f"The evidence supports a grade of {verdict.proposed_grade} "
            f"({WORDS[verdict.proposed_grade]}) from {len(mine)} sources."
            if verdict.proposed_grade and verdict.status == AnalysisStatus.AGREED
            else ""
        )
        fields: dict[str, Any] = {
            "status": verdict.status,
            "reasons": verdict.reasons,
            "proposed_grade": verdict.proposed_grade,
            "proposed_finding": finding,
        }
        if found is None:
            found = JudgementAnalysis(review=review, key_judgement=kj, **fields)
            found.hypothesis = _hypothesis(verdict) if verdict.reasons else ""
            found.save()
        else:
            changed = any(getattr(found, k) != v for k, v in fields.items())
            for k, v in fields.items():
                setattr(found, k, v)
            if not found.hypothesis_edited:
                hypothesis = _hypothesis(verdict) if verdict.reasons else ""
                changed = changed or found.hypothesis != hypothesis
                found.hypothesis = hypothesis
            if changed:
                found.version += 1
                found.save()
        out.append(found)
    return out


# -- the fieldwork specification ----------------------------------------------------------

DAYS_ON_SITE = 10  # "fieldwork will normally take place over a two-week period"
# Working time each activity takes one inspector, in days (our estimates, for sizing).
EFFORT = {
    "case_file": 0.25,
    "tracked_child": 0.5,
    "neighbourhood": 1.5,
    "setting_visit": 0.5,
    "meeting": 0.25,
}
MAX_ISSUES = 10  # a real 2006 review agreed "up to 10 fieldwork issues"


@dataclass
class FieldworkSpecification:
    team_size: int
    issues: list[dict[str, Any]]
    neighbourhoods: list[dict[str, Any]]
    case_files: int
    children_to_track: int
    settings_to_visit: list[str]
    meetings: list[str]
    effort_days: float
    capacity_days: int
    warnings: list[str]


def fieldwork_specification(*, review: Review) -> FieldworkSpecification:
    """What fieldwork the analysis calls for, sized to the team and the two weeks."""
    team = review.team.count() or 3
    analyses = list(
        JudgementAnalysis.objects.filter(review=review, status=AnalysisStatus.FIELDWORK)
        .select_related("key_judgement__outcome")
        .order_by("key_judgement__outcome__order", "key_judgement__order")
    )
    by_outcome: dict[str, list[JudgementAnalysis]] = {}
    for a in analyses:
        by_outcome.setdefault(a.key_judgement.outcome.title, []).append(a)
    issues = [
        {
            "outcome": outcome,
            "judgements": [a.key_judgement.code for a in group],
            "hypotheses": [a.hypothesis for a in group],
        }
        for outcome, group in by_outcome.items()
    ][:MAX_ISSUES]
    chosen = list(NeighbourhoodStudy.objects.filter(review=review))
    neighbourhoods = [
        {"code": n.lsoa_code, "name": n.name, "decile": n.imd_decile, "why": n.why_chosen}
        for n in chosen
    ] or [
        {"code": r["lsoa11cd"], "name": r["lsoa11nm"], "decile": r["imd_decile"], "why": r["why"]}
        for r in neighbourhoods_suggest(area=review.area, count=max(1, team // 3))
    ]
    available = CaseFile.objects.filter(review=review).count()
    case_files = min(available or team * 6, team * 6)
    children = min(10, team * 2)
    pool = area_pool(area=review.area, as_of=review.analysis_starts_on)
    gap_kinds = sorted({g.kind for p in pool.key_judgements for g in p.gaps})
    settings_to_visit = gap_kinds[: team * 2]
    meetings = [
        "Elected members and senior officers",
        "Service users and community representatives",
        *[f"Focus group of front-line staff: {outcome}" for outcome in by_outcome][:4],
    ]
    effort = (
        case_files * EFFORT["case_file"]
        + children * EFFORT["tracked_child"]
        + len(neighbourhoods) * EFFORT["neighbourhood"]
        + len(settings_to_visit) * EFFORT["setting_visit"]
        + len(meetings) * EFFORT["meeting"] * 2
    )
    capacity = team * DAYS_ON_SITE
    warnings = []
    if effort > capacity * 0.8:
        warnings.append(
            f"The plan needs about {effort:.0f} inspector-days of the team's {capacity}: leave "
            "room for writing up; reduce the case files or visits, or enlarge the team."
        )
    if not review.team.filter(role=TeamRole.LEADER).exists():
        warnings.append("The review has no team yet: sized for three inspectors.")
    return FieldworkSpecification(
        team,
        issues,
        neighbourhoods,
        case_files,
        children,
        settings_to_visit,
        meetings,
        round(effort, 1),
        capacity,
        warnings,
    )
