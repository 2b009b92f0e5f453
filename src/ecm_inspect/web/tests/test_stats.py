"""`ecm stats`: the number of records of every model."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ecm_inspect.framework.services import framework_load

pytestmark = pytest.mark.django_db


def stats(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_json_counts_every_model() -> None:
    framework_load()
    counts = json.loads(stats("--format", "json"))
    assert counts["framework.KeyJudgement"] == 36
    assert counts["framework.Aim"] == 25
    assert counts["framework.FrameworkVersion"] == 2
    assert counts["accounts.User"] == get_user_model().objects.count()
    assert set(counts) == {model._meta.label for model in apps.get_models()}
    assert list(counts) == sorted(counts)
    assert all(isinstance(n, int) and n >= 0 for n in counts.values())


def test_json_counts_follow_the_database() -> None:
    before = json.loads(stats("--format", "json"))
    assert before["framework.KeyJudgement"] == 0
    assert before["accounts.User"] == 0
    get_user_model().objects.create(username="inspector")
    framework_load()
    after = json.loads(stats("--format", "json"))
    assert after["accounts.User"] == 1
    assert after["framework.KeyJudgement"] == 36


def test_text_format_is_the_default() -> None:
    framework_load()
    lines = stats().splitlines()
    assert len(lines) == len(apps.get_models())
    rows = {line.split()[0]: int(line.split()[1]) for line in lines}
    assert rows["framework.KeyJudgement"] == 36
    assert rows["accounts.User"] == 0
    # Labels padded to one width, counts right-aligned.
    assert len({len(line) for line in lines}) == 1
    assert stats("--format", "text").splitlines() == lines


def test_unknown_format() -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        stats("--format", "csv")
