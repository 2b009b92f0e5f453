"""Complaints handled fairly and promptly, and the evaluation of inspection."""

from datetime import date

import pytest
from django.test import Client

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.quality.models import Complaint, ComplaintStatus
from ecm_inspect.quality.services import (
    QualityRefused,
    complaint_acknowledge,
    complaint_assign,
    complaint_decide,
    complaint_receive,
    complaints_due,
    evaluation_summary,
    questionnaire_answer,
    questionnaire_send,
)
from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reviews.tests.conftest import ReviewWorld, team_set

PROCESS = {"arrangements": 4, "burden": 3, "childrens_views": 4, "conduct": 4, "report": 3}


def test_deadlines_are_working_days_over_christmas(rw: ReviewWorld) -> None:
    complaint = complaint_receive(
        name="A parent",
        email="",
        inspectorate=Inspectorate.objects.get(code="OFSTED"),
        about="Inspection of a children's home",
        description="The report is wrong.",
        today=date(2025, 12, 23),
    )
    assert complaint.reference == "C2025-0001"
    # 24 Dec, then (25 and 26 Dec bank holidays, the weekend) 29 and 30 Dec: three working days.
    assert complaint.acknowledge_by == date(2025, 12, 30)
    assert complaint.decide_by == date(2026, 1, 23)


def test_a_complaint_end_to_end_with_an_independent_investigator(rw: ReviewWorld) -> None:
    team_set(rw)
    lead = rw.people.users[Role.NATIONAL_LEAD]
    complaint = complaint_receive(
        name="A head teacher",
        email="head@school.example",
        review=rw.review,
        inspectorate=Inspectorate.objects.get(code="OFSTED"),
        about=str(rw.review),
        description="The inspectors did not meet our governors.",
        today=date(2026, 10, 20),
    )
    with pytest.raises(QualityRefused, match="Acknowledge the complaint"):
        complaint_assign(complaint=complaint, investigator=lead, by=lead)
    complaint = complaint_acknowledge(complaint=complaint, by=lead, today=date(2026, 10, 21))
    on_team = rw.people.users[Role.REVIEW_TEAM_LEADER]
    with pytest.raises(QualityRefused, match="is on the team"):
        complaint_assign(complaint=complaint, investigator=on_team, by=lead)
    complaint = complaint_assign(
        complaint=complaint, investigator=rw.people.users[Role.INSPECTORATE_LEAD], by=lead
    )
    complaint = complaint_decide(
        complaint=complaint,
        outcome="partly_upheld",
        reasons="Governors were not offered a meeting.",
        report_change="Added the governors' view to paragraph 12.",
        by=lead,
        today=date(2026, 11, 2),
    )
    assert complaint.status == ComplaintStatus.DECIDED
    assert complaint.report_changed
    history = list(complaint.history.order_by("history_date"))  # type: ignore[attr-defined]
    assert [h.status for h in history] == ["received", "acknowledged", "assigned", "decided"]
    assert history[-1].history_user == lead


def test_the_public_complains_without_an_account(rw: ReviewWorld) -> None:
    response = Client().post(
        "/complaints/new/",
        {
            "name": "A carer",
            "inspectorate": "CSCI",
            "about": "Fostering inspection",
            "description": "Nobody spoke to us.",
        },
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reference in response.content.decode()
    assert Client().get("/complaints/").status_code == 302  # the dashboard is for staff
    dashboard = client_for(rw.people.users[Role.NATIONAL_LEAD]).get("/complaints/").content.decode()
    assert complaint.reference in dashboard
    assert client_for(rw.people.users[Role.INSPECTOR]).get("/complaints/").status_code == 403


def test_overdue_steps_are_flagged(rw: ReviewWorld) -> None:
    complaint_receive(
        name="X",
        email="",
        inspectorate=Inspectorate.objects.get(code="OFSTED"),
        about="Y",
        description="Z",
        today=date(2026, 3, 2),
    )
    due = complaints_due(today=date(2026, 3, 10))
    assert (due[0].step, due[0].overdue) == ("acknowledge", True)
    assert complaints_due(today=date(2026, 3, 3))[0].overdue is False


def test_questionnaires_and_their_summary(rw: ReviewWorld) -> None:
    ofsted = Inspectorate.objects.get(code="OFSTED")
    body = questionnaire_send(
        inspectorate=ofsted,
        inspection_label="Review of Gateshead",
        respondent="inspected_body",
        stage="process",
        today=date(2026, 10, 1),
    )
    questionnaire_answer(questionnaire=body, scores=PROCESS, today=date(2026, 10, 5))
    questionnaire_answer(
        questionnaire=body, scores=PROCESS | {"burden": 1}, today=date(2026, 10, 6)
    )
    with pytest.raises(QualityRefused, match="missing: report"):
        questionnaire_answer(
            questionnaire=body, scores={k: 3 for k in list(PROCESS)[:4]}, today=date(2026, 10, 6)
        )
    with pytest.raises(QualityRefused, match="closed"):
        questionnaire_answer(questionnaire=body, scores=PROCESS, today=date(2026, 11, 30))
    row = evaluation_summary()[0]
    assert (row.inspectorate, row.year, row.answers) == ("Ofsted", 2026, 2)
    assert row.means["burden"] == 2.0
    # A child answers through the link, without an account, in plain words.
    child = questionnaire_send(
        inspectorate=ofsted,
        inspection_label="Review of Gateshead",
        respondent="child",
        stage="process",
    )
    page = Client().get(f"/questionnaires/{child.token}/").content.decode()
    assert "The inspectors listened to what children and young people said." in page
    done = Client().post(f"/questionnaires/{child.token}/", {k: "4" for k in PROCESS})
    assert "We got your answers" in done.content.decode()
    assert child.answers.get().answered_on  # a date, no time


@pytest.mark.parametrize("score", ["²", "١٢", "9" * 40, "-1"])
def test_a_questionnaire_with_a_score_that_is_not_one_is_asked_again(
    rw: ReviewWorld, score: str
) -> None:
    """ "²" passes isdigit() but not int(): the form comes back with a message, never a 500."""
    sent = questionnaire_send(
        inspectorate=Inspectorate.objects.get(code="OFSTED"),
        inspection_label="Review of Gateshead",
        respondent="child",
        stage="process",
    )
    client = Client(raise_request_exception=False)
    response = client.post(f"/questionnaires/{sent.token}/", PROCESS | {"burden": score})
    assert response.status_code == 422
    assert "Answer every statement (missing: burden)" in response.content.decode()
