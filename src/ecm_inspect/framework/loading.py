"""Writing the Framework catalogue, once its files are read and checked (services.py): each
record matched by its stable code, created, updated or removed, and counted in a LoadResult."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import timezone

from .models import (
    Aim,
    EvidenceSource,
    FrameworkVersion,
    KeyJudgement,
    Outcome,
    Principle,
    PrincipleStatement,
    ProviderKind,
    Relevance,
    ScopeRule,
    ServiceContribution,
    ServiceManagementAspect,
    VersionStatus,
    VulnerableGroup,
    VulnerableGroupStatement,
)
from .schema import (
    ContributionsFile,
    DescriptorFile,
    FrameworkFile,
    FrameworkFileError,
    RelevanceFile,
    flat_codes,
)


@dataclass
class LoadResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)
    existing: "_Existing" = field(default_factory=lambda: _Existing(), repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@dataclass
class ParsedFile:
    path: Path
    checksum: str
    content: FrameworkFile | RelevanceFile | DescriptorFile | ContributionsFile
    descriptors: dict[str, dict[int, str]] = field(default_factory=dict)


def _attname(model: type[models.Model], name: str) -> str:
    """The attribute holding a field's raw value (`version_id` for the `version` foreign key)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is not a concrete field")
    return field.attname


class _Existing:
    """Every record of a model already in the database, read once, keyed by its natural key,
    so that a reload reads each table once instead of once per record."""

    def __init__(self) -> None:
        self._by_model: dict[type[models.Model], dict[tuple[Any, ...], Any]] = {}

    @staticmethod
    def key(lookup: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            (name, value.pk if isinstance(value, models.Model) else value)
            for name, value in sorted(lookup.items())
        )

    def index(self, model: type[models.Model], fields: list[str]) -> dict[tuple[Any, ...], Any]:
        if model not in self._by_model:
            self._by_model[model] = {}
            for obj in model._default_manager.all():
                lookup = {}
                for name in fields:
                    lookup[name] = getattr(obj, _attname(model, name))
                self._by_model[model][self.key(lookup)] = obj
        return self._by_model[model]


def _upsert(
    result: LoadResult, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> Any:
    """Create or update one record by its natural key, counting what changed."""
    label = model._meta.label
    index = result.existing.index(model, sorted(lookup))
    key = result.existing.key(lookup)
    obj = index.get(key)
    if obj is None:
        result.created[label] += 1
        obj = model._default_manager.create(**lookup, **values)
        index[key] = obj
        return obj
    changed = []
    for name, value in values.items():
        current = getattr(obj, _attname(model, name))
        wanted = value.pk if isinstance(value, models.Model) else value
        if current != wanted:
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj.save(update_fields=changed)
        result.updated[label] += 1
    return obj


def _remove_missing(
    result: LoadResult, queryset: models.QuerySet[Any], keep: Iterable[Any], field: str = "code"
) -> None:
    stale = queryset.exclude(**{f"{field}__in": list(keep)})
    count = stale.count()
    if count:
        result.removed[queryset.model._meta.label] += count
        stale.delete()


def _version_load(
    result: LoadResult, item: ParsedFile, content: FrameworkFile, draft: bool
) -> FrameworkVersion:
    """The version's own record: created, or updated where its details changed; a published
    version is never loaded again as a draft."""
    version = FrameworkVersion.objects.filter(code=content.version).first()
    if version is not None and draft and version.status == VersionStatus.PUBLISHED:
        raise FrameworkFileError(
            item.path,
            None,
            "version",
            f"version {content.version} is already published: a revision needs a new version",
        )
    values = {
        "title": content.title,
        "published": content.published,
        "reference": content.reference,
        "source": content.source,
        "checksum": item.checksum,
    }
    if version is None:
        version = FrameworkVersion.objects.create(
            code=content.version,
            loaded_at=timezone.now(),
            status=VersionStatus.DRAFT if draft else VersionStatus.PUBLISHED,
            effective_from=None if draft else content.effective_from,
            **values,
        )
        result.created[FrameworkVersion._meta.label] += 1
    elif any(getattr(version, k) != v for k, v in values.items()):
        version = _upsert(
            result,
            FrameworkVersion,
            {"code": content.version},
            {**values, "loaded_at": timezone.now()},
        )
    return version


def _scope_rules_load(
    result: LoadResult, version: FrameworkVersion, content: FrameworkFile
) -> None:
    """The scope rules (what a joint area review covers)."""
    for order, rule in enumerate(content.scope_rules, 1):
        _upsert(
            result,
            ScopeRule,
            {"version": version, "code": rule.code},
            {"rule": rule.rule, "order": order, "text": rule.text},
        )
    _remove_missing(
        result, ScopeRule.objects.filter(version=version), [r.code for r in content.scope_rules]
    )


def _principles_load(result: LoadResult, version: FrameworkVersion, content: FrameworkFile) -> None:
    """The eight principles, each statement of each part coded."""
    for p in content.principles:
        principle = _upsert(
            result,
            Principle,
            {"version": version, "number": p.number},
            {
                "heading": p.heading,
                "title": p.title,
                "is_quality_and_management": p.number == content.quality_management_principle,
            },
        )
        codes = []
        for part_no, part in enumerate(p.parts, 1):
            statements = part.statements or [""]
            for order, text in enumerate(statements, 1):
                code = f"P{version.code[2:]}.{p.number}.{part_no}.{order}"
                codes.append(code)
                _upsert(
                    result,
                    PrincipleStatement,
                    {"code": code},
                    {
                        "principle": principle,
                        "part": part_no,
                        "introduction": part.introduction,
                        "order": order,
                        "text": text,
                    },
                )
        _remove_missing(result, principle.statements.all(), codes)
    _remove_missing(
        result,
        Principle.objects.filter(version=version),
        [p.number for p in content.principles],
        field="number",
    )


def _outcomes_load(result: LoadResult, version: FrameworkVersion, content: FrameworkFile) -> None:
    """The five outcomes with their aims, key judgements and service contributions."""
    for order, o in enumerate(content.outcomes, 1):
        outcome = _upsert(
            result,
            Outcome,
            {"version": version, "code": o.code},
            {
                "order": order,
                "title": o.title,
                "summary": o.summary,
                "aims_preamble": o.aims_preamble,
            },
        )
        for n, aim in enumerate(o.aims, 1):
            _upsert(
                result,
                Aim,
                {"version": version, "code": aim.code},
                {"outcome": outcome, "order": n, "text": aim.text},
            )
        _remove_missing(result, outcome.aims.all(), [a.code for a in o.aims])
        for n, kj in enumerate(o.key_judgements, 1):
            _upsert(
                result,
                KeyJudgement,
                {"version": version, "code": kj.code},
                {
                    "outcome": outcome,
                    "order": n,
                    "text": kj.text,
                    "vulnerable_group": kj.vulnerable_group or "",
                },
            )
        _remove_missing(result, outcome.key_judgements.all(), [k.code for k in o.key_judgements])
        for n, c in enumerate(o.service_contributions, 1):
            _upsert(
                result,
                ServiceContribution,
                {"code": c.code},
                {"outcome": outcome, "order": n, "text": c.text},
            )
        _remove_missing(
            result, outcome.contributions.all(), [c.code for c in o.service_contributions]
        )
    _remove_missing(
        result, Outcome.objects.filter(version=version), [o.code for o in content.outcomes]
    )


def _vulnerable_groups_load(
    result: LoadResult, version: FrameworkVersion, content: FrameworkFile
) -> None:
    """The vulnerable groups and their statements."""
    for g in content.vulnerable_groups:
        group = _upsert(
            result,
            VulnerableGroup,
            {"code": g.code},
            {"version": version, "slug": g.slug.value, "title": g.title},
        )
        for n, st in enumerate(g.statements, 1):
            _upsert(
                result,
                VulnerableGroupStatement,
                {"code": st.code},
                {"group": group, "order": n, "text": st.text},
            )
        _remove_missing(result, group.statements.all(), [s.code for s in g.statements])
    _remove_missing(
        result,
        VulnerableGroup.objects.filter(version=version),
        [g.code for g in content.vulnerable_groups],
    )


def _aspects_and_sources_load(
    result: LoadResult, version: FrameworkVersion, content: FrameworkFile
) -> None:
    """The aspects of service management and the sources of evidence."""
    for n, a in enumerate(content.service_management_aspects, 1):
        _upsert(
            result,
            ServiceManagementAspect,
            {"code": a.code},
            {"version": version, "order": n, "text": a.text, "report_text": a.report_text},
        )
    _remove_missing(
        result,
        ServiceManagementAspect.objects.filter(version=version),
        [a.code for a in content.service_management_aspects],
    )

    for n, s in enumerate(content.evidence_sources, 1):
        _upsert(
            result,
            EvidenceSource,
            {"code": s.code},
            {"version": version, "stage": s.stage, "order": n, "text": s.text},
        )
    _remove_missing(
        result,
        EvidenceSource.objects.filter(version=version),
        [s.code for s in content.evidence_sources],
    )


def framework_file_load(
    result: LoadResult, item: ParsedFile, content: FrameworkFile, draft: bool = False
) -> None:
    """A Framework file: its version, then each part of the catalogue it holds."""
    version = _version_load(result, item, content, draft)
    for part in (
        _scope_rules_load,
        _principles_load,
        _outcomes_load,
        _vulnerable_groups_load,
        _aspects_and_sources_load,
    ):
        part(result, version, content)


def relevance_load(result: LoadResult, content: RelevanceFile) -> None:
    """The matrix of one version: rows of other versions are left as they are."""
    judgements = {kj.code: kj for kj in KeyJudgement.objects.filter(version__code=content.version)}
    wanted: set[tuple[int, str, int]] = set()
    for order, k in enumerate(content.provider_kinds, 1):
        kind = _upsert(
            result,
            ProviderKind,
            {"code": k.code},
            {"name": k.name, "order": order, "scope": k.scope.value},
        )
        for body, items in k.relevance.items():
            for code in flat_codes(items):
                wanted.add((kind.pk, body.value, judgements[code].pk))
    existing = {
        (r.provider_kind_id, r.inspectorate, r.key_judgement_id): r.pk
        for r in Relevance.objects.filter(key_judgement__version__code=content.version)
    }
    label = Relevance._meta.label
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        Relevance.objects.filter(pk__in=stale).delete()
        result.removed[label] += len(stale)
    new = [
        Relevance(provider_kind_id=kind_id, inspectorate=body, key_judgement_id=kj_id)
        for kind_id, body, kj_id in sorted(wanted - existing.keys())
    ]
    Relevance.objects.bulk_create(new)
    if new:
        result.created[label] += len(new)
    _remove_missing(
        result,
        # Kinds another version's matrix still uses stay.
        ProviderKind.objects.exclude(
            pk__in=Relevance.objects.exclude(key_judgement__version__code=content.version).values(
                "provider_kind"
            )
        ),
        [k.code for k in content.provider_kinds],
    )


def contributions_load(result: LoadResult, content: ContributionsFile) -> None:
    """What each Appendix 2 contribution bears on in the version's key judgements."""
    judgements = {kj.code: kj for kj in KeyJudgement.objects.filter(version__code=content.version)}
    kinds = {k.code: k for k in ProviderKind.objects.all()}
    label = f"{ServiceContribution._meta.label} mapping"
    by_code = {c.code: c for c in ServiceContribution.objects.prefetch_related(
        "key_judgements", "provider_kinds"
    )}  # fmt: skip
    for entry in content.contributions:
        contribution = by_code[entry.code]
        wanted_kjs = {judgements[c].pk for c in entry.key_judgements}
        wanted_kinds = {kinds[c].pk for c in entry.provider_kinds}
        bodies = [b.value for b in entry.inspectorates]
        # Key judgements of other versions stay as they are.
        mine = {
            kj.pk
            for kj in contribution.key_judgements.all()
            if kj.code in judgements and judgements[kj.code].pk == kj.pk
        }
        changed = False
        if mine != wanted_kjs:
            contribution.key_judgements.remove(*(mine - wanted_kjs))
            contribution.key_judgements.add(*(wanted_kjs - mine))
            changed = True
        held_kinds = {k.pk for k in contribution.provider_kinds.all()}
        if held_kinds != wanted_kinds:
            contribution.provider_kinds.set(wanted_kinds)
            changed = True
        if contribution.inspectorates != bodies:
            contribution.inspectorates = bodies
            contribution.save(update_fields=["inspectorates"])
            changed = True
        if changed and not mine and not held_kinds:
            result.created[label] += 1  # mapped for the first time
        elif changed:
            result.updated[label] += 1
