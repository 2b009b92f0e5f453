"""Sign-in with a second factor, your account, inspectors (managed by their inspectorate's
lead) and the audit trail. Thin: parse, ask the policy, call a service, render."""

from collections.abc import Iterator
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ecm_inspect.core.concurrency import EditConflict, record_update
from ecm_inspect.core.inputs import whole_number

from .decorators import staff_required
from .demo import demo_accounts
from .exports import csv_lines
from .forms import AuditFilterForm, InspectorForm, SecurityCodeForm, SignInForm
from .selectors import (
    AuditFilter,
    audit_entries_all,
    audit_entries_for_user,
    inspector_get_for_user,
    inspectors_for_user,
)
from .services import (
    DownloadRefused,
    backup_codes_issue,
    download_link_issue,
    download_link_use,
    totp_device_confirm,
    totp_device_start,
)

AUDIT_PAGE_SIZE = 50


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("web:home")


# -- signing in ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: Any = form.get_user()
        if user.is_demo and not settings.ECM_DEMO_USERS:
            form.add_error(None, "Demo accounts cannot sign in here.")
        else:
            login(request, user)
            step = "two-factor" if user_has_device(user) else "two-factor-setup"
            return redirect(f"{reverse('accounts:' + step)}?next={_next(request)}")
    demo = demo_accounts() if settings.ECM_DEMO_USERS else []
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": _next(request), "demo_accounts": demo},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("web:home")


def _second_factor_passed(request: HttpRequest, device: Any) -> None:
    """Mark the session verified under a new session id, as `login` does for the password: an
    id captured before the second factor (password-only) opens nothing after it."""
    request.session.cycle_key()
    otp_login(request, device)


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a backup code."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:sign-in")
    if not user_has_device(user):
        return redirect(f"{reverse('accounts:two-factor-setup')}?next={_next(request)}")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            _second_factor_passed(request, device)
            return redirect(_next(request))
        form.add_error("code", "The security code is wrong or has been used. Try the next one.")
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app. Open to a signed-in person with no second factor yet, or to
    one already through it (to replace their app): never a way around an existing factor."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:sign-in")
    if user_has_device(user) and not user.is_verified():
        return redirect(f"{reverse('accounts:two-factor')}?next={_next(request)}")
    form = SecurityCodeForm(request.POST or None)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).last()
    if request.method == "POST" and device is not None and form.is_valid():
        confirmed = totp_device_confirm(user=user, token=form.cleaned_data["code"])
        if confirmed is not None:
            _second_factor_passed(request, confirmed)
            codes = backup_codes_issue(user=user)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", "That code does not match. Enter the code your app shows now.")
    if device is None or request.method == "GET":
        device = totp_device_start(user=user)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr_svg": qr.svg_inline(scale=4, title="QR code for your authenticator app"),
            "secret": _spaced(device.config_url.split("secret=")[1].split("&")[0]),
        },
    )


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@staff_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"person": request.user})


@staff_required
@require_POST
def backup_codes_new(request: HttpRequest) -> HttpResponse:
    codes = backup_codes_issue(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": "/account/"})


# -- inspectors ----------------------------------------------------------------------------


@staff_required
def inspector_list(request: HttpRequest) -> HttpResponse:
    inspectors = inspectors_for_user(user=request.user)
    body = request.GET.get("inspectorate", "")
    if body:
        inspectors = inspectors.filter(inspectorate__code=body)
    page = Paginator(inspectors, 50).get_page(request.GET.get("page"))
    user: Any = request.user
    return render(
        request,
        "accounts/inspector_list.html",
        {
            "page": page,
            "rows": [(i, user.has_perm("registry.change_inspector", i)) for i in page],
            "inspectorate": body,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def inspector_edit(request: HttpRequest, inspector_id: int) -> HttpResponse:
    inspector = inspector_get_for_user(
        user=request.user, inspector_id=inspector_id, perm="registry.change_inspector"
    )
    form = InspectorForm(request.POST or None, instance=inspector)
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_update(
                record=inspector,
                seen_version=data["version"],
                changes={
                    name: data[name]
                    for name in form.Meta.fields
                    if name not in {"outcome_expertise", "provider_kind_expertise"}
                },
                many={
                    "outcome_expertise": data["outcome_expertise"],
                    "provider_kind_expertise": data["provider_kind_expertise"],
                },
                by=request.user,
            )
        except EditConflict as exc:
            conflict = exc
            # Keep what the person typed; from now on they are editing the current version.
            data = request.POST.copy()
            data["version"] = str(exc.record.version)  # type: ignore[attr-defined]
            form.data = data
        else:
            messages.success(request, f"Saved {inspector.full_name}.")
            return redirect("accounts:inspectors")
    status = 409 if conflict else 200
    return render(
        request,
        "accounts/inspector_edit.html",
        {"form": form, "inspector": inspector, "conflict": conflict},
        status=status,
    )


# -- the audit trail -----------------------------------------------------------------------


def _audit_filter(form: AuditFilterForm) -> AuditFilter:
    if not form.is_valid():
        return AuditFilter()
    data = form.cleaned_data
    return AuditFilter(
        record_type=data["record_type"] or "",
        who=data["who"] or "",
        since=data["since"],
        until=data["until"],
    )


@staff_required
def audit(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.view_audit"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    where = _audit_filter(form)
    number = whole_number(request.GET.get("page"), low=1) or 1
    entries = audit_entries_for_user(
        user=request.user,
        where=where,
        limit=AUDIT_PAGE_SIZE + 1,
        offset=(number - 1) * AUDIT_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.html",
        {
            "form": form,
            "entries": entries[:AUDIT_PAGE_SIZE],
            "page_number": number,
            "has_next": len(entries) > AUDIT_PAGE_SIZE,
            "query": query.urlencode(),
            "parameters": where.as_parameters(),
        },
    )


@staff_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponse:
    """Issue a short-lived, single-use link to the audit trail as CSV (issuing is audited)."""
    if not request.user.has_perm("accounts.export_audit"):
        raise PermissionDenied
    where = _audit_filter(AuditFilterForm(request.POST))
    link = download_link_issue(
        user=request.user,  # type: ignore[arg-type]
        what="Audit trail (CSV)",
        parameters=where.as_parameters(),
    )
    return render(
        request,
        "accounts/download_ready.html",
        {"link": link, "seconds": settings.ECM_DOWNLOAD_LINK_SECONDS},
    )


def _audit_rows(user: Any, where: AuditFilter) -> Iterator[list[Any]]:
    yield ["when", "who", "action", "record type", "record", "field", "before", "after"]
    for entry in audit_entries_all(user=user, where=where):
        base = [entry.at.isoformat(), entry.who, entry.action, entry.record_type, entry.record]
        changes = [[c.field, c.before, c.after] for c in entry.changes] or [["", "", ""]]
        for change in changes:
            yield [str(c) for c in base + change]  # as recorded: text, even "-1"


@staff_required
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    if not request.user.has_perm("accounts.export_audit"):
        raise PermissionDenied
    try:
        link = download_link_use(token=token, user=request.user)  # type: ignore[arg-type]
    except DownloadRefused as exc:
        return render(request, "accounts/download_refused.html", {"reason": str(exc)}, status=410)
    response = StreamingHttpResponse(
        csv_lines(_audit_rows(request.user, AuditFilter.from_parameters(link.parameters))),
        content_type="text/csv; charset=utf-8",
    )
    stamp = link.created_at.strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
