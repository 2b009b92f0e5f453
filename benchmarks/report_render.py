"""Benchmark: rendering the PDF of a full joint area review report.

    .venv/bin/python benchmarks/report_render.py [--runs 5]

Builds the demo up to the published report of Gateshead's review (Framework, areas, reviews,
indicators, evidence, every judgement recorded) in a fresh SQLite database, then measures, as
medians of RUNS runs in this one process: rendering the report's HTML from its judgements, and
rendering that HTML to PDF with WeasyPrint. Target (issue): the PDF of a full report under 5 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ecm-bench-report-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecm_inspect.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from ecm_inspect.reports.demo import demo_reports_ensure
    from ecm_inspect.reports.document import render_html, render_pdf
    from ecm_inspect.reports.models import Publication, ReviewJudgement
    from ecm_inspect.web.services import demo_steps

    call_command("migrate", verbosity=0)
    for _, step in demo_steps():  # up to the published report: later steps are not needed
        step()
        if step is demo_reports_ensure:
            break
    publication = Publication.objects.select_related("review__area").get()
    review = publication.review
    judgements = ReviewJudgement.objects.filter(review=review).count()

    def timed(fn) -> float:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started

    html = render_html(review)
    pdf = render_pdf(html, "Report")
    html_s = statistics.median(timed(lambda: render_html(review)) for _ in range(args.runs))
    pdf_s = statistics.median(timed(lambda: render_pdf(html, "Report")) for _ in range(args.runs))
    print(
        f"report of {review.area.name}: {judgements} judgements, {len(html):,} characters of "
        f"HTML, {len(pdf):,} bytes of PDF"
    )
    print(f"{'what':44} {'median s':>9}")
    print(f"{'HTML from the recorded judgements':44} {html_s:9.2f}")
    print(f"{'PDF from that HTML (WeasyPrint)':44} {pdf_s:9.2f}")
    print(f"target: PDF under 5 s: {'met' if pdf_s < 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
