"""Results of the parents' and carers' proforma, with small numbers suppressed.

The same rule as the children's survey (analysis.py, suppression.py): no figure rests on fewer
than ECM_SURVEY_MIN_CELL people. Each "who answered" table and each question's answers are a
table whose counts add up to a published total: counts under the floor are hidden, then more
until none hidden can be worked out (`analysis.suppress`). The positive share of a question is
shown only when its "Agree" count is. The breakdowns for parents of children in care and of
disabled children are shown only when the group's answers, its "Agree" count and the rest are
each at least the floor, and never when the group's own "who answered" count is hidden (where
everyone in the group answered, the two are the same number). Their complements are not
published, so no subtraction recovers a hidden group.

Words parents wrote are for the review team only, with names and the like redacted, and never
go into evidence: evidence gets counts and shares (evidence.py).
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .analysis import Cell, min_cell, suppress
from .models import InCare, ParentResponse, ParentsProforma, Relationship
from .parents import QUESTIONS, TEXTS, Question
from .proforma import AGE_BANDS
from .screening import personal_data_redact, themes_of

# The groups whose parents' answers are shown apart (issue 19: "including parents of disabled
# children and of children in care"), as (field, label).
GROUPS = (
    ("child_in_care", "Parents and carers of children in care"),
    (
        "child_disabled",
        "Parents and carers of disabled children or children with learning difficulties",
    ),
)
WHO = {
    "relationship": ("Who answered", dict(Relationship.choices)),
    "child_age_band": ("Child's age", dict(AGE_BANDS)),
    "child_in_care": ("Child in care", dict(InCare.choices)),
    "child_disabled": ("Child disabled or with learning difficulties", dict(InCare.choices)),
}
QUOTES = 8  # free-text answers the team sees per box, redacted


@dataclass
class QuestionResult:
    question: Question
    base: int
    choices: list[tuple[str, Cell]]
    positive: Cell
    groups: list[tuple[str, Cell]]


@dataclass
class TextResult:
    name: str
    label: str
    base: int
    themes: list[tuple[str, Cell]]
    quotes: list[str]


@dataclass
class ParentsResults:
    proforma: ParentsProforma
    respondents: int
    who: dict[str, tuple[str, list[tuple[str, Cell]]]]
    questions: list[QuestionResult]
    texts: list[TextResult]
    min_cell: int

    @property
    def suppressed(self) -> int:
        hidden = sum(not c.shown for q in self.questions for _, c in q.choices)
        return hidden + sum(not c.shown for q in self.questions for _, c in q.groups)

    def group_count(self, field: str) -> Cell | None:
        """How many answered for a child in the group ("Yes"), as the "who answered" table
        shows it."""
        cells = dict(self.who[field][1])
        return cells.get(InCare.YES.label)


def _counted(proforma: ParentsProforma) -> list[ParentResponse]:
    return list(proforma.responses.all())


def _group_cell(answered: list[ParentResponse], question: Question, floor: int) -> Cell:
    count = sum(r.answers[question.name] in question.positive for r in answered)
    cell = Cell(count, len(answered))
    rest = cell.base - count
    if cell.base < floor or 0 < count < floor or 0 < rest < floor:
        cell.shown = False
    return cell


def parents_results(proforma: ParentsProforma, *, with_words: bool = False) -> ParentsResults:
    """The results as the review team sees them (suppressed); `with_words`: the redacted
    free text too (team pages only, never the API's published figures or evidence)."""
    floor = min_cell()
    responses = _counted(proforma)
    total = len(responses)
    who: dict[str, tuple[str, list[tuple[str, Cell]]]] = {}
    for field, (caption, labels) in WHO.items():
        counts = Counter(getattr(r, field) for r in responses)
        cells = [(label, Cell(counts.get(value, 0), total)) for value, label in labels.items()]
        if counts.get(""):
            cells.append(("Not given", Cell(counts[""], total)))
        suppress([c for _, c in cells], floor)
        who[field] = (caption, cells)
    questions = []
    for question in QUESTIONS:
        answered = [r for r in responses if r.answers.get(question.name)]
        base = len(answered)
        counts = Counter(r.answers[question.name] for r in answered)
        choices = [(label, Cell(counts.get(value, 0), base)) for value, label in question.choices]
        suppress([c for _, c in choices], floor)
        positive_count = sum(counts.get(v, 0) for v in question.positive)
        positive = Cell(positive_count, base)
        positive.shown = all(
            c.shown
            for (value, _), (_, c) in zip(question.choices, choices, strict=True)
            if value in question.positive
        )
        groups = []
        for field, label in GROUPS:
            in_group = [r for r in answered if getattr(r, field) == InCare.YES]
            cell = _group_cell(in_group, question, floor)
            whole = dict(who[field][1]).get(InCare.YES.label)
            if whole is not None and not whole.shown:
                cell.shown = False
            groups.append((label, cell))
        questions.append(QuestionResult(question, base, choices, positive, groups))
    texts = []
    for name, label in TEXTS.items():
        written = [getattr(r, name) for r in responses if getattr(r, name)]
        theme_counts: Counter[str] = Counter(t for text in written for t in themes_of(text))
        cells = [(theme, Cell(n, len(written))) for theme, n in theme_counts.most_common()]
        for _, cell in cells:
            cell.shown = cell.count >= floor
        quotes = [personal_data_redact(t) for t in written[:QUOTES]] if with_words else []
        texts.append(TextResult(name, label, len(written), cells, quotes))
    return ParentsResults(proforma, total, who, questions, texts, floor)


def parents_results_as_dict(results: ParentsResults) -> dict[str, Any]:
    """Counts and shares only (what the API and `ecm parents results` print): no words."""

    def cell(c: Cell) -> dict[str, Any]:
        if not c.shown:
            return {"suppressed": True}
        return {"count": c.count, "base": c.base, "percent": c.percent}

    return {
        "review": results.proforma.survey.review_id,
        "status": results.proforma.status,
        "minimum_cell": results.min_cell,
        "respondents": results.respondents,
        "who_answered": {
            field: {label: cell(c) for label, c in cells}
            for field, (_, cells) in results.who.items()
        },
        "questions": [
            {
                "name": q.question.name,
                "question": q.question.label,
                "outcome": q.question.outcome or None,
                "answered": q.base if q.base >= results.min_cell else None,
                "choices": {label: cell(c) for label, c in q.choices},
                "positive": cell(q.positive),
                "groups": {label: cell(c) for label, c in q.groups},
            }
            for q in results.questions
        ],
        "topics": {t.name: {theme: cell(c) for theme, c in t.themes} for t in results.texts},
    }
