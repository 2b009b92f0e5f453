"""The annual composite report: public HTML, PDF and open data. The shared planning calendar's
clashes, and the review of the Framework (its versions, drafts and publication)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.core.files import storage_file_response
from ecm_inspect.core.models import EmailStatus, OutgoingEmail
from ecm_inspect.core.services import email_handled_from_form
from ecm_inspect.framework.models import FrameworkVersion, VersionStatus
from ecm_inspect.framework.revision import RevisionRefused, framework_publish, version_diff
from ecm_inspect.framework.selectors import framework_in_force

from .planning import clashes
from .selectors import composite_report, stacked_svg
from .services import composite_pdf_print


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


def composite_pdf(request: HttpRequest, year: int) -> HttpResponseBase:
    """The composite report's PDF, printed once for the year's findings as they stand and
    served from storage (public, as the page is)."""
    return storage_file_response(
        default_storage,
        composite_pdf_print(year=year),
        filename=f"jar-composite-{year}.pdf",
        as_attachment=False,
        content_type="application/pdf",
    )


def composite_json(request: HttpRequest, year: int) -> JsonResponse:
    return JsonResponse(composite_report(year=year).as_data(), json_dumps_params={"indent": 1})


@staff_required
def framework_versions(request: HttpRequest) -> HttpResponse:
    """Every version of the Framework: which is in force, since when, and drafts under review."""
    if not request.user.has_perm("national.view_framework_versions"):
        raise PermissionDenied
    return render(
        request,
        "national/framework_versions.html",
        {
            "versions": FrameworkVersion.objects.order_by("-code"),
            "in_force": framework_in_force(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def framework_version(request: HttpRequest, code: str) -> HttpResponse:
    """A version against the one in force (what changed), and, for a draft, publishing it."""
    if not request.user.has_perm("national.view_framework_versions"):
        raise PermissionDenied
    version = get_object_or_404(FrameworkVersion, code=code)
    in_force = framework_in_force()
    error = ""
    if request.method == "POST":
        if not request.user.has_perm("national.publish_framework"):
            raise PermissionDenied
        try:
            effective = date.fromisoformat(request.POST.get("effective_from", ""))
            framework_publish(version=version, effective_from=effective, by=request.user)
        except ValueError:
            error = "Enter the date it takes effect as YYYY-MM-DD, for example 2027-04-01."
        except RevisionRefused as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"Published version {code}: inspections starting on or after "
                f"{effective:%-d %B %Y} use it; those started earlier keep theirs.",
            )
            return redirect("national:framework-version", code)
    changes = (
        version_diff(old=in_force, new=version)
        if in_force is not None and in_force.pk != version.pk
        else []
    )
    return render(
        request,
        "national/framework_version.html",
        {
            "version": version,
            "in_force": in_force,
            "changes": changes,
            "error": error,
            # What was typed, kept when publishing is refused.
            "typed_effective_from": request.POST.get("effective_from", "") if error else "",
            "can_publish": request.user.has_perm("national.publish_framework")
            and version.status == VersionStatus.DRAFT,
        },
        status=422 if error else 200,
    )


@staff_required
def planning(request: HttpRequest) -> HttpResponse:
    """Planned inspections that would land close together on one organisation."""
    if not request.user.has_perm("national.view_planning"):
        raise PermissionDenied
    return render(request, "national/planning.html", {"clashes": clashes()})


@staff_required
@require_http_methods(["GET", "POST"])
def undelivered_email(request: HttpRequest) -> HttpResponse:
    """Every e-mail the mail service never delivered (safeguarding alerts, messages to a DCS),
    shown to the national lead as an error until someone marks it handled."""
    if not request.user.has_perm("national.view_undelivered_email"):
        raise PermissionDenied
    undelivered = OutgoingEmail.objects.undelivered()
    email, error = None, ""
    if request.method == "POST":
        email, error = email_handled_from_form(
            emails=undelivered, data=request.POST, by=request.user
        )
        if not error:
            messages.success(request, f"Recorded that {email} was handled another way.")
            return redirect("national:undelivered-email")
    handled = OutgoingEmail.objects.filter(status=EmailStatus.HANDLED).select_related("handled_by")[
        :20
    ]
    return render(
        request,
        "national/undelivered_email.html",
        {
            "undelivered": list(undelivered),
            "handled": handled,
            "email_error": error,
            "refused_email_pk": email.pk if email and error else None,
            "typed_note": request.POST.get("note", "") if error else "",
        },
        status=422 if error else 200,
    )


def latest(request: HttpRequest) -> HttpResponse:
    return composite(request, timezone.localdate().year)
