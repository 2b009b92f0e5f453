"""Pages of the programme: the version in force (timeline by region and month, each area's
slot and team), each version with its solver figures and what moved, risk, exports, and the
published version for everyone (no names)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.core.forms import form_errors
from ecm_inspect.core.inputs import FIRST_YEAR, LAST_YEAR, whole_number
from ecm_inspect.registry.models import Area

from .charts import timeline_svg, weights_svg
from .checker import programme_check
from .exports import programme_csv, programme_ical, programme_xlsx
from .forms import CorporateAssessmentForm, CpaCategoryForm, PlanForm, ReplanForm
from .models import (
    CPA_BLOCKS,
    CorporateAssessment,
    CpaCategory,
    JobKind,
    PlanningJob,
    Programme,
    ProgrammeVersion,
    YearConfirmation,
)
from .records import corporate_assessment_record, cpa_category_record
from .risk_evidence import risk_model
from .selectors import (
    area_risks,
    area_side_by_side,
    current_version,
    job_get_for_user,
    moved_rows,
    published_version,
    slot_rows,
    version_get_for_user,
)
from .services import (
    ProgrammeRefused,
    version_approve,
    version_publish,
    year_confirm,
)
from .tasks import job_start, jobs_reap

# While a job runs its page reloads itself this often (the HTTP Refresh header: no script,
# nothing for the content security policy to allow).
REFRESH_SECONDS = 5


def _version_context(version: ProgrammeVersion, user: Any) -> dict[str, Any]:
    rows = slot_rows(version=version, user=user)
    return {
        "version": version,
        "rows": rows,
        "chart": timeline_svg(rows, f"Joint area reviews by region and month, {version}"),
        "confirmed": YearConfirmation.objects.filter(programme=version.programme),
        "problems": programme_check(version.document, version.context) if version.context else [],
        "moved": moved_rows(version=version, user=user),
    }


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("programme.view_programme"):
        raise PermissionDenied
    return _index_page(request)


def _index_page(
    request: HttpRequest,
    *,
    errors: list[str] | None = None,
    plan_form: PlanForm | None = None,
    replan_form: ReplanForm | None = None,
) -> HttpResponse:
    """The programme page; after a refusal, with the reasons at the top and the refused form
    as it was typed (status 422)."""
    version = current_version()
    context = _version_context(version, request.user) if version else {"version": None}
    context["versions"] = ProgrammeVersion.objects.select_related("programme")[:20]
    if request.user.has_perm("programme.plan"):
        context["jobs"] = PlanningJob.objects.select_related("version")[:5]
        context["plan_form"] = plan_form or PlanForm()
        context["replan_form"] = replan_form or ReplanForm()
        context["plan_open"] = plan_form is not None
        context["replan_open"] = replan_form is not None
    context["errors"] = errors or []
    if errors and request.method == "POST":
        context["typed_year"] = request.POST.get("financial_year", "")
        context["typed_teams"] = request.POST.get("teams") == "yes"
    return render(request, "programme/index.html", context, status=422 if errors else 200)


def _refused(request: HttpRequest, form: Any, *, replan: bool = False) -> HttpResponse:
    """A plan or re-plan form that does not validate: the page again, with each field's error
    named and what was typed kept."""
    errors = form_errors(form)
    if replan:
        return _index_page(request, errors=errors, replan_form=form)
    return _index_page(request, errors=errors, plan_form=form)


@staff_required
@require_POST
def plan_start(request: HttpRequest) -> HttpResponse:
    """Start planning a programme in the background; the job's page follows it."""
    if not request.user.has_perm("programme.plan"):
        raise PermissionDenied
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    try:
        job = job_start(
            kind=JobKind.PLAN,
            parameters=form.parameters(),
            time_limit=form.cleaned_data["time_limit"],
            by=request.user,
        )
    except ProgrammeRefused as exc:
        return _index_page(request, errors=list(exc.reasons), plan_form=form)
    return redirect("programme:job", job_id=job.pk)


@staff_required
@require_POST
def replan_start(request: HttpRequest) -> HttpResponse:
    """Start re-planning the programme in force in the background."""
    if not request.user.has_perm("programme.plan"):
        raise PermissionDenied
    form = ReplanForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, replan=True)
    version = current_version()
    if version is None:
        return _index_page(
            request, errors=["There is no programme to re-plan: plan one first."], replan_form=form
        )
    try:
        job = job_start(
            kind=JobKind.REPLAN,
            parameters=form.parameters(version.programme_id),
            time_limit=form.cleaned_data["time_limit"],
            by=request.user,
        )
    except ProgrammeRefused as exc:
        return _index_page(request, errors=list(exc.reasons), replan_form=form)
    return redirect("programme:job", job_id=job.pk)


@staff_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """Where a plan or re-plan has got to; reloads itself while it runs. A job whose worker
    stopped is marked failed here, so the page never says "running" for ever."""
    jobs_reap()
    job = job_get_for_user(user=request.user, job_id=job_id)
    response = render(
        request, "programme/job.html", {"job": job, "refresh_seconds": REFRESH_SECONDS}
    )
    if job.active:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@staff_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, version_id=version_id)
    return render(request, "programme/version.html", _version_context(version, request.user))


@staff_required
def area_slot(request: HttpRequest, version_id: int, gss: str) -> HttpResponse:
    version = version_get_for_user(user=request.user, version_id=version_id)
    row = next((r for r in slot_rows(version=version, user=request.user) if r["gss"] == gss), None)
    if row is None:
        raise Http404
    year = version.programme.starts_on.year - 1
    risk = area_risks(year=year).get(gss)  # the model is cached for the year
    return render(
        request, "programme/area.html", {"version": version, "row": row, "risk": risk, "year": year}
    )


def _export(rows: list[dict[str, Any]], fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(programme_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            programme_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "ics":
        response = HttpResponse(programme_ical(rows, name), content_type="text/calendar")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@staff_required
def export(request: HttpRequest, version_id: int, fmt: str) -> HttpResponse:
    version = version_get_for_user(user=request.user, version_id=version_id)
    rows = slot_rows(version=version, user=request.user)
    return _export(rows, fmt, f"jar-programme-v{version.number}")


@staff_required
@require_POST
def approve(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, version_id=version_id)
    if not request.user.has_perm("programme.approve"):
        raise PermissionDenied
    try:
        version_approve(version=version, by=request.user)
        messages.success(request, f"Version {version.number} approved.")
    except ProgrammeRefused as exc:
        messages.error(request, "; ".join(exc.reasons))
    return redirect("programme:version", version_id=version.pk)


@staff_required
@require_POST
def publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, version_id=version_id)
    if not request.user.has_perm("programme.publish"):
        raise PermissionDenied
    try:
        version_publish(version=version, by=request.user)
        messages.success(request, f"Version {version.number} published.")
    except ProgrammeRefused as exc:
        messages.error(request, "; ".join(exc.reasons))
    return redirect("programme:version", version_id=version.pk)


@staff_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("programme.confirm_year"):
        raise PermissionDenied
    programme = Programme.objects.order_by("-starts_on").first()
    year = whole_number(request.POST.get("financial_year"), low=FIRST_YEAR, high=LAST_YEAR)
    if year is None:
        return _index_page(
            request, errors=["Give the financial year as its first year, e.g. 2006."]
        )
    if programme is None:
        return _index_page(request, errors=["There is no programme to confirm: plan one first."])
    try:
        confirmation = year_confirm(
            programme=programme,
            financial_year_start=year,
            teams=request.POST.get("teams") == "yes",
            by=request.user,
        )
    except ProgrammeRefused as exc:
        return _index_page(request, errors=list(exc.reasons))
    late = "" if confirmation.on_time else " It was due by the end of the December before."
    messages.success(request, f"{confirmation}.{late}")
    return redirect("programme:index")


@staff_required
def risk(request: HttpRequest, year: int) -> HttpResponse:
    if not request.user.has_perm("programme.view_risk"):
        raise PermissionDenied
    model = risk_model(year=year)
    names = dict(Area.objects.values_list("gss_code", "name"))
    risks = sorted(
        ((gss, names.get(gss, gss), r) for gss, r in area_risks(year=year, model=model).items()),
        key=lambda x: (-x[2].score, x[1]),
    )
    return render(
        request,
        "programme/risk.html",
        {
            "year": year, "risks": risks, "model": model,
            "weights_chart": weights_svg(model) if model.fitted else "",
        },
    )  # fmt: skip


def published(request: HttpRequest) -> HttpResponse:
    """The published programme, for everyone: areas and dates, no inspectors."""
    version = published_version()
    rows = slot_rows(version=version, user=request.user) if version else []
    # The public page never names inspectors, whoever reads it.
    rows = [{**r, "leader": None, "team": []} for r in rows]
    return render(
        request,
        "programme/published.html",
        {
            "version": version,
            "rows": rows,
            "chart": timeline_svg(rows, "The published programme of joint area reviews"),
        },
    )


def published_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "ics"}:
        raise Http404
    version = published_version()
    rows = slot_rows(version=version, user=request.user) if version else []
    rows = [{**r, "leader": None, "team": []} for r in rows]
    return _export(rows, fmt, "jar-programme")


# -- corporate assessments and CPA categories -------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def corporate_assessments(request: HttpRequest) -> HttpResponse:
    """Every council's corporate assessment (recorded, or synthetic for the demo), and for the
    national lead the form to record one (refused: 422, each field's error named, what was
    typed kept)."""
    if not request.user.has_perm("programme.view_assessments"):
        raise PermissionDenied
    form = CorporateAssessmentForm()
    if request.method == "POST":
        if not request.user.has_perm("programme.record_assessments"):
            raise PermissionDenied
        form = CorporateAssessmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ca, created = corporate_assessment_record(
                area=data["area"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                option=data["option"], shared_team_members=data["shared_team_members"],
                by=request.user,
            )  # fmt: skip
            messages.success(
                request,
                f"Corporate assessment of {ca.area.name} from {ca.starts_on:%-d %B %Y} "
                f"{'recorded' if created else 'updated'}.",
            )
            return redirect("programme:corporate-assessments")
    found = CorporateAssessment.objects.select_related("area").prefetch_related(
        "shared_team_members"
    )
    return render(
        request,
        "programme/corporate_assessments.html",
        {"assessments": found.order_by("area__name", "starts_on"), "form": form},
        status=422 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def cpa_categories(request: HttpRequest) -> HttpResponse:
    """Every council's recorded CPA category (stars, direction of travel, block scores), and
    for the national lead the form to record one."""
    if not request.user.has_perm("programme.view_assessments"):
        raise PermissionDenied
    form = CpaCategoryForm()
    if request.method == "POST":
        if not request.user.has_perm("programme.record_assessments"):
            raise PermissionDenied
        form = CpaCategoryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            category, created = cpa_category_record(
                area=data["area"], year=data["year"], stars=data["stars"],
                direction_of_travel=data["direction_of_travel"],
                block_scores=form.block_scores(), source=data["source"], by=request.user,
            )  # fmt: skip
            messages.success(
                request,
                f"CPA category of {category.area.name} for {category.year} "
                f"{'recorded' if created else 'updated'}.",
            )
            return redirect("programme:cpa-categories")
    rows = [
        (c, [(label, c.block_scores.get(block)) for block, label in CPA_BLOCKS.items()])
        for c in CpaCategory.objects.select_related("area").order_by("-year", "area__name")
    ]
    return render(
        request,
        "programme/cpa_categories.html",
        {"rows": rows, "blocks": list(CPA_BLOCKS.values()), "form": form},
        status=422 if form.errors else 200,
    )


@staff_required
def area_assessments(request: HttpRequest, gss: str) -> HttpResponse:
    """One area's joint area reviews and corporate assessments side by side, in date order,
    with its CPA categories."""
    if not request.user.has_perm("programme.view_assessments"):
        raise PermissionDenied
    area = Area.objects.filter(gss_code=gss).first()
    if area is None:
        raise Http404("No such area.")
    return render(
        request,
        "programme/area_assessments.html",
        {"area": area, **area_side_by_side(area)},
    )
