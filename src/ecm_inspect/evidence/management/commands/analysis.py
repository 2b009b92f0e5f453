"""`ecm analysis REVIEW [--format text|json]`: run the analysis of a review's evidence and print
the fieldwork specification (also `ecm review analyse REVIEW`)."""

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ecm_inspect.evidence.analysis import analysis_run
from ecm_inspect.evidence.specification import fieldwork_specification
from ecm_inspect.reviews.selectors import review_for_command


class Command(BaseCommand):
    help = "Run the analysis of a review's evidence and print the fieldwork specification."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("review", type=int)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **o: Any) -> None:
        review = review_for_command(o["review"])
        analyses = analysis_run(review=review)
        spec = fieldwork_specification(review=review)
        if o["format"] == "json":
            out = asdict(spec)
            out["analysis"] = [
                {"key_judgement": a.key_judgement.code, "status": a.status, "reasons": a.reasons}
                for a in analyses
            ]
            self.stdout.write(json.dumps(out, indent=2, default=str))
            return
        fieldwork = [a for a in analyses if a.status == "fieldwork"]
        self.stdout.write(
            f"{review}: {len(analyses) - len(fieldwork)} judgements can be agreed at analysis, "
            f"{len(fieldwork)} need fieldwork."
        )
        self.stdout.write(f"Fieldwork specification (team of {spec.team_size}, "
                          f"{spec.effort_days} of {spec.capacity_days} days):")  # fmt: skip
        for issue in spec.issues:
            self.stdout.write(f"  Issue: {issue['outcome']} ({', '.join(issue['judgements'])})")
        for n in spec.neighbourhoods:
            self.stdout.write(f"  Neighbourhood: {n['name']} ({n['code']}), decile {n['decile']}")
        self.stdout.write(f"  Case files: {spec.case_files}; children to track: "
                          f"{spec.children_to_track}")  # fmt: skip
        for s in spec.settings_to_visit:
            self.stdout.write(f"  Visit: {s}")
        for m in spec.meetings:
            self.stdout.write(f"  Meeting: {m}")
        for w in spec.warnings:
            self.stdout.write(f"  Warning: {w}")
