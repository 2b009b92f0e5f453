"""`ecm report render REVIEW --format html|pdf|children --out PATH`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecm_inspect.reports.document import render_children, render_html, render_pdf
from ecm_inspect.reviews.models import Review


class Command(BaseCommand):
    help = "Render a review's report as HTML, PDF or the version for children."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{render}")
        render = sub.add_parser("render", help="Render the report to a file.")
        render.add_argument("review", type=int)
        render.add_argument("--format", choices=["html", "pdf", "children"], default="html")
        render.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        review = Review.objects.select_related("area").filter(pk=options["review"]).first()
        if review is None:
            raise CommandError(f"no review {options['review']}")
        title = f"Joint area review of {review.area.name}"
        published = getattr(review, "publication", None)
        body = published.html if published else render_html(review, draft=True)
        if options["format"] == "pdf":
            options["out"].write_bytes(render_pdf(body, title))
        elif options["format"] == "children":
            children = published.children_html if published else render_children(review)
            options["out"].write_text(children, encoding="utf-8")
        else:
            options["out"].write_text(body, encoding="utf-8")
        self.stdout.write(f"Wrote {options['out']} ({options['format']}).")
