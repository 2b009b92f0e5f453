"""The solver, the greedy baseline, the independent checker and re-planning, on small problems
(a few areas, one year) so that each solve takes a second or two."""

import copy
from dataclasses import replace
from datetime import date, timedelta

import pytest

from ecm_inspect.programme import problem as p
from ecm_inspect.programme.checker import context_build, programme_check
from ecm_inspect.programme.greedy import greedy
from ecm_inspect.programme.risk import RiskInputs, risk_score
from ecm_inspect.programme.services import document_build
from ecm_inspect.programme.solver import Result, plan_objective, solve

START = date(2005, 9, 1)
REGIONS = ("E12000001", "E12000002")


def small_problem(
    n_areas: int = 6,
    per_body: int = 6,
    bodies: tuple[str, ...] = ("OFSTED", "CSCI", "HEALTHCARE_COMMISSION"),
) -> p.Problem:
    areas = [
        p.AreaInput(gss=f"E0600000{k}", name=f"Area {k}", region=REGIONS[k % 2], risk=10 * k)
        for k in range(n_areas)
    ]
    inspectors = []
    n = 0
    for body in bodies:
        for k in range(per_body):
            n += 1
            inspectors.append(
                p.InspectorInput(
                    id=n,
                    body=body,
                    is_lead=k < 2,
                    region=REGIONS[k % 2],
                    outcomes=frozenset(p.ALL_OUTCOMES),
                    unavailable=((date(2005, 12, 19), date(2006, 1, 3)),),
                )
            )
    return p.Problem(
        start=START, years=1, areas=areas, inspectors=inspectors, team_size=4, review_share=0.5
    )


@pytest.fixture(scope="module")
def solved() -> tuple[p.Problem, dict, dict]:
    problem = small_problem()
    result = solve(problem, time_limit=10, workers=1)
    assert result.feasible, result.reasons
    return problem, document_build(problem, result), context_build(problem)


def test_a_solved_programme_keeps_every_constraint(solved) -> None:
    problem, document, context = solved
    assert programme_check(document, context) == []
    assert set(document) == {"reviews", "inspectors", "objective", "bound", "solver_status"}
    assert len(document["reviews"]) == len(problem.areas)
    assert document["objective"] is not None
    assert document["bound"] is not None
    assert document["bound"] <= document["objective"]


def test_the_objective_is_the_documented_one(solved) -> None:
    problem, document, _ = solved
    result = solve(problem, time_limit=10, workers=1)
    assert plan_objective(problem, result.reviews) == result.objective


def test_higher_risk_areas_come_earlier(solved) -> None:
    problem, document, _ = solved
    starts = {r["area"]: r["analysis_start"] for r in document["reviews"]}
    assert starts["E06000005"] <= starts["E06000000"]


def test_cp_sat_is_no_worse_than_greedy(solved) -> None:
    problem, _, context = solved
    baseline = greedy(problem)
    assert baseline.feasible
    assert programme_check(document_build(problem, baseline), context) == []
    best = solve(problem, time_limit=10, workers=1).objective
    assert best is not None
    assert baseline.objective is not None
    assert best <= baseline.objective


# -- the checker catches each hard constraint broken on purpose -------------------------------


def _broken(solved, change) -> list[str]:
    _, document, context = solved
    document, context = copy.deepcopy(document), copy.deepcopy(context)
    change(document, context)
    return sorted({v.constraint for v in programme_check(document, context)})


def _first(document):
    return document["reviews"][0]


def test_checker_every_area_once(solved) -> None:
    assert "every area once" in _broken(solved, lambda d, c: d["reviews"].pop())


def test_checker_within_three_years(solved) -> None:
    def late(d, c):
        _first(d).update(
            analysis_start="2007-01-08", fieldwork_start="2007-01-29", fieldwork_end="2007-02-09"
        )

    assert "within three years" in _broken(solved, late)


def test_checker_timetable(solved) -> None:
    assert "timetable" in _broken(solved, lambda d, c: _first(d).update(fieldwork_end="2099-01-01"))


def test_checker_summer_holidays(solved) -> None:
    def summer(d, c):
        c["years"] = 2
        _first(d).update(
            analysis_start="2006-07-03", fieldwork_start="2006-07-24", fieldwork_end="2006-08-04"
        )

    assert "no fieldwork in the summer holidays" in _broken(solved, summer)


def test_checker_team_size(solved) -> None:
    assert "team size" in _broken(
        solved, lambda d, c: _first(d)["team"].__delitem__(slice(2, None))
    )


def test_checker_team_leader(solved) -> None:
    def no_lead(d, c):
        r = _first(d)
        c["inspectors"][str(r["leader"])]["lead"] = False

    assert "a team leader" in _broken(solved, no_lead)


def test_checker_two_bodies(solved) -> None:
    def one_body(d, c):
        r = _first(d)
        body = r["team"][0]["body"]
        r["team"] = [m for m in r["team"] if m["body"] == body]
        others = [
            i
            for i in d["inspectors"]
            if i["body"] == body and i["id"] not in {m["inspector"] for m in r["team"]}
        ]
        r["team"] += [{"inspector": i["id"], "body": body} for i in others[: 4 - len(r["team"])]]

    assert "at least two bodies" in _broken(solved, one_body)


def test_checker_expertise(solved) -> None:
    def no_ss(d, c):
        for i in c["inspectors"].values():
            i["outcomes"] = [o for o in i["outcomes"] if o != "SS"]

    assert "expertise" in _broken(solved, no_ss)


def test_checker_two_places_at_once(solved) -> None:
    def twice(d, c):
        a, b = d["reviews"][0], d["reviews"][1]
        b.update(
            analysis_start=a["analysis_start"],
            fieldwork_start=a["fieldwork_start"],
            fieldwork_end=a["fieldwork_end"],
        )
        b["team"][1] = a["team"][1]

    assert "no inspector in two places at once" in _broken(solved, twice)


def test_checker_leave(solved) -> None:
    def on_leave(d, c):
        r = _first(d)
        who = r["team"][1]["inspector"]
        person = next(i for i in d["inspectors"] if i["id"] == who)
        person["unavailable"].append([r["fieldwork_start"], r["fieldwork_start"]])

    assert "inspector available" in _broken(solved, on_leave)


def test_checker_body_capacity(solved) -> None:
    def no_capacity(d, c):
        for weeks in c["capacity"].values():
            for monday in weeks:
                weeks[monday] = 0

    assert "body capacity" in _broken(solved, no_capacity)


def test_checker_corporate_assessment_sequencing(solved) -> None:
    def option1(d, c):
        r = _first(d)
        c["areas"][r["area"]]["corporate_assessment"] = {
            "starts_on": r["fieldwork_end"],
            "ends_on": r["fieldwork_end"],
            "option": 1,
        }

    assert "corporate assessment option 1" in _broken(solved, option1)


def test_checker_heavy_inspection(solved) -> None:
    def heavy(d, c):
        r = _first(d)
        c["areas"][r["area"]]["heavy"] = [[r["fieldwork_start"], r["fieldwork_start"]]]

    assert "no fieldwork during heavy inspection" in _broken(solved, heavy)


def test_checker_held_reviews(solved) -> None:
    def moved(d, c):
        c["fixed"] = {_first(d)["area"]: {"analysis_start": "2005-09-05"}}
        _first(d)["analysis_start"] = "2005-09-12"

    def new_team(d, c):
        r = _first(d)
        team = [m["inspector"] for m in r["team"]]
        c["fixed"] = {
            r["area"]: {"analysis_start": r["analysis_start"], "team": team, "leader": r["leader"]}
        }
        r["team"][-1] = next(
            {"inspector": i["id"], "body": i["body"]}
            for i in d["inspectors"]
            if i["id"] not in team
        )

    assert "held reviews stay fixed" in _broken(solved, moved)
    assert "held reviews stay fixed" in _broken(solved, new_team)


# -- re-planning -------------------------------------------------------------------------------


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
    assert _moved(again, after) == {last}


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
    assert _moved(again, after) == {last}
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


# -- infeasibility is explained ----------------------------------------------------------------


def test_too_few_inspectors_is_explained() -> None:
    problem = small_problem(n_areas=30, per_body=3)
    result = solve(problem, time_limit=5, workers=1)
    assert not result.feasible
    reason = next(r for r in result.reasons if r.constraint == "body capacity")
    assert reason.shortfall
    assert reason.shortfall > 0
    assert "short by" in reason.detail


def test_too_few_bodies_is_explained() -> None:
    result = solve(small_problem(bodies=("OFSTED",)), time_limit=5, workers=1)
    reason = next(r for r in result.reasons if r.constraint == "at least two bodies")
    assert reason.shortfall == 1
    assert "only OFSTED" in reason.detail


def test_a_missing_expertise_is_explained() -> None:
    problem = small_problem()
    problem.inspectors = [replace(i, outcomes=frozenset({"BH", "EA"})) for i in problem.inspectors]
    result = solve(problem, time_limit=5, workers=1)
    assert {r.constraint for r in result.reasons} == {"expertise"}
    assert any("SS" in r.detail for r in result.reasons)


def test_an_impossible_sequencing_is_explained() -> None:
    problem = small_problem()
    ca = p.CorporateAssessment(date(2005, 10, 3), date(2005, 10, 14), p.Sequencing.JAR_THEN_CA)
    problem.areas[0] = replace(problem.areas[0], corporate_assessment=ca)
    result = solve(problem, time_limit=5, workers=1)
    assert not result.feasible
    assert "corporate assessment option 1" in result.reasons[0].detail


def test_a_capacity_clash_is_explained_by_the_solver() -> None:
    # Every area must start in the same fortnight (short-notice), more than capacity allows.
    problem = small_problem(n_areas=6)
    problem.areas = [replace(a, urgent_from=date(2005, 9, 5)) for a in problem.areas]
    problem.review_share = 0.25
    result = solve(problem, time_limit=5, workers=1)
    assert not result.feasible
    assert result.reasons
    assert any(r.constraint in {"body capacity", "leaders", "two bodies"} for r in result.reasons)


# -- risk ---------------------------------------------------------------------------------------


def test_risk_has_its_parts_and_stays_on_the_scale() -> None:
    worst = risk_score(
        RiskInputs(
            weak_share={"BH": 1.0, "SS": 1.0, "EA": 1.0, "PC": 1.0},
            apa_overall=1,
            apa_year=2004,
            cpa_stars=0,
            incidents=5,
        )
    )
    assert worst.score == 100
    assert {p.name for p in worst.parts} == {
        "outcomes",
        "apa",
        "cpa",
        "since_review",
        "incidents",
        "recent_inspection",
    }
    best = risk_score(
        RiskInputs(
            weak_share={"BH": 0.0},
            apa_overall=4,
            cpa_stars=4,
            years_since_review=0.5,
            recent_inspections=10,
            national_median_inspections=2,
        )
    )
    assert best.score == 0
    unknown = risk_score(RiskInputs())
    assert unknown.score == 50
    assert "half" in unknown.parts[1].reason
