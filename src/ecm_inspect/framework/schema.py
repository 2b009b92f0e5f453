"""The shape of the Framework data files, and errors that name file, line and field.

Files are parsed with PyYAML (keeping each node's line) and validated with pydantic; a problem is
reported as `FrameworkFileError` naming the file, the line and the field path, e.g.
`framework-2005.yaml, line 212, field outcomes[1].key_judgements[3].text: Field required`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .models import InspectorateCode, VulnerableGroupCode
from .scope import ServiceScope

Loc = Sequence[str | int]
# libyaml's parser when PyYAML was built with it (the wheels are), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class FrameworkFileError(Exception):
    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path.name}, line {self.line}" if self.line else self.path.name
        return (
            f"{where}, field {self.field}: {self.message}"
            if self.field
            else f"{where}: {self.message}"
        )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


Text = Field(min_length=1)


class AimEntry(_Strict):
    code: str
    text: str = Text


class KeyJudgementEntry(_Strict):
    code: str
    text: str = Text
    vulnerable_group: VulnerableGroupCode | None = None


class ContributionEntry(_Strict):
    code: str
    text: str = Text


class OutcomeEntry(_Strict):
    code: Literal["BH", "SS", "EA", "PC", "EW"]
    title: str = Text
    summary: str = ""
    aims_preamble: str = ""
    aims: list[AimEntry] = []
    key_judgements: list[KeyJudgementEntry] = []
    service_contributions: list[ContributionEntry] = []


class PrinciplePart(_Strict):
    introduction: str = ""
    statements: list[str] = []


class PrincipleEntry(_Strict):
    number: int = Field(ge=1, le=20)
    heading: str = ""
    title: str = Text
    parts: list[PrinciplePart] = []


class ScopeRuleEntry(_Strict):
    code: str
    rule: str = Text
    text: str = Text


class StatementEntry(_Strict):
    code: str
    text: str = Text


class VulnerableGroupEntry(_Strict):
    code: str
    slug: VulnerableGroupCode
    title: str = Text
    statements: list[StatementEntry]


class AspectEntry(_Strict):
    code: str
    text: str = Text
    report_text: str = Text


class EvidenceSourceEntry(_Strict):
    code: str
    stage: Literal["analysis", "fieldwork"]
    text: str = Text


class FrameworkFile(_Strict):
    version: str = Field(pattern=r"^\d{4}$")
    title: str = Text
    published: str = ""
    reference: str = ""
    source: str = Text
    # The day inspections start using this version, for a version published on loading; a
    # revision is loaded as a draft and given its date when published (ecm framework publish).
    effective_from: date | None = None
    scope_rules: list[ScopeRuleEntry] = []
    principles: list[PrincipleEntry] = []
    quality_management_principle: int | None = None
    outcomes: list[OutcomeEntry] = []
    vulnerable_groups: list[VulnerableGroupEntry] = []
    service_management_aspects: list[AspectEntry] = []
    evidence_sources: list[EvidenceSourceEntry] = []


def _flatten(items: list[Any]) -> list[str]:
    """Relevance lists may nest (YAML aliases of shared lists); flatten them in order."""
    out: list[str] = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


class ProviderKindEntry(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Text
    scope: ServiceScope
    relevance: dict[InspectorateCode, list[Any]]


class RelevanceFile(_Strict):
    version: str = Field(pattern=r"^\d{4}$")
    common: dict[str, Any] = {}
    provider_kinds: list[ProviderKindEntry]


class ContributionMapEntry(_Strict):
    """One Appendix 2 contribution (2004) and what it bears on in the 2005 Framework."""

    code: str = Field(pattern=r"^(BH|SS|EA|PC|EW)\.c\d+$")
    key_judgements: list[str] = Field(min_length=1)
    provider_kinds: list[str] = Field(min_length=1)
    inspectorates: list[InspectorateCode] = Field(min_length=1)


class ContributionsFile(_Strict):
    version: str = Field(pattern=r"^\d{4}$")
    contributions: list[ContributionMapEntry]


def flat_codes(items: list[Any]) -> list[str]:
    return _flatten(items)


def parse_yaml(path: Path) -> tuple[Any, yaml.Node]:
    """Parse a YAML file, returning its data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkFileError(path, None, "", f"cannot read the file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(
            path,
            path.read_bytes()[: exc.start].count(b"\n") + 1,
            "",
            f"not UTF-8 text (byte {exc.object[exc.start]:#04x}); save it as UTF-8",
        ) from exc
    try:
        # Parse once: keep the node tree (for line numbers) and build the data from it.
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise FrameworkFileError(path, line, "", f"not valid YAML: {exc.problem}") from exc
    if node is None or not isinstance(data, dict):
        raise FrameworkFileError(path, 1, "", "expected a mapping at the top of the file")
    return data, node


def field_name(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(node: yaml.Node, loc: Loc) -> int:
    """The 1-based line of the deepest node along `loc` that exists in the file."""
    current = node
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if key.value == str(part):
                    child = value
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(current.value):
                child = current.value[part]
        if child is None:
            break
        current = child
    return current.start_mark.line + 1


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, path: Path, node: yaml.Node) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        raise FrameworkFileError(path, line_of(node, loc), field_name(loc), first["msg"]) from exc


class DescriptorFile(_Strict):
    """A set of grade descriptors: for each key judgement of one Framework version, what each
    grade of the four-point scale looks like. Grades and codes are checked against the version's
    key judgements after this shape (descriptors.py), so that every error names them."""

    set: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
    framework_version: str = Field(pattern=r"^\d{4}$")
    title: str = Text
    status: str = Text
    descriptors: dict[str, dict[Any, Any]]
