"""Reads for the report: where the area stands on headline indicators against its statistical
neighbours and England, and published reports for the public pages."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.template.defaultfilters import pluralize
from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.rules import passed_second_factor
from ecm_inspect.core.work import WorkItem, work_item
from ecm_inspect.framework.selectors import group_titles, outcome_titles
from ecm_inspect.performance.models import (
    IndicatorDefinition,
    IndicatorValue,
    JudgementKind,
    Polarity,
)
from ecm_inspect.registry.models import Area, StatisticalNeighbour
from ecm_inspect.reviews.models import MilestoneKind, Review, Stage, TeamRole

from .models import AccuracyComment, CommentStatus, Level, OutcomeLead, Publication, ReviewJudgement
from .services.judgements import judgement_status

# Headline indicators the report charts, one or two per outcome (codes of the DfE LAIT set the
# APA reads). Chosen for a reader who would rather look than read: each has a better direction.
# Each with the short label the chart prints (the table beside it gives the full title).
HEADLINE_INDICATORS = {
    "LACHealth%": "Health checks, children in care (%)",  # being healthy
    "ReReferral": "Re-referrals within 12 months (%)",  # staying safe
    "LACStable_2016on": "Children in care, 3+ placements (%)",  # staying safe
    "KS2RWM_Expected_STD": "Key stage 2, expected standard (%)",  # enjoying and achieving
    "FirstYJS": "First-time entrants to youth justice",  # making a positive contribution
    "16-17 NEET": "16-17 year olds not in EET (%)",  # achieving economic well-being
}
# England's value is drawn only when it is of the same order as the areas' (no further than
# this factor outside their range): the LAIT's England row of a few indicators is on another
# basis (e.g. a count where the areas have a rate), and a mark far off would mislead.
ENGLAND_COMPARABLE = 3.0
MIN_NEIGHBOURS = 3  # as the APA proposal: a position needs at least three neighbours with data


@dataclass(frozen=True)
class IndicatorPosition:
    code: str
    label: str
    title: str
    unit: str
    better: str  # Polarity: "higher" or "lower"
    year: int
    value: float
    england: float | None
    neighbours: list[tuple[str, float]]

    @property
    def rank(self) -> int:
        """The area's place among itself and its neighbours, 1 the best."""
        values = [v for _, v in self.neighbours]
        if self.better == Polarity.HIGHER:
            return 1 + sum(1 for v in values if v > self.value)
        return 1 + sum(1 for v in values if v < self.value)

    @property
    def out_of(self) -> int:
        return len(self.neighbours) + 1


def _comparable(england: float | None, values: list[float]) -> float | None:
    if england is None:
        return None
    low, high = min(values), max(values)
    if high > 0 and england > high * ENGLAND_COMPARABLE:
        return None
    if low > 0 and england < low / ENGLAND_COMPARABLE:
        return None
    return england


def indicator_positions(
    *, review: Review, codes: dict[str, str] = HEADLINE_INDICATORS
) -> list[IndicatorPosition]:
    """Each headline indicator in the latest year (up to the review's) with values for the area
    and at least MIN_NEIGHBOURS of its statistical neighbours."""
    area = review.area
    until = review.analysis_starts_on.year
    neighbours = dict(
        StatisticalNeighbour.objects.filter(area=area).values_list(
            "neighbour_id", "neighbour__name"
        )
    )
    definitions = {d.code: d for d in IndicatorDefinition.objects.filter(code__in=codes)}
    values = list(
        IndicatorValue.objects.filter(indicator__in=definitions.values(), year__lte=until).filter(
            area_id__in=[area.pk, *neighbours]
        )
        | IndicatorValue.objects.filter(
            indicator__in=definitions.values(), year__lte=until, area__isnull=True
        )
    )
    table: dict[tuple[int, int], dict[int | None, float]] = {}
    for v in values:
        table.setdefault((v.indicator_id, v.year), {})[v.area_id] = v.value
    out = []
    for code in codes:
        d = definitions.get(code)
        if d is None or d.polarity == Polarity.NEITHER:
            continue
        years = sorted(
            (
                year
                for (ind, year), row in table.items()
                if ind == d.pk
                and area.pk in row
                and sum(1 for n in neighbours if n in row) >= MIN_NEIGHBOURS
            ),
            reverse=True,
        )
        if not years:
            continue
        row = table[(d.pk, years[0])]
        areas = [v for k, v in row.items() if k is not None]
        out.append(
            IndicatorPosition(
                code=d.code,
                label=codes[code],
                title=d.title,
                unit=d.unit,
                better=d.polarity,
                year=years[0],
                value=row[area.pk],
                england=_comparable(row.get(None), areas),
                neighbours=sorted(
                    ((neighbours[n], row[n]) for n in neighbours if n in row), key=lambda p: p[1]
                ),
            )
        )
    return out


# A report is public only once its review has moved to "published" (the freeze happens in that
# move, so a row of an earlier stage would be a bug: it is never shown).
PUBLIC_STAGES = (Stage.PUBLISHED, Stage.FOLLOW_UP)


def publications_public() -> QuerySet[Publication]:
    return (
        Publication.objects.filter(review__stage__in=PUBLIC_STAGES)
        .select_related("review__area")
        .order_by("-published_on")
    )


def publication_get_for_review(*, review: Review) -> Publication | None:
    """The review's published report, if it has been published."""
    return publications_public().filter(review=review).first()


def publication_get_public(*, review_id: int) -> Publication:
    """A published report: anyone may read it; nothing else of a review is public."""
    found = publications_public().filter(review_id=review_id).first()
    if found is None:
        raise Http404("No published report.")
    return found


def area_publications_public(*, gss_code: str) -> tuple[Area, list[Publication]]:
    """An area's published reports, newest first (404 for an unknown area)."""
    area = Area.objects.filter(gss_code=gss_code).first()
    if area is None:
        raise Http404("No such area.")
    return area, list(publications_public().filter(review__area=area))


# The open data's columns; their meaning is documented in docs/reports.md, "Open data".
OPEN_DATA_FIELDS = [
    "area_gss_code",
    "area",
    "published_on",
    "judgement",
    "judgement_title",
    "grade",
]


def judgement_titles() -> dict[str, str]:
    """What each code a published report grades is called: the Framework's outcomes in force,
    its vulnerable groups, service management and capacity to improve."""
    return {
        **outcome_titles(),
        JudgementKind.SM.value: JudgementKind.SM.label,
        JudgementKind.CAPACITY.value: JudgementKind.CAPACITY.label,
        **group_titles(),
    }


def open_data_rows() -> list[dict[str, Any]]:
    rows = []
    titles = judgement_titles()
    for p in publications_public().order_by("published_on", "review__area__name"):
        for code, grade in p.grades.items():
            rows.append(
                {
                    "area_gss_code": p.review.area.gss_code,
                    "area": p.review.area.name,
                    "published_on": p.published_on.isoformat(),
                    "judgement": code,
                    "judgement_title": titles.get(code, code),
                    "grade": grade,
                }
            )
    return rows


# -- the start page ------------------------------------------------------------------------

_PART_TITLES = {
    "groups": "the vulnerable groups",
    "management": "service management and capacity to improve",
}


def _due(review: Review, kind: MilestoneKind) -> date | None:
    return next((m.planned for m in review.milestones.all() if m.kind == kind), None)


def _by_part(judgements: list[ReviewJudgement]) -> dict[tuple[Review, str], list[Any]]:
    out: dict[tuple[Review, str], list[Any]] = {}
    for j in judgements:
        out.setdefault((j.review, j.lead_code), []).append(j)
    return out


def _part_title(review: Review, code: str, outcomes: dict[tuple[int, str], str]) -> str:
    return _PART_TITLES.get(code) or outcomes.get((review.pk, code), code)


def _outcome_titles(review_ids: set[int]) -> dict[tuple[int, str], str]:
    rows = ReviewJudgement.objects.filter(review_id__in=review_ids, level=Level.OUTCOME)
    return {(r, c): t for r, c, t in rows.values_list("review_id", "code", "title")}


def judgement_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """The judgements that are `user`'s work on reviews not yet published, one item per outcome
    (or the vulnerable groups, or service management), linking to its judgements page:

    - to draft: those of the outcomes the team leader made them lead (and, for the team leader,
      those of the outcomes they made no one lead), not drafted yet or returned with a comment
      (`reports.draft_judgement`);
    - to moderate: on the reviews they lead, those drafted and not signed off, or changed since
      (`reports.sign_off_judgements`).

    Both are due when fieldwork ends: the findings are agreed then, every judgement drafted."""
    if not passed_second_factor(user):
        return []
    open_reviews = ReviewJudgement.objects.exclude(review__stage__in=PUBLIC_STAGES).select_related(
        "review__area"
    )
    leads = OutcomeLead.objects.filter(member__inspector__user=user).exclude(
        review__stage__in=PUBLIC_STAGES
    )
    led = {(r, c) for r, c in leads.values_list("review_id", "outcome_code")}
    leading = list(
        open_reviews.filter(
            review__team__inspector__user=user, review__team__role=TeamRole.LEADER
        ).prefetch_related("review__milestones")
    )
    # What no member was made lead of stays with the team leader to draft.
    assigned = set(
        OutcomeLead.objects.filter(review_id__in={j.review_id for j in leading}).values_list(
            "review_id", "outcome_code"
        )
    )
    to_draft = {"to_do", "returned"}
    mine = [
        j
        for j in open_reviews.filter(review_id__in={r for r, _ in led}).prefetch_related(
            "review__milestones"
        )
        if (j.review_id, j.lead_code) in led and judgement_status(j) in to_draft
    ] + [
        j
        for j in leading
        if (j.review_id, j.lead_code) not in assigned and judgement_status(j) in to_draft
    ]
    to_moderate = [
        j
        for j in leading
        if (j.signed_off_at is None and j.returned_at is None and j.is_recorded)
        or (j.signed_off_at is not None and judgement_status(j) == "changed")
    ]
    outcomes = _outcome_titles({j.review_id for j in [*mine, *to_moderate]})
    items = []
    for (review, code), js in _by_part(mine).items():
        if not _opens(user, review, "reports.view_judgements") or not user.has_perm(
            "reports.draft_judgement", js[0]
        ):
            continue
        returned = sum(1 for j in js if j.returned_at)
        items.append(
            work_item(
                "Judgements to draft",
                f"Draft {_count(len(js))} of {_part_title(review, code, outcomes)}",
                reverse("reports:judgements-part", args=[review.pk, code]),
                today=today,
                due=_due(review, MilestoneKind.FIELDWORK_END),
                detail=f"Joint area review of {review.area.name}."
                + (f" {returned} returned to you with a comment." if returned else ""),
            )
        )
    for (review, code), js in _by_part(to_moderate).items():
        if not _opens(user, review, "reports.view_judgements") or not user.has_perm(
            "reports.sign_off_judgements", review
        ):
            continue
        items.append(
            work_item(
                "Drafts to moderate",
                f"Sign off or return {_count(len(js))} of {_part_title(review, code, outcomes)}",
                reverse("reports:judgements-part", args=[review.pk, code]),
                today=today,
                due=_due(review, MilestoneKind.FIELDWORK_END),
                detail=f"Joint area review of {review.area.name}.",
            )
        )
    return items


def _opens(user: Any, review: Review, perm: str) -> bool:
    """What the judgements and report pages ask before anything: the review, then `perm`."""
    return bool(user.has_perm("reviews.view_review", review) and user.has_perm(perm, review))


def _count(n: int) -> str:
    return f"{n} judgement{pluralize(n)}"


def draft_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """The draft reports out for accuracy comments that are `user`'s work, linking to the
    report page: for the area's DCS and partners, a draft of their area's review to comment on
    (`reports.comment_draft`), due when comments close; for the team leader, the comments
    still to answer on the reviews they lead (`reports.change_judgements`)."""
    if not passed_second_factor(user):
        return []
    items = []
    if user.role in {Role.DCS, Role.PARTNER_CONTRIBUTOR}:
        out = Review.objects.filter(area_id=user.area_id, stage=Stage.DRAFT_SENT)
        for review in out.select_related("area").prefetch_related("milestones"):
            if not _opens(user, review, "reports.view_draft") or not user.has_perm(
                "reports.comment_draft", review
            ):
                continue
            items.append(
                work_item(
                    "Draft report: accuracy comments",
                    f"Comment on the accuracy of the draft report on {review.area.name}",
                    reverse("reports:report", args=[review.pk]),
                    today=today,
                    due=_due(review, MilestoneKind.COMMENTS_CLOSE),
                    detail="Co-ordinate the comments of the organisations involved, or say you "
                    "have no more comments.",
                )
            )
        return items
    open_comments = (
        AccuracyComment.objects.filter(
            status=CommentStatus.OPEN,
            draft__review__team__inspector__user=user,
            draft__review__team__role=TeamRole.LEADER,
        )
        .exclude(draft__review__stage__in=PUBLIC_STAGES)
        .select_related("draft__review__area")
    )
    counts: dict[Review, int] = {}
    for comment in open_comments:
        review = comment.draft.review
        counts[review] = counts.get(review, 0) + 1
    for review, n in counts.items():
        if not _opens(user, review, "reports.view_draft") or not user.has_perm(
            "reports.change_judgements", review
        ):
            continue
        items.append(
            work_item(
                "Accuracy comments to answer",
                f"Accept or reject {n} accuracy comment{pluralize(n)} on {review.area.name}",
                reverse("reports:report", args=[review.pk]),
                today=today,
                detail="Each with a reason.",
            )
        )
    return items
