"""Who may do what in follow-up, role by role, with the review's team set: the area's people
write, the DCS submits, the review's leader or the national lead decides, the inspectorates
visit, the leads see the overview; nobody without the second factor does anything, and the
other area's DCS nothing on this review."""

import pytest

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.accounts.tests.world import verified
from ecm_inspect.reviews.tests.conftest import ReviewWorld, team_set

from .helpers import other_area_user

NL, IL, RTL, INS, DCS, PC = (
    Role.NATIONAL_LEAD,
    Role.INSPECTORATE_LEAD,
    Role.REVIEW_TEAM_LEADER,
    Role.INSPECTOR,
    Role.DCS,
    Role.PARTNER_CONTRIBUTOR,
)
ALLOWED: dict[str, set[str]] = {
    "followup.view_actions": {NL, IL, RTL, INS, DCS, PC},
    "followup.write_statement": {DCS, PC},
    "followup.submit_statement": {DCS},
    "followup.decide_statement": {NL, RTL},
    "followup.report_progress": {DCS, PC},
    "followup.record_visit": {NL, IL, RTL, INS},
}
OVERVIEW: dict[str, set[str]] = {
    "followup.view_overview": {NL, IL},
    "followup.move_intervention": {NL},
}


def _user(rw: ReviewWorld, role: str) -> User:
    return verified(User.objects.get(pk=rw.people.users[role].pk))


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("perm", list(ALLOWED))
def test_permissions_on_a_review_by_role(rw: ReviewWorld, perm: str, role: str) -> None:
    team_set(rw)
    assert _user(rw, role).has_perm(perm, rw.review) is (role in ALLOWED[perm])


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("perm", list(OVERVIEW))
def test_permissions_over_all_reviews_by_role(rw: ReviewWorld, perm: str, role: str) -> None:
    assert _user(rw, role).has_perm(perm) is (role in OVERVIEW[perm])


@pytest.mark.parametrize("perm", [*ALLOWED, *OVERVIEW])
def test_a_password_only_session_may_do_nothing(rw: ReviewWorld, perm: str) -> None:
    team_set(rw)
    for user in rw.people.users.values():
        assert not user.has_perm(perm, rw.review), user.role
        assert not user.has_perm(perm), user.role


def test_off_the_team_the_review_team_leader_and_inspector_do_nothing_on_it(
    rw: ReviewWorld,
) -> None:
    """Without the team set, the review's leader user and the inspector are strangers to it."""
    for role in (RTL, INS):
        user = _user(rw, role)
        assert [p for p in ALLOWED if user.has_perm(p, rw.review)] == [], role


def test_a_team_member_who_does_not_lead_may_not_decide(rw: ReviewWorld) -> None:
    team_set(rw)
    inspector = _user(rw, INS)
    assert inspector.has_perm("followup.record_visit", rw.review)
    assert not inspector.has_perm("followup.decide_statement", rw.review)


def test_another_areas_dcs_does_nothing_on_this_review(rw: ReviewWorld) -> None:
    stranger = verified(other_area_user(DCS))
    assert [p for p in ALLOWED if stranger.has_perm(p, rw.review)] == []
    # The same person is the area's own on a review of their area.
    rw.review.area = rw.people.other_area
    assert stranger.has_perm("followup.submit_statement", rw.review)
