"""The evidence services' refusals: each names what is wrong and leaves nothing half-written;
and who may see and change a review's evidence, role by role, before and after the area is
notified (the review team's confidential area holds the case files)."""

import io
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import verified
from ecm_inspect.evidence.models import (
    Attachment,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequest,
    Indication,
    RequestStatus,
)
from ecm_inspect.evidence.services import (
    ATTACHMENT_NAME_MAX,
    TITLE_MAX,
    EvidenceRefused,
    PersonalDataFound,
    attachment_add,
    evidence_record,
    request_accept,
    request_make,
    request_supply,
)
from ecm_inspect.reviews.models import Stage
from ecm_inspect.reviews.services import review_team_set
from ecm_inspect.reviews.tests.conftest import ReviewWorld

DAY = date(2026, 6, 1)


def _record(rw: ReviewWorld, **changes: Any) -> EvidenceItem:
    fields: dict[str, Any] = {
        "review": rw.review,
        "kind": EvidenceKind.PLAN,
        "title": "Children and young people's plan",
        "source": "Council",
        "dated": DAY,
    }
    return evidence_record(**(fields | changes))


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"kind": "gossip"}, "No kind of evidence 'gossip'"),
        ({"grade": 0}, "A grade is 1 (inadequate) to 4 (outstanding)"),
        ({"grade": 5}, "A grade is 1 (inadequate) to 4 (outstanding)"),
        ({"indication": "maybe"}, "No indication 'maybe'"),
        ({"title": ""}, f"Give a title of 1 to {TITLE_MAX} characters"),
        ({"title": "   "}, f"Give a title of 1 to {TITLE_MAX} characters"),
        ({"title": "x" * (TITLE_MAX + 1)}, f"Give a title of 1 to {TITLE_MAX} characters"),
        ({"key_judgement_codes": ["BH.1", "ZZ.9"]}, "No such key judgement: ZZ.9"),
        ({"key_judgement_codes": ["SS.99", "AA.1"]}, "No such key judgement: AA.1, SS.99"),
        ({"group_slugs": ["children_in_care", "pets"]}, "No such vulnerable group: pets"),
        ({"aspect_codes": ["SM.1", "SM.77"]}, "No such service management aspect: SM.77"),
    ],
)
def test_a_refused_item_names_what_is_wrong_and_writes_nothing(
    rw: ReviewWorld, changes: dict[str, Any], named: str
) -> None:
    before = EvidenceItem.objects.count()
    with pytest.raises(EvidenceRefused) as refused:
        _record(rw, **changes)
    assert named in str(refused.value)
    assert EvidenceItem.objects.count() == before


def test_an_item_keeps_every_judgement_group_and_aspect_it_names(rw: ReviewWorld) -> None:
    item = _record(
        rw,
        key_judgement_codes=["BH.1", "SS.2"],
        group_slugs=["children_in_care", "ldd"],
        aspect_codes=["SM.1"],
        grade=3,
        indication=Indication.STRENGTH,
    )
    assert sorted(item.key_judgements.values_list("code", flat=True)) == ["BH.1", "SS.2"]
    assert sorted(item.vulnerable_groups.values_list("slug", flat=True)) == [
        "children_in_care",
        "ldd",
    ]
    assert list(item.service_management_aspects.values_list("code", flat=True)) == ["SM.1"]
    assert (item.grade, item.indication) == (3, Indication.STRENGTH)


def test_a_key_judgement_of_another_framework_version_is_not_taken(rw: ReviewWorld) -> None:
    """The 2004 proposals' illustrations (BH.c1 ...) are not key judgements of the 2005
    Framework the review runs under."""
    with pytest.raises(EvidenceRefused, match="No such key judgement: BH.c1"):
        _record(rw, key_judgement_codes=["BH.c1"])


def test_text_that_may_name_a_child_is_held_until_confirmed(rw: ReviewWorld) -> None:
    with pytest.raises(PersonalDataFound) as held:
        _record(rw, summary="Jessica told us she waited months for a CAMHS appointment.")
    assert "Jessica" in str(held.value)
    assert "confirm that it names no one" in str(held.value)
    assert not EvidenceItem.objects.filter(review=rw.review).exists()
    item = _record(
        rw, summary="Jessica Street clinic waits are long.", confirm_no_personal_data=True
    )
    assert item.pk is not None


def test_the_title_is_screened_as_well_as_the_summary(rw: ReviewWorld) -> None:
    with pytest.raises(PersonalDataFound):
        _record(rw, title="Notes on Tom Baker, born 2012")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grade=st.integers(min_value=-50, max_value=50))
def test_only_the_four_grades_are_taken(rw: ReviewWorld, grade: int) -> None:
    if grade in (1, 2, 3, 4):
        assert _record(rw, grade=grade).grade == grade
    else:
        with pytest.raises(EvidenceRefused):
            _record(rw, grade=grade)


# -- requests to the area --------------------------------------------------------------------


def test_a_request_for_an_unknown_kind_or_nothing_is_refused(rw: ReviewWorld) -> None:
    with pytest.raises(EvidenceRefused, match="No kind of evidence 'minutes'"):
        request_make(review=rw.review, kind="minutes", what="Minutes", due_on=DAY)
    with pytest.raises(EvidenceRefused, match="Say what the area is asked for"):
        request_make(review=rw.review, kind=EvidenceKind.PLAN, what="  ", due_on=DAY)
    assert not EvidenceRequest.objects.exists()


def test_what_the_area_supplied_recently_is_not_asked_for_again(rw: ReviewWorld) -> None:
    request = request_make(review=rw.review, kind=EvidenceKind.PLAN, what="The plan", due_on=DAY)
    request_supply(request=request, title="Our plan", summary="", dated=DAY)
    with pytest.raises(EvidenceRefused, match="The area already supplied this: Our plan"):
        request_make(review=rw.review, kind=EvidenceKind.PLAN, what="Again", due_on=DAY)
    assert EvidenceRequest.objects.count() == 1


def test_a_request_is_answered_once_and_accepted_only_once_supplied(rw: ReviewWorld) -> None:
    request = request_make(
        review=rw.review, kind=EvidenceKind.SELF_ASSESSMENT, what="The self-assessment", due_on=DAY
    )
    with pytest.raises(EvidenceRefused, match="Only something supplied can be accepted"):
        request_accept(request=request)
    with pytest.raises(EvidenceRefused, match="Give a title of 1 to"):
        request_supply(request=request, title="", summary="", dated=DAY)
    assert EvidenceItem.objects.filter(review=rw.review).count() == 0
    item = request_supply(request=request, title="Self-assessment 2026", summary="", dated=DAY)
    request.refresh_from_db()
    assert (request.status, request.supplied_item) == (RequestStatus.SUPPLIED, item)
    with pytest.raises(EvidenceRefused, match="already been answered"):
        request_supply(request=request, title="Again", summary="", dated=DAY)
    request_accept(request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    with pytest.raises(EvidenceRefused, match="Only something supplied can be accepted"):
        request_accept(request=request)
    assert EvidenceItem.objects.filter(review=rw.review).count() == 1


def test_a_supply_with_a_refused_file_leaves_no_item_and_the_request_open(
    rw: ReviewWorld,
) -> None:
    request = request_make(review=rw.review, kind=EvidenceKind.PLAN, what="The plan", due_on=DAY)
    with pytest.raises(EvidenceRefused):
        request_supply(
            request=request, title="Plan", summary="", dated=DAY,
            content=io.BytesIO(b"%PDF-1"), filename="p" * (ATTACHMENT_NAME_MAX + 1) + ".pdf",
        )  # fmt: skip
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED
    assert not EvidenceItem.objects.filter(review=rw.review).exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "/", "folder/  "])
def test_a_file_without_a_name_is_refused(rw: ReviewWorld, name: str) -> None:
    item = _record(rw)
    with pytest.raises(EvidenceRefused, match="The file has no name"):
        attachment_add(item=item, name=name, content=io.BytesIO(b"text"))
    assert not Attachment.objects.exists()


def test_a_file_keeps_only_its_own_name_not_the_senders_folders(rw: ReviewWorld) -> None:
    item = _record(rw)
    one = attachment_add(item=item, name="C:\\Users\\dcs\\plan.pdf", content=io.BytesIO(b"%PDF-1"))
    two = attachment_add(item=item, name="../../plan.pdf", content=io.BytesIO(b"%PDF-2"))
    assert (one.name, one.revision) == ("plan.pdf", 1)
    assert (two.name, two.revision) == ("plan.pdf", 2)


# -- who may see and change evidence ----------------------------------------------------------

TEAM_ONLY = ["evidence.view_case_files", "evidence.change_case_files", "evidence.change_evidence"]


def _user(rw: ReviewWorld, who: str) -> Any:
    """The user as a request hands them to the policy, past the second factor."""
    return AnonymousUser() if who == "anonymous" else verified(rw.people.users[who])


@pytest.mark.parametrize(
    ("who", "view", "team_only", "requests", "supply"),
    [
        (Role.REVIEW_TEAM_LEADER, True, True, True, False),
        (Role.INSPECTOR, True, True, True, False),
        (Role.NATIONAL_LEAD, True, False, True, False),
        (Role.INSPECTORATE_LEAD, True, False, True, False),
        (Role.DCS, False, False, False, False),
        (Role.PARTNER_CONTRIBUTOR, False, False, False, False),
        ("anonymous", False, False, False, False),
    ],
)
def test_who_may_see_and_change_a_planned_reviews_evidence(
    rw: ReviewWorld, who: str, view: bool, team_only: bool, requests: bool, supply: bool
) -> None:
    """Before the area is notified it sees nothing; case files never leave the team, not even
    for the national lead."""
    user = _user(rw, who)
    assert user.has_perm("evidence.view_evidence", rw.review) is view
    for perm in TEAM_ONLY:
        assert user.has_perm(perm, rw.review) is team_only, perm
    assert user.has_perm("evidence.view_requests", rw.review) is requests
    assert user.has_perm("evidence.supply_request", rw.review) is supply


@pytest.mark.parametrize("who", [Role.DCS, Role.PARTNER_CONTRIBUTOR])
def test_the_area_sees_and_answers_requests_once_notified_and_never_the_evidence(
    rw: ReviewWorld, who: str
) -> None:
    rw.review.stage = Stage.NOTIFIED
    rw.review.save(update_fields=["stage"])
    user = _user(rw, who)
    assert user.has_perm("evidence.view_requests", rw.review)
    assert user.has_perm("evidence.supply_request", rw.review)
    assert not user.has_perm("evidence.view_evidence", rw.review)
    for perm in TEAM_ONLY:
        assert not user.has_perm(perm, rw.review), perm


def test_an_inspector_who_leaves_the_team_loses_the_case_files(rw: ReviewWorld) -> None:
    inspector = _user(rw, Role.INSPECTOR)
    assert inspector.has_perm("evidence.view_case_files", rw.review)
    review_team_set(review=rw.review, leader=rw.pool[0], members=rw.pool[2:5])
    assert not inspector.has_perm("evidence.view_case_files", rw.review)
    assert not inspector.has_perm("evidence.change_evidence", rw.review)


@pytest.mark.parametrize("who", [Role.REVIEW_TEAM_LEADER, Role.INSPECTOR, Role.NATIONAL_LEAD])
def test_without_the_second_factor_nobody_sees_any_evidence(rw: ReviewWorld, who: str) -> None:
    """The policy fails closed: a user object that never passed the second factor (one loaded
    from the database) is granted nothing, though on the team."""
    user = rw.people.users[who]
    for perm in ["evidence.view_evidence", "evidence.view_requests", *TEAM_ONLY]:
        assert not user.has_perm(perm, rw.review), perm
