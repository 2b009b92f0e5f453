"""The survey proforma: what is asked, of whom, in which words, and when a question applies.

A proforma is a YAML file (format: docs/voices.md) read into a `Proforma` row, versioned by
its `code` and `version`; a survey keeps the version it opened with. This module validates a
definition and answers questions about it; it stores nothing.
"""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ecm_inspect.framework.shipped import shipped_outcome_codes

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_PROFORMA = DATA / "area-survey.yaml"

# The age bands a child chooses from on the first page; each leads to a version.
AGE_BANDS = {
    "under_8": "Under 8",
    "8_10": "8 to 10",
    "11_15": "11 to 15",
    "16_19": "16 to 19",
}
OUTCOME_CODES = shipped_outcome_codes()
ITEM_TYPES = ("select_one", "text")
TEXT_LIMIT = 2000  # characters a child may write in one box


class ProformaError(ValueError):
    """A proforma definition that cannot be used; the message names the page and item."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    picture: str = ""


@dataclass(frozen=True)
class Item:
    name: str
    kind: str  # select_one or text
    labels: dict[str, str]
    choices: tuple[Choice, ...] = ()
    versions: tuple[str, ...] = ()  # empty: every version
    relevant: dict[str, Any] | None = None
    positive: tuple[str, ...] = ()
    reference: dict[str, Any] | None = None
    page: str = ""

    def label(self, version: str) -> str:
        return self.labels.get(version) or self.labels["default"]

    def asked_in(self, version: str) -> bool:
        return not self.versions or version in self.versions

    def applies(self, answers: dict[str, Any]) -> bool:
        """Skip logic: the item is asked only when the item it depends on has one of the given
        answers (an unanswered or skipped earlier item skips this one too)."""
        if not self.relevant:
            return True
        return answers.get(self.relevant["item"]) in self.relevant["in"]

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class Page:
    code: str
    titles: dict[str, str]
    outcome: str
    items: tuple[Item, ...]

    def title(self, version: str) -> str:
        return self.titles.get(version) or self.titles["default"]

    def items_for(self, version: str) -> list[Item]:
        return [item for item in self.items if item.asked_in(version)]


@dataclass
class ProformaDefinition:
    code: str
    version: str
    title: str
    versions: dict[str, dict[str, Any]]
    pages: list[Page] = field(default_factory=list)

    def pages_for(self, version: str) -> list[Page]:
        return [page for page in self.pages if page.items_for(version)]

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.name: item for page in self.pages for item in page.items}

    def version_for(self, age_band: str, easy_read: bool = False) -> str:
        if easy_read and age_band in self.versions.get("easy", {}).get("ages", []):
            return "easy"
        for code, version in self.versions.items():
            if code != "easy" and age_band in version.get("ages", []):
                return code
        raise ProformaError(f"no version of the survey is for the age band {age_band!r}")


def _labels(raw: Any, where: str, versions: dict[str, Any]) -> dict[str, str]:
    if isinstance(raw, str):
        return {"default": raw}
    if not isinstance(raw, dict) or "default" not in raw:
        raise ProformaError(f"{where}: needs a label with a 'default' wording")
    unknown = set(raw) - {"default"} - set(versions)
    if unknown:
        raise ProformaError(f"{where}: label for unknown version(s) {', '.join(sorted(unknown))}")
    return {str(k): str(v).strip() for k, v in raw.items()}


def proforma_parse(raw: dict[str, Any], source: str = "proforma") -> ProformaDefinition:
    """Validate a proforma definition and return it; every error names page and item."""
    for key in ("code", "version", "title", "versions", "pages"):
        if key not in raw:
            raise ProformaError(f"{source}: missing '{key}'")
    versions = raw["versions"]
    for code, version in versions.items():
        bad = set(version.get("ages", [])) - set(AGE_BANDS)
        if bad:
            raise ProformaError(f"{source}: version {code}: unknown age band(s) {sorted(bad)}")
    choices = {
        name: tuple(
            Choice(str(c["value"]), str(c["label"]), str(c.get("picture", ""))) for c in opts
        )
        for name, opts in raw.get("choices", {}).items()
    }
    definition = ProformaDefinition(
        code=str(raw["code"]),
        version=str(raw["version"]),
        title=str(raw["title"]),
        versions=versions,
    )
    seen: dict[str, Item] = {}
    for p, page in enumerate(raw["pages"], start=1):
        page_code = page.get("code") or f"page {p}"
        outcome = page.get("outcome", "")
        if outcome and outcome not in OUTCOME_CODES:
            raise ProformaError(f"{source}: page {page_code}: unknown outcome {outcome!r}")
        items = []
        for i, entry in enumerate(page.get("items", []), start=1):
            where = f"{source}: page {page_code}, item {entry.get('name') or i}"
            name = entry.get("name")
            if not name:
                raise ProformaError(f"{where}: missing 'name'")
            if name in seen:
                raise ProformaError(f"{where}: the name {name!r} is used twice")
            kind, _, choice_list = str(entry.get("type", "")).partition(" ")
            if kind not in ITEM_TYPES:
                raise ProformaError(f"{where}: type must be one of {', '.join(ITEM_TYPES)}")
            item_choices: tuple[Choice, ...] = ()
            if kind == "select_one":
                if choice_list not in choices:
                    raise ProformaError(f"{where}: unknown choice list {choice_list!r}")
                item_choices = choices[choice_list]
            item_versions = tuple(entry.get("versions", ()))
            unknown = set(item_versions) - set(versions)
            if unknown:
                raise ProformaError(f"{where}: unknown version(s) {', '.join(sorted(unknown))}")
            relevant = entry.get("relevant")
            if relevant:
                target = seen.get(relevant.get("item", ""))
                if target is None:
                    raise ProformaError(
                        f"{where}: 'relevant' must name an earlier item, "
                        f"not {relevant.get('item')!r}"
                    )
                values = {c.value for c in target.choices}
                if not set(relevant.get("in", [])) <= values:
                    raise ProformaError(f"{where}: 'relevant' names answers {target.name} lacks")
            values = {c.value for c in item_choices}
            positive = tuple(str(v) for v in entry.get("positive", ()))
            if not set(positive) <= values:
                raise ProformaError(f"{where}: 'positive' names answers the item does not offer")
            item = Item(
                name=name,
                kind=kind,
                labels=_labels(entry.get("label"), where, versions),
                choices=item_choices,
                versions=item_versions,
                relevant=relevant,
                positive=positive,
                reference=entry.get("reference"),
                page=page_code,
            )
            seen[name] = item
            items.append(item)
        definition.pages.append(
            Page(
                code=page_code,
                titles=_labels(page.get("title"), f"{source}: page {page_code}", versions),
                outcome=outcome,
                items=tuple(items),
            )
        )
    return definition


def proforma_read(path: Path = DEFAULT_PROFORMA) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProformaError(f"{path.name}: cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise ProformaError(f"{path.name}: is not a proforma (a YAML mapping)")
    proforma_parse(raw, source=path.name)
    return raw
