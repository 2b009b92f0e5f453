"""The fieldwork issues the area's APA identifies appear on its next review's set-up and
pre-fill the set-up meeting's fieldwork issues, until the team writes its own."""

from datetime import date

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.performance.models import Assessment, AssessmentJudgement
from ecm_inspect.reviews.models import MeetingKind
from ecm_inspect.reviews.services import meeting_record

from .conftest import ReviewWorld, team_set


def _apa(rw: ReviewWorld, year: int = 2025) -> Assessment:
    assessment = Assessment.objects.create(
        area=rw.people.own_area,
        year=year,
        fieldwork_specification=[
            {
                "judgement": "SS",
                "why": "adequate: Staying safe: proposed 2 (adequate), score -0.30.",
            },
            {"judgement": "EA", "why": "insufficient evidence: Only 0 indicators with data."},
        ],
    )
    AssessmentJudgement.objects.create(assessment=assessment, kind="SS", recorded_grade=2)
    return assessment


def test_the_apa_issues_fill_the_set_up_meeting(rw: ReviewWorld) -> None:
    _apa(rw)
    Assessment.objects.create(  # a later APA without issues is passed over
        area=rw.people.own_area, year=2026, fieldwork_specification=[]
    )
    team_set(rw)
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = leader.get(f"/reviews/{rw.review.pk}/stages/notified/").content.decode()
    assert "Fieldwork issues from the annual performance assessment of 2025" in page
    assert "Staying safe: graded adequate (APA 2025)" in page
    assert "Enjoying and achieving: insufficient evidence (APA 2025)" in page
    assert "score" not in page  # plain words, never the proposal's workings
    textarea = page.split('name="fieldwork_issues"')[1].split("</textarea>")[0]
    assert "Staying safe: graded adequate (APA 2025)" in textarea
    assert "until the team writes its own" in page
    # The planned stage shows them too, without a form to fill.
    planned = leader.get(f"/reviews/{rw.review.pk}/stages/planned/").content.decode()
    assert "Staying safe: graded adequate (APA 2025)" in planned


def test_the_teams_own_issues_are_kept(rw: ReviewWorld) -> None:
    _apa(rw)
    team_set(rw)
    meeting_record(
        review=rw.review, kind=MeetingKind.SET_UP, held_on=date(2026, 9, 1),
        attendees="DCS", fieldwork_issues="Our own: children missing education.",
        by=rw.people.users[Role.REVIEW_TEAM_LEADER],
    )  # fmt: skip
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = leader.get(f"/reviews/{rw.review.pk}/stages/notified/").content.decode()
    textarea = page.split('name="fieldwork_issues"')[1].split("</textarea>")[0]
    assert "Our own: children missing education." in textarea
    assert "graded adequate" not in textarea
    assert "until the team writes its own" not in page
    assert "Staying safe: graded adequate (APA 2025)" in page  # still shown beside it


def test_no_apa_no_issues(rw: ReviewWorld) -> None:
    team_set(rw)
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = leader.get(f"/reviews/{rw.review.pk}/stages/notified/").content.decode()
    assert "Fieldwork issues from the annual performance assessment" not in page
