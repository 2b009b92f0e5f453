"""Analysis of an area survey: per outcome and item, counts and percentages, broken down by
age band, phase of school, and group (in care, disability), set beside another area's survey
and beside the reference survey; free-text topics; and the suppression rule.

Suppression (docs/voices.md): outside the review team no figure rests on fewer than
ECM_SURVEY_MIN_CELL respondents. A count below it is not shown, nor is a percentage whose base
is below it (primary suppression, here); then more figures are hidden until no hidden one can
be worked out from any published total and the figures shown (secondary suppression,
`suppression.py`: every total a reader has, across every breakdown).
"""

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from .models import InCare, Phase, Response, Survey
from .proforma import AGE_BANDS, Item
from .screening import personal_data_redact, themes_of
from .suppression import Equation, Figure, protect

REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "reference_yphws_2023.csv"
REFERENCE_NAME = "Hertfordshire Young People's Health and Wellbeing Survey 2023 (ages 11-19)"
BREAKDOWNS = {
    "age_band": ("Age", dict(AGE_BANDS)),
    "phase": ("School or college", dict(Phase.choices)),
    "in_care": ("In care", dict(InCare.choices)),
    "disability": ("Disability", dict(InCare.choices)),
}


def min_cell() -> int:
    return int(settings.ECM_SURVEY_MIN_CELL)


@dataclass
class Cell:
    """A count with its base; `shown` False means suppressed for this audience."""

    count: int
    base: int
    shown: bool = True

    @property
    def percent(self) -> float | None:
        return round(100 * self.count / self.base, 1) if self.base and self.shown else None


@dataclass
class ItemResult:
    item: Item
    label: str
    base: int
    choices: list[tuple[str, Cell]]
    positive: Cell | None
    breakdowns: dict[str, list[tuple[str, Cell]]] = field(default_factory=dict)
    reference_percent: float | None = None
    compared_percent: float | None = None


@dataclass
class TextResult:
    item: Item
    label: str
    base: int
    themes: list[tuple[str, Cell]]
    quotes: list[str]  # only for the team, redacted


@dataclass
class PageResult:
    code: str
    title: str
    outcome: str
    items: list[ItemResult]
    texts: list[TextResult]


@dataclass
class SurveyResults:
    survey: Survey
    audience: str  # "team" or "published"
    respondents: int
    excluded_duplicates: int
    by_breakdown: dict[str, list[tuple[str, Cell]]]
    schools: list[tuple[Any, Cell]]
    pages: list[PageResult]
    compared_with: Survey | None
    min_cell: int

    @property
    def suppressed(self) -> int:
        count = 0
        for page in self.pages:
            for item in page.items:
                count += sum(not c.shown for _, c in item.choices)
                for cells in item.breakdowns.values():
                    count += sum(not c.shown for _, c in cells)
        return count


def suppress(cells: list[Cell], floor: int) -> None:
    """One table whose counts add up to their common base (always published): hide counts
    under the floor (every count, where the base is under it), then more, until none hidden
    can be worked out from the base and the counts shown."""
    for cell in cells:
        if 0 < cell.count < floor or cell.base < floor:
            cell.shown = False
    if cells:
        protect([Equation(Figure(cells[0].base), [Figure(c.count, c) for c in cells])])


def _groups(labels: dict[str, str], present: Iterable[str]) -> list[str]:
    """Every group of a breakdown, empty ones too (one may be hidden to protect another)."""
    return [*labels, *sorted(g for g in present if g not in labels)]


def _without_empty(
    cells: list[tuple[str, Cell]], size: Callable[[Cell], int]
) -> list[tuple[str, Cell]]:
    """The groups to list: an empty group is left out unless it is hidden (then it is listed
    like any hidden group, so nobody can tell it is empty)."""
    return [(label, c) for label, c in cells if size(c) or not c.shown]


def _who_answered(responses: list[Response], floor: int) -> dict[str, list[tuple[str, Cell]]]:
    """Each breakdown of the respondents, every group listed (an empty one as 0)."""
    total = len(responses)
    out: dict[str, list[tuple[str, Cell]]] = {}
    for key, (_, labels) in BREAKDOWNS.items():
        counts = Counter(_group_of(r, key) for r in responses)
        cells = [
            (labels.get(g, "Not given"), Cell(counts.get(g, 0), total))
            for g in _groups(labels, counts)
        ]
        suppress([c for _, c in cells], floor)
        out[key] = cells
    return out


def _item_protect(result: ItemResult, respondents: int, who: dict[str, dict[str, Cell]]) -> None:
    """Secondary suppression of one question: its answers, positive total and breakdowns, with
    the "who answered" tables (already protected, not changed here) where everyone answered."""
    base = Figure(result.base)
    counts = [Figure(c.count, c) for _, c in result.choices]
    equations = [Equation(base, counts)]
    last: list[Cell] = []
    groups: set[int] = set()
    if result.positive is not None:
        positive = Figure(result.positive.count, result.positive)
        last.append(result.positive)
        values = [c.value for c in result.item.choices]
        equations.append(
            Equation(
                positive,
                [f for f, v in zip(counts, values, strict=True) if v in result.item.positive],
            )
        )
        everyone = Figure(respondents)
        for key, cells in result.breakdowns.items():
            bases = [Figure(c.base, c) for _, c in cells]
            equations.append(Equation(base, bases))
            equations.append(Equation(positive, [Figure(c.count, c) for _, c in cells]))
            groups |= {id(c) for _, c in cells}
            if result.base == respondents:  # then each group's base is its "who answered" count
                whole = {label: Figure(c.count, c) for label, c in who[key].items()}
                equations.append(Equation(everyone, list(whole.values())))
                for (label, _), b in zip(cells, bases, strict=True):
                    if label in whole:
                        equations.append(Equation(b, [whole[label]]))
    protect(
        equations,
        keep=[c for cells in who.values() for c in cells.values()],
        last=last,
        size=lambda u: u.base if id(u) in groups else u.count,  # type: ignore[attr-defined]
    )


@cache
def reference_figures() -> dict[tuple[str, str], float]:
    """The reference survey's percentages for each (question, response)."""
    if not REFERENCE_FILE.exists():
        return {}
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as f:
        return {
            (r["question"], r["response"]): float(r["percent"])
            for r in csv.DictReader(f)
            if r["group"] == "all"
        }


def _reference_percent(item: Item) -> float | None:
    ref = item.reference
    if not ref or not item.positive:
        return None
    figures = reference_figures()
    values = [figures.get((ref["question"], ref["map"].get(v, ""))) for v in item.positive]
    known = [v for v in values if v is not None]
    return round(sum(known), 1) if known else None


def _counted(survey: Survey) -> list[Response]:
    return list(
        survey.responses.filter(submitted_on__isnull=False, possible_duplicate=False)
        .select_related("school")
        .only("version", "age_band", "in_care", "disability", "answers", "school__phase")
    )


def _group_of(response: Response, breakdown: str) -> str:
    if breakdown == "phase":
        return response.school.phase
    return getattr(response, breakdown) or ""


def _positive_share(responses: list[Response], item: Item) -> float | None:
    answered = [r.answers[item.name] for r in responses if item.name in r.answers]
    if not answered or not item.positive:
        return None
    return round(100 * sum(a in item.positive for a in answered) / len(answered), 1)


def survey_results(
    survey: Survey, *, audience: str = "published", compare_with: Survey | None = None
) -> SurveyResults:
    """The survey's results for the team (every figure, redacted quotes) or as published
    (suppressed, no quotes)."""
    floor = min_cell() if audience != "team" else 0
    definition = survey.proforma.parsed
    responses = _counted(survey)
    compared = _counted(compare_with) if compare_with else []  # read once, not per item
    excluded = survey.responses.filter(possible_duplicate=True).count()
    total = len(responses)

    by_breakdown = _who_answered(responses, floor)
    who = {key: dict(cells) for key, cells in by_breakdown.items()}  # empty groups too
    by_breakdown = {k: _without_empty(v, lambda c: c.count) for k, v in by_breakdown.items()}
    school_counts = Counter(r.school_id for r in responses)
    schools = [(s, Cell(school_counts.get(s.pk, 0), total)) for s in survey.schools.all()]
    suppress([c for _, c in schools], floor)

    pages: list[PageResult] = []
    for page in definition.pages:
        items: list[ItemResult] = []
        texts: list[TextResult] = []
        for item in page.items:
            answered = [r for r in responses if item.name in r.answers]
            base = len(answered)
            label = item.label("secondary" if item.asked_in("secondary") else item.versions[0])
            if item.kind == "text":
                texts.append(_text_result(item, label, answered, floor, audience))
                continue
            counts = Counter(r.answers[item.name] for r in answered)
            choice_cells = [(c.label, Cell(counts.get(c.value, 0), base)) for c in item.choices]
            for _, cell in choice_cells:
                if 0 < cell.count < floor or base < floor:
                    cell.shown = False
            positive = None
            if item.positive:
                positive = Cell(sum(counts.get(v, 0) for v in item.positive), base)
                positive.shown = not (0 < positive.count < floor or base < floor)
            result = ItemResult(
                item=item,
                label=label,
                base=base,
                choices=choice_cells,
                positive=positive,
                reference_percent=_reference_percent(item),
                compared_percent=_positive_share(compared, item) if compare_with else None,
            )
            if item.positive:
                for key, (_, labels) in BREAKDOWNS.items():
                    groups: dict[str, list[Response]] = defaultdict(list)
                    for r in answered:
                        groups[_group_of(r, key)].append(r)
                    cells = [
                        (
                            labels.get(g, "Not given"),
                            Cell(sum(r.answers[item.name] in item.positive for r in rs), len(rs)),
                        )
                        for g, rs in ((g, groups.get(g, [])) for g in _groups(labels, groups))
                    ]
                    for _, cell in cells:  # a group's share: hidden when the group is small
                        if 0 < cell.base < floor:
                            cell.shown = False
                    result.breakdowns[key] = cells
            if floor and base >= floor:  # under the floor, every figure of it is hidden
                _item_protect(result, total, who)
            for key, cells in result.breakdowns.items():
                result.breakdowns[key] = _without_empty(cells, lambda c: c.base)
            items.append(result)
        pages.append(PageResult(page.code, page.title("default"), page.outcome, items, texts))
    return SurveyResults(
        survey=survey,
        audience=audience,
        respondents=total,
        excluded_duplicates=excluded,
        by_breakdown=by_breakdown,
        schools=schools,
        pages=pages,
        compared_with=compare_with,
        min_cell=min_cell(),
    )


def _text_result(
    item: Item, label: str, answered: list[Response], floor: int, audience: str
) -> TextResult:
    counts: Counter[str] = Counter()
    quotes: list[str] = []
    for r in answered:
        text = r.answers[item.name]
        for theme in themes_of(text):
            counts[theme] += 1
        if audience == "team" and len(quotes) < 8:
            quotes.append(personal_data_redact(text))
    base = len(answered)
    cells = [(theme, Cell(n, base)) for theme, n in counts.most_common()]
    for _, cell in cells:
        if cell.count < floor:
            cell.shown = False
    return TextResult(item=item, label=label, base=base, themes=cells, quotes=quotes)


def results_as_dict(results: SurveyResults) -> dict[str, Any]:
    """Open data of the results (what the API and `ecm survey results` print)."""

    def cell(c: Cell) -> dict[str, Any]:
        if not c.shown:
            return {"suppressed": True}
        return {"count": c.count, "base": c.base, "percent": c.percent}

    return {
        "review": results.survey.review_id,
        "area": results.survey.review.area.gss_code,
        "audience": results.audience,
        "minimum_cell": results.min_cell,
        "respondents": results.respondents,
        "reference": REFERENCE_NAME,
        "breakdowns": {k: {g: cell(c) for g, c in v} for k, v in results.by_breakdown.items()},
        "outcomes": [
            {
                "page": page.code,
                "outcome": page.outcome,
                "title": page.title,
                "items": [
                    {
                        "name": i.item.name,
                        "question": i.label,
                        "answered": i.base
                        if i.base >= results.min_cell or results.audience == "team"
                        else None,
                        "choices": {label: cell(c) for label, c in i.choices},
                        "positive": cell(i.positive) if i.positive else None,
                        "reference_percent": i.reference_percent,
                        "compared_percent": i.compared_percent,
                        "by": {k: {g: cell(c) for g, c in v} for k, v in i.breakdowns.items()},
                    }
                    for i in page.items
                ],
                "topics": {
                    t.item.name: {theme: cell(c) for theme, c in t.themes} for t in page.texts
                },
            }
            for page in results.pages
        ],
    }
