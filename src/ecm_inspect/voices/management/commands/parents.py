"""`ecm parents open|close|results|urls|evidence|coverage`: a review's questionnaire for
parents and carers, and whose views the review has gathered, from the command line."""

import json
from typing import Any
from urllib.parse import urljoin

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from ecm_inspect.reviews.models import Review
from ecm_inspect.voices.coverage import review_coverage
from ecm_inspect.voices.evidence import evidence_from_parents
from ecm_inspect.voices.models import ParentsProforma, Survey
from ecm_inspect.voices.parents import (
    parents_proforma_close,
    parents_proforma_create,
    parents_proforma_open,
)
from ecm_inspect.voices.parents_results import parents_results, parents_results_as_dict
from ecm_inspect.voices.services import SurveyRefused


def parent_urls(proforma: ParentsProforma) -> list[tuple[str, str]]:
    """Every page a parent or carer can reach: (what, path)."""
    c = proforma.code
    return [
        ("Enter the code from your leaflet", reverse("voices:parents-code")),
        ("Start", reverse("voices:parents-start", args=[c])),
        ("Your views as a parent or carer", reverse("voices:parents-questions", args=[c])),
        ("Answers sent", reverse("voices:parents-sent", args=[c])),
        ("What we do with your answers", reverse("voices:parents-privacy", args=[c])),
    ]


def _proforma(review_id: int, *, create: bool = False) -> ParentsProforma:
    found = ParentsProforma.objects.filter(survey__review_id=review_id).first()
    if found is not None:
        return found
    survey = Survey.objects.filter(review_id=review_id).first()
    if not create or survey is None:
        raise CommandError(
            f"Review {review_id} has no parents' and carers' questionnaire"
            + (" (set up its survey of children first)." if survey is None else ".")
        )
    return parents_proforma_create(survey=survey)


class Command(BaseCommand):
    help = "The questionnaire for parents and carers: open, close, results, coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="{open,close,results,urls,evidence,coverage}",
        )
        opened = sub.add_parser("open", help="Set up the questionnaire if need be, and open it.")
        opened.add_argument("review", type=int)
        close = sub.add_parser("close", help="Close the questionnaire and freeze its answers.")
        close.add_argument("review", type=int)
        results = sub.add_parser("results", help="Print the results (small numbers hidden).")
        results.add_argument("review", type=int)
        urls = sub.add_parser("urls", help="Print the address of every page a parent can reach.")
        urls.add_argument("review", type=int)
        urls.add_argument("--base", default="http://127.0.0.1:8000", help="The site's address.")
        evidence = sub.add_parser("evidence", help="Record the results as evidence items.")
        evidence.add_argument("review", type=int)
        coverage = sub.add_parser("coverage", help="Print whose views have been gathered.")
        coverage.add_argument("review", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        review_id = options["review"]
        if action == "coverage":
            review = Review.objects.filter(pk=review_id).first()
            if review is None:
                raise CommandError(f"There is no review {review_id}.")
            found = review_coverage(review)
            for row in found.rows:
                sources = "; ".join(f"{s}: {n}" for s, n in row.sources) or "not heard yet"
                flag = "  GAP" if row.gap and found.flag_gaps else ""
                self.stdout.write(f"{row.group.label}\t{row.heard}\t{sources}{flag}")
            return
        proforma = _proforma(review_id, create=action == "open")
        try:
            if action == "open":
                parents_proforma_open(proforma=proforma, by=None)
                self.stdout.write(
                    f"Opened the questionnaire of review {review_id}: code {proforma.code}."
                )
            elif action == "close":
                parents_proforma_close(proforma=proforma)
                self.stdout.write(
                    f"Closed the questionnaire of review {review_id}; answers frozen."
                )
            elif action == "results":
                data = parents_results_as_dict(parents_results(proforma))
                self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            elif action == "urls":
                for what, path in parent_urls(proforma):
                    self.stdout.write(f"{urljoin(options['base'], path)}\t{what}")
            elif action == "evidence":
                items = evidence_from_parents(proforma=proforma)
                self.stdout.write(f"Recorded {len(items)} evidence items from parents' views.")
        except SurveyRefused as exc:
            raise CommandError(str(exc)) from exc
