"""The annual composite report: public HTML, PDF and open data."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from ecm_inspect.accounts.decorators import staff_required

from .planning import clashes
from .selectors import composite_report, stacked_svg


def _context(year: int) -> dict[str, object]:
    report = composite_report(year=year)
    return {
        "report": report,
        "chart": stacked_svg(
            report.by_outcome, f"Grades of the joint area reviews published in {year}"
        )
        if report.reviews
        else "",
    }


def composite(request: HttpRequest, year: int) -> HttpResponse:
    return render(request, "national/composite.html", _context(year))


def composite_pdf(request: HttpRequest, year: int) -> HttpResponse:
    from ecm_inspect.reports.services import render_pdf

    body = render_to_string("national/composite_body.html", _context(year))
    response = HttpResponse(
        render_pdf(body, f"Joint area reviews {year}"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="jar-composite-{year}.pdf"'
    return response


def composite_json(request: HttpRequest, year: int) -> JsonResponse:
    return JsonResponse(composite_report(year=year).as_data(), json_dumps_params={"indent": 1})


@staff_required
def planning(request: HttpRequest) -> HttpResponse:
    """Planned inspections that would land close together on one organisation."""
    if not request.user.has_perm("national.view_planning"):
        raise PermissionDenied
    return render(request, "national/planning.html", {"clashes": clashes()})


def latest(request: HttpRequest) -> HttpResponse:
    return composite(request, timezone.localdate().year)
