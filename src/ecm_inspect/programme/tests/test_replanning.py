"""Re-planning the small programme: held reviews (confirmed years, notified areas, held teams)
stay as they were by hard rules; what changed moves, and little else; what cannot be kept is
explained, never unfixed. Each re-plan is cut off by wall-clock time, so "little else" is a
bound, not an exact set."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from ecm_inspect.programme import problem as p
from ecm_inspect.programme.checker import context_build, programme_check
from ecm_inspect.programme.greedy import greedy
from ecm_inspect.programme.services import document_build
from ecm_inspect.programme.solver import Result, solve

from .solver_world import START


@pytest.fixture(scope="module")
def planned(solved) -> tuple[p.Problem, dict[str, p.PlannedReview]]:
    """The small programme as the previous plan: its first three reviews confirmed, the first
    two of them with their teams."""
    problem, _, _ = solved
    before = solve(problem, time_limit=10, workers=1)
    assert before.feasible
    return problem, {r.gss: r for r in before.reviews}


def _replan(planned, change=None, *, release: str | None = None) -> tuple[p.Problem, Result]:
    problem, held = planned
    order = sorted(held, key=lambda g: (held[g].analysis_start, g))
    again = replace(problem)
    if change is not None:
        change(again)
    again.previous = dict(held)
    again.fixity = {
        g: p.Fixity.CONFIRMED if n < 3 and g != release else p.Fixity.INDICATIVE
        for n, g in enumerate(order)
    }
    again.fixed_teams = set(order[:2]) - {release}
    return again, solve(again, time_limit=8, workers=1)


def _held(again: p.Problem) -> list[str]:
    return [g for g in again.previous if again.is_held(g)]


def _assert_held_kept(again: p.Problem, after) -> None:
    now = {r.gss: r for r in after.reviews}
    for gss in _held(again):
        was = again.previous[gss]
        assert (now[gss].analysis_start, now[gss].fieldwork_end) == (
            was.analysis_start,
            was.fieldwork_end,
        )
        if gss in again.fixed_teams:
            assert (now[gss].leader, now[gss].team) == (was.leader, was.team)
    assert programme_check(document_build(again, after), context_build(again)) == []


def _moved(again: p.Problem, after) -> set[str]:
    return {
        r.gss for r in after.reviews if r.analysis_start != again.previous[r.gss].analysis_start
    }


def _leaves(inspector: int, on: date):
    def change(problem: p.Problem) -> None:
        problem.inspectors = [
            replace(i, left_on=on, unavailable=(*i.unavailable, (on, date(2007, 12, 31))))
            if i.id == inspector
            else i
            for i in problem.inspectors
        ]

    return change


def test_replanning_after_an_inspector_leaves_keeps_held_reviews(planned) -> None:
    problem, held = planned
    fixed = sorted(held, key=lambda g: held[g].analysis_start)[:2]
    on_fixed = {i for g in fixed for i in held[g].team}
    # Someone on a team that may change: an indicative review, or a confirmed one whose team
    # was not confirmed.
    leaver = next(i for r in held.values() for i in r.team if i not in on_fixed)

    def leaves(problem: p.Problem) -> None:
        _leaves(leaver, START)(problem)
        # Capacity to spare: one fewer inspector leaves the held teams within their body's
        # capacity (test_a_held_team_over_capacity_is_explained is the other case).
        problem.review_share = 0.7

    again, after = _replan(planned, leaves)
    assert after.feasible, after.reasons
    _assert_held_kept(again, after)
    # Nobody needs to move for it: only the teams they were on change, by one member each.
    assert _moved(again, after) == set()
    for r in after.reviews:
        was = set(held[r.gss].team)
        assert leaver not in r.team
        assert len(set(r.team) - was) == (1 if leaver in was else 0)
    # The greedy baseline keeps them too.
    assert all(
        r.analysis_start == held[r.gss].analysis_start
        for r in greedy(again).reviews
        if again.is_held(r.gss)
    )


def test_replanning_after_a_councils_dates_change_moves_only_that_review(planned) -> None:
    problem, held = planned
    last = max(held, key=lambda g: (held[g].analysis_start, g))
    was = held[last]

    def council(problem: p.Problem) -> None:
        problem.areas = [
            replace(a, unavailable=((was.analysis_start, was.fieldwork_end),))
            if a.gss == last
            else a
            for a in problem.areas
        ]

    again, after = _replan(planned, council)
    assert after.feasible, after.reasons
    _assert_held_kept(again, after)
    # The review whose dates changed moves; the rest stay but for what it displaces (a bound:
    # a re-plan cut off by the clock need not be the fewest moves).
    moved = _moved(again, after)
    assert last in moved
    assert len(moved) <= 2


def test_replanning_for_a_short_notice_review_moves_as_few_as_possible(planned) -> None:
    problem, held = planned
    last = max(held, key=lambda g: (held[g].analysis_start, g))
    event = held[last].analysis_start + timedelta(weeks=3)  # it must now start 5-13 weeks on

    def urgent(problem: p.Problem) -> None:
        problem.areas = [
            replace(a, urgent_from=event) if a.gss == last else a for a in problem.areas
        ]

    again, after = _replan(planned, urgent)
    assert after.feasible, after.reasons
    _assert_held_kept(again, after)
    # The review whose dates changed moves; the rest stay but for what it displaces (a bound:
    # a re-plan cut off by the clock need not be the fewest moves).
    moved = _moved(again, after)
    assert last in moved
    assert len(moved) <= 2
    start = {r.gss: r.analysis_start for r in after.reviews}[last]
    assert event + timedelta(weeks=2) <= start <= event + timedelta(weeks=10)


def test_an_inspector_leaving_a_held_team_is_explained_not_unfixed(planned) -> None:
    problem, held = planned
    first = min(held, key=lambda g: (held[g].analysis_start, g))
    leaver = held[first].team[-1]

    def leaves(problem: p.Problem) -> None:
        _leaves(leaver, START)(problem)
        problem.review_share = 0.7  # capacity to spare: the only reason is who left

    again, after = _replan(planned, leaves)
    assert not after.feasible
    assert after.status == "INFEASIBLE"
    (reason,) = after.reasons
    assert reason.constraint == "inspector available"
    name = next(a.name for a in problem.areas if a.gss == first)
    assert f"the confirmed review of {name} ({first})" in reason.detail
    assert f"inspector {leaver}" in reason.detail
    assert "left on 1 September 2005" in reason.detail
    assert f"--release {first}" in reason.detail
    # Released on purpose, it gets a new member and keeps its dates (a move costs more).
    again, after = _replan(planned, leaves, release=first)
    assert after.feasible, after.reasons
    _assert_held_kept(again, after)
    now = {r.gss: r for r in after.reviews}[first]
    assert now.analysis_start == held[first].analysis_start
    assert leaver not in now.team


def test_a_held_team_over_capacity_is_explained(planned) -> None:
    problem, held = planned
    fixed = sorted(held, key=lambda g: (held[g].analysis_start, g))[:2]
    on_fixed = {i for g in fixed for i in held[g].team}
    body = {i.id: i.body for i in problem.inspectors}
    # A body whose capacity the held teams use in full: one of its inspectors leaves.
    week = problem.week_of(held[fixed[0]].analysis_start)
    full = next(
        b
        for b in problem.bodies
        if sum(1 for i in on_fixed if body[i] == b) == problem.capacity[b][week]
    )
    leaver = next(i.id for i in problem.inspectors if i.body == full and i.id not in on_fixed)
    again, after = _replan(planned, _leaves(leaver, START))
    assert not after.feasible
    assert {r.constraint for r in after.reasons} == {"body capacity"}
    (reason,) = after.reasons  # one reason for the week, naming the held reviews in it
    assert f"more of {full}'s inspectors than it can give: 3 in the week of" in reason.detail
    assert "(capacity now 2)" in reason.detail
    assert all(f"({g})" in reason.detail for g in fixed)


def test_a_councils_dates_under_a_confirmed_review_are_explained(planned) -> None:
    problem, held = planned
    third = sorted(held, key=lambda g: (held[g].analysis_start, g))[2]
    was = held[third]

    def council(problem: p.Problem) -> None:
        problem.areas = [
            replace(a, unavailable=((was.fieldwork_start, was.fieldwork_start),))
            if a.gss == third
            else a
            for a in problem.areas
        ]

    again, after = _replan(planned, council)
    assert not after.feasible
    (reason,) = after.reasons
    assert reason.constraint == "the council's dates"
    assert f"confirmed review of Area {third[-1]} ({third})" in reason.detail
    assert "is held fixed" in reason.detail
    assert f"the council cannot have it from {was.fieldwork_start:%-d %B %Y}" in reason.detail


def test_replanning_keeps_notified_reviews_and_moves_few(solved) -> None:
    problem, document, context = solved
    before = solve(problem, time_limit=10, workers=1)
    held = {r.gss: r for r in before.reviews}
    notified = before.reviews[0].gss
    urgent_area = max(problem.areas, key=lambda a: held[a.gss].analysis_start)
    event = date(2005, 10, 3)
    areas = [
        replace(a, urgent_from=event) if a.gss == urgent_area.gss else a for a in problem.areas
    ]
    again = replace(problem, areas=areas)
    again.previous = held
    again.fixity = {g: p.Fixity.NOTIFIED if g == notified else p.Fixity.INDICATIVE for g in held}
    again.fixed_teams = {notified}
    after = solve(again, time_limit=10, workers=1)
    assert after.feasible, after.reasons
    now = {r.gss: r for r in after.reviews}
    assert now[notified] == held[notified]
    assert now[urgent_area.gss].analysis_start != held[urgent_area.gss].analysis_start
    moved = [g for g in held if now[g].analysis_start != held[g].analysis_start]
    # The short-notice review, and only what it displaces.
    assert len(moved) <= 3
    assert programme_check(document_build(again, after), context_build(again)) == []
