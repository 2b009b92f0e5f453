"""Loading the Framework catalogue from its data files.

`framework_load` validates every file first, then writes everything in one transaction: a bad
file loads nothing. Records are matched by their stable code, so loading again changes nothing
and never breaks what later records (judgements, evidence) point at.
"""

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction

from .descriptors import descriptor_set_write, descriptors_check
from .loading import (
    LoadResult,
    ParsedFile,
    contributions_load,
    framework_file_load,
    relevance_load,
)
from .models import (
    DescriptorSet,
    KeyJudgement,
    ProviderKind,
    ServiceContribution,
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
from .shipped import DATA_DIR

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


def _parse(paths: Sequence[Path]) -> list[ParsedFile]:
    """Parse and check every file. Relevance files are checked against the key judgements of
    the Framework files in the same batch (the matrix must agree with what is being loaded), or
    against the database when the batch holds no key judgements."""
    parsed: list[ParsedFile] = []
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
            parsed.append(ParsedFile(path, checksum, fw))
    for path, checksum, rel, node in relevance:
        # The matrix must agree with the key judgements of its own version: in this batch, or
        # as loaded.
        known = set(_judgements_of(rel.version, batch_judgements))
        _check_relevance(rel, path, node, known)
        parsed.append(ParsedFile(path, checksum, rel))
    for path, checksum, desc, node in descriptor_files:
        # Descriptors describe every key judgement of their version: in this batch, or as loaded.
        texts = descriptors_check(
            desc, path, node, _judgements_of(desc.framework_version, batch_judgements)
        )
        parsed.append(ParsedFile(path, checksum, desc, texts))
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
        parsed.append(ParsedFile(path, checksum, mapping))
    return parsed


def _judgements_of(version: str, batch: dict[str, list[str]]) -> list[str]:
    """The key judgement codes of a version, in order: from the files being loaded, or else as
    loaded."""
    return batch.get(version) or list(
        KeyJudgement.objects.filter(version__code=version)
        .order_by("outcome__order", "order")
        .values_list("code", flat=True)
    )


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
                framework_file_load(result, item, item.content, draft=draft)
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
                contributions_load(result, item.content)
            else:
                relevance_load(result, item.content)
    return result
