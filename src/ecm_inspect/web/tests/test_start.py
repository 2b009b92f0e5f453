"""Each role's start page: their own work (nothing of another area's or another team's), what
is due and what is overdue, each item linking to a page they may open; the count in the
navigation."""

import re
from datetime import timedelta

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for, verified
from ecm_inspect.core.work import WorkItem
from ecm_inspect.reports.models import ReviewJudgement
from ecm_inspect.web.selectors import work_for_user

from .start_world import StartWorld, start_world_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw() -> StartWorld:
    return start_world_build()


def _work(sw: StartWorld, role: str) -> dict[str, list[WorkItem]]:
    work = work_for_user(user=verified(sw.people.users[role]), today=sw.today)
    return {s.title: s.items for s in work.sections}


def _hrefs(work: dict[str, list[WorkItem]]) -> set[str]:
    return {i.href for items in work.values() for i in items}


def test_the_inspector_has_their_reviews_requests_and_judgements_to_draft(sw: StartWorld) -> None:
    work = _work(sw, Role.INSPECTOR)
    reviews = [i.text for i in work["Your reviews"]]
    assert [r.split(" (")[0] for r in reviews] == ["Joint area review of Gateshead"] * 2
    (draft,) = work["Judgements to draft"]
    assert draft.href == f"/reviews/{sw.fieldwork.pk}/judgements/SS/"
    # Staying safe's judgements less the one drafted.
    undrafted = ReviewJudgement.objects.filter(review=sw.fieldwork, code__startswith="SS").count()
    assert draft.text == f"Draft {undrafted - 1} judgements of Staying safe"
    assert draft.due is not None
    assert not draft.overdue
    (request,) = work["Evidence requested"]
    assert request.overdue
    assert request.is_task
    assert "Sunderland" not in str(work)  # not on that team
    assert "Stage actions" not in work
    assert "Drafts to moderate" not in work


def test_the_team_leader_has_stage_moves_and_drafts_to_moderate(sw: StartWorld) -> None:
    work = _work(sw, Role.REVIEW_TEAM_LEADER)
    moves = {i.text for i in work["Stage actions"]}
    assert moves == {
        "Record that the findings are agreed: Gateshead",
        "Close accuracy comments: Gateshead",
    }
    (moderate,) = work["Drafts to moderate"]
    assert moderate.text == "Sign off or return 1 judgement of Staying safe"
    # The outcomes they made no one lead stay theirs to draft; staying safe is not one.
    drafts = {i.href.rsplit("/", 2)[-2] for i in work["Judgements to draft"]}
    assert "SS" not in drafts
    assert "BH" in drafts
    assert "Sunderland" not in str(work)


def test_overdue_comes_first_and_becomes_overdue_after_its_date(sw: StartWorld) -> None:
    leader = verified(sw.people.users[Role.REVIEW_TEAM_LEADER])
    later = work_for_user(user=leader, today=sw.today + timedelta(weeks=8))
    moves = next(s for s in later.sections if s.title == "Stage actions").items
    assert all(i.overdue for i in moves)
    assert later.overdue >= 2
    now = work_for_user(user=leader, today=sw.today)
    items = next(s for s in now.sections if s.title == "Stage actions").items
    assert [i.overdue for i in items] == sorted((i.overdue for i in items), reverse=True)


def test_the_dcs_has_requests_comments_statement_and_apa(sw: StartWorld) -> None:
    work = _work(sw, Role.DCS)
    (request,) = work["Information requested"]
    assert request.text == "Send: The list of children in care"
    assert request.overdue
    (comments,) = work["Draft report: accuracy comments"]
    assert comments.href == f"/reviews/{sw.draft_out.pk}/report/"
    (statement,) = work["Statement of proposed action"]
    assert statement.text.startswith("Write and submit")
    assert statement.overdue
    assert statement.href == f"/reviews/{sw.published.pk}/follow-up/"
    apa = {i.href for i in work["Annual performance assessment"]}
    assert f"/apa/{sw.letter.year}/E08000037/letter/" in apa
    assert any(h.endswith("/E08000037/self-assessment/") for h in apa)
    assert "Sunderland" not in str(work)
    assert "Actions to report on" not in work  # the YOT's action is not late


def test_the_partner_has_their_bodys_statement_and_requests(sw: StartWorld) -> None:
    """The partner's action sits in a statement not yet accepted: they are asked to add to the
    statement, not to report progress on the action (that waits for the acceptance)."""
    work = _work(sw, Role.PARTNER_CONTRIBUTOR)
    assert "Actions to report on" not in work
    (statement,) = work["Statement of proposed action"]
    assert statement.text.startswith("Add your actions to")
    assert [i.text for i in work["Information requested"]] == ["Send: The list of children in care"]
    assert "Sunderland" not in str(work)


def test_the_leads_have_programme_risk_alerts_and_overdue_follow_up(sw: StartWorld) -> None:
    national = _work(sw, Role.NATIONAL_LEAD)
    hrefs = _hrefs(national)
    assert {"/programme/", f"/programme/risk/{sw.today.year - 1}/", "/apa/", "/follow-up/"} <= hrefs
    assert national["Alerts"][0].text == "Acknowledge 1 intervention alert"
    overdue = national["Overdue follow-up"]
    assert overdue[0].text == "1 statement of proposed action past due"
    assert overdue[0].overdue
    lead = _work(sw, Role.INSPECTORATE_LEAD)
    assert "Alerts" not in lead  # the national lead's alone
    assert {"/programme/", "/follow-up/"} <= _hrefs(lead)


@pytest.mark.parametrize("role", Role.values)
def test_every_link_on_each_start_page_opens(sw: StartWorld, role: str) -> None:
    client = client_for(sw.people.users[role])
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="govuk-heading-xl">Your work</h1>' in html
    count = work_for_user(user=verified(sw.people.users[role]), today=sw.today).count
    assert f"Your work ({count})" in html
    links = re.findall(r'govuk-task-list__link" href="([^"]+)"', html)
    assert links, f"{role} has nothing on their start page"
    for href in links:
        assert client.get(href).status_code == 200, href


def test_password_only_and_the_public_get_the_public_home(sw: StartWorld) -> None:
    for client in (client_for(None), client_for(sw.people.users[Role.DCS], verified=False)):
        html = client.get("/").content.decode()
        assert "Inspection of children’s services</h1>" in html
        assert "Your work" not in html


def test_the_start_page_asks_a_bounded_number_of_queries(
    sw: StartWorld, django_assert_max_num_queries: object
) -> None:
    client = client_for(sw.people.users[Role.REVIEW_TEAM_LEADER])
    with django_assert_max_num_queries(60):  # type: ignore[operator]
        assert client.get("/").status_code == 200
