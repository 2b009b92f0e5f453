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


def _relevance_for(tmp_path: Path, version: str) -> Path:
    from ecm_inspect.framework.services import DATA_DIR

    text = (DATA_DIR / "relevance-2005.yaml").read_text(encoding="utf-8")
    text = text.replace("\n  - SS.a3", "").replace("version: '2005'", f"version: '{version}'")
    path = tmp_path / f"relevance-{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_revision_is_drafted_compared_and_published_with_an_effective_date(
    tmp_path: Path,
) -> None:
    """Paragraphs 13-14: draft, compare, publish; the version in force changes on the day, and
    what ran under the old version keeps it."""
    from datetime import date

    from ecm_inspect.framework.models import FrameworkVersion, KeyJudgement, Relevance
    from ecm_inspect.framework.revision import RevisionRefused, framework_publish, version_diff
    from ecm_inspect.framework.selectors import in_force_code
    from ecm_inspect.framework.services import framework_load

    framework_load()
    before = Relevance.objects.count()
    framework_load(paths=[_revised(tmp_path)], draft=True)
    draft = FrameworkVersion.objects.get(code="2007")
    assert draft.status == "draft"
    assert draft.effective_from is None
    # The same codes in both versions, each version whole.
    assert KeyJudgement.objects.filter(code="SS.4").count() == 2
    assert KeyJudgement.objects.filter(version__code="2005").count() == 36
    assert in_force_code(date(2030, 1, 1)) == "2005"  # a draft is never in force
    current = FrameworkVersion.objects.get(code="2005")
    assert {(c.change, c.code) for c in version_diff(old=current, new=draft)} == {
        ("changed", "SS.4"),
        ("removed", "SS.a3"),
    }
    with pytest.raises(RevisionRefused, match="no relevance matrix"):
        framework_publish(version=draft, effective_from=date(2027, 4, 1))
    framework_load(paths=[_relevance_for(tmp_path, "2007")])
    assert Relevance.objects.count() == 2 * before  # 2005's matrix untouched
    with pytest.raises(RevisionRefused, match="after 1 September 2005"):
        framework_publish(version=draft, effective_from=date(2005, 1, 1))
    framework_publish(version=draft, effective_from=date(2027, 4, 1))
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.supersedes == current
    assert in_force_code(date(2027, 3, 31)) == "2005"
    assert in_force_code(date(2027, 4, 1)) == "2007"
    with pytest.raises(RevisionRefused, match="already published"):
        framework_publish(version=draft, effective_from=date(2028, 1, 1))
    # A published version cannot be overwritten as a draft.
    with pytest.raises(FrameworkFileError, match="already published"):
        framework_load(paths=[_revised(tmp_path)], draft=True)


@pytest.mark.django_db
def test_a_review_keeps_the_version_it_started_under(tmp_path: Path) -> None:
    from datetime import date

    from ecm_inspect.accounts.tests.world import world_build
    from ecm_inspect.framework.models import FrameworkVersion
    from ecm_inspect.framework.revision import framework_publish
    from ecm_inspect.framework.services import framework_load
    from ecm_inspect.reviews.models import Review
    from ecm_inspect.reviews.services import review_create

    framework_load()
    people = world_build()
    framework_load(paths=[_revised(tmp_path), _relevance_for(tmp_path, "2007")], draft=True)
    framework_publish(
        version=FrameworkVersion.objects.get(code="2007"), effective_from=date(2027, 4, 1)
    )

    def review(on: date) -> Review:
        return review_create(
            area=people.own_area, analysis_starts_on=on, dcs_name="D", dcs_email="d@x.org"
        )

    old, new = review(date(2027, 1, 11)), review(date(2027, 9, 13))
    assert old.framework_code == "2005"
    assert new.framework_code == "2007"
    assert set(new.outcomes.values_list("version__code", flat=True)) == {"2007"}
    assert set(old.outcomes.values_list("version__code", flat=True)) == {"2005"}


def test_the_commands_load_a_draft_compare_and_publish(tmp_path: Path, db: None) -> None:
    import io

    call_command("framework", "load", stdout=io.StringIO())
    call_command(
        "framework",
        "load",
        str(_revised(tmp_path)),
        str(_relevance_for(tmp_path, "2007")),
        "--draft",
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("framework", "diff", "2007", stdout=out)
    assert "~ SS.4" in out.getvalue()
    assert "- SS.a3" in out.getvalue()
    with pytest.raises(CommandError, match="must take effect after"):
        call_command("framework", "publish", "2007", "--effective", "2004-01-01")
    out = io.StringIO()
    call_command("framework", "publish", "2007", "--effective", "2027-04-01", stdout=out)
    assert "Published version 2007" in out.getvalue()
    out = io.StringIO()
    call_command("framework", "versions", stdout=out)
    assert "2007  published  from 2027-04-01" in out.getvalue()
