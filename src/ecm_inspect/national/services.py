"""The composite report's PDF, printed once for each state of the year's findings and kept in
storage.

There is no record of a composite report: it is drawn, whenever it is read, from the reports
published in the year. So its PDF is kept under a name made from the SHA-256 of what it prints
(`national-reports/jar-composite-<year>-<sha256>.pdf`): while no report of the year is
published or corrected, every reader is served the same stored file; the first reader after a
change prints the new one. Earlier printings are kept."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from ecm_inspect.reports import document

from .selectors import composite_report, stacked_svg

COMPOSITE_FOLDER = "national-reports"


def composite_body(*, year: int) -> str:
    """The composite report of `year` as its HTML body (the page and the PDF print it)."""
    report = composite_report(year=year)
    chart = (
        stacked_svg(report.by_outcome, f"Grades of the joint area reviews published in {year}")
        if report.reviews
        else ""
    )
    return render_to_string("national/composite_body.html", {"report": report, "chart": chart})


def composite_pdf_name(*, year: int, body: str) -> str:
    digest = hashlib.sha256(body.encode()).hexdigest()
    return f"{COMPOSITE_FOLDER}/jar-composite-{year}-{digest}.pdf"


def composite_pdf_print(*, year: int) -> str:
    """The stored name of the composite report's PDF for `year` as its findings stand now,
    printing and storing it only if this state of the findings has not been printed before."""
    body = composite_body(year=year)
    name = composite_pdf_name(year=year, body=body)
    if not default_storage.exists(name):
        pdf = document.render_pdf(body, f"Joint area reviews {year}")
        saved = default_storage.save(name, ContentFile(pdf))
        if saved != name:  # another reader printed the same state meanwhile
            default_storage.delete(saved)
    return name
