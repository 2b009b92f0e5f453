"""Screening a child's free text: for disclosures of harm (flagged at once to the review's
safeguarding contact) and, through the evidence screen, for personal data (redacted in
anything shown beyond the safeguarding contact). Offline and pattern-based (data/*.yaml)."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ecm_inspect.evidence.screening import redact, screen

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Disclosure:
    label: str
    text: str  # the words matched


@cache
def _disclosure_patterns() -> list[tuple[str, re.Pattern[str]]]:
    raw = yaml.safe_load((DATA / "disclosure.yaml").read_text(encoding="utf-8"))
    return [
        (entry["label"], re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
        for entry in raw
        for pattern in entry["patterns"]
    ]


def disclosures_find(text: str) -> list[Disclosure]:
    """Every pattern of possible harm in the text, at most one finding per label."""
    found: dict[str, Disclosure] = {}
    for label, pattern in _disclosure_patterns():
        match = pattern.search(text)
        if match and label not in found:
            found[label] = Disclosure(label, match.group(0))
    return list(found.values())


@cache
def themes() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load((DATA / "themes.yaml").read_text(encoding="utf-8"))
    return {str(theme): tuple(str(k).lower() for k in words) for theme, words in raw.items()}


@cache
def _theme_patterns() -> dict[str, re.Pattern[str]]:
    return {
        theme: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
        for theme, words in themes().items()
    }


def themes_of(text: str) -> list[str]:
    return [theme for theme, pattern in _theme_patterns().items() if pattern.search(text)]


def personal_data_redact(text: str) -> str:
    """The text with names, addresses, phone numbers and the like replaced by [redacted]."""
    findings = screen(text)
    return redact(text, findings) if findings else text
