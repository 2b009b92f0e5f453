"""Loading the Framework catalogue from its data files.

`framework_load` validates every file first, then writes everything in one transaction: a bad
file loads nothing. Records are matched by their stable code, so loading again changes nothing
and never breaks what later records (judgements, evidence) point at.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .descriptors import descriptor_set_write, descriptors_check
from .models import (
    Aim,
    DescriptorSet,
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
    field_name,
    flat_codes,
    line_of,
    parse_yaml,
    validate,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
# Loaded in this order: the relevance matrix refers to the 2005 key judgements.
DEFAULT_FILES = (
    DATA_DIR / "framework-2005.yaml",
    DATA_DIR / "framework-2004.yaml",
    DATA_DIR / "relevance-2005.yaml",
    # ECM Inspect's own grade descriptors (not part of the Framework), checked against the
    # key judgements above.
    DATA_DIR / "descriptors-2005.yaml",
    # The Appendix 2 contributions (2004) mapped to the 2005 key judgements and provider kinds.
    DATA_DIR / "contributions-2005.yaml",
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
class _Parsed:
    path: Path
    checksum: str
    content: FrameworkFile | RelevanceFile | DescriptorFile | ContributionsFile
    descriptors: dict[str, dict[int, str]] = field(default_factory=dict)


def _check_codes(parsed: FrameworkFile, path: Path, node: Any) -> None:
    """Codes are unique and follow the catalogue's scheme (BH, BH.a1, BH.1, BH.c1...)."""
    seen: dict[str, str] = {}

    def claim(code: str, loc: list[str | int], expected_prefix: str | None = None) -> None:
        where = field_name(loc)
        if expected_prefix is not None and not code.startswith(expected_prefix):
            raise FrameworkFileError(
                path,
                line_of(node, loc),
                where,
                f"code {code!r} must start with {expected_prefix!r}",
            )
        if code in seen:
            raise FrameworkFileError(
                path, line_of(node, loc), where, f"code {code!r} is used twice (also {seen[code]})"
            )
        seen[code] = where

    for i, outcome in enumerate(parsed.outcomes):
        claim(outcome.code, ["outcomes", i, "code"])
        for j, aim in enumerate(outcome.aims):
            claim(aim.code, ["outcomes", i, "aims", j, "code"], f"{outcome.code}.a")
        for j, kj in enumerate(outcome.key_judgements):
            claim(kj.code, ["outcomes", i, "key_judgements", j, "code"], f"{outcome.code}.")
        for j, c in enumerate(outcome.service_contributions):
            claim(c.code, ["outcomes", i, "service_contributions", j, "code"], f"{outcome.code}.c")
    for i, rule in enumerate(parsed.scope_rules):
        claim(rule.code, ["scope_rules", i, "code"], "SC.")
    for i, group in enumerate(parsed.vulnerable_groups):
        claim(group.code, ["vulnerable_groups", i, "code"])
        for j, st in enumerate(group.statements):
            claim(st.code, ["vulnerable_groups", i, "statements", j, "code"], f"{group.code}.")
    for i, aspect in enumerate(parsed.service_management_aspects):
        claim(aspect.code, ["service_management_aspects", i, "code"], "SM.")
    for i, src in enumerate(parsed.evidence_sources):
        prefix = "AN." if src.stage == "analysis" else "FW."
        claim(src.code, ["evidence_sources", i, "code"], prefix)
    numbers = [p.number for p in parsed.principles]
    for i, number in enumerate(numbers):
        if numbers.index(number) != i:
            raise FrameworkFileError(
                path,
                line_of(node, ["principles", i]),
                f"principles[{i}].number",
                f"principle ({number}) appears twice",
            )
    qm = parsed.quality_management_principle
    if qm is not None and qm not in numbers:
        raise FrameworkFileError(
            path,
            line_of(node, ["quality_management_principle"]),
            "quality_management_principle",
            f"there is no principle ({qm})",
        )


def _check_relevance(
    parsed: RelevanceFile, path: Path, node: Any, known_judgements: set[str]
) -> None:
    kinds: set[str] = set()
    for i, kind in enumerate(parsed.provider_kinds):
        if kind.code in kinds:
            raise FrameworkFileError(
                path,
                line_of(node, ["provider_kinds", i, "code"]),
                f"provider_kinds[{i}].code",
                f"provider kind {kind.code!r} appears twice",
            )
        kinds.add(kind.code)
        for body, items in kind.relevance.items():
            for code in flat_codes(items):
                if not isinstance(code, str):
                    raise FrameworkFileError(
                        path,
                        line_of(node, ["provider_kinds", i, "relevance", body.value]),
                        f"provider_kinds[{i}].relevance.{body.value}",
                        f"expected a list of key judgement codes, found {code!r}",
                    )
                if code not in known_judgements:
                    raise FrameworkFileError(
                        path,
                        line_of(node, ["provider_kinds", i, "relevance", body.value]),
                        f"provider_kinds[{i}].relevance.{body.value}",
                        f"{code!r} is not a key judgement of the Framework",
                    )


def _check_contributions(
    parsed: ContributionsFile,
    path: Path,
    node: Any,
    *,
    contributions: list[str],
    judgements: set[str],
    kinds: set[str],
) -> None:
    """Every Appendix 2 contribution is mapped once, to key judgements of the file's version
    and to provider kinds of the relevance matrix; each error names the entry and the field."""
    seen: set[str] = set()
    for i, entry in enumerate(parsed.contributions):
        where: list[str | int] = ["contributions", i]
        if entry.code not in contributions:
            raise FrameworkFileError(
                path,
                line_of(node, [*where, "code"]),
                f"contributions[{i}].code",
                f"{entry.code!r} is not a service contribution of Appendix 2",
            )
        if entry.code in seen:
            raise FrameworkFileError(
                path,
                line_of(node, [*where, "code"]),
                f"contributions[{i}].code",
                f"{entry.code} is mapped twice",
            )
        seen.add(entry.code)
        for name, codes, known, what in (
            (
                "key_judgements",
                entry.key_judgements,
                judgements,
                "a key judgement of the Framework",
            ),
            (
                "provider_kinds",
                entry.provider_kinds,
                kinds,
                "a provider kind of the relevance matrix",
            ),
        ):
            for code in codes:
                if code not in known:
                    raise FrameworkFileError(
                        path,
                        line_of(node, [*where, name]),
                        f"contributions[{i}].{name} ({entry.code})",
                        f"{code!r} is not {what}",
                    )
    missing = [c for c in contributions if c not in seen]
    if missing:
        raise FrameworkFileError(
            path, 1, "contributions", f"no mapping for {', '.join(missing)}: map every one"
        )


def _parse(paths: Sequence[Path]) -> list[_Parsed]:
    """Parse and check every file. Relevance files are checked against the key judgements of
    the Framework files in the same batch (the matrix must agree with what is being loaded), or
    against the database when the batch holds no key judgements."""
    parsed: list[_Parsed] = []
    relevance: list[tuple[Path, str, RelevanceFile, Any]] = []
    descriptor_files: list[tuple[Path, str, DescriptorFile, Any]] = []
    contribution_files: list[tuple[Path, str, ContributionsFile, Any]] = []
    batch_judgements: dict[str, list[str]] = {}
    batch_contributions: list[str] = []
    batch_kinds: set[str] = set()
    for path in paths:
        data, node = parse_yaml(path)
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        if "contributions" in data:
            contribution_files.append(
                (path, checksum, validate(ContributionsFile, data, path, node), node)
            )
        elif "provider_kinds" in data:
            rel = validate(RelevanceFile, data, path, node)
            relevance.append((path, checksum, rel, node))
            batch_kinds |= {k.code for k in rel.provider_kinds}
        elif "descriptors" in data:
            descriptor_files.append(
                (path, checksum, validate(DescriptorFile, data, path, node), node)
            )
        else:
            fw = validate(FrameworkFile, data, path, node)
            _check_codes(fw, path, node)
            batch_judgements.setdefault(fw.version, []).extend(
                kj.code for o in fw.outcomes for kj in o.key_judgements
            )
            batch_contributions.extend(c.code for o in fw.outcomes for c in o.service_contributions)
            parsed.append(_Parsed(path, checksum, fw))
    for path, checksum, rel, node in relevance:
        # The matrix must agree with the key judgements of its own version: in this batch, or
        # as loaded.
        known = set(_judgements_of(rel.version, batch_judgements))
        _check_relevance(rel, path, node, known)
        parsed.append(_Parsed(path, checksum, rel))
    for path, checksum, desc, node in descriptor_files:
        # Descriptors describe every key judgement of their version: in this batch, or as loaded.
        texts = descriptors_check(
            desc, path, node, _judgements_of(desc.framework_version, batch_judgements)
        )
        parsed.append(_Parsed(path, checksum, desc, texts))
    for path, checksum, mapping, node in contribution_files:
        # Checked against the contributions, key judgements and provider kinds in this batch,
        # or as loaded.
        _check_contributions(
            mapping,
            path,
            node,
            contributions=batch_contributions
            or list(ServiceContribution.objects.values_list("code", flat=True)),
            judgements=set(_judgements_of(mapping.version, batch_judgements)),
            kinds=batch_kinds or set(ProviderKind.objects.values_list("code", flat=True)),
        )
        parsed.append(_Parsed(path, checksum, mapping))
    return parsed


def _judgements_of(version: str, batch: dict[str, list[str]]) -> list[str]:
    """The key judgement codes of a version, in order: from the files being loaded, or else as
    loaded."""
    return batch.get(version) or list(
        KeyJudgement.objects.filter(version__code=version)
        .order_by("outcome__order", "order")
        .values_list("code", flat=True)
    )


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


def _load_framework(
    result: LoadResult, item: _Parsed, content: FrameworkFile, draft: bool = False
) -> None:
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


def _load_relevance(result: LoadResult, content: RelevanceFile) -> None:
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


def _load_contributions(result: LoadResult, content: ContributionsFile) -> None:
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


def framework_load(
    *, paths: Sequence[Path] = DEFAULT_FILES, draft: bool = False, by: str = ""
) -> LoadResult:
    """Validate the Framework files, then load all of them or nothing. With `draft`, a new
    version is loaded as a draft (a revision for review, used by no inspection until published).
    Descriptor files (grade descriptors) are loaded as new sets, recorded as loaded `by`.

    Raises FrameworkFileError (file, line, field) for the first problem found; the database is
    then unchanged.
    """
    parsed = _parse(paths)
    result = LoadResult(files=[p.path.name for p in parsed])
    with transaction.atomic():
        for item in parsed:
            if isinstance(item.content, FrameworkFile):
                _load_framework(result, item, item.content, draft=draft)
            elif isinstance(item.content, DescriptorFile):
                sets, descriptors = descriptor_set_write(
                    parsed=item.content,
                    texts=item.descriptors,
                    path=item.path,
                    checksum=item.checksum,
                    by=by,
                )
                if descriptors:
                    result.created[DescriptorSet._meta.label] += 1
                    result.created["framework.GradeDescriptor"] += descriptors
                elif sets:
                    result.updated[DescriptorSet._meta.label] += 1
            elif isinstance(item.content, ContributionsFile):
                _load_contributions(result, item.content)
            else:
                _load_relevance(result, item.content)
    return result
