"""Admin for the Framework catalogue. The YAML files are the source: `ecm framework load` puts
the catalogue back to them; edits here are for the relevance matrix between loads (export them
with `ecm framework export` to keep them)."""

from django.contrib import admin

from .models import (
    Aim,
    DescriptorSet,
    EvidenceSource,
    FrameworkVersion,
    KeyJudgement,
    Outcome,
    Principle,
    ProviderKind,
    Relevance,
    ServiceContribution,
    ServiceManagementAspect,
    VulnerableGroup,
)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "published", "loaded_at"]
    readonly_fields = ["checksum", "loaded_at"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "version"]
    list_filter = ["version"]


@admin.register(KeyJudgement)
class KeyJudgementAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "vulnerable_group"]
    list_filter = ["outcome", "vulnerable_group"]
    search_fields = ["code", "text"]


@admin.register(Relevance)
class RelevanceAdmin(admin.ModelAdmin):
    list_display = ["provider_kind", "inspectorate", "key_judgement"]
    list_filter = ["provider_kind", "inspectorate"]
    autocomplete_fields = ["key_judgement"]
    list_select_related = ["provider_kind", "key_judgement"]


@admin.register(ProviderKind)
class ProviderKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scope"]
    search_fields = ["code", "name"]


for model in (
    Aim,
    Principle,
    ServiceContribution,
    ServiceManagementAspect,
    VulnerableGroup,
    EvidenceSource,
):
    admin.site.register(model)


@admin.register(DescriptorSet)
class DescriptorSetAdmin(admin.ModelAdmin):
    """Read-only: a set is revised by loading a new one (ecm framework load-descriptors)."""

    list_display = ["code", "framework_version", "title", "loaded_at", "loaded_by"]
    readonly_fields = ["code", "framework_version", "title", "status", "checksum", "loaded_at"]
