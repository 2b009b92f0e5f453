"""Helpers shared by the Framework tests (fixtures are in conftest.py)."""

from typing import Any

from django.apps import apps

from ecm_inspect.framework.models import FrameworkVersion, KeyJudgement
from ecm_inspect.framework.services import DATA_DIR

SOURCES_DIR = DATA_DIR / "sources"
FILE_2005 = "framework-2005.yaml"
FILE_2004 = "framework-2004.yaml"
FILE_RELEVANCE = "relevance-2005.yaml"
SHIPPED = (FILE_2005, FILE_2004, FILE_RELEVANCE)


def normalise(text: str) -> str:
    """Collapse every run of whitespace (tabs, newlines, double spaces) into one space."""
    return " ".join(text.split())


def shipped_text(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    """Replace `old`, which must occur exactly once, so that a test breaks the line it means to."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times, expected once"
    return text.replace(old, new)


def line_containing(text: str, needle: str) -> int:
    """The 1-based number of the only line containing `needle`."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}, expected exactly one"
    return lines[0]


def framework_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("framework").get_models()
    }


def snapshot() -> dict[str, Any]:
    """What a failed load must leave untouched: counts, texts, checksums and primary keys."""
    return {
        "counts": framework_counts(),
        "key_judgements": dict(KeyJudgement.objects.values_list("code", "text")),
        "key_judgement_pks": dict(KeyJudgement.objects.values_list("code", "pk")),
        "versions": list(
            FrameworkVersion.objects.values_list("code", "title", "checksum", "loaded_at")
        ),
    }
