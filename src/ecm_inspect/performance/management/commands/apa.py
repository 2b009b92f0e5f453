"""`ecm apa run --year YYYY [--area CODE] [--format json]`: the annual performance assessment
of one area or all, with a progress bar."""

import importlib
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecm_inspect.framework.grades import grade_words
from ecm_inspect.performance.models import OUTCOME_CODES, Assessment, AssessmentJudgement
from ecm_inspect.performance.services import apa_run
from ecm_inspect.registry.models import Area

# The progress bar of `ecm import` ("import" is a keyword, hence importlib).
ProgressBar = importlib.import_module("ecm_inspect.registry.management.commands.import").ProgressBar
ORDER = [*OUTCOME_CODES, "SM", "capacity", "overall"]


def assessment_out(assessment: Assessment) -> dict[str, Any]:
    judgements: dict[str, AssessmentJudgement] = {j.kind: j for j in assessment.judgements.all()}
    return {
        "gss_code": assessment.area.gss_code,
        "area": assessment.area.name,
        "year": assessment.year,
        "source": assessment.source,
        "judgements": {
            kind: {
                "proposed": j.proposed_grade,
                "recorded": j.recorded_grade,
                "reasons": j.reasons,
            }
            for kind in ORDER
            if (j := judgements.get(kind)) is not None
        },
    }


class Command(BaseCommand):
    help = "Run the annual performance assessment: proposed grades with their reasons."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run}")
        run = sub.add_parser("run", help="Propose grades for one area or every area in a year.")
        run.add_argument("--year", type=int, required=True)
        run.add_argument("--area", help="One area's GSS code (default: every current area).")
        run.add_argument("--format", choices=["text", "json"], default="text")
        run.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        areas = None
        if options["area"]:
            area = Area.objects.filter(gss_code=options["area"]).first()
            if area is None:
                raise CommandError(f"--area: no area with GSS code {options['area']!r}")
            areas = [area]
        progress = None
        if not options["no_progress"] and options["verbosity"] > 0:
            progress = ProgressBar(self.stderr, f"APA {options['year']}")
        result = apa_run(year=options["year"], areas=areas, progress=progress)
        assessments = (
            Assessment.objects.filter(pk__in=[a.pk for a in result.assessments])
            .select_related("area")
            .prefetch_related("judgements")
            .order_by("area__name")
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps([assessment_out(a) for a in assessments], indent=2))
            return
        for a in assessments:
            out = assessment_out(a)
            grades = "  ".join(
                f"{k}={v['recorded'] or v['proposed'] or '-'}" for k, v in out["judgements"].items()
            )
            self.stdout.write(f"{a.area.gss_code} {a.area.name:<28} {grades}")
        for alert in result.alerts:
            self.stdout.write(self.style.WARNING(f"ALERT: {alert.message}"))
        counts = {g: 0 for g in (4, 3, 2, 1)}
        none = 0
        for a in assessments:
            overall = next((j for j in a.judgements.all() if j.kind == "overall"), None)
            if overall is None or overall.grade is None:
                none += 1
            else:
                counts[overall.grade] += 1
        spread = ", ".join(f"{grade_words(g)} {n}" for g, n in counts.items())
        self.stdout.write(f"Overall: {spread}, insufficient evidence {none}.")
