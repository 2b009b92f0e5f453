"""Admin for the registry: areas, inspectorates, inspectors, providers and partner bodies.

Superusers only, through the second factor (config/urls.py). Imports and the demo keep areas and
providers in step with the public files; the admin is for what those files do not carry
(partner bodies, inspectors, a provider no file has) and for corrections between imports.

Every change is in the audit trail (simple-history: the History button of each record). A
record with a `version` is saved through `record_update`, like every other edit: a form opened
before someone else saved the record is refused, and the version goes up. History is read-only
here: reverting is an edit like any other.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from ecm_inspect.core.concurrency import record_update
from ecm_inspect.core.imports.common import parse_postcode

from .models import (
    Area,
    Inspector,
    InspectorAbsence,
    Inspectorate,
    PartnerBody,
    Provider,
    StatisticalNeighbour,
)


class VersionedForm(forms.ModelForm):
    """Carries the version the form was opened at, and refuses a save made after someone
    else's."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            version = current.values_list("version", flat=True).first()
            if data.get("seen_version") != version:
                raise ValidationError(
                    "Someone else saved this record after you opened it. Your changes have not "
                    "been saved: open it again, check, and save again."
                )
        return data


class RegistryAdmin(SimpleHistoryAdmin):
    """History to read, never to revert from; no deleting (records are kept, closed or made
    inactive instead)."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    deletable = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.deletable and super().has_delete_permission(request, obj)


class VersionedAdmin(RegistryAdmin):
    """A record with a `version`: an edit goes through `record_update`."""

    form = VersionedForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "version"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = {f.name for f in obj._meta.concrete_fields}
        saved = record_update(
            record=obj,
            seen_version=form.cleaned_data["seen_version"],
            changes={name: form.cleaned_data[name] for name in form.changed_data if name in fields},
            by=request.user,
        )
        obj.version = saved.version


class StatisticalNeighbourInline(admin.TabularInline):
    """An area's statistical neighbours come with the areas file: shown, not edited."""

    model = StatisticalNeighbour
    fk_name = "area"
    fields = ["rank", "neighbour"]
    readonly_fields = ["rank", "neighbour"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatisticalNeighbour]:
        return super().get_queryset(request).select_related("neighbour")


@admin.register(Area)
class AreaAdmin(VersionedAdmin):
    list_display = ["name", "gss_code", "la_code", "region_name", "area_type", "is_current"]
    list_filter = ["region_name", "area_type", "is_current"]
    search_fields = ["name", "=gss_code", "=gss_code_dfe", "=la_code", "=ofsted_urn"]
    inlines = [StatisticalNeighbourInline]


@admin.register(Inspectorate)
class InspectorateAdmin(RegistryAdmin):
    list_display = ["short_name", "name", "code", "takes_part_in_joint_area_reviews"]
    list_filter = ["takes_part_in_joint_area_reviews"]
    search_fields = ["name", "short_name", "=code"]


class InspectorAbsenceInline(admin.TabularInline):
    model = InspectorAbsence
    extra = 0


@admin.register(Inspector)
class InspectorAdmin(VersionedAdmin):
    list_display = [
        "full_name",
        "inspectorate",
        "grade",
        "home_region_code",
        "days_per_week",
        "is_active",
        "is_synthetic",
    ]
    list_filter = ["inspectorate", "grade", "home_region_code", "is_active", "is_synthetic"]
    list_select_related = ["inspectorate"]
    search_fields = ["full_name", "user__username", "user__email"]
    filter_horizontal = ["outcome_expertise", "provider_kind_expertise"]
    raw_id_fields = ["user"]
    inlines = [InspectorAbsenceInline]


class OpenFilter(admin.SimpleListFilter):
    title = "open or closed"
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Open"), ("no", "Closed")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Provider]) -> QuerySet[Provider]:
        if self.value() == "yes":
            return queryset.filter(closed_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(closed_on__isnull=False)
        return queryset


class ProviderForm(VersionedForm):
    def clean_postcode(self) -> str:
        """Stored the way imports store it (upper case, one space), so search finds it."""
        text = str(self.cleaned_data.get("postcode") or "").strip()
        try:
            return parse_postcode(text) if text else ""
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


@admin.register(Provider)
class ProviderAdmin(VersionedAdmin):
    form = ProviderForm
    list_display = ["name", "urn", "kind", "area", "postcode", "registered_on", "closed_on"]
    list_filter = [OpenFilter, "kind", "area__region_name", "source"]
    list_select_related = ["kind", "area"]
    search_fields = ["name", "=urn", "postcode", "area__name"]
    autocomplete_fields = ["area"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The URN is what imports match a provider by.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "urn"] if obj is not None else fields


@admin.register(PartnerBody)
class PartnerBodyAdmin(VersionedAdmin):
    list_display = ["name", "kind", "area", "region"]
    list_filter = ["kind", "area__region_name"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name", "=area__gss_code"]
    autocomplete_fields = ["area"]

    # A partner body that no longer exists is removed (its history stays).
    deletable = True

    @admin.display(ordering="area__region_name")
    def region(self, obj: PartnerBody) -> str:
        return obj.area.region_name
