"""What children, young people and parents wrote in their own words, erased on the retention
timetable (docs/retention.md) once the review's report has been published for the set time.
Their chosen answers stay, so the published figures can still be checked."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from .models import ParentResponse, Response


@dataclass(frozen=True)
class WordsErasure:
    children: int
    parents: int

    @property
    def total(self) -> int:
        return self.children + self.parents


def _is_words(items: Any, name: str) -> bool:
    return name in items and items[name].kind == "text"


def _children_with_words(review_ids: Collection[int]) -> list[Response]:
    out = []
    responses = Response.objects.filter(survey__review_id__in=review_ids).select_related(
        "survey__proforma"
    )
    for response in responses:
        items = response.survey.proforma.parsed.items
        if any(_is_words(items, k) and v for k, v in response.answers.items()):
            out.append(response)
    return out


def _parents_with_words(review_ids: Collection[int]) -> list[ParentResponse]:
    return list(
        ParentResponse.objects.filter(proforma__survey__review_id__in=review_ids).filter(
            ~Q(works_well="") | ~Q(could_be_better="")
        )
    )


def own_words_due(*, review_ids: Collection[int]) -> WordsErasure:
    """How many answers of these reviews' surveys still hold words of their own."""
    return WordsErasure(len(_children_with_words(review_ids)), len(_parents_with_words(review_ids)))


@transaction.atomic
def own_words_erase(*, review_ids: Collection[int]) -> WordsErasure:
    """Erase the free-text answers of these reviews' surveys (children's and parents'); returns
    how many answers changed (none on a second run)."""
    children = _children_with_words(review_ids)
    for response in children:
        items = response.survey.proforma.parsed.items
        response.answers = {k: v for k, v in response.answers.items() if not _is_words(items, k)}
        response.save(update_fields=["answers"])
    parents = _parents_with_words(review_ids)
    ParentResponse.objects.filter(pk__in=[p.pk for p in parents]).update(
        works_well="", could_be_better=""
    )
    return WordsErasure(len(children), len(parents))
