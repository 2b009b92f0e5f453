"""The annual composite report on a hand-built set of reviews."""

from datetime import date

from django.test import Client

from ecm_inspect.national.selectors import composite_report
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.tests.conftest import ReviewWorld, review_make


def _publish(review: Review, on: date, grades: dict[str, int], recs: list[str]) -> None:
    Publication.objects.create(
        review=review, published_on=on, html="", children_html="", grades=grades, reading_grade=3
    )
    for code, grade in grades.items():
        ReviewJudgement.objects.create(
            review=review, level="outcome", code=code, title=code, grade=grade
        )
    for text in recs:
        Recommendation.objects.create(
            review=review, text=text, body="The council", priority="immediately"
        )


def test_composite_figures(rw: ReviewWorld) -> None:
    other = review_make(rw.people, analysis=date(2026, 11, 2))
    other.area = rw.people.other_area
    other.save()
    _publish(rw.review, date(2027, 2, 1), {"SS": 3, "BH": 2}, ["improve referral thresholds"])
    _publish(other, date(2027, 5, 1), {"SS": 1, "BH": 2}, ["speed up referral assessments"])
    _publish(review_make(rw.people, analysis=date(2025, 1, 6)), date(2026, 3, 1), {"SS": 4}, [])
    report = composite_report(year=2027)
    assert report.reviews == 2
    assert report.by_outcome["Staying safe"] == {4: 0, 3: 1, 2: 0, 1: 1}
    assert report.by_outcome["Being healthy"] == {4: 0, 3: 0, 2: 2, 1: 0}
    assert report.by_region == {"North East": {4: 0, 3: 1, 2: 0, 1: 1}}
    assert ("referral", 2) in report.recommendations
    assert report.by_priority == {"Immediately": 2}
    data = Client().get("/national/2027/data.json").json()
    assert data["reviews"] == 2
    assert Client().get("/national/2027/report.pdf").content.startswith(b"%PDF")
