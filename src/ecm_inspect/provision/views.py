"""Pages of setting inspections: the pooled evidence of an area (public), a provider's
inspection history (published ones public), recording an inspection and its judgements
(inspectors of a body taking part) and publishing it (the lead body's), the burden ledger with
its visits and information requests, and the calendar (inspectorate staff)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.registry.models import Area, Inspectorate, Provider

from .calendar import planned_calendar_ics
from .forms import ContactForm, InspectionForm, JudgementForm, PublishForm
from .models import ContactKind
from .selectors import (
    AreaPool,
    area_pool,
    burden_ledger,
    judgements_of,
    planned_inspections,
    provider_history,
    relevant_judgements,
    setting_inspection_get_for_user,
    setting_inspections_for_user,
)
from .services import (
    PUBLISHED_IS_FINAL,
    inspection_contact_record,
    judgement_record,
    setting_inspection_create,
    setting_inspection_publish,
)

# GOV.UK colours for the four grades, best first (GOV.UK Frontend palette).
GRADE_COLOURS = {
    Grade.OUTSTANDING: "#00703c",
    Grade.GOOD: "#1d70b8",
    Grade.ADEQUATE: "#f47738",
    Grade.INADEQUATE: "#d4351c",
}
CHART_WIDTH = 600
BAR_HEIGHT = 28


def _chart(pool: AreaPool) -> dict[str, Any]:
    """Stacked bars of the grade distribution for each outcome, laid out for an SVG."""
    rows = []
    for i, outcome in enumerate(pool.outcomes):
        total = outcome.findings
        x = 0.0
        parts = []
        for grade, n in outcome.distribution_best_first:
            width = CHART_WIDTH * n / total if total else 0
            if n:
                parts.append(
                    {
                        "x": round(x, 1),
                        "width": round(width, 1),
                        "grade": grade,
                        "n": n,
                        "colour": GRADE_COLOURS[grade],
                    }
                )
            x += width
        rows.append({"outcome": outcome, "y": i * (BAR_HEIGHT + 12) + 4, "parts": parts})
    return {
        "rows": rows,
        "width": CHART_WIDTH + 200,
        "height": len(rows) * (BAR_HEIGHT + 12) + 8,
        "bar_height": BAR_HEIGHT,
        "legend": [(g, GRADE_COLOURS[g]) for g in sorted(Grade, reverse=True)],
    }


def index(request: HttpRequest) -> HttpResponse:
    areas = Area.objects.current().order_by("region_name", "name")
    return render(request, "provision/index.html", {"areas": areas})


def area(request: HttpRequest, gss_code: str) -> HttpResponse:
    found = get_object_or_404(Area, gss_code=gss_code)
    pool = area_pool(area=found)
    return render(
        request,
        "provision/area.html",
        {"area": found, "pool": pool, "chart": _chart(pool)},
    )


def provider(request: HttpRequest, urn: str) -> HttpResponse:
    found = get_object_or_404(Provider.objects.select_related("kind", "area"), urn=urn)
    history = provider_history(provider=found, user=request.user)
    return render(
        request,
        "provision/provider.html",
        {
            "provider": found,
            "inspections": history,
            "can_record": request.user.has_perm("provision.add_settinginspection"),
            "can_see_burden": request.user.has_perm("provision.view_burden"),
            "can_record_contact": request.user.has_perm("provision.add_inspectioncontact"),
        },
    )


def inspection(request: HttpRequest, inspection_id: int) -> HttpResponse:
    found = setting_inspection_get_for_user(user=request.user, inspection_id=inspection_id)
    return render(
        request,
        "provision/inspection.html",
        {
            "inspection": found,
            "judgements": judgements_of(found),
            "can_change": request.user.has_perm("provision.change_settinginspection", found),
            "can_publish": request.user.has_perm("provision.publish_settinginspection", found),
            "published_is_final": PUBLISHED_IS_FINAL,
        },
    )


def _own_inspectorate(user: Any) -> Inspectorate:
    body_id = getattr(user, "inspectorate_id", None)
    body = Inspectorate.objects.filter(pk=body_id).first() if body_id is not None else None
    if body is None:
        raise PermissionDenied
    return body


@staff_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("provision.add_settinginspection"):
        raise PermissionDenied
    lead = _own_inspectorate(request.user)
    form = InspectionForm(request.POST or None, initial={"providers": request.GET.get("urn", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = setting_inspection_create(
                providers=data["providers"],
                lead_inspectorate=lead,
                other_inspectorates=data["other_inspectorates"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                statutory_framework=data["statutory_framework"],
                visit_plan=data["visit_plan"],
                by=request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return redirect("provision:judgement-new", inspection_id=created.pk)
    return render(request, "provision/inspection_new.html", {"form": form, "lead": lead})


@staff_required
@require_http_methods(["GET", "POST"])
def judgement_new(request: HttpRequest, inspection_id: int) -> HttpResponse:
    found = setting_inspection_get_for_user(
        user=request.user, inspection_id=inspection_id, perm="provision.change_settinginspection"
    )
    body = _own_inspectorate(request.user)
    offered = [c for c in relevant_judgements(inspection=found) if c.inspectorate.pk == body.pk]
    choices = [
        (f"{c.provider.pk}:{kj.pk}", f"{c.provider.display_name}: {kj.code} {kj.text}")
        for c in offered
        for kj in c.key_judgements
    ]
    form = JudgementForm(request.POST or None, choices=choices)
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        provider_id, kj_id = (int(v) for v in data["choice"].split(":"))
        try:
            judgement_record(
                inspection=found,
                provider=Provider.objects.get(pk=provider_id),
                inspectorate=body,
                key_judgement=KeyJudgement.objects.get(pk=kj_id),
                grade=data["grade"],
                not_judged_reason=data["not_judged_reason"],
                evidence_notes=data["evidence_notes"],
                criteria=data["criteria"],
                by=request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else "choice", errors)
        except EditConflict as exc:
            conflict = exc
        else:
            return redirect("provision:inspection", inspection_id=found.pk)
    return render(
        request,
        "provision/judgement_new.html",
        {
            "form": form,
            "inspection": found,
            "body": body,
            "conflict": conflict,
            "judgements": judgements_of(found),
        },
    )


@staff_required
def burden(request: HttpRequest, urn: str) -> HttpResponse:
    if not request.user.has_perm("provision.view_burden"):
        raise PermissionDenied
    found = get_object_or_404(Provider, urn=urn)
    ledger = burden_ledger(providers=Provider.objects.filter(pk=found.pk))
    return render(
        request,
        "provision/burden.html",
        {
            "provider": found,
            "ledger": ledger,
            "can_record_contact": request.user.has_perm("provision.add_inspectioncontact"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, urn: str) -> HttpResponse:
    """Record a visit or an information request of the user's inspectorate in the provider's
    burden ledger."""
    if not request.user.has_perm("provision.add_inspectioncontact"):
        raise PermissionDenied
    found = get_object_or_404(Provider.objects.select_related("kind", "area"), urn=urn)
    body = _own_inspectorate(request.user)
    inspections = {
        i.pk: i
        for i in setting_inspections_for_user(user=request.user).filter(inspected__provider=found)
    }
    form = ContactForm(
        request.POST or None,
        inspections=[
            (pk, f"{i.ends_on:%d %B %Y}, led by {i.lead_inspectorate} ({i.get_status_display()})")
            for pk, i in inspections.items()
        ],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = inspection_contact_record(
                provider=found,
                inspectorate=body,
                kind=ContactKind(data["kind"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                description=data["description"],
                inspection=inspections.get(data["inspection"]) if data["inspection"] else None,
                by=request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"Recorded: {contact.get_kind_display().lower()}.")
            return redirect("provision:burden", urn=found.urn)
    return render(
        request, "provision/contact_new.html", {"form": form, "provider": found, "body": body}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def inspection_publish(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Confirm, then publish: the outcome becomes public and can no longer be changed."""
    found = setting_inspection_get_for_user(
        user=request.user, inspection_id=inspection_id, perm="provision.publish_settinginspection"
    )
    form = PublishForm(request.POST or None, initial={"version": found.version})
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            setting_inspection_publish(
                inspection=found,
                seen_version=form.cleaned_data["version"],
                published_on=timezone.localdate(),
                by=request.user,
            )
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                form.add_error(None, errors)
        except EditConflict as exc:
            conflict = exc  # confirm again, against what is saved now
            found.refresh_from_db()
            form = PublishForm(initial={"version": found.version})
        else:
            messages.success(request, f"Setting inspection {found.pk} is published.")
            return redirect("provision:inspection", inspection_id=found.pk)
    return render(
        request,
        "provision/inspection_publish.html",
        {
            "form": form,
            "inspection": found,
            "judgements": judgements_of(found),
            "conflict": conflict,
            "published_is_final": PUBLISHED_IS_FINAL,
        },
    )


@staff_required
def calendar(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("provision.view_calendar"):
        raise PermissionDenied
    body = planned_calendar_ics(inspections=planned_inspections(), stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="planned-setting-inspections.ics"'
    return response
