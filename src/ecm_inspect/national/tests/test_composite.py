"""The annual composite report on a hand-built set of reviews."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ecm_inspect.national.selectors import (
    composite_report,
    recommendation_theme,
    recurring_themes,
)
from ecm_inspect.reports import document
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
    safe = report.recommendations[0]
    assert (safe.name, safe.count) == ("Safeguarding and child protection", 2)
    assert safe.examples == ["improve referral thresholds", "speed up referral assessments"]
    assert report.by_priority == {"Immediately": 2}
    data = Client().get("/national/2027/data.json").json()
    assert data["reviews"] == 2
    pdf = Client().get("/national/2027/report.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_the_composite_pdf_is_printed_once_for_each_state_of_the_findings(
    rw: ReviewWorld, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # nothing printed by another test
    printed: list[str] = []
    real = document.render_pdf

    def counting(body: str, title: str) -> bytes:
        printed.append(title)
        return real(body, title)

    monkeypatch.setattr(document, "render_pdf", counting)
    _publish(rw.review, date(2027, 2, 1), {"SS": 3}, ["improve referral thresholds"])
    url = "/national/2027/report.pdf"
    first, second = Client().get(url), Client().get(url)
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'inline; filename="jar-composite-2027.pdf"'
    body = b"".join(first.streaming_content)  # type: ignore[attr-defined]
    assert body == b"".join(second.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF")
    assert printed == ["Joint area reviews 2027"]
    # Another report published in the year: the next reader gets a new printing, once.
    other = review_make(rw.people, analysis=date(2026, 9, 7))
    other.area = rw.people.other_area
    other.save()
    _publish(other, date(2027, 5, 1), {"SS": 1}, [])
    third, fourth = Client().get(url), Client().get(url)
    assert b"".join(third.streaming_content) == b"".join(fourth.streaming_content)  # type: ignore[attr-defined]
    assert len(printed) == 2
    assert len(list((tmp_path / "national-reports").iterdir())) == 2


def test_the_cpa_category_is_only_a_recorded_grade_in_a_published_letter(rw: ReviewWorld) -> None:
    """The composite is public: an APA overall grade the machine proposed, or one recorded in a
    letter not yet published, never groups a review."""
    from ecm_inspect.performance.models import Assessment, AssessmentJudgement, LetterStatus

    _publish(rw.review, date(2027, 2, 1), {"SS": 3}, [])
    assessment = Assessment.objects.create(area=rw.review.area, year=2027)
    overall = AssessmentJudgement.objects.create(
        assessment=assessment, kind="overall", proposed_grade=1
    )
    assert composite_report(year=2027).by_cpa == {
        "No APA letter published that year": {4: 0, 3: 1, 2: 0, 1: 0}
    }
    overall.recorded_grade = 2
    overall.save()
    assert "CPA block score 2" not in composite_report(year=2027).by_cpa  # letter still a draft
    assessment.letter_status = LetterStatus.PUBLISHED
    assessment.save()
    assert composite_report(year=2027).by_cpa == {"CPA block score 2": {4: 0, 3: 1, 2: 0, 1: 0}}


def test_recurring_recommendations_are_grouped_by_theme_not_by_word() -> None:
    themes = recurring_themes(
        [
            "Improve the timeliness of initial assessments of referrals",
            "Ensure looked after children have an up-to-date care plan",
            "Increase foster placements within the area",
            "Reduce the number of young people not in education, employment or training",
            "Reduce permanent exclusions from secondary schools",
            "Paint the town",
        ]
    )
    assert [(t.name, t.count) for t in themes] == [
        ("Looked-after children and care leavers", 2),
        ("Safeguarding and child protection", 1),
        ("Achieving economic well-being", 1),
        ("Enjoying and achieving", 1),
        ("Other", 1),
    ]
    assert themes[0].examples == [
        "Ensure looked after children have an up-to-date care plan",
        "Increase foster placements within the area",
    ]
    assert recommendation_theme("Reduce teenage pregnancy") == "Being healthy"


def test_outcome_themes_take_their_titles_from_the_framework_given() -> None:
    """A revised Framework that retitles an outcome retitles its theme: the outcome themes are
    held by code, never by a title written in code."""
    revised = {"BH": "Healthy lives", "EW": "Economic well-being"}
    assert recommendation_theme("Reduce teenage pregnancy", revised) == "Healthy lives"
    themes = recurring_themes(["Reduce teenage pregnancy", "More apprenticeships"], 2, revised)
    assert {t.name for t in themes} == {"Healthy lives", "Economic well-being"}
