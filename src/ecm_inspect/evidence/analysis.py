"""The analysis stage as a function: for every in-scope key judgement, can a finding be agreed
on the existing evidence, or is fieldwork needed, and why? Then the fieldwork specification for
the set-up meeting.

The 2004 proposals, "Differentiating fieldwork": "As far as possible, review findings will be
based on existing evidence"; new fieldwork "where outcomes give rise to particular concern, or
where the judgement of service contribution cannot be made in any other way ... because the
review team does not have access to existing inspection evidence for a service, or because the
evidence is not relevant and up-to-date, is limited in its scope or is conflicting"; and
"service contributions to safeguarding welfare will be inspected through some fieldwork in each
review". A real 2006 review agreed many findings at analysis and took "up to 10 fieldwork
issues". The evidence read: the APA's grade of the outcome, the area's indicators against
England and its statistical neighbours, the setting inspections pooled for the area (one source,
however many inspections stand behind it), the self-assessment, earlier reviews, anything the
team recorded. A key judgement goes to fieldwork only with a stated reason, each of one kind
(`ReasonKind`, the words each reason starts with); every rule is tested where it fires and on
its near miss (tests/test_rules.py):

- Insufficient evidence: nothing bears on the judgement; or the newest evidence is older than
  MAX_AGE_MONTHS (36) before the analysis week; or nothing graded or pointing either way (only
  neutral items, so no grade can be proposed); or a judgement about a vulnerable group has no
  evidence about that group.
- Conflicting: graded sources GRADE_GAP (2) grades or more apart; or strengths and weaknesses
  both, unless the weaker side is a small minority (no more than MINORITY_SHARE, a third, of
  the sources pointing either way).
- Of particular concern: the outcome is graded 2 (adequate) or below in the latest APA; or,
  with no APA grade for it, its indicators are a weakness (evidence/indicators.py: two or more,
  worse than both England and the statistical neighbours more often than better and on at
  least a third of them).
- Always fieldwork: how agencies work together to safeguard children (SS.4).
- Missing expected source (contributions.py): a kind of provider that Appendix 2 of the 2004
  proposals says contributes to the judgement (framework/data/contributions-2005.yaml) is in
  the area, none
  of its providers has been inspected on it recently, no other evidence from that service is
  held, and the kinds missing hold at least MISSING_SHARE (a quarter) of the area's providers
  of the expected kinds and at least MIN_MISSING_PROVIDERS (3) providers. A gap in a kind that
  barely contributes (not in the mapping, or few of the providers) is shown, and does not force
  fieldwork.

Otherwise the finding can be agreed at analysis, with its proposed grade (`proposed_grade`: the
rounded mean of the graded sources, each once) and the reasons it can be agreed: which sources
agree.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import pluralize

from ecm_inspect.framework.grades import Grade, grade_words
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.provision.selectors import area_pool
from ecm_inspect.reviews.models import Milestone, MilestoneKind, Review

from .contributions import expected_evidence
from .models import (
    AnalysisStatus,
    EvidenceItem,
    EvidenceKind,
    Indication,
    JudgementAnalysis,
    Origin,
)

MAX_AGE_MONTHS = 36
SAFEGUARDING_JUDGEMENTS = frozenset({"SS.4"})
GRADE_GAP = 2
# Strengths and weaknesses both conflict only when the weaker side is more than this share of
# the sources pointing either way: one weak indicator set against the APA and the setting
# inspections is a minority to note, not a conflict to inspect.
MINORITY_SHARE = 1 / 3


class ReasonKind(StrEnum):
    """Why a key judgement goes to fieldwork; each reason's text starts with its label."""

    INSUFFICIENT = "Insufficient evidence"
    CONFLICTING = "Conflicting"
    CONCERN = "Of particular concern"
    ALWAYS = "Always fieldwork"
    MISSING_SOURCE = "Missing expected source"


def reason_kind(reason: str) -> ReasonKind | None:
    """The kind of a stored fieldwork reason, from the words it starts with."""
    return next((k for k in ReasonKind if reason.startswith(k.value)), None)


@dataclass
class Verdict:
    key_judgement: KeyJudgement
    evidence: list[Any]
    reasons: list[str] = field(default_factory=list)
    proposed_grade: Grade | None = None
    agreements: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return AnalysisStatus.FIELDWORK if self.reasons else AnalysisStatus.AGREED

    @property
    def stated(self) -> list[str]:
        """What is stored and shown: why fieldwork, or why it can be agreed."""
        return self.reasons if self.reasons else self.agreements


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


def proposed_grade(items: list[Any]) -> Grade | None:
    """A key judgement's proposed grade from its evidence: the rounded mean of the graded items,
    each counted once (the setting inspections pooled for the area are one item, whatever the
    number of inspections behind it, so an overall grade spread to several key judgements is
    not weighed as several findings); with no graded item, 3 for strengths only and 2 for
    weaknesses only; else none."""
    grades = [i.grade for i in items if i.grade is not None]
    if grades:
        return Grade(round(sum(grades) / len(grades)))
    indications = {i.indication for i in items}
    if indications == {Indication.STRENGTH}:
        return Grade.GOOD
    if Indication.WEAKNESS in indications and Indication.STRENGTH not in indications:
        return Grade.ADEQUATE
    return None


def _sources(n: int) -> str:
    return f"{n} source shows" if n == 1 else f"{n} sources show"


def _title(item: Any) -> str:
    return str(getattr(item, "title", "") or "an item")


def judge(
    kj: KeyJudgement,
    items: list[Any],
    *,
    start: datetime.date,
    gaps: list[str] | tuple[str, ...] = (),
    concern: str | None = None,
    group_covered: bool = True,
    missing: list[str] | tuple[str, ...] = (),
) -> Verdict:
    """The sufficiency rules for one key judgement (pure: no database). `missing` names the
    expected sources missing in a share that forces fieldwork; `gaps` other kinds of provider
    with no recent inspection on it, which do not."""
    verdict = Verdict(kj, items)
    reasons = verdict.reasons
    if kj.code in SAFEGUARDING_JUDGEMENTS:
        reasons.append(
            f"{ReasonKind.ALWAYS}: how agencies work together to safeguard children is "
            "inspected through some fieldwork in each review."
        )
    if not items:
        reasons.append(f"{ReasonKind.INSUFFICIENT}: no evidence bears on this judgement.")
        return verdict
    newest = max(i.dated for i in items)
    if newest < _months_before(start, MAX_AGE_MONTHS):
        reasons.append(
            f"{ReasonKind.INSUFFICIENT}: not recent: the newest evidence is from "
            f"{newest:%B %Y}, more than {MAX_AGE_MONTHS // 12} years before the analysis."
        )
    graded = [i for i in items if i.grade is not None]
    pointing = [i for i in items if i.indication in {Indication.STRENGTH, Indication.WEAKNESS}]
    if not graded and not pointing:
        reasons.append(
            f"{ReasonKind.INSUFFICIENT}: none of the {len(items)} items is graded or points "
            "either way, so no grade can be proposed."
        )
    if kj.vulnerable_group and not group_covered:
        reasons.append(
            f"{ReasonKind.INSUFFICIENT}: no evidence about "
            f"{kj.get_vulnerable_group_display().lower()}."
        )
    grades = [i.grade for i in graded]
    far_apart = bool(grades) and max(grades) - min(grades) >= GRADE_GAP
    if far_apart:
        reasons.append(
            f"{ReasonKind.CONFLICTING}: sources grade it from {min(grades)} to {max(grades)}."
        )
    strengths = [i for i in pointing if i.indication == Indication.STRENGTH]
    weaknesses = [i for i in pointing if i.indication == Indication.WEAKNESS]
    minority = min(len(strengths), len(weaknesses))
    if minority and not far_apart and minority / len(pointing) > MINORITY_SHARE:
        reasons.append(
            f"{ReasonKind.CONFLICTING}: {_sources(len(strengths))} a strength and "
            f"{len(weaknesses)} a weakness, not a small minority. Strengths: "
            + "; ".join(_title(i) for i in strengths)
            + ". Weaknesses: "
            + "; ".join(_title(i) for i in weaknesses)
            + "."
        )
    if concern:
        reasons.append(f"{ReasonKind.CONCERN}: {concern}.")
    for source in missing:
        reasons.append(f"{ReasonKind.MISSING_SOURCE}: {source}.")
    verdict.proposed_grade = proposed_grade(items)
    if not reasons:
        verdict.agreements = _agreements(verdict, strengths, weaknesses, gaps)
    return verdict


def _agreements(
    verdict: Verdict, strengths: list[Any], weaknesses: list[Any], gaps: Any
) -> list[str]:
    """Why the finding can be agreed at analysis: which sources agree."""
    grade = verdict.proposed_grade
    graded = [i for i in verdict.evidence if i.grade is not None]
    majority, other = (
        (strengths, weaknesses) if len(strengths) >= len(weaknesses) else (weaknesses, strengths)
    )
    agreeing = [
        i
        for i in verdict.evidence
        if (i.grade is not None and grade is not None and abs(i.grade - grade) <= 1)
        or (i.grade is None and any(i is m for m in majority))
    ]
    out = [
        (f"Agreed at analysis as {grade} ({grade_words(grade)})" if grade else "Agreed at analysis")
        + f": {len(agreeing)} of {len(verdict.evidence)} sources agree"
        + (
            f", graded {min(i.grade for i in graded)} to {max(i.grade for i in graded)}"
            if graded
            else ""
        )
        + ": "
        + "; ".join(_title(i) for i in agreeing[:6])
        + "."
    ]
    if other:
        out.append(
            f"A small minority points the other way ({len(other)} of "
            f"{len(strengths) + len(weaknesses)}): " + "; ".join(_title(i) for i in other) + "."
        )
    if gaps:
        out.append(
            "Not inspected recently, but contributing little to this judgement: "
            + ", ".join(gaps)
            + "."
        )
    return out


def _concerns(items: list[EvidenceItem]) -> dict[str, str]:
    """Outcomes of particular concern: graded 2 or below in the APA; or, with no APA grade for
    the outcome, indicators worse than England and the statistical neighbours more often than
    better."""
    out: dict[str, str] = {}
    apa_outcomes: set[str] = set()
    for item in items:
        outcomes = {kj.outcome.code for kj in item.key_judgements.all()}
        if item.kind == EvidenceKind.APA_FINDINGS and item.grade is not None:
            apa_outcomes |= outcomes
            if item.grade <= 2:
                for code in outcomes:
                    out.setdefault(
                        code, f"graded {item.grade} ({grade_words(item.grade)}) in the APA"
                    )
    for item in items:
        if item.kind == EvidenceKind.PERFORMANCE_DATA and item.indication == Indication.WEAKNESS:
            for kj in item.key_judgements.all():
                if kj.outcome.code not in apa_outcomes:
                    out.setdefault(
                        kj.outcome.code,
                        "indicators worse than England and the statistical neighbours more "
                        "often than better, and no APA grade",
                    )
    return out


def _hypothesis(verdict: Verdict) -> str:
    kj = verdict.key_judgement
    return f"Test whether {kj.text} ({kj.code}): " + " ".join(verdict.reasons)


def fieldwork_since(review: Review) -> Q:
    """The fieldwork findings recorded once fieldwork started (its actual date, else its
    planned one): the analysis was made before them, so running it again does not rewrite it;
    they reach the judgements through the proposals. Case-file readings and other findings
    dated before fieldwork (in the analysis week) are read by the analysis."""
    start = (
        Milestone.objects.filter(review=review, kind=MilestoneKind.FIELDWORK_START)
        .values_list("actual", "planned")
        .first()
    )
    if start is None:
        return Q(pk__in=[])
    return Q(origin=Origin.FIELDWORK, dated__gte=start[0] or start[1])


@transaction.atomic
def analysis_run(*, review: Review) -> list[JudgementAnalysis]:
    """Run the sufficiency rules over every in-scope key judgement and store the verdicts
    (the reasons: why fieldwork, or why it can be agreed), keeping hypotheses the team has
    edited."""
    items = list(
        EvidenceItem.objects.filter(review=review)
        .exclude(fieldwork_since(review))
        .prefetch_related("key_judgements__outcome", "vulnerable_groups")
    )
    by_kj: dict[int, list[EvidenceItem]] = {}
    for item in items:
        for kj in item.key_judgements.all():
            by_kj.setdefault(kj.pk, []).append(item)
    pool = area_pool(area=review.area, as_of=review.analysis_starts_on)
    expected = expected_evidence(review=review, pool=pool, items=items)
    gaps = {p.code: p.gaps for p in pool.key_judgements}
    concerns = _concerns(items)
    out = []
    for kj in in_scope_judgements(review):
        mine = by_kj.get(kj.pk, [])
        covered = any(
            kj.vulnerable_group in {g.slug for g in i.vulnerable_groups.all()}
            or i.kind == EvidenceKind.EARLIER_INSPECTION
            for i in mine
        )
        wanted = expected.get(kj.code)
        missing = (
            [
                f"{wanted.describe_missing()}: {wanted.missing_share:.0%} of the area's "
                "providers expected to contribute (Appendix 2)"
            ]
            if wanted and wanted.forces_fieldwork
            else []
        )
        missing_kinds = {s.kind_code for s in wanted.missing} if wanted else set()
        minor = [
            f"{g.kind} ({g.providers})"
            for g in gaps.get(kj.code, [])
            if not (wanted and wanted.forces_fieldwork and g.kind_code in missing_kinds)
        ]
        verdict = judge(
            kj,
            mine,
            start=review.analysis_starts_on,
            gaps=minor,
            concern=concerns.get(kj.outcome.code),
            group_covered=covered,
            missing=missing,
        )
        found = JudgementAnalysis.objects.filter(review=review, key_judgement=kj).first()
        finding = (
            f"The evidence supports a grade of {verdict.proposed_grade} "
            f"({grade_words(verdict.proposed_grade)}) from {len(mine)} sources."
            if verdict.proposed_grade and verdict.status == AnalysisStatus.AGREED
            else ""
        )
        fields: dict[str, Any] = {
            "status": verdict.status,
            "reasons": verdict.stated,
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


@dataclass(frozen=True)
class Share:
    agreed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.agreed / self.total) if self.total else 0

    def __str__(self) -> str:
        return (
            f"{self.agreed} of {self.total} key judgement{pluralize(self.total)} "
            f"agreed at analysis ({self.percent}%)"
        )


def agreed_share(analyses: list[JudgementAnalysis]) -> Share:
    """How many key judgements the analysis agreed, of those analysed."""
    return Share(sum(1 for a in analyses if a.status == AnalysisStatus.AGREED), len(analyses))
