"""Bad Framework files are rejected with file, line and field, and nothing is loaded."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ecm_inspect.framework import services
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.framework.schema import FrameworkFileError
from ecm_inspect.framework.services import DATA_DIR, LoadResult, framework_load

from .helpers import (
    FILE_2004,
    FILE_2005,
    FILE_RELEVANCE,
    framework_counts,
    line_containing,
    replace_once,
    shipped_text,
    snapshot,
)

pytestmark = pytest.mark.django_db

SS4 = (
    "  - code: SS.4\n"
    "    text: agencies collaborate to safeguard children according to the requirements of the "
    "current government\n"
    "      guidance\n"
)
YOT_HMIC = "      HMIC: [PC.4, PC.5]"  # the youth offending team's row (provider_kinds[21])


@dataclass(frozen=True)
class Case:
    """A break in one shipped file and the error it must produce."""

    file: str
    old: str
    new: str
    line_of: str  # the error's line is the only line of the broken file containing this
    field: str
    message: str

    def text(self) -> str:
        return replace_once(shipped_text(self.file), self.old, self.new)

    def line(self) -> int:
        return line_containing(self.text(), self.line_of)


CASES = {
    "missing text": Case(
        FILE_2005,
        SS4,
        "  - code: SS.4\n",
        line_of="- code: SS.4",
        field="outcomes[1].key_judgements[3].text",
        message="Field required",
    ),
    "blank text": Case(
        FILE_2005,
        SS4,
        "  - code: SS.4\n    text: '   '\n",
        line_of="text: '   '",
        field="outcomes[1].key_judgements[3].text",
        message="at least 1 character",
    ),
    "duplicate code": Case(
        FILE_2005,
        "- code: SS.5\n",
        "- code: SS.4  # was SS.5\n",
        line_of="# was SS.5",
        field="outcomes[1].key_judgements[4].code",
        message="code 'SS.4' is used twice",
    ),
    "key judgement code with the wrong prefix": Case(
        FILE_2005,
        "- code: EA.3\n",
        "- code: EW.9\n",
        line_of="- code: EW.9",
        field="outcomes[2].key_judgements[2].code",
        message="code 'EW.9' must start with 'EA.'",
    ),
    "unknown outcome code": Case(
        FILE_2005,
        "- code: EW\n",
        "- code: XX\n",
        line_of="- code: XX",
        field="outcomes[4].code",
        message="Input should be 'BH', 'SS', 'EA', 'PC' or 'EW'",
    ),
    "unknown field": Case(
        FILE_2004,
        "  report_text: planning co-ordinated action\n",
        "  report_text: planning co-ordinated action\n  reprot: x\n",
        line_of="reprot: x",
        field="service_management_aspects[4].reprot",
        message="Extra inputs are not permitted",
    ),
    "principle numbered twice": Case(
        FILE_2005,
        "- number: 4\n",
        "- number: 3  # was 4\n",
        line_of="# was 4",
        field="principles[3].number",
        message="principle (3) appears twice",
    ),
    "quality-and-management principle missing": Case(
        FILE_2005,
        "quality_management_principle: 3",
        "quality_management_principle: 9",
        line_of="quality_management_principle: 9",
        field="quality_management_principle",
        message="there is no principle (9)",
    ),
    "invalid YAML syntax": Case(
        FILE_2005,
        "text: action is taken to reduce anti-social behaviour",
        "text: action: is taken to reduce anti-social behaviour",
        line_of="text: action: is taken",
        field="",
        message="not valid YAML: mapping values are not allowed",
    ),
    "unknown key judgement in the relevance matrix": Case(
        FILE_RELEVANCE,
        YOT_HMIC,
        "      HMIC: [PC.4, PC.9]",
        line_of="HMIC: [PC.4, PC.9]",
        field="provider_kinds[21].relevance.HMIC",
        message="'PC.9' is not a key judgement of the Framework",
    ),
    "unknown inspectorate code": Case(
        FILE_RELEVANCE,
        YOT_HMIC,
        "      HMIX: [PC.4, PC.5]",
        line_of="HMIX: [PC.4, PC.5]",
        # pydantic names the failing dict key "[key]".
        field="provider_kinds[21].relevance.HMIX.[key]",
        message="Input should be 'ALI', 'AUDIT_COMMISSION', 'CSCI'",
    ),
    "unknown age scope": Case(
        FILE_RELEVANCE,
        "  - code: probation_board\n    name: Local probation board\n    scope: under_18\n",
        "  - code: probation_board\n    name: Local probation board\n    scope: under_21\n",
        line_of="scope: under_21",
        field="provider_kinds[22].scope",
        message="Input should be 'standard' or 'under_18'",
    ),
}


def _brackets(field: str) -> str:
    """'outcomes.1.code' -> 'outcomes[1].code': compare paths whatever their notation (see
    test_code_errors_name_fields_like_other_errors for the notation itself)."""
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", field)


def _load_broken(case: Case, data_copy: Callable[..., list[Path]]) -> FrameworkFileError:
    paths = data_copy(**{case.file: case.text()})
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=paths)
    return info.value


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_file_is_rejected_naming_file_line_and_field(case: Case, data_copy) -> None:
    error = _load_broken(case, data_copy)
    assert error.path.name == case.file
    assert error.line == case.line()
    assert _brackets(error.field) == case.field
    assert case.message in error.message
    where = f"{case.file}, line {case.line()}"
    assert str(error).startswith(
        f"{where}, field {error.field}: " if case.field else f"{where}: not valid YAML"
    )
    # The error was found before anything was written.
    assert all(count == 0 for count in framework_counts().values())


def test_missing_text_error_reads_in_full(data_copy) -> None:
    error = _load_broken(CASES["missing text"], data_copy)
    assert str(error) == (
        "framework-2005.yaml, line 235, field outcomes[1].key_judgements[3].text: Field required"
    )


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_file_leaves_a_loaded_catalogue_untouched(
    case: Case, framework: LoadResult, data_copy
) -> None:
    before = snapshot()
    # The files ahead of the broken one carry a change that must not be applied either.
    edits = {case.file: case.text()}
    if case.file != FILE_2005:
        edits[FILE_2005] = replace_once(
            shipped_text(FILE_2005),
            "text: healthy lifestyles are promoted for children and young people",
            "text: healthy lifestyles are promoted",
        )
    with pytest.raises(FrameworkFileError):
        framework_load(paths=data_copy(**edits))
    assert snapshot() == before


@pytest.mark.parametrize("name", ["duplicate code", "key judgement code with the wrong prefix"])
def test_code_errors_name_fields_like_other_errors(name: str, data_copy) -> None:
    case = CASES[name]
    assert _load_broken(case, data_copy).field == case.field


def test_a_good_file_before_a_bad_one_is_not_loaded(data_copy) -> None:
    """All or nothing across files: 2005 is valid, 2004 is not; the empty database stays empty."""
    paths = data_copy(**{FILE_2004: CASES["unknown field"].text()})
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=paths)
    assert info.value.path.name == FILE_2004
    assert all(count == 0 for count in framework_counts().values())


def _fail_on_relevance(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the load fail after the framework files are written, before the matrix is."""

    def boom(*args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "relevance_load", boom)


def test_an_error_while_writing_leaves_an_empty_database_empty(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_relevance(monkeypatch)
    with pytest.raises(RuntimeError, match="went away"):
        framework_load()
    assert all(count == 0 for count in framework_counts().values())


def test_an_error_while_writing_rolls_back_every_file(
    framework: LoadResult, data_copy, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot()
    edited = replace_once(
        shipped_text(FILE_2005),
        "text: parents and carers receive support to keep their children healthy",
        "text: parents and carers get support",
    )
    paths = data_copy(**{FILE_2005: edited})
    _fail_on_relevance(monkeypatch)
    with pytest.raises(RuntimeError, match="went away"):
        framework_load(paths=paths)
    assert snapshot() == before


def test_relevance_file_alone_needs_the_key_judgements(db: None) -> None:
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=[DATA_DIR / FILE_RELEVANCE])
    assert info.value.field == "provider_kinds[0].relevance.OFSTED"
    assert info.value.message == "'BH.1' is not a key judgement of the Framework"
    assert all(count == 0 for count in framework_counts().values())


def test_relevance_file_alone_loads_against_a_loaded_catalogue(framework: LoadResult) -> None:
    result = framework_load(paths=[DATA_DIR / FILE_RELEVANCE])
    assert result.changed is False


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("", 1, "expected a mapping at the top of the file"),
        ("- a list\n", 1, "expected a mapping at the top of the file"),
        ("version: '2005'\n", 1, "Field required"),
        ("version: 2005\ntitle: [unclosed\n", 3, "not valid YAML"),
    ],
    ids=["empty", "list", "no title", "unclosed flow sequence"],
)
def test_malformed_files(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "framework-x.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=[path])
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"framework-x.yaml, line {line}")


def test_missing_file(db: None, tmp_path: Path) -> None:
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=[tmp_path / "nowhere.yaml"])
    assert str(info.value) == "nowhere.yaml: cannot read the file (No such file or directory)"


# --- The command ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["missing text", "duplicate code", "invalid YAML syntax", "unknown inspectorate code"]
)
def test_load_command_rejects_a_bad_file(name: str, data_copy) -> None:
    case = CASES[name]
    paths = data_copy(**{case.file: case.text()})
    bad = next(p for p in paths if p.name == case.file)
    with pytest.raises(CommandError) as info:
        call_command("framework", "load", *map(str, paths), stdout=StringIO())
    text = str(info.value)
    assert text.startswith("Nothing was loaded. ")
    assert f"{bad.name}, line {case.line()}" in text
    assert case.field in _brackets(text)
    assert all(count == 0 for count in framework_counts().values())


def test_load_command_rejects_a_single_bad_file(tmp_path: Path, db: None) -> None:
    bad = tmp_path / FILE_2005
    bad.write_text(CASES["missing text"].text(), encoding="utf-8")
    with pytest.raises(CommandError, match=r"^Nothing was loaded\. framework-2005\.yaml, line 235"):
        call_command("framework", "load", str(bad))
    assert not KeyJudgement.objects.exists()


def test_load_command_loads_then_reports_up_to_date(db: None) -> None:
    out = StringIO()
    call_command("framework", "load", stdout=out)
    text = out.getvalue()
    assert "created" in text
    assert "framework.KeyJudgement" in text
    assert (
        "Loaded framework-2005.yaml, framework-2004.yaml, relevance-2005.yaml, "
        "descriptors-2005.yaml, contributions-2005.yaml." in text
    )
    assert KeyJudgement.objects.count() == 36
    out = StringIO()
    call_command("framework", "load", stdout=out)
    assert out.getvalue() == (
        "Framework already up to date "
        "(framework-2005.yaml, framework-2004.yaml, relevance-2005.yaml, descriptors-2005.yaml, "
        "contributions-2005.yaml).\n"
    )


# --- Known bugs: errors that escape as something other than FrameworkFileError ----------------


def test_dropping_a_judgement_still_named_in_the_matrix_is_a_file_error(
    framework: LoadResult, data_copy
) -> None:
    before = snapshot()
    fw = shipped_text(FILE_2005)
    start, end = fw.index("  - code: SS.8\n"), fw.index("- code: EA\n")
    paths = data_copy(**{FILE_2005: fw[:start] + fw[end:]})
    try:
        with pytest.raises(FrameworkFileError) as info:
            framework_load(paths=paths)
    finally:
        assert snapshot() == before  # the transaction does roll back
    assert info.value.path.name == FILE_RELEVANCE
    assert "'SS.8' is not a key judgement" in info.value.message


def test_mapping_in_a_relevance_list_is_a_file_error(data_copy) -> None:
    text = replace_once(shipped_text(FILE_RELEVANCE), YOT_HMIC, "      HMIC: [PC.4, PC.5: x]")
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=data_copy(**{FILE_RELEVANCE: text}))
    assert info.value.line == line_containing(text, "HMIC: [PC.4, PC.5: x]")


def test_file_not_in_utf8_is_a_file_error(db: None, tmp_path: Path) -> None:
    path = tmp_path / FILE_2004
    path.write_bytes(shipped_text(FILE_2004).encode("cp1252"))
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=[path])
    assert "UTF-8" in str(info.value)
