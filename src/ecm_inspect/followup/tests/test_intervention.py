"""Intervention cases: opened only on the council functions' own inadequate grades, once, with
the finding kept; moved on one step at a time, each step refused from any other status or
without its words, and a stale version refused."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.followup.models import CaseStatus, InterventionCase
from ecm_inspect.followup.services import (
    CASE_NEEDS,
    CASE_STATE_WORDS,
    CASE_STEPS,
    FollowUpRefused,
    case_step,
    intervention_check,
)
from ecm_inspect.reports.models import ReviewJudgement
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .helpers import publish


@pytest.mark.parametrize(
    ("grades", "opened"),
    [
        ({"SS": 1}, ["SS"]),
        ({"EA": 1}, ["EA"]),
        ({"SM": 1}, ["SM"]),
        ({"SS": 2, "EA": 2, "SM": 2}, []),
        ({"BH": 1, "PC": 1, "EW": 1}, []),  # outcomes that are not the council's functions
        ({"SM": 1, "BH": 1, "SS": 1}, ["SM", "SS"]),
    ],
)
def test_a_case_opens_on_the_council_functions_graded_inadequate(
    rw: ReviewWorld, grades: dict[str, int], opened: list[str]
) -> None:
    publish(rw, grades=grades)
    case = intervention_check(review=rw.review)
    if not opened:
        assert case is None
        assert not InterventionCase.objects.exists()
        return
    assert case is not None
    assert [f["code"] for f in case.finding] == opened  # in the order they were judged
    assert case.reason == (
        "Council functions found inadequate: "
        + ", ".join(f"Title of {code}" for code in opened)
        + "."
    )
    assert case.status == CaseStatus.OPEN


def test_a_judgement_without_a_grade_opens_nothing(rw: ReviewWorld) -> None:
    publish(rw, grades={})
    ReviewJudgement.objects.create(review=rw.review, level="outcome", code="SS", title="Safe")
    assert intervention_check(review=rw.review) is None


def test_checking_again_opens_no_second_case(rw: ReviewWorld) -> None:
    publish(rw, grades={"SS": 1})
    first = intervention_check(review=rw.review)
    ReviewJudgement.objects.filter(review=rw.review).update(grade=1, title="Renamed")
    second = intervention_check(review=rw.review)
    assert first is not None
    assert second is not None
    assert first.pk == second.pk
    assert InterventionCase.objects.count() == 1
    assert second.finding == [{"code": "SS", "title": "Title of SS", "grade": 1}]  # as opened


def _case(rw: ReviewWorld, status: str = CaseStatus.OPEN) -> InterventionCase:
    publish(rw, grades={"SS": 1})
    case = intervention_check(review=rw.review)
    assert case is not None
    InterventionCase.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


ALLOWED_FROM = {step: before for step, (before, *_rest) in CASE_STEPS.items()}


@pytest.mark.parametrize("step", list(CASE_STEPS))
@pytest.mark.parametrize("status", CaseStatus.values)
def test_each_step_only_from_the_step_before(rw: ReviewWorld, status: str, step: str) -> None:
    case = _case(rw, status)
    _before, after, day_field, text_field = CASE_STEPS[step]
    if status != ALLOWED_FROM[step]:
        with pytest.raises(FollowUpRefused) as refused:
            case_step(case=case, step=step, text="Words.")
        assert str(refused.value).startswith(f"The case is {CASE_STATE_WORDS[CaseStatus(status)]}:")
        fresh = InterventionCase.objects.get(pk=case.pk)
        assert (fresh.status, fresh.version) == (status, case.version)
        assert getattr(fresh, day_field) is None
        return
    moved = case_step(case=case, step=step, text="  Words. ", on=date(2027, 5, 4))
    assert moved.status == after
    assert getattr(moved, day_field) == date(2027, 5, 4)
    assert getattr(moved, text_field) == "Words."
    assert moved.version == case.version + 1


@pytest.mark.parametrize("step", list(CASE_STEPS))
def test_each_step_needs_its_words(rw: ReviewWorld, step: str) -> None:
    case = _case(rw, ALLOWED_FROM[step])
    with pytest.raises(FollowUpRefused) as refused:
        case_step(case=case, step=step, text=" ")
    assert str(refused.value) == CASE_NEEDS[step]
    assert InterventionCase.objects.get(pk=case.pk).status == ALLOWED_FROM[step]


def test_an_unknown_step_is_refused_by_name(rw: ReviewWorld) -> None:
    case = _case(rw)
    with pytest.raises(FollowUpRefused, match="There is no step 'reopen' in an intervention case"):
        case_step(case=case, step="reopen", text="Words.")
    assert InterventionCase.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_a_stale_step_is_refused_and_the_trail_names_who_moved_it(rw: ReviewWorld) -> None:
    case = _case(rw)
    lead = rw.people.users[Role.NATIONAL_LEAD]
    seen = case.version
    case = case_step(case=case, step="refer", text="Referred.", by=lead, seen_version=seen)
    with pytest.raises(FollowUpRefused, match="Someone else changed this"):
        case_step(case=case, step="decide", text="Decided.", seen_version=seen)
    assert InterventionCase.objects.get(pk=case.pk).status == CaseStatus.REFERRED
    case = case_step(case=case, step="decide", text="Decided.", by=lead, seen_version=case.version)
    trail = list(case.history.order_by("history_date"))  # type: ignore[attr-defined]
    assert [h.status for h in trail] == ["open", "referred", "decided"]
    assert [h.history_user for h in trail[1:]] == [lead, lead]


WRONG_ORDER = [
    (step, status)
    for step in CASE_STEPS
    for status in CaseStatus.values
    if status != ALLOWED_FROM[step]
]


def test_the_out_of_order_refusal_reads_as_english(rw: ReviewWorld) -> None:
    case = _case(rw)
    garbled = []
    for step, status in WRONG_ORDER:
        InterventionCase.objects.filter(pk=case.pk).update(status=status)
        with pytest.raises(FollowUpRefused) as refused:
            case_step(case=case, step=step, text="Words.")
        message = str(refused.value)
        if "be the department" in message or "is the department" in message:
            garbled.append(message)
    assert garbled == []
