"""Revising the Framework (2005 Framework, paragraphs 13-14: it is reviewed and revised). A
revision is drafted as a Framework file with a new version code; `framework_diff` says what it
changes against the file in force, code by code. Loaded as a draft (`ecm framework load --draft`)
it is compared in the database with `version_diff`, and published with the date from which
inspections use it (`framework_publish`); an inspection keeps the version it started under.
ADR 0005."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import FrameworkVersion, KeyJudgement, Outcome, Relevance, VersionStatus
from .schema import FrameworkFile, parse_yaml, validate
from .selectors import framework_in_force
from .services import DATA_DIR

CURRENT_FILE = DATA_DIR / "framework-2005.yaml"


@dataclass(frozen=True)
class FrameworkChange:
    change: str  # "added", "removed" or "changed"
    code: str
    before: str
    after: str

    def describe(self) -> str:
        if self.change == "added":
            return f"+ {self.code}: {self.after}"
        if self.change == "removed":
            return f"- {self.code}: {self.before}"
        return f"~ {self.code}: {self.before!r} -> {self.after!r}"


def _flat(content: FrameworkFile) -> dict[str, str]:
    """Every coded element of a Framework file as {code: text}."""
    out: dict[str, str] = {}
    for rule in content.scope_rules:
        out[rule.code] = rule.text
    for p in content.principles:
        statements = " ".join(s for part in p.parts for s in part.statements)
        out[f"principle ({p.number})"] = f"{p.title} {statements}".strip()
    for o in content.outcomes:
        out[o.code] = o.title
        for a in o.aims:
            out[a.code] = a.text
        for kj in o.key_judgements:
            out[kj.code] = kj.text + (f" [{kj.vulnerable_group}]" if kj.vulnerable_group else "")
    for g in content.vulnerable_groups:
        out[g.code] = g.title
        for s in g.statements:
            out[s.code] = s.text
    for aspect in content.service_management_aspects:
        out[aspect.code] = aspect.text
    return out


def framework_file_read(path: Path) -> FrameworkFile:
    data, node = parse_yaml(path)
    return validate(FrameworkFile, data, path, node)


def framework_diff(*, old: Path = CURRENT_FILE, new: Path) -> list[FrameworkChange]:
    """What `new` adds, removes and changes against `old`, in code order. Both files are
    validated first (FrameworkFileError names file, line and field)."""
    return _compare(_flat(framework_file_read(old)), _flat(framework_file_read(new)))


class RevisionRefused(Exception):
    """A revision cannot be published; the message says why."""


def _flat_loaded(version: FrameworkVersion) -> dict[str, str]:
    """The same {code: text} as `_flat`, from a version loaded in the database."""
    out: dict[str, str] = {}
    for rule in version.scope_rules.all():
        out[rule.code] = rule.text
    for p in version.principles.prefetch_related("statements"):
        statements = " ".join(s.text for s in p.statements.all() if s.text)
        out[f"principle ({p.number})"] = f"{p.title} {statements}".strip()
    for o in Outcome.objects.filter(version=version).prefetch_related("aims", "key_judgements"):
        out[o.code] = o.title
        for a in o.aims.all():
            out[a.code] = a.text
        for kj in o.key_judgements.all():
            out[kj.code] = kj.text + (f" [{kj.vulnerable_group}]" if kj.vulnerable_group else "")
    return out


def _compare(before: dict[str, str], after: dict[str, str]) -> list[FrameworkChange]:
    changes = [FrameworkChange("removed", c, before[c], "") for c in before if c not in after]
    changes += [FrameworkChange("added", c, "", after[c]) for c in after if c not in before]
    changes += [
        FrameworkChange("changed", c, before[c], after[c])
        for c in before
        if c in after and before[c] != after[c]
    ]
    order = {c: n for n, c in enumerate([*before, *after])}
    return sorted(changes, key=lambda ch: order[ch.code])


def version_diff(*, old: FrameworkVersion, new: FrameworkVersion) -> list[FrameworkChange]:
    """What version `new` changes against `old`, both as loaded."""
    return _compare(_flat_loaded(old), _flat_loaded(new))


def framework_publish(
    *, version: FrameworkVersion, effective_from: date, by: Any = None
) -> FrameworkVersion:
    """Publish a draft revision: from `effective_from`, new inspections and reviews use it;
    those started earlier keep theirs. It must restate every outcome and key judgement's
    relevance (its own matrix), and take effect after the version it supersedes."""
    if version.status != VersionStatus.DRAFT:
        raise RevisionRefused(f"Version {version.code} is already published.")
    current = framework_in_force(effective_from)
    problems = []
    if not Outcome.objects.filter(version=version).exists():
        problems.append(f"version {version.code} has no outcomes: it is not a Framework")
    if not KeyJudgement.objects.filter(version=version).exists():
        problems.append(f"version {version.code} has no key judgements")
    elif not Relevance.objects.filter(key_judgement__version=version).exists():
        problems.append(
            f"version {version.code} has no relevance matrix: load one with version "
            f"'{version.code}' (which key judgements each inspectorate makes of each provider)"
        )
    if current is not None and current.effective_from and effective_from <= current.effective_from:
        problems.append(
            f"it must take effect after {current.effective_from:%-d %B %Y}, when version "
            f"{current.code} took effect"
        )
    if problems:
        raise RevisionRefused("Cannot publish: " + "; ".join(problems) + ".")
    with transaction.atomic():
        version.status = VersionStatus.PUBLISHED
        version.effective_from = effective_from
        version.supersedes = current
        version.save(update_fields=["status", "effective_from", "supersedes"])
    return version
