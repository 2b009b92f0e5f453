"""The follow-up pages: each refused step shows its error on the page (never a 500) with
nothing written; forbidden people get 403 or 404; the pages render for the roles allowed."""

from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.followup.models import Action, CaseStatus, InterventionCase, StatementStatus
from ecm_inspect.followup.services import (
    intervention_check,
    statement_decide,
    statement_get,
    statement_submit,
    statements_overdue,
)
from ecm_inspect.reports.models import Recommendation
from ecm_inspect.reviews.tests.conftest import ReviewWorld, review_make, team_set

from .helpers import counts, other_area_user, publish, recommendations, written


def _url(rw: ReviewWorld) -> str:
    return f"/reviews/{rw.review.pk}/follow-up/"


def _page(response: Any) -> str:
    return unescape(response.content.decode())


@pytest.mark.parametrize("role", Role.values)
def test_the_follow_up_page_renders_for_every_role_allowed(rw: ReviewWorld, role: str) -> None:
    team_set(rw)
    publish(rw)
    written(rw)
    response = client_for(rw.people.users[role]).get(_url(rw))
    assert response.status_code == 200
    assert "review referral thresholds" in _page(response)


def test_before_publication_the_page_says_so(rw: ReviewWorld) -> None:
    from ecm_inspect.reviews.models import Review, Stage

    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.FIELDWORK)
    response = client_for(rw.people.users[Role.NATIONAL_LEAD]).get(_url(rw))
    assert response.status_code == 200
    assert "The report is not published yet." in _page(response)


def test_strangers_are_turned_away(rw: ReviewWorld) -> None:
    publish(rw)
    assert client_for(other_area_user()).get(_url(rw)).status_code == 403
    assert client_for(rw.people.users[Role.INSPECTOR]).get(_url(rw)).status_code == 403  # no team
    assert (
        client_for(rw.people.users[Role.NATIONAL_LEAD])
        .get("/reviews/999999/follow-up/")
        .status_code
        == 404
    )
    password_only = client_for(rw.people.users[Role.DCS], verified=False).get(_url(rw))
    assert password_only.status_code == 302
    assert "two-factor" in password_only["Location"]
    assert Client().get(_url(rw)).status_code == 302


def _draft(rw: ReviewWorld) -> None:
    written(rw)


def _submitted(rw: ReviewWorld) -> None:
    statement_submit(statement=written(rw))


def _nothing(rw: ReviewWorld) -> None:
    statement_get(review=rw.review)


def _rec(rw: ReviewWorld) -> int:
    return recommendations(rw.review)[0].pk


def _first_action(rw: ReviewWorld) -> int:
    return Action.objects.order_by("pk")[0].pk


REFUSALS: list[tuple[str, Callable[[ReviewWorld], None], str, dict[str, Any], str]] = [
    ("unknown step", _nothing, Role.DCS, {"do": "dance"}, "Choose what to do."),
    (
        "blank action",
        _nothing,
        Role.DCS,
        {
            "do": "write",
            "recommendation": "REC",
            "text": " ",
            "owner_body": "Gateshead council",
            "service": "health",
            "deadline": "2027-05-01",
        },
        "Action: This field is required.",
    ),
    (
        "another report's recommendation",
        _nothing,
        Role.DCS,
        {
            "do": "write",
            "recommendation": "FOREIGN",
            "text": "We will.",
            "owner_body": "Gateshead council",
            "service": "health",
            "deadline": "2027-05-01",
        },
        "Recommendation: choose a recommendation of this report.",
    ),
    (
        "writing once submitted",
        _submitted,
        Role.DCS,
        {
            "do": "write",
            "recommendation": "REC",
            "text": "We will.",
            "owner_body": "Gateshead council",
            "service": "health",
            "deadline": "2027-05-01",
        },
        "it can no longer be changed by the area",
    ),
    (
        "partner removing the DCS's action",
        _draft,
        Role.PARTNER_CONTRIBUTOR,
        {"do": "remove", "item": "ACTION"},
        "Only the DCS or the action's author can remove it.",
    ),
    (
        "submitting with an old version",
        _draft,
        Role.DCS,
        {"do": "submit", "confirm": "yes", "version": "1"},
        "Someone else changed this since you opened it",
    ),
    (
        "deciding without a verdict",
        _submitted,
        Role.NATIONAL_LEAD,
        {"do": "decide", "reasons": "Fine."},
        "Adequate: say whether the statement is adequate.",
    ),
    (
        "deciding a draft",
        _draft,
        Role.NATIONAL_LEAD,
        {"do": "decide", "adequate": "yes", "reasons": "Fine."},
        "Only a submitted statement can be found adequate or sent back.",
    ),
    (
        "deciding without reasons",
        _submitted,
        Role.NATIONAL_LEAD,
        {"do": "decide", "adequate": "no", "reasons": ""},
        "Reasons: say why the statement is or is not adequate.",
    ),
    (
        "progress without words",
        _draft,
        Role.DCS,
        {"do": "progress", "item": "ACTION", "text": "  "},
        "Say what progress has been made.",
    ),
    (
        "a visit without words",
        _draft,
        Role.NATIONAL_LEAD,
        {"do": "visit", "item": "ACTION", "text": ""},
        "Say what the monitoring visit found.",
    ),
]


@pytest.mark.parametrize(
    ("setup", "role", "data", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_a_refused_step_shows_its_error_and_writes_nothing(
    rw: ReviewWorld,
    setup: Callable[[ReviewWorld], None],
    role: str,
    data: dict[str, Any],
    message: str,
) -> None:
    publish(rw)
    setup(rw)
    other = publish(rw, review=review_make(rw.people, analysis=date(2026, 11, 2)))
    foreign = Recommendation.objects.filter(review=other).first()
    assert foreign is not None
    marks: dict[str, Callable[[], int]] = {
        "REC": lambda: _rec(rw),
        "FOREIGN": lambda: foreign.pk,
        "ACTION": lambda: _first_action(rw),
    }
    filled = {
        key: marks[value]() if isinstance(value, str) and value in marks else value
        for key, value in data.items()
    }
    before = counts()
    statement = statement_get(review=rw.review)
    response = client_for(rw.people.users[role]).post(_url(rw), filled)
    assert response.status_code == 422
    page = _page(response)
    assert "There is a problem" in page
    assert message in page
    assert counts() == before
    after = statement_get(review=rw.review)
    assert (after.status, after.version) == (statement.status, statement.version)


@pytest.mark.parametrize("item", ["", "abc", "-1", "99999999"])
def test_an_action_not_of_this_review_is_not_found(rw: ReviewWorld, item: str) -> None:
    publish(rw)
    written(rw)
    response = client_for(rw.people.users[Role.DCS]).post(
        _url(rw), {"do": "progress", "item": item, "text": "Started."}
    )
    assert response.status_code == 404


def test_a_partner_removes_their_own_action(rw: ReviewWorld) -> None:
    publish(rw)
    partner = rw.people.users[Role.PARTNER_CONTRIBUTOR]
    client = client_for(partner)
    typed = {
        "do": "write",
        "recommendation": _rec(rw),
        "text": "We will screen young offenders.",
        "owner_body": "Gateshead Youth Offending Team",
        "service": "youth_justice",
        "deadline": "20/05/2027",
    }
    assert client.post(_url(rw), typed).status_code == 302
    action = Action.objects.get()
    assert action.deadline == date(2027, 5, 20)
    assert client.post(_url(rw), {"do": "remove", "item": action.pk}).status_code == 302
    assert not Action.objects.exists()


def test_the_page_offers_each_step_only_to_who_may_take_it(rw: ReviewWorld) -> None:
    team_set(rw)
    publish(rw)
    statement = statement_submit(statement=written(rw))
    leader = _page(client_for(rw.people.users[Role.REVIEW_TEAM_LEADER]).get(_url(rw)))
    inspector = _page(client_for(rw.people.users[Role.INSPECTOR]).get(_url(rw)))
    assert 'name="adequate"' in leader
    assert 'name="adequate"' not in inspector
    statement_decide(statement=statement, adequate=True, reasons="Clear.")
    assert (
        client_for(rw.people.users[Role.INSPECTOR])
        .post(_url(rw), {"do": "decide", "adequate": "yes", "reasons": "x"})
        .status_code
        == 403
    )


# -- the overview ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_the_overview_is_for_the_leads(rw: ReviewWorld, role: str) -> None:
    status = client_for(rw.people.users[role]).get("/follow-up/").status_code
    assert status == (200 if role in (Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD) else 403)


def test_the_overview_lists_late_statements_and_open_cases(rw: ReviewWorld) -> None:
    publish(rw, on=date(2020, 1, 6), grades={"SS": 1})
    statement = statement_get(review=rw.review)
    intervention_check(review=rw.review)
    late = statements_overdue()
    assert [s.statement.pk for s in late] == [statement.pk]
    page = _page(client_for(rw.people.users[Role.INSPECTORATE_LEAD]).get("/follow-up/"))
    table = page.split('id="late-statements"')[1].split("</table>")[0]
    assert "Gateshead" in table
    assert f">{late[0].days}</td>" in table
    cases = page.split('id="cases"')[1].split("</ul>")[0]
    assert "Gateshead</a>: opened" in cases


# -- an intervention case -------------------------------------------------------------------


def _case(rw: ReviewWorld) -> InterventionCase:
    publish(rw, grades={"SS": 1})
    case = intervention_check(review=rw.review)
    assert case is not None
    return case


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.NATIONAL_LEAD, 200),
        (Role.INSPECTORATE_LEAD, 200),
        (Role.REVIEW_TEAM_LEADER, 403),
        (Role.INSPECTOR, 403),
        (Role.DCS, 403),
        (Role.PARTNER_CONTRIBUTOR, 403),
    ],
)
def test_a_case_is_seen_by_the_leads_only(rw: ReviewWorld, role: str, status: int) -> None:
    case = _case(rw)
    assert client_for(rw.people.users[role]).get(f"/follow-up/cases/{case.pk}/").status_code == (
        status
    )


def test_only_the_national_lead_moves_a_case(rw: ReviewWorld) -> None:
    case = _case(rw)
    url = f"/follow-up/cases/{case.pk}/"
    step = {"step": "refer", "text": "Referred.", "confirm": "yes", "version": case.version}
    inspectorate = client_for(rw.people.users[Role.INSPECTORATE_LEAD])
    assert 'id="step-form"' not in _page(inspectorate.get(url))
    assert inspectorate.post(url, step).status_code == 403
    assert InterventionCase.objects.get().status == CaseStatus.OPEN
    national = client_for(rw.people.users[Role.NATIONAL_LEAD])
    assert 'id="step-form"' in _page(national.get(url))
    assert national.post(url, step).status_code == 302
    assert InterventionCase.objects.get().status == CaseStatus.REFERRED
    assert national.get("/follow-up/cases/999999/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step": "refer", "text": "Kept words."}, "tick the box"),
        ({"step": "refer", "text": " ", "confirm": "yes"}, "Note: say what is referred"),
        (
            {"step": "close", "text": "Kept words.", "confirm": "yes"},
            "The case is open: it can be closed only once",
        ),
        ({"step": "", "text": "Kept words.", "confirm": "yes"}, "There is no step ''"),
        ({"step": "refer", "text": "Kept words.", "confirm": "yes", "version": "0"}, "reload"),
    ],
    ids=["unconfirmed", "no note", "out of order", "no step", "stale"],
)
def test_a_refused_case_step_shows_its_error(
    rw: ReviewWorld, data: dict[str, str], message: str
) -> None:
    case = _case(rw)
    response = client_for(rw.people.users[Role.NATIONAL_LEAD]).post(
        f"/follow-up/cases/{case.pk}/", data
    )
    assert response.status_code == 422
    page = _page(response)
    assert message in page
    if data["text"].strip():
        assert "Kept words.</textarea>" in page
    fresh = InterventionCase.objects.get()
    assert (fresh.status, fresh.version) == (CaseStatus.OPEN, case.version)


def test_a_statement_found_adequate_on_the_page_is_recorded_with_its_author(
    rw: ReviewWorld,
) -> None:
    team_set(rw)
    publish(rw)
    statement = statement_submit(statement=written(rw))
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    response = client_for(leader).post(
        _url(rw),
        {"do": "decide", "adequate": "no", "reasons": "No owners.", "version": statement.version},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SENT_BACK
    assert statement.decided_by == leader
    assert statement.history.latest().history_user == leader  # type: ignore[attr-defined]


def test_progress_is_refused_before_the_statement_is_accepted(rw: ReviewWorld) -> None:
    publish(rw)
    written(rw)
    action = Action.objects.order_by("pk")[0]
    response = client_for(rw.people.users[Role.DCS]).post(
        _url(rw), {"do": "progress", "item": action.pk, "text": "All done.", "done": "on"}
    )
    assert response.status_code == 422
    action.refresh_from_db()
    assert action.done_on is None
