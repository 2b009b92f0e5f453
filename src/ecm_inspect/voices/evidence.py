"""Children's views, and parents' and carers', become evidence items of the review (kind:
consultation with children and young people), each tagged with the key judgements of its
outcome, so judgements can rest on them. Only published (suppressed) figures and topic counts
go into an evidence item: never a child's or a parent's words, which stay in the team's view."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.evidence.models import EvidenceItem, EvidenceKind, Indication, Origin
from ecm_inspect.framework.models import Outcome
from ecm_inspect.framework.selectors import key_judgements_of

from .analysis import REFERENCE_NAME, survey_results
from .models import GatheredViews, ParentsProforma, Survey

MARGIN = 5.0  # percentage points from the reference survey that make a strength or weakness


@transaction.atomic
def evidence_from_survey(*, survey: Survey, by: Any = None) -> list[EvidenceItem]:
    """One evidence item per outcome, from the survey's published results. Recording again
    updates the items (the survey may have had more answers since)."""
    results = survey_results(survey, audience="published")
    items = []
    for page in results.pages:
        if not page.outcome:
            continue
        lines = []
        differences = []
        for item in page.items:
            if item.positive is None:
                continue
            share = item.positive.percent
            if share is None:
                lines.append(
                    f"- {item.label}: not shown (too few answers, or it would reveal one)."
                )
                continue
            ref = f"; reference survey {item.reference_percent}%" if item.reference_percent else ""
            lines.append(f"- {item.label}: {share}% positive of {item.base}{ref}.")
            if item.reference_percent is not None:
                differences.append(share - item.reference_percent)
        for text in page.texts:
            shown = [f"{theme} ({c.count})" for theme, c in text.themes if c.shown][:5]
            if shown:
                lines.append(f"- Topics in '{text.label}': {', '.join(shown)}.")
        mean = sum(differences) / len(differences) if differences else 0.0
        indication = (
            Indication.STRENGTH
            if mean >= MARGIN
            else Indication.WEAKNESS
            if mean <= -MARGIN
            else Indication.NEUTRAL
        )
        summary = (
            f"{results.respondents} children and young people in {survey.schools.count()} "
            f"schools and colleges answered. Compared with the {REFERENCE_NAME}: "
            f"{mean:+.1f} points on average.\n" + "\n".join(lines)
        )
        evidence, _ = EvidenceItem.objects.update_or_create(
            review=survey.review,
            origin=Origin.VOICES,
            origin_key=f"survey:{survey.pk}:{page.outcome}",
            defaults={
                "kind": EvidenceKind.CONSULTATION,
                "title": f"Children's survey: {page.title}",
                "source": "The area survey of children and young people",
                "dated": survey.closed_on or timezone.localdate(),
                "author": by,
                "indication": indication,
                "summary": summary,
                "is_synthetic": survey.is_synthetic,
            },
        )
        evidence.key_judgements.set(key_judgements_of(page.outcome, survey.review.framework_code))
        items.append(evidence)
    return items


def evidence_from_views(*, views: GatheredViews, by: Any = None) -> EvidenceItem:
    evidence, _ = EvidenceItem.objects.update_or_create(
        review=views.review,
        origin=Origin.VOICES,
        origin_key=f"views:{views.pk}",
        defaults={
            "kind": EvidenceKind.CONSULTATION,
            "title": f"Children's views: {views.title}",
            "source": f"{views.get_kind_display()}: {views.by_whom}",
            "dated": views.gathered_on,
            "author": by,
            "summary": (
                f"{views.children} children and young people"
                + (f" ({views.age_group})" if views.age_group else "")
                + (f", {views.group}" if views.group else "")
                + f".\n{views.summary}"
                + (f"\nHow the service used it: {views.used}" if views.used else "")
            ),
            "is_synthetic": views.review.is_synthetic,
        },
    )
    codes = list(views.outcomes.values_list("code", flat=True))
    version = views.review.framework_code
    evidence.key_judgements.set([kj for code in codes for kj in key_judgements_of(code, version)])
    return evidence


# There is no reference survey of parents to compare with: a plain share of "Agree" answers
# marks a strength or a weakness, for the team to weigh (not a rule of the source documents).
PARENTS_STRENGTH_PERCENT = 75.0
PARENTS_WEAKNESS_PERCENT = 50.0


@transaction.atomic
def evidence_from_parents(*, proforma: ParentsProforma, by: Any = None) -> list[EvidenceItem]:
    """One evidence item per outcome from the parents' and carers' proforma: counts and
    shares as suppressed (parents_results.py), never a parent's words. Pulling again updates
    the items (idempotent: keyed by the proforma and the outcome)."""
    from .parents import HELP_QUESTIONS
    from .parents_results import parents_results

    results = parents_results(proforma)
    review = proforma.survey.review
    version = review.framework_code
    titles = dict(Outcome.objects.filter(version__code=version).values_list("code", "title"))
    help_lines = []
    for q in results.questions:
        if q.question in HELP_QUESTIONS:
            help_lines.append(_parents_line(q))
    items = []
    for q in results.questions:
        if not q.question.outcome:
            continue
        share = q.positive.percent
        indication = (
            Indication.NEUTRAL
            if share is None
            else Indication.STRENGTH
            if share >= PARENTS_STRENGTH_PERCENT
            else Indication.WEAKNESS
            if share <= PARENTS_WEAKNESS_PERCENT
            else Indication.NEUTRAL
        )
        lines = [_parents_line(q)]
        for label, cell in q.groups:
            lines.append(
                f"- {label}: {cell.percent}% agree of {cell.base}."
                if cell.shown
                else f"- {label}: not shown (too few answers, or it would reveal one)."
            )
        summary = (
            f"{results.respondents} parents and carers answered the review's proforma "
            f"(figures from fewer than {results.min_cell} people are not shown).\n"
            + "\n".join(lines + ["Getting help:", *help_lines])
        )
        evidence, _ = EvidenceItem.objects.update_or_create(
            review=review,
            origin=Origin.VOICES,
            origin_key=f"parents:{proforma.pk}:{q.question.outcome}",
            defaults={
                "kind": EvidenceKind.CONSULTATION,
                "title": "Parents' and carers' views: "
                + titles.get(q.question.outcome, q.question.outcome),
                "source": "The review's proforma for parents and carers",
                "dated": proforma.closed_on or timezone.localdate(),
                "author": by,
                "indication": indication,
                "summary": summary,
                "is_synthetic": proforma.is_synthetic,
            },
        )
        evidence.key_judgements.set(key_judgements_of(q.question.outcome, version))
        items.append(evidence)
    return items


def _parents_line(q: Any) -> str:
    if q.positive.percent is None:
        return f"- {q.question.label} Not shown (too few answers, or it would reveal one)."
    return f"- {q.question.label} {q.positive.percent}% agree of {q.base}."
