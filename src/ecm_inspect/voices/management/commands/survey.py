"""`ecm survey urls|results|close|synthesise|proforma`: a review's survey of children and
young people from the command line."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from ecm_inspect.voices.analysis import results_as_dict, survey_results
from ecm_inspect.voices.models import Survey
from ecm_inspect.voices.proforma import ProformaError, proforma_read
from ecm_inspect.voices.services import proforma_load, survey_close
from ecm_inspect.voices.synthetic import responses_generate


def child_urls(survey: Survey, code: str | None = None) -> list[tuple[str, str]]:
    """Every page a child can reach in the survey, for each version: (what, path)."""
    school = survey.schools.filter(code=code).first() if code else survey.schools.first()
    if school is None:
        raise CommandError("The survey has no such school (choose the schools first).")
    c = school.code
    urls = [
        ("Enter the school's code", reverse("voices:code")),
        ("Start: how old are you?", reverse("voices:start", args=[c])),
        ("About you", reverse("voices:about", args=[c])),
    ]
    definition = survey.proforma.parsed
    for version, spec in definition.versions.items():
        for number, page in enumerate(definition.pages_for(version), start=1):
            urls.append(
                (
                    f"{spec['name']}: {page.title(version)}",
                    reverse("voices:page", args=[c, version, number]),
                )
            )
        urls.append(
            (
                f"{spec['name']}: check your answers",
                reverse("voices:check", args=[c]) + f"?version={version}",
            )
        )
    urls += [
        ("Answers sent", reverse("voices:sent", args=[c])),
        ("Saved to finish later", reverse("voices:saved", args=[c])),
        ("Talk to someone", reverse("voices:talk", args=[c])),
        ("Someone has been told", reverse("voices:talk-sent", args=[c])),
        ("What we do with your answers", reverse("voices:privacy", args=[c])),
        ("What you told us (feedback to children)", reverse("voices:summary", args=[c])),
    ]
    return urls


def _survey(review_id: int) -> Survey:
    survey = Survey.objects.filter(review_id=review_id).select_related("proforma").first()
    if survey is None:
        raise CommandError(f"Review {review_id} has no survey.")
    return survey


class Command(BaseCommand):
    help = "The survey of children and young people: its pages, results, closing, test data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{urls,results,close,synthesise,proforma}"
        )
        urls = sub.add_parser("urls", help="Print the URL of every page a child can reach.")
        urls.add_argument("review", type=int)
        urls.add_argument("--base", default="http://127.0.0.1:8000", help="The site's address.")
        urls.add_argument("--school", help="A school's code (default: the first school).")
        results = sub.add_parser("results", help="Print the results (as published by default).")
        results.add_argument("review", type=int)
        results.add_argument("--exact", action="store_true", help="Every figure: team only.")
        close = sub.add_parser("close", help="Close the survey and freeze its answers.")
        close.add_argument("review", type=int)
        synth = sub.add_parser("synthesise", help="Add made-up responses (demo and load tests).")
        synth.add_argument("review", type=int)
        synth.add_argument("--count", type=int, default=1000)
        synth.add_argument("--seed", type=int, default=2026)
        proforma = sub.add_parser("proforma", help="Check a proforma file and load it.")
        proforma.add_argument("path", type=Path)
        proforma.add_argument("--check", action="store_true", help="Check only; load nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "proforma":
            try:
                raw = proforma_read(options["path"])
            except ProformaError as exc:
                raise CommandError(str(exc)) from exc
            if options["check"]:
                self.stdout.write(
                    f"{options['path'].name}: {raw['code']} {raw['version']} is valid."
                )
                return
            loaded = proforma_load(options["path"])
            self.stdout.write(f"Loaded {loaded}.")
            return
        survey = _survey(options["review"])
        if action == "urls":
            for what, path in child_urls(survey, options["school"]):
                self.stdout.write(f"{urljoin(options['base'], path)}\t{what}")
        elif action == "results":
            audience = "team" if options["exact"] else "published"
            data = results_as_dict(survey_results(survey, audience=audience))
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        elif action == "close":
            survey_close(survey=survey)
            self.stdout.write(f"Closed the survey of review {survey.review_id}; answers frozen.")
        elif action == "synthesise":
            made = responses_generate(survey=survey, count=options["count"], seed=options["seed"])
            self.stdout.write(f"Added {made} synthetic responses.")
