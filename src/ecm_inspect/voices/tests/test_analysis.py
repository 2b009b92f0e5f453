"""Results: counts and percentages, the suppression rule, breakdowns, topics, comparison,
and the results as evidence items of the review."""

import uuid

import pytest
from django.utils import timezone

from ecm_inspect.evidence.models import EvidenceItem, Origin
from ecm_inspect.voices.analysis import Cell, results_as_dict, suppress, survey_results
from ecm_inspect.voices.evidence import evidence_from_survey
from ecm_inspect.voices.models import Response

from .conftest import SurveyWorld


def respond(sw: SurveyWorld, n: int, *, in_care: str = "no", **answers: str) -> None:
    schools = list(sw.survey.schools.all())
    today = timezone.localdate()
    Response.objects.bulk_create(
        Response(
            survey=sw.survey,
            school=schools[i % len(schools)],
            version="secondary",
            age_band="11_15",
            in_care=in_care,
            answers=dict(answers),
            started_on=today,
            submitted_on=today,
            token_sha256=uuid.uuid4().hex * 2,
        )
        for i in range(n)
    )


def test_a_lone_small_count_takes_a_second_one_with_it() -> None:
    cells = [Cell(40, 60), Cell(15, 60), Cell(5, 60)]
    suppress(cells, 10)
    assert [c.shown for c in cells] == [True, False, False]  # 5 hidden; 15 too, or 60-40-? = 5
    none_small = [Cell(40, 60), Cell(20, 60)]
    suppress(none_small, 10)
    assert all(c.shown for c in none_small)
    small_base = [Cell(3, 8), Cell(5, 8)]
    suppress(small_base, 10)
    assert not any(c.shown for c in small_base)


@pytest.mark.django_db
def test_published_results_hide_cells_under_ten_and_the_team_sees_them(sw: SurveyWorld) -> None:
    respond(sw, 30, safety_day="safe")
    respond(sw, 12, safety_day="unsafe")
    respond(sw, 4, in_care="yes", safety_day="neither")
    published = survey_results(sw.survey, audience="published")
    team = survey_results(sw.survey, audience="team")
    assert published.respondents == team.respondents == 46

    def item(results, name):
        return next(i for p in results.pages for i in p.items if i.item.name == name)

    pub, exact = item(published, "safety_day"), item(team, "safety_day")
    assert {label: c.count for label, c in exact.choices} == {
        "Safe": 30,
        "Neither safe nor unsafe": 4,
        "Unsafe": 12,
    }
    shown = {label: c.shown for label, c in pub.choices}
    assert shown == {"Safe": True, "Neither safe nor unsafe": False, "Unsafe": False}
    assert exact.positive.percent == pytest.approx(65.2)
    assert pub.positive.percent == pytest.approx(65.2)  # 30 of 46: both over ten
    # By group: the four children in care are a group too small to show outside the team.
    in_care = dict(pub.breakdowns["in_care"])
    assert not in_care["Yes"].shown
    assert dict(exact.breakdowns["in_care"])["Yes"].percent == 0.0
    data = results_as_dict(published)
    safe = next(i for o in data["outcomes"] for i in o["items"] if i["name"] == "safety_day")
    assert safe["choices"]["Unsafe"] == {"suppressed": True}
    assert data["breakdowns"]["in_care"]["Yes"] == {"suppressed": True}
    assert published.suppressed >= 3
    assert team.suppressed == 0


@pytest.mark.django_db
def test_topics_of_free_text_and_quotes_only_for_the_team(sw: SurveyWorld) -> None:
    respond(sw, 12, safe_text="The park is scary at night and there are gangs")
    respond(sw, 3, safe_text="Call 07700 900123 about the buses")
    team = survey_results(sw.survey, audience="team")
    text = next(t for p in team.pages for t in p.texts if t.item.name == "safe_text")
    topics = {theme: c.count for theme, c in text.themes}
    assert topics["Feeling unsafe outside"] == 12
    assert topics["Parks and places to play"] == 12
    assert topics["Transport"] == 3
    assert all("07700" not in q for q in text.quotes)  # phone numbers redacted
    published = survey_results(sw.survey, audience="published")
    ptext = next(t for p in published.pages for t in p.texts if t.item.name == "safe_text")
    assert ptext.quotes == []
    assert not dict(ptext.themes)["Transport"].shown


@pytest.mark.django_db
def test_results_beside_the_reference_survey_become_evidence(sw: SurveyWorld) -> None:
    respond(sw, 40, safety_day="safe", safety_school="unsafe", life_satisfied="low")
    results = survey_results(sw.survey)
    day = next(i for p in results.pages for i in p.items if i.item.name == "safety_day")
    assert day.reference_percent == pytest.approx(69.9)  # Hertfordshire 2023: 69.9% safe
    items = evidence_from_survey(survey=sw.survey)
    assert len(items) == 5
    safe = EvidenceItem.objects.get(
        review=sw.rw.review, origin=Origin.VOICES, origin_key__endswith=":SS"
    )
    assert safe.kind == "consultation"
    assert set(safe.key_judgements.values_list("outcome__code", flat=True)) == {"SS"}
    assert "40 children and young people" in safe.summary
    assert "safe" in safe.summary.lower()
    # Recording again updates the same items.
    evidence_from_survey(survey=sw.survey)
    assert EvidenceItem.objects.filter(origin=Origin.VOICES).count() == 5


@pytest.mark.django_db
def test_compared_with_another_area(sw: SurveyWorld) -> None:
    from ecm_inspect.reviews.tests.conftest import review_make
    from ecm_inspect.voices.services import survey_create, survey_sample

    from .conftest import frame_make

    respond(sw, 20, safety_day="safe")
    other_review = review_make(sw.rw.people)
    other = survey_create(
        review=other_review,
        opens_on=sw.survey.opens_on,
        closes_on=sw.survey.closes_on,
        safeguarding_contact=sw.contact,
    )
    survey_sample(survey=other, size=5, frame=frame_make("8"))
    Response.objects.bulk_create(
        Response(
            survey=other,
            school=other.schools.first(),
            version="secondary",
            age_band="16_19",
            answers={"safety_day": "safe" if i < 5 else "unsafe"},
            started_on=sw.survey.opens_on,
            submitted_on=sw.survey.opens_on,
            token_sha256=f"{i:064d}",
        )
        for i in range(20)
    )
    results = survey_results(sw.survey, compare_with=other)
    day = next(i for p in results.pages for i in p.items if i.item.name == "safety_day")
    assert day.positive is not None
    assert day.positive.percent == 100.0
    assert day.compared_percent == 25.0


@pytest.mark.django_db
def test_the_report_says_what_children_told_the_inspectors_in_published_figures(
    sw: SurveyWorld,
) -> None:
    from ecm_inspect.reports.document import report_paragraphs, survey_told, survey_told_children

    respond(sw, 6, safety_day="safe")
    assert survey_told(sw.rw.review) is None  # six answers: nothing to say outside the team
    respond(sw, 34, safety_day="safe", safety_school="unsafe", views_listened_school="yes")
    told = survey_told(sw.rw.review)
    assert told is not None
    assert told.startswith("40 children and young people in 5 schools and colleges")
    assert "100% answered safe to “How safe do you feel going out in your area" in told
    assert "(reference survey 70%)" in told
    assert "Enjoying" not in told  # no item of that outcome was answered
    # The report's context carries it in a numbered paragraph of its own (numbered in order,
    # without gaps: C3 here, where the partners paragraph is left out).
    said = [p for p in report_paragraphs(sw.rw.review) if p.text == told]
    assert [p.id[0] for p in said] == ["C"]
    assert (
        survey_told_children(sw.rw.review)
        == "40 of you answered our questions about where you live."
    )
