"""The annual composite report of joint area review findings (the Children Act's annual
reporting; 2004 proposals, "Covering national themes"): every review published in the year,
its grades by outcome, by region and by the council's CPA category (the APA overall grade of
that year, recorded by the inspector and published in the letter: its children and young people
block score), vulnerable groups, service management,
recurring recommendations and national themes."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from ecm_inspect.core import charts as kit
from ecm_inspect.framework.grades import grade_words
from ecm_inspect.framework.selectors import outcome_titles
from ecm_inspect.framework.shipped import shipped_outcome_titles
from ecm_inspect.performance.models import AssessmentJudgement, JudgementKind, LetterStatus
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement


def _judgement_titles() -> dict[str, str]:
    """The judgements a review grades that the composite counts: the Framework's outcomes in
    force, then service management and capacity to improve."""
    return {
        **outcome_titles(),
        JudgementKind.SM.value: JudgementKind.SM.label,
        JudgementKind.CAPACITY.value: JudgementKind.CAPACITY.label,
    }


# Recurring recommendations are grouped by theme: the five outcomes (by code; titled as the
# Framework in force titles them) and service management
# (Every Child Matters: Change for Children), and the 2004 document's areas of concern. A
# recommendation has no linked outcome, so it is matched on the keywords stated here; the
# first theme it matches wins (economic well-being before enjoying and achieving, so that
# young people not in education count under the former); one matching none is "Other".
THEMES: list[tuple[str, tuple[str, ...]]] = [
    (
        "Safeguarding and child protection",
        (
            "safeguard",
            "child protection",
            "referral",
            "abuse",
            "neglect",
            "risk",
            "missing",
            "protection plan",
            "lscb",
            "serious case",
        ),
    ),  # fmt: skip
    (
        "Looked-after children and care leavers",
        (
            "looked after",
            "looked-after",
            "in care",
            "care leaver",
            "foster",
            "placement",
            "adoption",
            "residential",
        ),
    ),  # fmt: skip
    (
        "Children with learning difficulties and disabilities",
        ("disab", "special educational", "learning difficult", "sen ", "ldd"),
    ),
    (
        "BH",  # the outcome's title in the Framework in force
        ("health", "camhs", "mental", "teenage pregnan", "obesity", "drug", "alcohol", "substance"),
    ),
    (
        "EW",  # the outcome's title in the Framework in force
        (
            "employment",
            "not in education",
            "neet",
            "housing",
            "poverty",
            "post-16",
            "14-19",
            "apprentice",
        ),
    ),
    (
        "EA",  # the outcome's title in the Framework in force
        (
            "attainment",
            "attendance",
            "exclusion",
            "school",
            "education",
            "achievement",
            "early years",
        ),
    ),
    (
        "PC",  # the outcome's title in the Framework in force
        (
            "offend",
            "youth justice",
            "anti-social",
            "antisocial",
            "participation",
            "consult",
            "voice",
            "bullying",
        ),
    ),
    (
        "Service management and capacity",
        (
            "plan",
            "performance",
            "partnership",
            "workforce",
            "recruit",
            "staff",
            "budget",
            "commission",
            "information sharing",
            "management",
            "supervision",
            "monitor",
        ),
    ),  # fmt: skip
]
OTHER = "Other"


def _theme_names(outcomes: dict[str, str] | None) -> dict[str, str]:
    """Each theme's name: an outcome's title from `outcomes` (the Framework in force; the
    shipped Framework where none is given), any other theme's as written above."""
    titles = outcomes or shipped_outcome_titles()
    return {key: titles.get(key, key) for key, _ in THEMES}


def recommendation_theme(text: str, outcomes: dict[str, str] | None = None) -> str:
    """The theme of one recommendation, from the keywords above."""
    low = f" {text.lower()} "
    for key, words in THEMES:
        if any(w in low for w in words):
            return _theme_names(outcomes)[key]
    return OTHER


@dataclass
class RecurringTheme:
    name: str
    count: int
    examples: list[str]


def _blank() -> dict[int, int]:
    return {4: 0, 3: 0, 2: 0, 1: 0}


@dataclass
class Composite:
    year: int
    reviews: int
    areas: list[str]
    by_outcome: dict[str, dict[int, int]] = field(default_factory=dict)
    by_region: dict[str, dict[int, int]] = field(default_factory=dict)
    by_cpa: dict[str, dict[int, int]] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    recommendations: list[RecurringTheme] = field(default_factory=list)
    by_priority: dict[str, int] = field(default_factory=dict)
    themes: dict[str, dict[int, int]] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "reviews": self.reviews,
            "areas": self.areas,
            "grades_by_outcome": self.by_outcome,
            "staying_safe_by_region": self.by_region,
            "staying_safe_by_cpa_category": self.by_cpa,
            "vulnerable_group_findings": self.groups,
            "recurring_recommendations": [
                {"theme": t.name, "count": t.count, "examples": t.examples}
                for t in self.recommendations
            ],
            "recommendations_by_priority": self.by_priority,
            "staying_safe_by_national_theme": self.themes,
        }


def composite_report(*, year: int) -> Composite:
    publications = list(
        Publication.objects.filter(published_on__year=year).select_related("review__area")
    )
    reviews = [p.review for p in publications]
    out = Composite(year, len(reviews), sorted(r.area.name for r in reviews))
    titles = _judgement_titles()
    out.by_outcome = {title: _blank() for title in titles.values()}
    grades = {
        (j.review_id, j.code): j.grade
        for j in ReviewJudgement.objects.filter(
            review__in=reviews, code__in=list(titles), grade__isnull=False
        )
    }
    # Public: only the overall grade an inspector recorded, in a letter already published;
    # never the machine's proposal.
    cpa = dict(
        AssessmentJudgement.objects.filter(
            assessment__year=year,
            assessment__letter_status=LetterStatus.PUBLISHED,
            kind="overall",
            recorded_grade__isnull=False,
        ).values_list("assessment__area_id", "recorded_grade")
    )
    for r in reviews:
        for k in titles:
            grade = grades.get((r.pk, k))
            if grade:
                out.by_outcome[titles[k]][grade] += 1
        safe = grades.get((r.pk, "SS"))
        if safe:
            out.by_region.setdefault(r.area.region_name, _blank())[safe] += 1
            category = cpa.get(r.area_id)
            label = (
                f"CPA block score {category}" if category else "No APA letter published that year"
            )
            out.by_cpa.setdefault(label, _blank())[safe] += 1
            for theme in r.national_themes.all():
                out.themes.setdefault(theme.name, _blank())[safe] += 1
    out.groups = dict(
        Counter(
            j.title
            for j in ReviewJudgement.objects.filter(review__in=reviews, level="group")
            if j.finding
        )
    )
    recs = list(Recommendation.objects.filter(review__in=reviews))
    out.by_priority = dict(Counter(rec.get_priority_display() for rec in recs))
    out.recommendations = recurring_themes([rec.text for rec in recs], outcomes=outcome_titles())
    return out


def recurring_themes(
    texts: list[str], examples: int = 2, outcomes: dict[str, str] | None = None
) -> list[RecurringTheme]:
    """Recommendations counted by theme, most frequent first ("Other" last), with examples."""
    grouped: dict[str, list[str]] = {}
    for text in texts:
        grouped.setdefault(recommendation_theme(text, outcomes), []).append(text)
    order = [*_theme_names(outcomes).values(), OTHER]
    rows = [RecurringTheme(name, len(found), found[:examples]) for name, found in grouped.items()]
    return sorted(rows, key=lambda t: (t.name == OTHER, -t.count, order.index(t.name)))


def stacked_svg(rows: dict[str, dict[int, int]], title: str) -> SafeString:
    """Grade distributions as stacked bars (server-drawn SVG; a table holds the same)."""
    label, width, bar = 230, 380, 20
    height = 20 + len(rows) * (bar + 8)
    chart = kit.Chart(
        "composite",
        title,
        "; ".join(
            f"{name}: "
            + ", ".join(f"{counts.get(g, 0)} {grade_words(g)}" for g in kit.GRADES_BEST_FIRST)
            for name, counts in rows.items()
        ),
        label + width + 20,
        height + kit.LEGEND_HEIGHT,
        legend=kit.grade_legend(label, height - 6, 95, numbered=True),
    )
    for n, (name, counts) in enumerate(rows.items()):
        y = 10 + n * (bar + 8)
        total = sum(counts.values()) or 1
        chart.add(kit.Words(0, y + 15, name[:32], size=13))
        x = float(label)
        for grade in kit.GRADES_BEST_FIRST:
            w = width * counts.get(grade, 0) / total
            if w:
                chart.add(
                    kit.Rect(
                        x, y, w, bar, kit.GRADE_COLOURS[grade], f"{counts[grade]} graded {grade}"
                    )
                )
            x += w
    return kit.chart_svg(chart)
