"""Judgements of a review, the report built from them, the accuracy cycle and publication.

The proposal rule (shown with its reasons on the judgements page):
- a key judgement: the analysis's proposed grade (the rounded mean of its graded evidence);
- an outcome: the rounded mean of its key judgements' proposals;
- a vulnerable group: the rounded mean of the proposals of the key judgements about it;
- a service-management aspect, and service management: the rounded mean of the grades of the
  evidence tagged with the aspect (or, failing that, of all service-management evidence);
- capacity to improve: service management's proposal.
The team leader records the grade (outcomes, service management, capacity) or the finding, with
a rationale and the evidence items it rests on: no graded judgement without evidence. Sign-off
stores a fingerprint of the judgement and its evidence (each item's version); a change to
either afterwards means the sign-off no longer stands.
"""

import difflib
import hashlib
import html as html_lib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ecm_inspect.accounts.concurrency import record_update
from ecm_inspect.evidence.models import CaseFile, CaseFileNote, EvidenceItem, JudgementAnalysis
from ecm_inspect.framework.models import (
    KeyJudgement,
    Outcome,
    ServiceManagementAspect,
    VulnerableGroup,
)
from ecm_inspect.reviews.models import Review, TeamRole

from .models import (
    GRADED_LEVELS,
    AccuracyComment,
    CommentStatus,
    Gap,
    Level,
    Publication,
    Recommendation,
    ReportDraft,
    ReviewJudgement,
)

WORDS = {4: "outstanding", 3: "good", 2: "adequate", 1: "inadequate"}
# Reading age a 12-year-old manages: Flesch-Kincaid grade 7 (US school grade 7 = age 12-13).
CHILDREN_MAX_GRADE = 7.0


class ReportRefused(Exception):
    def __init__(self, reasons: list[str] | str) -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__(" ".join(self.reasons))


def _mean(grades: list[int]) -> int | None:
    return round(sum(grades) / len(grades)) if grades else None


# -- proposing ----------------------------------------------------------------------------


@transaction.atomic
def judgements_propose(*, review: Review) -> list[ReviewJudgement]:
    """Create (or refresh the proposals of) every judgement the review makes."""
    analyses = {
        a.key_judgement.code: a
        for a in JudgementAnalysis.objects.filter(review=review).select_related("key_judgement")
    }
    outcomes = list(review.outcomes.order_by("order")) or list(
        Outcome.objects.filter(version__code="2005").order_by("order")
    )
    wanted: list[tuple[str, str, str, int | None, list[str]]] = []
    for outcome in outcomes:
        kjs = list(KeyJudgement.objects.filter(outcome=outcome).order_by("order"))
        grades = []
        for kj in kjs:
            a = analyses.get(kj.code)
            grade = a.proposed_grade if a else None
            reasons = (a.reasons or [a.proposed_finding]) if a else ["Not analysed yet."]
            wanted.append((Level.KEY_JUDGEMENT, kj.code, kj.text, grade, reasons))
            if grade:
                grades.append(grade)
        wanted.append(
            (
                Level.OUTCOME,
                outcome.code,
                outcome.title,
                _mean(grades),
                [f"Mean of {len(grades)} proposed key-judgement grades."],
            )
        )
    for group in VulnerableGroup.objects.all():
        grades = [
            a.proposed_grade
            for code, a in analyses.items()
            if a.proposed_grade and a.key_judgement.vulnerable_group == group.slug
        ]
        wanted.append(
            (
                Level.GROUP,
                group.slug,
                group.title,
                _mean(grades),
                [f"Mean of {len(grades)} proposed grades of the judgements about this group."],
            )
        )
    sm_items = EvidenceItem.objects.filter(review=review, service_management_aspects__isnull=False)
    all_sm = [i.grade for i in sm_items.distinct() if i.grade]
    for aspect in ServiceManagementAspect.objects.all().order_by("order"):
        grades = [i.grade for i in sm_items.filter(service_management_aspects=aspect) if i.grade]
        wanted.append(
            (
                Level.ASPECT,
                aspect.code,
                aspect.report_text or aspect.text,
                _mean(grades or all_sm),
                [f"{len(grades or all_sm)} graded service-management evidence items."],
            )
        )
    sm = _mean(all_sm)
    wanted.append(
        (
            Level.SERVICE_MANAGEMENT,
            "SM",
            "Service management",
            sm,
            [f"Mean of {len(all_sm)} graded service-management evidence items."],
        )
    )
    wanted.append(
        (Level.CAPACITY, "capacity", "Capacity to improve", sm, ["Follows service management."])
    )
    out = []
    for order, (level, code, title, grade, reasons) in enumerate(wanted):
        found = ReviewJudgement.objects.filter(review=review, code=code).first()
        if found is None:
            found = ReviewJudgement.objects.create(
                review=review,
                level=level,
                code=code,
                title=title,
                order=order,
                proposed_grade=grade,
                proposal_reasons=reasons,
            )
        elif (found.proposed_grade, found.proposal_reasons) != (grade, reasons):
            found.proposed_grade, found.proposal_reasons = grade, reasons
            found.save(update_fields=["proposed_grade", "proposal_reasons"])
        out.append(found)
    return out


# -- recording and signing off ------------------------------------------------------------


def fingerprint(judgement: ReviewJudgement) -> str:
    """A hash of what was signed off: the judgement and each evidence item's version."""
    items = sorted(judgement.evidence.values_list("pk", "version"))
    text = f"{judgement.grade}|{judgement.finding}|{judgement.rationale}|{items}"
    return hashlib.sha256(text.encode()).hexdigest()


def is_signed_off(judgement: ReviewJudgement) -> bool:
    return bool(judgement.signed_off_at) and judgement.signed_off_fingerprint == fingerprint(
        judgement
    )


@transaction.atomic
def judgement_record(
    *,
    judgement: ReviewJudgement,
    grade: int | None,
    finding: str,
    rationale: str,
    evidence_ids: list[int],
    seen_version: int,
    by: Any,
) -> ReviewJudgement:
    """Record a judgement: graded ones need a grade; every one a finding; none without the
    evidence it rests on. Recording again loses any sign-off."""
    problems = []
    if judgement.is_graded and grade not in (1, 2, 3, 4):
        problems.append("Give a grade from 1 (inadequate) to 4 (outstanding).")
    if not finding.strip():
        problems.append("Write the finding.")
    items = list(EvidenceItem.objects.filter(review=judgement.review, pk__in=evidence_ids))
    if not items:
        problems.append("No grade without evidence: choose the evidence items it rests on.")
    if problems:
        raise ReportRefused(problems)
    saved = record_update(
        record=judgement,
        seen_version=seen_version,
        changes={
            "grade": grade if judgement.is_graded else (grade or None),
            "finding": finding.strip(),
            "rationale": rationale.strip(),
            "recorded_by": by,
            "recorded_at": timezone.now(),
            "signed_off_by": None,
            "signed_off_at": None,
            "signed_off_fingerprint": "",
        },
        many={"evidence": items},
        by=by,
    )
    return saved


def judgement_sign_off(*, judgement: ReviewJudgement, by: Any) -> ReviewJudgement:
    review = judgement.review
    is_leader = review.team.filter(inspector__user=by, role=TeamRole.LEADER).exists()
    if not (is_leader or getattr(by, "is_superuser", False)):
        raise ReportRefused("Only the review's team leader signs judgements off.")
    if not judgement.is_recorded or not judgement.evidence.exists():
        raise ReportRefused("Record the judgement, with its evidence, before signing it off.")
    judgement.signed_off_by, judgement.signed_off_at = by, timezone.now()
    judgement.signed_off_fingerprint = fingerprint(judgement)
    judgement._history_user = by  # type: ignore[attr-defined]
    judgement.save()
    return judgement


def judgements_missing(review: Review) -> list[str]:
    """Why the judgements are not ready for publication (empty when they are)."""
    out = []
    judgements = list(ReviewJudgement.objects.filter(review=review).prefetch_related("evidence"))
    if not judgements:
        return ["No judgement has been proposed or recorded."]
    for j in judgements:
        if not j.is_recorded:
            out.append(f"{j.code} is not recorded.")
        elif not j.evidence.exists():
            out.append(f"{j.code} rests on no evidence.")
        elif not is_signed_off(j):
            out.append(f"{j.code} is not signed off (or changed since).")
    return out


# -- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    id: str
    heading: str
    text: str


def report_paragraphs(review: Review) -> list[Paragraph]:
    """The report, paragraph by paragraph, in the proposals' structure: summary, context,
    outcomes, service contribution to outcomes (with the vulnerable groups), service
    management (the nine aspects), recommendations."""
    judgements = {j.code: j for j in ReviewJudgement.objects.filter(review=review)}
    area = review.area
    paras: list[Paragraph] = []
    outcomes = [j for j in judgements.values() if j.level == Level.OUTCOME]
    grades = ", ".join(
        f"{j.title.lower()} {WORDS.get(j.grade or 0, 'not graded')}" for j in outcomes
    )
    paras.append(
        Paragraph("S1", "Summary", f"The joint area review of {area.name} judged {grades}.")
    )
    sm = judgements.get("SM")
    cap = judgements.get("capacity")
    if sm and sm.grade:
        paras.append(
            Paragraph(
                "S2", "Summary", f"The management of services is {WORDS[sm.grade]}. {sm.finding}"
            )
        )
    if cap and cap.grade:
        paras.append(Paragraph("S3", "Summary", f"The capacity to improve is {WORDS[cap.grade]}."))
    recs = list(Recommendation.objects.filter(review=review))
    if recs:
        paras.append(
            Paragraph(
                "S4",
                "Summary",
                "What needs to be done: "
                + " ".join(
                    f"{r.body} should {r.text.rstrip('.')} ({r.get_priority_display().lower()})."
                    for r in recs
                ),
            )
        )
    paras.append(
        Paragraph(
            "C1",
            "Context",
            f"{area.name} is a {area.get_area_type_display().lower()} in the "
            f"{area.region_name} region."
            + (
                f" About {area.population_0_25:,} children and young people aged 0-25 live there."
                if area.population_0_25
                else ""
            ),
        )
    )
    for j in outcomes:
        paras.append(
            Paragraph(
                f"O-{j.code}",
                "Outcomes",
                f"{j.title}: {WORDS.get(j.grade or 0, 'not graded')}. {j.finding}",
            )
        )
    for j in judgements.values():
        if j.level == Level.KEY_JUDGEMENT and j.finding:
            paras.append(
                Paragraph(
                    f"K-{j.code}", "Service contribution to outcomes", f"{j.code}: {j.finding}"
                )
            )
    for j in judgements.values():
        if j.level == Level.GROUP and j.finding:
            paras.append(
                Paragraph(
                    f"G-{j.code}", "Service contribution to outcomes", f"{j.title}: {j.finding}"
                )
            )
    for j in judgements.values():
        if j.level == Level.ASPECT and j.finding:
            paras.append(Paragraph(f"M-{j.code}", "Service management", f"{j.title}: {j.finding}"))
    for gap in Gap.objects.filter(review=review):
        paras.append(
            Paragraph(
                f"P-{gap.pk}",
                "Service contribution to outcomes",
                f"{gap.service}: {gap.get_kind_display().lower()}. {gap.description} "
                f"{gap.how_managed}".strip(),
            )
        )
    for n, r in enumerate(recs, 1):
        paras.append(
            Paragraph(
                f"R{n}",
                "Recommendations",
                f"{r.get_priority_display()}: {r.body} should {r.text.rstrip('.')}.",
            )
        )
    return paras


def children_paragraphs(review: Review) -> list[str]:
    """The version for children and young people: short sentences, plain words."""
    judgements = {j.code: j for j in ReviewJudgement.objects.filter(review=review)}
    plain = {4: "very well", 3: "well", 2: "not well enough in some ways", 1: "badly"}
    topic = {
        "BH": "keep you healthy",
        "SS": "keep you safe",
        "EA": "help you learn and have fun",
        "PC": "help you have a say",
        "EW": "help you get ready for work",
    }
    out = [
        f"We are inspectors. We looked at how people in {review.area.name} help "
        "children and young people.",
        "We read lots of papers. We talked to children, parents and staff.",
    ]
    for code, words in topic.items():
        j = judgements.get(code)
        if j and j.grade:
            out.append(f"They do this {plain[j.grade]}: {words}.")
    recs = list(Recommendation.objects.filter(review=review))
    if recs:
        out.append("Here is what must change.")
        for r in recs[:5]:
            out.append(f"{r.body} must act. " + r.get_priority_display() + " is the time.")
    out.append("Thank you for telling us what you think. It helped us a lot.")
    return out


def reading_grade(paragraphs: list[str]) -> float:
    import textstat  # type: ignore[import-untyped]

    return float(textstat.flesch_kincaid_grade(" ".join(paragraphs)))


def render_html(review: Review, *, draft: bool = False) -> str:
    from .charts import grades_svg

    paras = report_paragraphs(review)
    sections: dict[str, list[Paragraph]] = {}
    for p in paras:
        sections.setdefault(p.heading, []).append(p)
    graded = [j for j in ReviewJudgement.objects.filter(review=review) if j.level in GRADED_LEVELS]
    return render_to_string(
        "reports/report_body.html",
        {
            "review": review,
            "sections": sections,
            "graded": graded,
            "draft": draft,
            "chart": grades_svg(graded, f"Grades of the joint area review of {review.area.name}"),
        },
    )


def render_pdf(body: str, title: str) -> bytes:
    """A printable document (A4, page numbers) around a report's HTML body."""
    from weasyprint import HTML

    document = render_to_string("reports/print.html", {"body": body, "title": title})
    return bytes(HTML(string=document).write_pdf())


def render_children(review: Review) -> str:
    return render_to_string(
        "reports/children_body.html",
        {"review": review, "paragraphs": children_paragraphs(review)},
    )


# -- the accuracy cycle -------------------------------------------------------------------


@transaction.atomic
def draft_make(*, review: Review, by: Any = None) -> ReportDraft:
    number = (ReportDraft.objects.filter(review=review).count() or 0) + 1
    paras = [[p.id, p.heading, p.text] for p in report_paragraphs(review)]
    return ReportDraft.objects.create(review=review, number=number, paragraphs=paras, made_by=by)


def draft_diff(older: ReportDraft, newer: ReportDraft) -> list[str]:
    """What changed between two drafts, paragraph by paragraph (a unified diff)."""
    a = [f"[{p[0]}] {p[2]}" for p in older.paragraphs]
    b = [f"[{p[0]}] {p[2]}" for p in newer.paragraphs]
    return list(
        difflib.unified_diff(
            a, b, f"draft {older.number}", f"draft {newer.number}", lineterm="", n=0
        )
    )


def comment_add(
    *, draft: ReportDraft, paragraph: str, organisation: str, text: str, by: Any
) -> AccuracyComment:
    if paragraph not in {p[0] for p in draft.paragraphs}:
        raise ReportRefused(f"Draft {draft.number} has no paragraph {paragraph!r}.")
    if not text.strip():
        raise ReportRefused("Write the comment.")
    comment = AccuracyComment(
        draft=draft, paragraph=paragraph, organisation=organisation, text=text.strip(), author=by
    )
    comment._history_user = by  # type: ignore[attr-defined]
    comment.save()
    return comment


def comment_decide(
    *, comment: AccuracyComment, accept: bool, reason: str, by: Any
) -> AccuracyComment:
    if not reason.strip():
        raise ReportRefused("Give the reason for accepting or rejecting the comment.")
    comment.status = CommentStatus.ACCEPTED if accept else CommentStatus.REJECTED
    comment.reason, comment.decided_by = reason.strip(), by
    comment._history_user = by  # type: ignore[attr-defined]
    comment.save()
    return comment


def open_comments(review: Review) -> int:
    return AccuracyComment.objects.filter(draft__review=review, status=CommentStatus.OPEN).count()


# -- publication --------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 25]


def confidentiality_problems(review: Review, outputs: list[str]) -> list[str]:
    """Anything confidential found in the outputs to be published: a case-file pseudonym, a
    sentence of a case-file note, the text of an accuracy comment."""
    text = html_lib.unescape(" ".join(outputs))
    problems = []
    for pseudonym in CaseFile.objects.filter(review=review).values_list("pseudonym", flat=True):
        if re.search(rf"\b{re.escape(pseudonym)}\b", text):
            problems.append(f"the pseudonym {pseudonym!r} of a case file")
    for note in CaseFileNote.objects.filter(case_file__review=review).values_list(
        "text", flat=True
    ):
        for sentence in _sentences(note):
            if sentence in text:
                problems.append(f"a sentence of a case-file note ({sentence[:40]}...)")
    for comment in AccuracyComment.objects.filter(draft__review=review).values_list(
        "text", flat=True
    ):
        for sentence in _sentences(comment):
            if sentence in text:
                problems.append(f"the text of an accuracy comment ({sentence[:40]}...)")
    return problems


@transaction.atomic
def publication_make(*, review: Review, on: date | None = None, by: Any = None) -> Publication:
    """Freeze the report for publication, or refuse with every reason: judgements not all
    recorded, evidenced and signed off; accuracy comments open; anything confidential in it."""
    reasons = judgements_missing(review)
    if open_comments(review):
        reasons.append(f"{open_comments(review)} accuracy comments are still open.")
    html = render_html(review)
    children = render_children(review)
    reasons += [
        f"It would publish {p}." for p in confidentiality_problems(review, [html, children])
    ]
    level = reading_grade(children_paragraphs(review))
    if level > CHILDREN_MAX_GRADE:
        reasons.append(f"The children's version reads at grade {level:.1f}; make it simpler.")
    if reasons:
        raise ReportRefused(reasons)
    grades = {
        j.code: j.grade
        for j in ReviewJudgement.objects.filter(review=review)
        if j.level in GRADED_LEVELS or j.level == Level.GROUP
    }
    publication, _ = Publication.objects.update_or_create(
        review=review,
        defaults={
            "published_on": on or timezone.localdate(),
            "html": html,
            "children_html": children,
            "grades": grades,
            "reading_grade": level,
            "published_by": by,
        },
    )
    return publication
