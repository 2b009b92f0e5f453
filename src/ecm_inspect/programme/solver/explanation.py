"""Explaining a refused re-plan: which held teams clash and why an inspector is not free."""

from __future__ import annotations

from collections import defaultdict

from ..problem import InspectorInput, Problem, Slot
from .common import Reason
from .weeks import _held_label


def _why_not_free(problem: Problem, person: InspectorInput, slot: Slot) -> str | None:
    """Why an inspector cannot be on a review with these dates, or None if they can."""
    if problem.can_serve(person, slot.week):
        return None
    who = f"inspector {person.id}{f' ({person.name})' if person.name else ''}, {person.body},"
    days = slot.busy_days()
    if person.left_on is not None and days[-1] >= person.left_on:
        return f"{who} left on {person.left_on:%-d %B %Y}"
    if not person.is_active:
        return f"{who} has left"
    for s, e in person.unavailable:
        if any(s <= d <= e for d in days):
            return f"{who} is unavailable from {s:%-d %B %Y} to {e:%-d %B %Y}"
    return f"{who} is not free on those dates"


def _explain_held_teams(problem: Problem, weeks: dict[str, int], core: list[str]) -> list[Reason]:
    """Turn the held teams' infeasible assumptions into sentences: the review, the member or
    leader, and the rule (inspector available, a team leader, two places at once, capacity)."""
    people = {i.id: i for i in problem.inspectors}
    in_core: dict[str, list[int]] = defaultdict(list)
    leaders: set[str] = set()
    for name in core:
        kind, _, rest = name.partition(":")
        if kind == "member":
            gss, _, iid = rest.rpartition(":")
            in_core[gss].append(int(iid))
        elif kind == "leader":
            # The leader's equality puts them on the team as well.
            leader = problem.previous[rest].leader
            if leader in people and not people[leader].is_lead:
                leaders.add(rest)
            in_core[rest].append(leader)
    reasons: list[Reason] = []
    release = "Release it (`ecm programme replan --release {}`) to form a new team."
    clashing = []
    for gss in sorted(set(in_core) | leaders):
        slot = problem.slots[weeks[gss]]
        label = f"{_held_label(problem, gss)}, held with its team"
        members = dict.fromkeys(in_core[gss])  # a leader can be named twice
        why = [w for n in members if (w := _why_not_free(problem, people[n], slot))]
        if why:
            reasons.append(
                Reason(
                    "inspector available",
                    f"{label}: " + "; ".join(why) + ". " + release.format(gss),
                    float(len(why)),
                )
            )
        elif gss in leaders:
            held = problem.previous[gss]
            reasons.append(
                Reason(
                    "a team leader",
                    f"{label}: its leader, inspector {held.leader}, is not of the lead grade. "
                    + release.format(gss),
                    1.0,
                )
            )
        else:
            clashing.append(gss)
    if clashing:
        reasons += _held_clashes(problem, weeks, clashing)
    return reasons or [Reason("held reviews stay fixed", "the held teams cannot all be kept")]


def _held_clashes(problem: Problem, weeks: dict[str, int], clashing: list[str]) -> list[Reason]:
    """Held teams whose members are free on their own but not together: the same person on two
    at once, or more of a body's inspectors in a week than its capacity (all the held teams of
    the model counted)."""
    people = {i.id: i for i in problem.inspectors}
    out: list[Reason] = []
    explained: set[str] = set()
    release = (
        "Release one of them (`ecm programme replan --release GSS`) to form a new team for it."
    )
    for n, first in enumerate(clashing):
        for second in clashing[n + 1 :]:
            if not set(problem.busy_weeks[weeks[first]]) & set(problem.busy_weeks[weeks[second]]):
                continue
            shared = sorted(set(problem.previous[first].team) & set(problem.previous[second].team))
            if shared:
                out.append(
                    Reason(
                        "no inspector in two places at once",
                        f"inspector {shared[0]} is on {_held_label(problem, first)} and on "
                        f"{_held_label(problem, second)}, both held with their teams. {release}",
                        float(len(shared)),
                    )
                )
                explained |= {first, second}
    usage: dict[tuple[str, int], set[str]] = defaultdict(set)
    count: dict[tuple[str, int], int] = defaultdict(int)
    for gss, week in weeks.items():
        for n in problem.previous[gss].team:
            person = people.get(n)
            if person is None or not problem.can_serve(person, week):
                continue
            for t in problem.busy_weeks[week]:
                count[person.body, t] += 1
                usage[person.body, t].add(gss)
    over: dict[tuple[str, tuple[str, ...]], list[tuple[int, int, int]]] = defaultdict(list)
    for (body, t), used in sorted(count.items(), key=lambda x: (x[0][1], x[0][0])):
        cap = problem.capacity[body][t]
        reviews = tuple(sorted(usage[body, t] & set(clashing)))
        if used > cap and reviews:
            over[body, reviews].append((t, used, cap))
    for (body, reviews), weeks_over in over.items():
        when = "; ".join(
            f"{used} in the week of {problem.monday(t):%-d %B %Y} (capacity now {cap})"
            for t, used, cap in weeks_over
        )
        out.append(
            Reason(
                "body capacity",
                f"the held teams would take more of {body}'s inspectors than it can give: "
                f"{when}. Held with their teams then: "
                + "; ".join(_held_label(problem, g) for g in reviews)
                + f". {release}",
                float(max(used - cap for _, used, cap in weeks_over)),
            )
        )
        explained |= set(reviews)
    for gss in clashing:
        if gss not in explained:
            out.append(
                Reason(
                    "held reviews stay fixed",
                    f"{_held_label(problem, gss)}, held with its team: its team cannot be kept "
                    "with the other held teams",
                )
            )
    return out
