"""`ecm national report --year YYYY [--format text|json|html|pdf] [--out PATH]`."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.template.loader import render_to_string

from ecm_inspect.national.selectors import composite_report, stacked_svg


class Command(BaseCommand):
    help = "The annual composite report of joint area review findings."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{report}")
        report = sub.add_parser("report", help="The composite report of a year.")
        report.add_argument("--year", type=int, required=True)
        report.add_argument("--format", choices=["text", "json", "html", "pdf"], default="text")
        report.add_argument("--out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        report = composite_report(year=year)
        fmt = options["format"]
        if fmt in {"html", "pdf"}:
            body = render_to_string(
                "national/composite_body.html",
                {"report": report, "chart": stacked_svg(report.by_outcome, f"Grades {year}")},
            )
            if fmt == "pdf":
                from ecm_inspect.reports.services import render_pdf

                data: bytes = render_pdf(body, f"Joint area reviews {year}")
            else:
                data = body.encode()
            if options["out"]:
                options["out"].write_bytes(data)
                self.stdout.write(f"Wrote {options['out']} ({fmt}).")
            else:
                self.stdout.write(data.decode(errors="replace"))
            return
        if fmt == "json":
            self.stdout.write(json.dumps(report.as_data(), indent=2))
            return
        self.stdout.write(f"Joint area reviews published in {year}: {report.reviews}")
        for outcome, counts in report.by_outcome.items():
            self.stdout.write(
                f"  {outcome:<34} " + "  ".join(f"{g}:{n}" for g, n in counts.items())
            )
        for theme in report.recommendations:
            self.stdout.write(f"  recurring recommendations: {theme.name} ({theme.count})")
