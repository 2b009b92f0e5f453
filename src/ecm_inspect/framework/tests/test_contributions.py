"""Appendix 2 put to work: each of the 34 service contributions of the 2004 proposals mapped to
the 2005 key judgements, the provider kinds and the inspectorates; loaded with the Framework, all
or nothing, with errors naming the file and the entry."""

from pathlib import Path

import pytest

from ecm_inspect.framework.models import KeyJudgement, ServiceContribution
from ecm_inspect.framework.schema import FrameworkFileError
from ecm_inspect.framework.services import DATA_DIR, DEFAULT_FILES, LoadResult, framework_load

from .helpers import line_containing, replace_once, shipped_text

FILE = "contributions-2005.yaml"
pytestmark = pytest.mark.django_db


def test_every_contribution_is_mapped(framework: LoadResult) -> None:
    assert framework.created["framework.ServiceContribution mapping"] == 34
    contributions = ServiceContribution.objects.prefetch_related("key_judgements", "provider_kinds")
    assert contributions.count() == 34
    for c in contributions:
        assert c.key_judgements.exists(), c.code
        assert c.provider_kinds.exists(), c.code
        assert c.inspectorates, c.code
    ss_c6 = ServiceContribution.objects.get(code="SS.c6")
    assert "SS.4" in {kj.code for kj in ss_c6.key_judgements.all()}
    assert "police_force" in {k.code for k in ss_c6.provider_kinds.all()}


def test_every_2005_key_judgement_has_a_contribution(framework: LoadResult) -> None:
    unmapped = KeyJudgement.objects.filter(version__code="2005", contributions__isnull=True)
    assert list(unmapped.values_list("code", flat=True)) == []


def test_loading_again_changes_nothing(framework: LoadResult) -> None:
    again = framework_load()
    assert not again.changed


def _load_broken(tmp_path: Path, old: str, new: str) -> tuple[FrameworkFileError, str]:
    text = replace_once(shipped_text(FILE), old, new)
    broken = tmp_path / FILE
    broken.write_text(text, encoding="utf-8")
    paths = [p for p in DEFAULT_FILES if p.name != FILE] + [broken]
    with pytest.raises(FrameworkFileError) as info:
        framework_load(paths=paths)
    return info.value, text


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "message"),
    [
        (
            "  - code: BH.c3  #",
            "  - code: BH.c9  #",
            "code: BH.c9",
            "contributions[2].code",
            "'BH.c9' is not a service contribution of Appendix 2",
        ),
        (
            "    key_judgements: [BH.1]\n",
            "    key_judgements: [BH.9]\n",
            "key_judgements: [BH.9]",
            "contributions[2].key_judgements (BH.c3)",
            "'BH.9' is not a key judgement of the Framework",
        ),
        (
            "    provider_kinds: [youth_offending_team, probation_board]\n",
            "    provider_kinds: [youth_offending_team, borstal]\n",
            "borstal",
            "contributions[13].provider_kinds (SS.c7)",
            "'borstal' is not a provider kind of the relevance matrix",
        ),
        (
            "    inspectorates: [HMI_PROBATION]\n",
            "    inspectorates: [HMI_BORSTALS]\n",
            "HMI_BORSTALS",
            "contributions[13].inspectorates[0]",
            "Input should be",
        ),
    ],
)
def test_a_bad_entry_is_named_and_nothing_loads(
    tmp_path: Path, old: str, new: str, needle: str, field: str, message: str
) -> None:
    error, text = _load_broken(tmp_path, old, new)
    assert (error.path.name, error.field) == (FILE, field)
    assert error.line == line_containing(text, needle)
    assert message in error.message
    assert not ServiceContribution.objects.exists()  # all or nothing


def test_a_contribution_left_unmapped_is_refused(tmp_path: Path) -> None:
    error, _ = _load_broken(
        tmp_path,
        "  - code: EW.c5  # opportunities for employment\n"
        "    key_judgements: [EW.2, EW.6, EW.7]\n"
        "    provider_kinds: [council_childrens_services, connexions, work_based_learning]\n"
        "    inspectorates: [AUDIT_COMMISSION, ALI]\n",
        "",
    )
    assert str(error) == (
        f"{FILE}, line 1, field contributions: no mapping for EW.c5: map every one"
    )


def test_the_mapping_refers_to_the_shipped_data() -> None:
    assert (DATA_DIR / FILE) in DEFAULT_FILES
