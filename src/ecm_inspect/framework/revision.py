"""Comparing a revised Framework with the one in force (2005 Framework, paragraphs 13-14: the
Framework is reviewed and revised). A revision is drafted as a Framework file; before it is
loaded, `framework_diff` says what it changes, code by code."""

from dataclasses import dataclass
from pathlib import Path

from .schema import FrameworkFile, parse_yaml, validate
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
    before, after = _flat(framework_file_read(old)), _flat(framework_file_read(new))
    changes = [FrameworkChange("removed", c, before[c], "") for c in before if c not in after]
    changes += [FrameworkChange("added", c, "", after[c]) for c in after if c not in before]
    changes += [
        FrameworkChange("changed", c, before[c], after[c])
        for c in before
        if c in after and before[c] != after[c]
    ]
    order = {c: n for n, c in enumerate([*before, *after])}
    return sorted(changes, key=lambda ch: order[ch.code])
