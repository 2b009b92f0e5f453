"""What children, young people and parents wrote in their own words, erased on the retention
timetable (docs/retention.md) once the review's report has been published for the set time.
Their chosen answers stay, so the published figures can still be checked."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from .models import ParentResponse, Response, Survey


@dataclass(frozen=True)
class WordsErasure:
    children: int
    parents: int

    @property
    def total(self) -> int:
        return self.children + self.parents


def _children_with_words(review_ids: Collection[int]) -> list[tuple[Response, set[str]]]:
    """Each response of these reviews' surveys that still holds free text, with the names of
    its survey's free-text questions (read once per survey, not per response)."""
    surveys = Survey.objects.filter(review_id__in=review_ids).select_related("proforma")
    words_of = {
        survey.pk: {n for n, item in survey.proforma.parsed.items.items() if item.kind == "text"}
        for survey in surveys
    }
    responses = Response.objects.filter(survey_id__in=words_of).only("pk", "survey_id", "answers")
    return [
        (response, words_of[response.survey_id])
        for response in responses
        if any(v for k, v in response.answers.items() if k in words_of[response.survey_id])
    ]


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
    for response, words in children:
        response.answers = {k: v for k, v in response.answers.items() if k not in words}
        response.save(update_fields=["answers"])
    parents = _parents_with_words(review_ids)
    ParentResponse.objects.filter(pk__in=[p.pk for p in parents]).update(
        works_well="", could_be_better=""
    )
    return WordsErasure(len(children), len(parents))
