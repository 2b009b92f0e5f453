"""Grade descriptors: the shipped set, the checks on a descriptor file, revisions, the pages."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import Client

from ecm_inspect.framework.models import (
    DESCRIPTORS_NOT_IN_FRAMEWORK,
    DescriptorSet,
    GradeDescriptor,
    KeyJudgement,
)
from ecm_inspect.framework.schema import FrameworkFileError
from ecm_inspect.framework.selectors import descriptor_set_in_force, descriptors_for
from ecm_inspect.framework.services import DATA_DIR, DEFAULT_FILES, framework_load

from .helpers import framework_counts, replace_once

pytestmark = pytest.mark.django_db

FILE = "descriptors-2005.yaml"
SHIPPED = (DATA_DIR / FILE).read_text(encoding="utf-8")
FRAMEWORK_ONLY = [p for p in DEFAULT_FILES if p.name != FILE]


def _write(tmp_path: Path, text: str, name: str = FILE) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(path: Path) -> str:
    """Load `path` onto the Framework without descriptors; it must be refused, writing nothing."""
    before = framework_counts()
    with pytest.raises(FrameworkFileError) as caught:
        framework_load(paths=[path])
    assert framework_counts() == before
    assert not GradeDescriptor.objects.exists()
    return str(caught.value)


@pytest.fixture
def bare(db: None) -> None:
    """The Framework without its descriptors."""
    framework_load(paths=FRAMEWORK_ONLY)


# --- The shipped set ---------------------------------------------------------------------------


def test_the_shipped_set_describes_every_key_judgement_at_every_grade(bare: None) -> None:
    result = framework_load(paths=[DATA_DIR / FILE])
    assert result.created["framework.DescriptorSet"] == 1
    assert result.created["framework.GradeDescriptor"] == 144
    found = DescriptorSet.objects.get()
    assert found.code == "2005-ECM-1"
    assert found.framework_version.code == "2005"
    assert found.status.startswith(DESCRIPTORS_NOT_IN_FRAMEWORK)
    descriptors = descriptors_for("2005")
    assert list(descriptors) == list(
        KeyJudgement.objects.filter(version__code="2005").values_list("code", flat=True)
    )
    assert all(list(grades) == [4, 3, 2, 1] for grades in descriptors.values())
    texts = [t for grades in descriptors.values() for t in grades.values()]
    assert len(texts) == 144
    assert len(set(texts)) == 144, "every descriptor is written for its own judgement and grade"


def test_the_framework_loads_its_descriptors_and_loading_again_changes_nothing(db: None) -> None:
    framework_load()
    assert GradeDescriptor.objects.count() == 144
    again = framework_load()
    assert not again.changed
    assert DescriptorSet.objects.count() == 1


def test_descriptors_for_a_version_without_a_set_is_empty(bare: None) -> None:
    assert descriptors_for("2005") == {}
    assert descriptors_for("2004") == {}


# --- A bad file is refused, naming what is wrong, and nothing is written ----------------------


def test_a_missing_key_judgement_is_named(bare: None, tmp_path: Path) -> None:
    start = SHIPPED.index("  BH.3:\n")
    end = SHIPPED.index("  BH.4:\n")
    message = _refused(_write(tmp_path, SHIPPED[:start] + SHIPPED[end:]))
    assert message.startswith(f"{FILE}, line ")
    assert "field descriptors: no descriptors for key judgement BH.3" in message


def test_a_grade_off_the_scale_is_named(bare: None, tmp_path: Path) -> None:
    text = replace_once(SHIPPED, "  SS.4:\n    4: >-", "  SS.4:\n    5: >-")
    message = _refused(_write(tmp_path, text))
    assert "field descriptors.SS.4.5: key judgement SS.4: 5 is not a grade" in message
    assert "4 outstanding, 3 good, 2 adequate, 1 inadequate" in message


def test_a_missing_grade_is_named(bare: None, tmp_path: Path) -> None:
    start = SHIPPED.index("  EW.5:\n")
    start = SHIPPED.index("    2: >-", start)
    end = SHIPPED.index("    1: >-", start)
    message = _refused(_write(tmp_path, SHIPPED[:start] + SHIPPED[end:]))
    assert "key judgement EW.5 has no descriptor for grade 2 (adequate)" in message


def test_an_empty_descriptor_is_named_with_its_line(bare: None, tmp_path: Path) -> None:
    start = SHIPPED.index("  PC.2:\n")
    start = SHIPPED.index("    3: >-", start)
    end = SHIPPED.index("    2: >-", start)
    text = SHIPPED[:start] + '    3: ""\n' + SHIPPED[end:]
    message = _refused(_write(tmp_path, text))
    line = text[:start].count("\n") + 1
    assert message == (
        f"{FILE}, line {line}, field descriptors.PC.2.3: key judgement PC.2, grade 3 (good): "
        "the descriptor is empty"
    )


def test_an_unknown_code_is_named(bare: None, tmp_path: Path) -> None:
    text = replace_once(
        SHIPPED, "  EW.7:\n", "  EW.8:\n    4: x\n    3: x\n    2: x\n    1: x\n  EW.7:\n"
    )
    message = _refused(_write(tmp_path, text))
    assert "field descriptors.EW.8: 'EW.8' is not a key judgement of the 2005 Framework" in message


def test_a_file_for_a_version_not_loaded_is_refused(bare: None, tmp_path: Path) -> None:
    text = replace_once(SHIPPED, 'framework_version: "2005"', 'framework_version: "2009"')
    message = _refused(_write(tmp_path, text))
    assert "Framework version 2009 is not loaded" in message


def test_a_field_the_format_does_not_have_is_refused(bare: None, tmp_path: Path) -> None:
    text = replace_once(SHIPPED, "descriptors:\n", "author: someone\ndescriptors:\n")
    message = _refused(_write(tmp_path, text))
    assert "field author: Extra inputs are not permitted" in message


# --- Revisions ---------------------------------------------------------------------------------


def _revision(tmp_path: Path, code: str, new_text: str) -> Path:
    text = replace_once(SHIPPED, 'set: "2005-ECM-1"', f'set: "{code}"')
    text = replace_once(
        text,
        "    1: >-\n      Many parents and carers, particularly in disadvantaged communities,",
        f"    1: >-\n      {new_text} Many parents and carers, particularly in disadvantaged "
        "communities,",
    )
    return _write(tmp_path, text, "descriptors-2005-revised.yaml")


def test_a_revision_is_a_new_set_in_force_and_the_old_set_is_kept(db: None, tmp_path: Path) -> None:
    framework_load()
    out = StringIO()
    call_command(
        "framework",
        "load-descriptors",
        str(_revision(tmp_path, "2005-HMCI-2", "Revised.")),
        stdout=out,
    )
    assert "Loaded descriptor set 2005-HMCI-2 (144 descriptors)" in out.getvalue()
    assert DescriptorSet.objects.count() == 2
    in_force = descriptor_set_in_force(framework_code="2005")
    assert in_force is not None
    assert in_force.code == "2005-HMCI-2"
    assert in_force.loaded_by
    assert descriptors_for("2005")["BH.1"][1].startswith("Revised. Many parents")
    old = DescriptorSet.objects.get(code="2005-ECM-1")
    assert old.descriptors.count() == 144


def test_changing_the_text_of_a_loaded_set_is_refused(db: None, tmp_path: Path) -> None:
    framework_load()
    with pytest.raises(CommandError) as caught:
        call_command(
            "framework", "load-descriptors", str(_revision(tmp_path, "2005-ECM-1", "Changed."))
        )
    assert str(caught.value) == (
        "Nothing was loaded. descriptors-2005-revised.yaml, field set: descriptor set 2005-ECM-1 "
        "is already loaded with other text: a revision needs a new set code, so the descriptors "
        "earlier reviews used stay as they were"
    )
    assert DescriptorSet.objects.count() == 1
    assert not descriptors_for("2005")["BH.1"][1].startswith("Changed.")


def test_load_descriptors_refuses_a_framework_file(db: None) -> None:
    with pytest.raises(CommandError, match="is not a descriptor file"):
        call_command("framework", "load-descriptors", str(DATA_DIR / "framework-2005.yaml"))


def test_load_descriptors_names_the_problem(bare: None, tmp_path: Path) -> None:
    text = replace_once(SHIPPED, "  SS.4:\n    4: >-", "  SS.4:\n    0: >-")
    with pytest.raises(CommandError, match=r"^Nothing was loaded\. descriptors-2005\.yaml, line"):
        call_command("framework", "load-descriptors", str(_write(tmp_path, text)))


# --- Pages -------------------------------------------------------------------------------------


def test_the_include_lists_the_four_grades_best_first() -> None:
    html = render_to_string(
        "framework/_descriptors.html",
        {"descriptors": {1: "Poor.", 3: "Well.", 2: "Enough.", 4: "Very well."}},
    )
    assert "What separates the grades" in html
    order = [
        html.index(w) for w in ("Outstanding (4)", "Good (3)", "Adequate (2)", "Inadequate (1)")
    ]
    assert order == sorted(order)
    assert html.index("Very well.") < html.index("Poor.")
    assert render_to_string("framework/_descriptors.html", {"descriptors": {}}).strip() == ""
    as_json = {"4": "Very well.", "1": "Poor."}
    assert "Outstanding (4)" in render_to_string(
        "framework/_descriptors.html", {"descriptors": as_json}
    )


def test_the_outcome_page_publishes_the_descriptors_as_the_projects_own(
    client: Client, db: None
) -> None:
    framework_load()
    text = client.get("/framework/outcomes/BH/").content.decode()
    assert text.count("What separates the grades") == 6
    assert "grade descriptors 2005-ECM-1" in text
    assert DESCRIPTORS_NOT_IN_FRAMEWORK in text
    bh1 = descriptors_for("2005")["BH.1"]
    assert bh1[4].split(",")[0] in text
    assert "Outstanding (4)" in text
    index = client.get("/framework/").content.decode()
    assert "Grade descriptors" in index
    assert DESCRIPTORS_NOT_IN_FRAMEWORK in index


def test_pages_without_descriptors_say_nothing_of_them(client: Client, bare: None) -> None:
    text = client.get("/framework/outcomes/BH/").content.decode()
    assert "What separates the grades" not in text
