"""The fieldwork specification agreed at the set-up meeting: the issues fieldwork follows up,
the neighbourhoods, case files and children to track, the settings to visit and the meetings,
sized to the team."""

from dataclasses import dataclass
from typing import Any

from ecm_inspect.provision.selectors import area_pool
from ecm_inspect.reviews.models import Review, TeamRole

from .contributions import expected_evidence
from .models import (
    AnalysisStatus,
    CaseFile,
    JudgementAnalysis,
    NeighbourhoodStudy,
)
from .neighbourhoods import neighbourhoods_suggest

MAX_AGE_MONTHS = 36
SAFEGUARDING_JUDGEMENTS = frozenset({"SS.4"})
GRADE_GAP = 2
# Strengths and weaknesses both conflict only when the weaker side is more than this share of
# the sources pointing either way: one weak indicator set against the APA and the setting
# inspections is a minority to note, not a conflict to inspect.
MINORITY_SHARE = 1 / 3


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
    # The kinds of provider Appendix 2 expects evidence from and none was found first, then the
    # other kinds with no recent inspection.
    expected = expected_evidence(review=review, pool=pool)
    missing_kinds = sorted({s.kind for e in expected.values() for s in e.missing})
    gap_kinds = sorted({g.kind for p in pool.key_judgements for g in p.gaps})
    settings_to_visit = [*missing_kinds, *(k for k in gap_kinds if k not in missing_kinds)][
        : team * 2
    ]
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
