"""The composite report's rules on small hand-made years: what counts (the year's
publications, graded judgements of the outcomes, service management and capacity), what does
not, and the theme and chart rules, with properties where the input space is large."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecm_inspect.framework.shipped import shipped_outcome_titles
from ecm_inspect.national.selectors import (
    OTHER,
    THEMES,
    composite_report,
    recommendation_theme,
    recurring_themes,
    stacked_svg,
)
from ecm_inspect.national.services import composite_body, composite_pdf_name
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.models import NationalTheme, Review
from ecm_inspect.reviews.tests.conftest import ReviewWorld, review_make

ZERO = {4: 0, 3: 0, 2: 0, 1: 0}


def _publish(review: Review, on: date, grades: dict[str, int | None]) -> None:
    Publication.objects.create(
        review=review, published_on=on, html="", children_html="", grades={}, reading_grade=3
    )
    for code, grade in grades.items():
        ReviewJudgement.objects.create(
            review=review, level="outcome", code=code, title=code, grade=grade
        )


def _other(rw: ReviewWorld, region: str = "North West") -> Review:
    other = review_make(rw.people, analysis=date(2026, 11, 2))
    other.area = rw.people.other_area
    other.save()
    rw.people.other_area.region_name = region
    rw.people.other_area.save()
    return other


def test_a_year_without_publications(rw: ReviewWorld) -> None:
    report = composite_report(year=2027)
    assert (report.reviews, report.areas) == (0, [])
    assert all(counts == ZERO for counts in report.by_outcome.values())
    assert {"Staying safe", "Service management", "Capacity to improve"} <= set(report.by_outcome)
    assert len(report.by_outcome) == 7  # five outcomes, service management, capacity
    assert (report.by_region, report.by_cpa, report.groups, report.themes) == ({}, {}, {}, {})
    assert (report.recommendations, report.by_priority) == ([], {})
    assert "<svg" not in composite_body(year=2027)


def test_the_year_is_the_publication_year(rw: ReviewWorld) -> None:
    other = _other(rw)
    _publish(rw.review, date(2027, 12, 31), {"SS": 2})
    _publish(other, date(2028, 1, 1), {"SS": 4})
    assert composite_report(year=2027).areas == ["Gateshead"]
    assert composite_report(year=2028).areas == ["Sunderland"]
    assert composite_report(year=2027).by_outcome["Staying safe"] == {**ZERO, 2: 1}


def test_ungraded_and_unknown_judgements_are_not_counted(rw: ReviewWorld) -> None:
    _publish(rw.review, date(2027, 2, 1), {"SS": None, "XX": 1, "SM": 1, "capacity": 3})
    report = composite_report(year=2027)
    assert report.by_outcome["Staying safe"] == ZERO
    assert report.by_outcome["Service management"] == {**ZERO, 1: 1}
    assert report.by_outcome["Capacity to improve"] == {**ZERO, 3: 1}
    assert sum(sum(c.values()) for c in report.by_outcome.values()) == 2
    assert report.by_region == {}  # staying safe ungraded: in no region's count


def test_staying_safe_by_region_and_national_theme(rw: ReviewWorld) -> None:
    other = _other(rw, region="North West")
    _publish(rw.review, date(2027, 2, 1), {"SS": 3})
    _publish(other, date(2027, 3, 1), {"SS": 1})
    lscb = NationalTheme.objects.order_by("pk")[0]
    rw.review.national_themes.add(lscb)
    other.national_themes.add(lscb)
    report = composite_report(year=2027)
    assert report.by_region == {"North East": {**ZERO, 3: 1}, "North West": {**ZERO, 1: 1}}
    assert report.themes == {lscb.name: {**ZERO, 3: 1, 1: 1}}
    assert report.areas == ["Gateshead", "Sunderland"]


def test_vulnerable_groups_count_only_judgements_with_a_finding(rw: ReviewWorld) -> None:
    _publish(rw.review, date(2027, 2, 1), {})
    for title, finding in (("Looked after", "Placements unstable."), ("Disabled", "")):
        ReviewJudgement.objects.create(
            review=rw.review, level="group", code=title[:4], title=title, finding=finding
        )
    assert composite_report(year=2027).groups == {"Looked after": 1}


def test_recommendations_by_priority_and_theme(rw: ReviewWorld) -> None:
    _publish(rw.review, date(2027, 2, 1), {})
    for text, priority in (
        ("Strengthen the LSCB's monitoring", "immediately"),
        ("Reduce exclusions", "six_months"),
        ("Improve recruitment of social workers", "six_months"),
    ):
        Recommendation.objects.create(review=rw.review, text=text, body="x", priority=priority)
    report = composite_report(year=2027)
    assert report.by_priority == {"Immediately": 1, "Within six months": 2}
    assert [t.name for t in report.recommendations] == [
        "Safeguarding and child protection",
        "Enjoying and achieving",
        "Service management and capacity",
    ]
    assert report.as_data()["recommendations_by_priority"] == report.by_priority


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Improve SAFEGUARDING in schools", "Safeguarding and child protection"),  # first wins
        ("Reduce young people not in education", "Achieving economic well-being"),
        ("Improve school attendance", "Enjoying and achieving"),
        ("Review SEN provision", "Children with learning difficulties and disabilities"),
        ("Reduce youth offending", "Making a positive contribution"),
        ("Sensible budgets", "Service management and capacity"),  # "sen " needs its space
        ("", OTHER),
        ("Paint the town", OTHER),
    ],
)
def test_a_recommendations_theme_is_the_first_matched(text: str, theme: str) -> None:
    assert recommendation_theme(text) == theme


NAMES = [shipped_outcome_titles().get(key, key) for key, _ in THEMES]
WORDS = [words[0] for _, words in THEMES] + ["paint", "the town", ""]


@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join), max_size=25))
def test_recurring_themes_count_every_text_once_most_frequent_first(texts: list[str]) -> None:
    rows = recurring_themes(texts)
    assert sum(r.count for r in rows) == len(texts)
    assert len({r.name for r in rows}) == len(rows)
    named = [r for r in rows if r.name != OTHER]
    assert rows[: len(named)] == named  # "Other" last
    for a, b in zip(named, named[1:], strict=False):
        assert (-a.count, NAMES.index(a.name)) < (-b.count, NAMES.index(b.name))
    for row in rows:
        mine = [t for t in texts if recommendation_theme(t) == row.name]
        assert row.examples == mine[:2]


counts = st.fixed_dictionaries({g: st.integers(0, 20) for g in (4, 3, 2, 1)})


@given(st.dictionaries(st.text("abcdefgh ", min_size=1, max_size=10), counts, max_size=6))
def test_each_bar_is_drawn_in_proportion(rows: dict[str, dict[int, int]]) -> None:
    svg = stacked_svg(rows, "Grades")
    drawn = sum(1 for counts in rows.values() for g in counts.values() if g)
    segments = re.findall(r'<rect x="[0-9.]+" y="(\d+)" width="([0-9.]+)" height="20"', svg)
    assert len(segments) == drawn  # a segment for each grade given, none for a zero
    assert svg.count(" graded ") == drawn
    by_row: dict[str, float] = {}
    for y, width in segments:
        by_row[y] = by_row.get(y, 0.0) + float(width)
    for total in by_row.values():
        assert total == pytest.approx(380, abs=0.3)  # each bar fills the width


def test_names_in_the_chart_are_escaped() -> None:
    svg = stacked_svg({"<script>": {4: 1, 3: 0, 2: 0, 1: 1}}, "A & B")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert '<title id="composite-title">A &amp; B</title>' in svg
    assert 'width="190"' in svg  # half of the bar each


def test_the_pdfs_name_is_its_years_and_its_contents() -> None:
    one = composite_pdf_name(year=2027, body="<p>a</p>")
    assert one == composite_pdf_name(year=2027, body="<p>a</p>")
    assert one != composite_pdf_name(year=2027, body="<p>b</p>")
    assert one.startswith("national-reports/jar-composite-2027-")
    assert one.endswith(".pdf")
    assert len(one.rsplit("-", 1)[1]) == len("0" * 64 + ".pdf")
