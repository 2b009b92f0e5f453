"""Secondary suppression: no hidden figure of the published results can be worked out from the
published totals and the figures shown ("2 of 3"), over random small surveys (hypothesis),
and a figure is hidden only when something must be.

The check here reads only what is published (`results_as_dict`) and is written apart from
`suppression.py`: the totals a reader has, as equations, and a rank test over the rationals."""

import uuid
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecm_inspect.voices.analysis import results_as_dict, survey_results
from ecm_inspect.voices.models import Response

from .conftest import SurveyWorld

FLOOR = 10
ITEM = "safety_day"
POSITIVE = {"Safe"}


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows]
    rank, cols = 0, len(rows[0]) if rows else 0
    for c in range(cols):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][c]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][c]:
                f = rows[i][c] / rows[rank][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _system(data: dict[str, Any], shown_too: dict[str, int] | None = None):
    """The published totals as equations (total, parts) over named figures; which are hidden."""
    known: dict[str, int] = {"N": data["respondents"], **(shown_too or {})}
    hidden: set[str] = set()
    equations: list[tuple[str, list[str]]] = []

    def put(name: str, cell: dict[str, Any] | None, attr: str = "count") -> str:
        if name in known:
            return name
        if cell is None or cell.get("suppressed"):
            hidden.add(name)
        else:
            known[name] = cell[attr]
        return name

    for key, groups in data["breakdowns"].items():
        equations.append(("N", [put(f"who/{key}/{g}", c) for g, c in groups.items()]))
    for outcome in data["outcomes"]:
        for item in outcome["items"]:
            if item["name"] != ITEM or item["answered"] is None:
                continue
            answered = "answered"
            known[answered] = item["answered"]
            choices = {label: put(f"choice/{label}", c) for label, c in item["choices"].items()}
            equations.append((answered, list(choices.values())))
            positive = put("positive", item["positive"])
            equations.append((positive, [n for label, n in choices.items() if label in POSITIVE]))
            for key, groups in item["by"].items():
                bases = {g: put(f"by/{key}/{g}/base", c, "base") for g, c in groups.items()}
                counts = [put(f"by/{key}/{g}/count", c) for g, c in groups.items()]
                equations.append((answered, list(bases.values())))
                equations.append((positive, counts))
                if item["answered"] == data["respondents"]:
                    equations += [(b, [f"who/{key}/{g}"]) for g, b in bases.items()]
    return known, hidden, equations


def recoverable(data: dict[str, Any], shown_too: dict[str, int] | None = None) -> list[str]:
    """The hidden figures that published totals minus published figures give exactly."""
    known, hidden, equations = _system(data, shown_too)
    unknowns = sorted(hidden - set(known))
    index = {n: i for i, n in enumerate(unknowns)}
    rows = []
    for total, parts in equations:
        row = [Fraction(0)] * len(unknowns)
        for name, sign in [(total, -1), *((p, 1) for p in parts)]:
            if name in index:
                row[index[name]] += sign
        if any(row):
            rows.append(row)
    base = _rank(rows)
    found = []
    for name in unknowns:
        unit = [Fraction(int(n == name)) for n in unknowns]
        if _rank([*rows, unit]) == base:
            found.append(name)
    return found


def answers_add(sw: SurveyWorld, people: Sequence[tuple[str, str, str, int, str | None]]) -> None:
    schools = list(sw.survey.schools.order_by("pk"))
    today = timezone.localdate()
    Response.objects.bulk_create(
        Response(
            survey=sw.survey,
            school=schools[school % len(schools)],
            version="secondary",
            age_band=age,
            in_care=in_care,
            disability=disability,
            answers={ITEM: answer} if answer else {},
            started_on=today,
            submitted_on=today,
            token_sha256=uuid.uuid4().hex * 2,
        )
        for in_care, disability, age, school, answer in people
    )


def _published(sw: SurveyWorld) -> dict[str, Any]:
    return results_as_dict(survey_results(sw.survey, audience="published"))


@pytest.mark.django_db
def test_two_of_three_in_care_cannot_be_worked_out(sw: SurveyWorld) -> None:
    """33 answered, 22 positive; the 30 not in care (20 positive) shown: the 3 in care, 2 of
    them positive, were the total minus the rest."""
    answers_add(
        sw,
        [("no", "no", "11_15", 0, "safe")] * 20
        + [("no", "no", "11_15", 0, "unsafe")] * 10
        + [("yes", "no", "11_15", 0, "safe")] * 2
        + [("yes", "no", "11_15", 0, "unsafe")],
    )
    data = _published(sw)
    item = next(i for o in data["outcomes"] for i in o["items"] if i["name"] == ITEM)
    assert item["answered"] == 33
    assert item["by"]["in_care"]["Yes"] == {"suppressed": True}
    assert recoverable(data) == []
    assert item["positive"]["count"] == 22  # the positive share is still published


people_strategy = st.lists(
    st.tuples(
        st.sampled_from(["yes", "no", "no", "no", "prefer_not"]),
        st.sampled_from(["yes", "no", "no"]),
        st.sampled_from(["8_10", "11_15", "11_15", "16_19"]),
        st.integers(min_value=0, max_value=4),
        st.sampled_from(["safe", "safe", "safe", "neither", "unsafe", None]),
    ),
    max_size=60,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=people_strategy)
def test_no_hidden_figure_can_be_worked_out_and_none_is_hidden_needlessly(
    sw: SurveyWorld, people: list[tuple[str, str, str, int, str | None]]
) -> None:
    Response.objects.all().delete()
    answers_add(sw, people)
    published = _published(sw)
    assert recoverable(published) == []
    # Minimal: each figure hidden only to protect another (not itself small) would, shown,
    # give some hidden figure away.
    team = results_as_dict(survey_results(sw.survey, audience="team"))
    _, hidden, _ = _system(published)
    exact, _, _ = _system(team)
    for name in sorted(hidden):
        if name.endswith("/count"):
            continue  # a group's positive count is hidden with its base
        value = exact.get(name, 0)  # the team's view leaves out empty groups
        if 0 < value < FLOOR or (name.startswith("who/") and data_n(published) < FLOOR):
            continue  # small itself (primary)
        also = {name: value}
        if name.endswith("/base"):
            count = name[: -len("/base")] + "/count"
            also[count] = exact.get(count, 0)
        assert recoverable(published, also), f"{name} ({value}) hidden needlessly"


def data_n(data: dict[str, Any]) -> int:
    return int(data["respondents"])
