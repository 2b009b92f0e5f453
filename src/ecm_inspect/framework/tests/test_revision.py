"""Comparing a revised Framework with the one in force."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ecm_inspect.framework.revision import CURRENT_FILE, framework_diff
from ecm_inspect.framework.schema import FrameworkFileError


def _revised(tmp_path: Path) -> Path:
    text = CURRENT_FILE.read_text(encoding="utf-8")
    text = text.replace(
        "agencies collaborate to safeguard children according to the requirements of the current",
        "agencies collaborate to safeguard children according to Working Together and the current",
    )
    text = text.replace("  - code: SS.a3\n    text: safe from bullying and discrimination\n", "")
    path = tmp_path / "framework-2007.yaml"
    path.write_text(text.replace("version: '2005'", "version: '2007'"), encoding="utf-8")
    return path


def test_the_diff_names_every_change_by_code(tmp_path: Path) -> None:
    changes = {(c.change, c.code) for c in framework_diff(new=_revised(tmp_path))}
    assert changes == {("changed", "SS.4"), ("removed", "SS.a3")}
    assert framework_diff(new=CURRENT_FILE) == []


def test_a_bad_revision_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 'x'\n", encoding="utf-8")
    with pytest.raises(FrameworkFileError):
        framework_diff(new=bad)
    with pytest.raises(CommandError, match="bad.yaml"):
        call_command("framework", "diff", str(bad))
