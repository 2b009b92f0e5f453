"""The coverage panel: each group in scope counted from each source, gaps flagged until the
findings are agreed, and another source added by registering it."""

from datetime import date

import pytest
from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.reviews.models import LocalGroup, Review, ReviewGroup, Stage
from ecm_inspect.reviews.stages import consequences
from ecm_inspect.voices import coverage
from ecm_inspect.voices.coverage import (
    IN_CARE,
    LDD,
    PARENTS,
    UNDER_8,
    CoverageCount,
    register,
    review_coverage,
)
from ecm_inspect.voices.models import Response, ViewsKind
from ecm_inspect.voices.parents import (
    parent_response_submit,
    parents_proforma_create,
    parents_proforma_open,
    survey_hard_to_reach_set,
)
from ecm_inspect.voices.services import views_record

from .conftest import SurveyWorld


def _sent(sw: SurveyWorld, n: int, **fields: str) -> None:
    for i in range(n):
        Response.objects.create(
            survey=sw.survey,
            school=sw.school,
            version="secondary",
            age_band=fields.get("age_band", "11_15"),
            in_care=fields.get("in_care", ""),
            disability=fields.get("disability", ""),
            started_on=date(2026, 9, 1),
            submitted_on=date(2026, 9, 1),
            token_sha256=f"{fields}{i}".ljust(64, "x")[:64],
        )


def _rows(review: Review) -> dict[str, tuple[int, list[tuple[str, int]]]]:
    return {row.group.key: (row.heard, row.sources) for row in review_coverage(review).rows}


@pytest.mark.django_db
def test_each_group_counted_from_each_source(sw: SurveyWorld) -> None:
    review = sw.rw.review
    ReviewGroup.objects.create(
        review=review, group=LocalGroup.YOUNG_OFFENDERS, reason="First-time entrants high."
    )
    _sent(sw, 4, in_care="yes")
    _sent(sw, 3, disability="yes", age_band="under_8")
    proforma = parents_proforma_open(proforma=parents_proforma_create(survey=sw.survey), by=None)
    for in_care in ("yes", "no", "no"):
        parent_response_submit(
            proforma=proforma,
            data={"relationship": "carer", "child_age_band": "16_19", "child_in_care": in_care},
        )
    views_record(
        review=review,
        outcomes=[],
        kind=ViewsKind.INTERVIEW_GROUP,
        title="Young people at the youth offending team",
        gathered_on=date(2026, 9, 20),
        by_whom="Inspectors",
        children=5,
        age_group="14 to 17",
        group="Young offenders",
        summary="They wanted quicker help.",
    )
    rows = _rows(review)
    assert rows[IN_CARE][0] == 4 + 1
    assert ("Children's survey", 4) in rows[IN_CARE][1]
    assert rows[LDD][0] == 3
    assert rows[UNDER_8][0] == 3
    assert rows[PARENTS] == (3, [("Parents' and carers' proforma", 3)])
    assert rows["local:young_offenders"][0] == 5
    assert rows["hard_to_reach"][0] == 0


@pytest.mark.django_db
def test_a_gap_is_flagged_until_the_findings_are_agreed(sw: SurveyWorld) -> None:
    review = sw.rw.review
    found = review_coverage(review)
    assert found.flag_gaps
    assert "No views gathered from children in care yet." in found.gaps
    assert "No views gathered from parents and carers yet." in found.gaps
    lines = consequences(review, Stage.FINDINGS_AGREED, date(2026, 10, 1))
    assert any(line.still_open and "children in care" in line.value for line in lines)
    page = client_for(sw.rw.people.users[Role.INSPECTOR]).get(
        reverse("reviews:detail", args=[review.pk])
    )
    assert page.status_code == 200
    assert b"Whose views have been gathered" in page.content
    assert b"No views gathered from children in care yet." in page.content
    api = client_for(sw.rw.people.users[Role.INSPECTOR]).get(
        f"/api/voices/reviews/{review.pk}/coverage/"
    )
    assert api.status_code == 200
    in_care = next(g for g in api.json()["groups"] if g["group"] == IN_CARE)
    assert in_care == {
        "group": IN_CARE,
        "label": "children in care",
        "heard": 0,
        "sources": [],
        "gap": "No views gathered from children in care yet.",
    }
    # The end of fieldwork: the gaps are still open, as a warning beside the checks.
    Review.objects.filter(pk=review.pk).update(stage=Stage.FIELDWORK)
    stage = client_for(sw.rw.people.users[Role.REVIEW_TEAM_LEADER]).get(
        reverse("reviews:stage", args=[review.pk, Stage.FIELDWORK.value])
    )
    assert stage.status_code == 200
    assert b"Still open when you record that the findings are agreed" in stage.content
    assert b"No views gathered from parents and carers yet." in stage.content
    Review.objects.filter(pk=review.pk).update(stage=Stage.FINDINGS_AGREED)
    review.refresh_from_db()
    assert not review_coverage(review).flag_gaps


@pytest.mark.django_db
def test_hard_to_reach_groups_named_by_the_team(sw: SurveyWorld) -> None:
    review = sw.rw.review
    survey_hard_to_reach_set(
        survey=sw.survey,
        groups="Gypsy and Traveller children\n\nYoung carers\nYoung carers",
        by=None,
        expected_version=sw.survey.version,
    )
    views_record(
        review=review,
        outcomes=[],
        kind=ViewsKind.SERVICE_CONSULTATION,
        title="Young carers' project forum",
        gathered_on=date(2026, 9, 2),
        by_whom="Carers' centre",
        children=8,
        age_group="8 to 15",
        group="Young carers",
        summary="Hard to find time for homework.",
    )
    review.refresh_from_db()
    rows = _rows(review)
    assert rows["hard_to_reach:young carers"][0] == 8
    assert rows["hard_to_reach:gypsy and traveller children"][0] == 0
    assert "hard_to_reach" not in rows


@pytest.mark.django_db
def test_another_source_is_added_by_registering_it(sw: SurveyWorld) -> None:
    def from_meetings(review: Review) -> list[CoverageCount]:
        return [CoverageCount(PARENTS, "Meeting with parents of disabled children", 7)]

    register(from_meetings)
    register(from_meetings)  # once only
    try:
        assert coverage.coverage_sources.count(from_meetings) == 1
        rows = _rows(sw.rw.review)
        assert rows[PARENTS] == (7, [("Meeting with parents of disabled children", 7)])
    finally:
        coverage.coverage_sources.remove(from_meetings)


@pytest.mark.django_db
def test_fieldwork_meetings_count_towards_coverage(sw: SurveyWorld) -> None:
    from django.utils import timezone

    from ecm_inspect.evidence.fieldwork import meeting_record

    review = sw.rw.review
    today = timezone.localdate()
    before = _rows(review)
    assert before[PARENTS][0] == 0
    meeting_record(
        review=review, kind="parents", title="Foster carers", held_on=today, attendees=7,
        group_slugs=["children_in_care"],
    )  # fmt: skip
    meeting_record(
        review=review, kind="children", title="Nursery group", held_on=today, attendees=5,
        under_eights=True,
    )  # fmt: skip
    # A focus group of staff speaks for no one's views.
    meeting_record(
        review=review, kind="staff", title="Social workers", held_on=today, attendees=9,
        group_slugs=["ldd"],
    )  # fmt: skip
    after = _rows(review)
    assert after[PARENTS] == (7, [("Fieldwork meeting with parents and carers", 7)])
    assert after[IN_CARE][0] == before[IN_CARE][0] + 7
    assert after[UNDER_8][0] == before[UNDER_8][0] + 5
    assert after[LDD] == before[LDD]
