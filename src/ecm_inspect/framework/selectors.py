"""Reads of the Framework catalogue: pages, the API and `ecm framework export` share these."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from .grades import Grade
from .models import (
    DescriptorSet,
    EvidenceSource,
    FrameworkVersion,
    InspectorateCode,
    KeyJudgement,
    Outcome,
    Principle,
    ProviderKind,
    Relevance,
    ServiceManagementAspect,
    VersionStatus,
    VulnerableGroup,
)
from .shipped import shipped_outcome_codes

# The version in force when no published version has an effective date (a fresh database).
CURRENT_VERSION = "2005"


def framework_in_force(on: date | None = None) -> FrameworkVersion | None:
    """The published version whose effective date is the latest on or before `on` (today):
    the version a new inspection or review starting that day is run under."""
    on = on or timezone.localdate()
    return (
        FrameworkVersion.objects.filter(
            status=VersionStatus.PUBLISHED, effective_from__isnull=False, effective_from__lte=on
        )
        .order_by("-effective_from")
        .first()
        or FrameworkVersion.objects.filter(code=CURRENT_VERSION).first()
    )


def in_force_code(on: date | None = None) -> str:
    version = framework_in_force(on)
    return version.code if version else CURRENT_VERSION


def outcome_titles(on: date | None = None) -> dict[str, str]:
    """The outcomes of the Framework in force (`on`, today), code to title, in its order: the
    one place their codes and titles are read from, so a revised Framework changes them."""
    return dict(
        Outcome.objects.filter(version__code=in_force_code(on))
        .order_by("order")
        .values_list("code", "title")
    )


def group_titles() -> dict[str, str]:
    """The vulnerable groups every joint area review covers, slug to title."""
    return dict(VulnerableGroup.objects.values_list("slug", "title"))


def descriptor_set_in_force(
    *, framework_code: str | None = None, version_id: int | None = None
) -> DescriptorSet | None:
    """The newest descriptor set loaded for a Framework version (by code or primary key): a
    revision supersedes the sets before it, which are kept."""
    sets = DescriptorSet.objects.all()
    if version_id is not None:
        sets = sets.filter(framework_version_id=version_id)
    else:
        sets = sets.filter(framework_version__code=framework_code)
    return sets.order_by("-loaded_at", "-pk").first()


def descriptors_of(descriptor_set: DescriptorSet) -> dict[str, dict[int, str]]:
    """{key judgement code: {grade: text}} of one set, in Framework order, grade 4 first."""
    out: dict[str, dict[int, str]] = {}
    rows = descriptor_set.descriptors.order_by(
        "key_judgement__outcome__order", "key_judgement__order", "-grade"
    ).values_list("key_judgement__code", "grade", "text")
    for code, grade, text in rows:
        out.setdefault(code, {})[grade] = text
    return out


def descriptors_for(framework_code: str) -> dict[str, dict[int, str]]:
    """The grade descriptors in force for a Framework version: {key judgement code: {grade:
    text}}, grade 4 (outstanding) first. Empty when no set is loaded for that version. A grading
    form shows one key judgement's with
    `{% include "framework/_descriptors.html" with descriptors=... %}`."""
    found = descriptor_set_in_force(framework_code=framework_code)
    return descriptors_of(found) if found is not None else {}


def key_judgements_of(outcome_code: str, version: str) -> list[KeyJudgement]:
    """The key judgements of one outcome in one version of the Framework."""
    return list(KeyJudgement.objects.filter(outcome__code=outcome_code, version__code=version))


def outcomes_for_version(*, version: str = CURRENT_VERSION) -> list[Outcome]:
    return list(
        Outcome.objects.filter(version__code=version)
        .prefetch_related("aims", "key_judgements", "contributions")
        .order_by("order")
    )


def outcome_get(*, code: str, version: str = CURRENT_VERSION) -> Outcome | None:
    return (
        Outcome.objects.filter(version__code=version, code=code.upper())
        .prefetch_related(
            "aims",
            Prefetch(
                "key_judgements",
                queryset=KeyJudgement.objects.prefetch_related(
                    Prefetch(
                        "relevance", queryset=Relevance.objects.select_related("provider_kind")
                    )
                ),
            ),
        )
        .first()
    )


def relevance_by_judgement(*, outcome: Outcome) -> dict[str, list[tuple[str, list[str]]]]:
    """For each key judgement of an outcome: [(provider kind name, [inspectorate labels])]."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for kj in outcome.key_judgements.all():
        by_kind: dict[ProviderKind, list[str]] = defaultdict(list)
        for rel in kj.relevance.all():
            by_kind[rel.provider_kind].append(InspectorateCode(rel.inspectorate).label)
        out[kj.code] = [
            (kind.name, sorted(bodies))
            for kind, bodies in sorted(by_kind.items(), key=lambda item: item[0].order)
        ]
    return out


def relevance_matrix() -> list[dict[str, Any]]:
    """Every provider kind with, per inspectorate, the key judgements relevant to it."""
    kinds = ProviderKind.objects.prefetch_related(
        Prefetch("relevance", queryset=Relevance.objects.select_related("key_judgement"))
    )
    rows = []
    for kind in kinds:
        by_body: dict[str, list[str]] = defaultdict(list)
        for rel in kind.relevance.all():
            by_body[rel.inspectorate].append(rel.key_judgement.code)
        rows.append(
            {
                "code": kind.code,
                "name": kind.name,
                "scope": kind.scope,
                "relevance": {
                    body: sorted(codes, key=_code_key) for body, codes in by_body.items()
                },
            }
        )
    return rows


def _code_key(code: str) -> tuple[str, int]:
    outcome, _, number = code.partition(".")
    order = shipped_outcome_codes()
    return (str(order.index(outcome)) if outcome in order else outcome, int(number or 0))


def _outcome_dict(outcome: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {"code": outcome.code, "title": outcome.title}
    if outcome.summary:
        data["summary"] = outcome.summary
    aims = list(outcome.aims.all())
    if aims:
        data["aims_preamble"] = outcome.aims_preamble
        data["aims"] = [{"code": a.code, "text": a.text} for a in aims]
    kjs = list(outcome.key_judgements.all())
    if kjs:
        data["key_judgements"] = [
            {
                "code": k.code,
                "text": k.text,
                **({"vulnerable_group": k.vulnerable_group} if k.vulnerable_group else {}),
            }
            for k in kjs
        ]
    contributions = list(outcome.contributions.all())
    if contributions:
        data["service_contributions"] = [{"code": c.code, "text": c.text} for c in contributions]
    return data


def _principle_dict(principle: Principle) -> dict[str, Any]:
    parts: dict[int, dict[str, Any]] = {}
    for st in principle.statements.all():
        part = parts.setdefault(st.part, {"introduction": st.introduction, "statements": []})
        if st.text:
            part["statements"].append(st.text)
    data: dict[str, Any] = {"number": principle.number, "title": principle.title}
    if principle.heading:
        data["heading"] = principle.heading
    if parts:
        data["parts"] = [parts[k] for k in sorted(parts)]
    return data


def version_export(*, version: FrameworkVersion) -> dict[str, Any]:
    outcomes = list(version.outcomes.prefetch_related("aims", "key_judgements", "contributions"))
    principles = list(version.principles.prefetch_related("statements"))
    groups = list(VulnerableGroup.objects.filter(version=version).prefetch_related("statements"))
    aspects = list(ServiceManagementAspect.objects.filter(version=version))
    sources = list(EvidenceSource.objects.filter(version=version))
    scope_rules = list(version.scope_rules.all())
    data: dict[str, Any] = {
        "version": version.code,
        "title": version.title,
        "published": version.published,
        "reference": version.reference,
        "source": version.source,
    }
    if scope_rules:
        data["scope_rules"] = [
            {"code": r.code, "rule": r.rule, "text": r.text} for r in scope_rules
        ]
    data["principles"] = [_principle_dict(p) for p in principles]
    qm = [p for p in principles if p.is_quality_and_management]
    if qm:
        data["quality_management_steps"] = [
            {"code": f"QM.{i}", "text": st.text}
            for i, st in enumerate((s for s in qm[0].statements.all() if s.text), 1)
        ]
    data["outcomes"] = [_outcome_dict(o) for o in outcomes]
    if groups:
        data["vulnerable_groups"] = [
            {
                "code": g.code,
                "slug": g.slug,
                "title": g.title,
                "statements": [{"code": s.code, "text": s.text} for s in g.statements.all()],
            }
            for g in groups
        ]
    if aspects:
        data["service_management_aspects"] = [
            {"code": a.code, "text": a.text, "report_text": a.report_text} for a in aspects
        ]
    if sources:
        data["evidence_sources"] = [
            {"code": s.code, "stage": s.stage, "text": s.text} for s in sources
        ]
    data["counts"] = {
        "outcomes": len(outcomes),
        "aims": sum(len(o.aims.all()) for o in outcomes),
        "key_judgements": sum(len(o.key_judgements.all()) for o in outcomes),
        "service_contributions": sum(len(o.contributions.all()) for o in outcomes),
        "principles": len(principles),
        "quality_management_steps": len(data.get("quality_management_steps", [])),
        "scope_rules": len(scope_rules),
        "vulnerable_group_statements": {g.slug: len(g.statements.all()) for g in groups},
        "service_management_aspects": len(aspects),
        "evidence_sources": {
            stage: sum(1 for s in sources if s.stage == stage)
            for stage in ("analysis", "fieldwork")
        }
        if sources
        else {},
    }
    return data


def grade_scale() -> list[dict[str, Any]]:
    return [{"grade": int(g), "label": str(g.label)} for g in Grade]


def catalogue_export(*, version: str | None = None) -> dict[str, Any]:
    """The whole catalogue, or one version of it, as plain data (JSON/YAML-ready)."""
    versions = FrameworkVersion.objects.all()
    if version is not None:
        versions = versions.filter(code=version)
    data: dict[str, Any] = {
        "grade_scale": grade_scale(),
        "versions": [version_export(version=v) for v in versions],
    }
    if version in (None, CURRENT_VERSION):
        data["inspectorates"] = [{"code": c.value, "name": str(c.label)} for c in InspectorateCode]
        data["relevance"] = relevance_matrix()
    return data
