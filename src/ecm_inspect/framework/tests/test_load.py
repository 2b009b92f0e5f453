"""`framework_load()`: what the shipped files load, and loading again."""

from collections import Counter
from typing import Any

import pytest
import yaml

from ecm_inspect.framework.models import (
    Aim,
    EvidenceSource,
    FrameworkVersion,
    KeyJudgement,
    Outcome,
    Principle,
    PrincipleStatement,
    ProviderKind,
    Relevance,
    ScopeRule,
    ServiceContribution,
    ServiceManagementAspect,
    VulnerableGroup,
    VulnerableGroupStatement,
)
from ecm_inspect.framework.schema import flat_codes
from ecm_inspect.framework.services import LoadResult, framework_load

from .helpers import FILE_2005, FILE_RELEVANCE, framework_counts, replace_once, shipped_text

pytestmark = pytest.mark.django_db

OUTCOME_CODES = ["BH", "SS", "EA", "PC", "EW"]


# --- 2005: Framework for the inspection of children's services -------------------------------


def test_versions_loaded(framework: LoadResult) -> None:
    assert list(FrameworkVersion.objects.values_list("code", flat=True)) == ["2005", "2004"]
    v2005 = FrameworkVersion.objects.get(code="2005")
    assert v2005.reference == "HMI 2433"
    assert v2005.published == "July 2005"
    assert v2005.source == "2005-framework-for-inspection-of-childrens-services.txt"
    assert len(v2005.checksum) == 64
    assert framework.files == [
        "framework-2005.yaml",
        "framework-2004.yaml",
        "relevance-2005.yaml",
        "descriptors-2005.yaml",
        "contributions-2005.yaml",
    ]


def test_2005_outcomes(framework: LoadResult) -> None:
    outcomes = Outcome.objects.filter(version__code="2005").order_by("order")
    assert [o.code for o in outcomes] == OUTCOME_CODES
    assert [o.title for o in outcomes] == [
        "Being healthy",
        "Staying safe",
        "Enjoying and achieving",
        "Making a positive contribution",
        "Achieving economic well-being",
    ]


def test_2005_has_25_aims_five_per_outcome(framework: LoadResult) -> None:
    assert Aim.objects.count() == 25
    for code in OUTCOME_CODES:
        aims = Aim.objects.filter(outcome__version__code="2005", outcome__code=code)
        assert [a.code for a in aims] == [f"{code}.a{n}" for n in range(1, 6)]


def test_2005_has_36_key_judgements_split_6_8_8_7_7(framework: LoadResult) -> None:
    assert KeyJudgement.objects.count() == 36
    split = {
        code: KeyJudgement.objects.filter(outcome__version__code="2005", outcome__code=code).count()
        for code in OUTCOME_CODES
    }
    assert split == {"BH": 6, "SS": 8, "EA": 8, "PC": 7, "EW": 7}
    # Codes run <outcome>.1 ... <outcome>.n in order.
    for code, n in split.items():
        codes = KeyJudgement.objects.filter(outcome__code=code).values_list("code", flat=True)
        assert list(codes) == [f"{code}.{i}" for i in range(1, n + 1)]


def test_every_outcome_has_one_judgement_per_vulnerable_group(framework: LoadResult) -> None:
    """The last two judgements of each outcome are about children in care and about LDD."""
    for code in OUTCOME_CODES:
        kjs = list(KeyJudgement.objects.filter(outcome__code=code))
        assert [k.vulnerable_group for k in kjs[-2:]] == ["children_in_care", "ldd"], code
        assert all(k.vulnerable_group == "" for k in kjs[:-2]), code


def test_2005_has_8_principles(framework: LoadResult) -> None:
    principles = Principle.objects.filter(version__code="2005")
    assert [p.number for p in principles] == list(range(1, 9))
    assert principles.get(number=1).title == (
        "Inspection aims to improve outcomes for children and young people."
    )


def test_quality_and_management_steps_are_the_six_statements_of_principle_3(
    framework: LoadResult,
) -> None:
    qm = Principle.objects.get(is_quality_and_management=True)
    assert (qm.version.code, qm.number) == ("2005", 3)
    steps = [s.text for s in qm.statements.all()]
    assert len(steps) == 6
    assert steps[0].startswith("plan for improved outcomes")
    assert steps[-1] == "review the effectiveness of services"


def test_principle_statements_keep_parts_and_introductions(framework: LoadResult) -> None:
    p7 = Principle.objects.get(version__code="2005", number=7)
    parts = Counter(s.part for s in p7.statements.all())
    # Part 1 is an introduction with no bullet points (stored as one empty statement).
    assert parts == {1: 1, 2: 7}
    first = p7.statements.get(part=1)
    assert first.text == ""
    assert first.introduction.startswith("Inspectors want to make sure")
    assert PrincipleStatement.objects.filter(principle__version__code="2005").count() == 52


def test_2005_has_5_scope_rules(framework: LoadResult) -> None:
    rules = ScopeRule.objects.filter(version__code="2005")
    assert [(r.code, r.rule) for r in rules] == [
        ("SC.1", "age_0_to_19"),
        ("SC.2", "care_leavers_over_19"),
        ("SC.3", "learning_difficulty_under_25"),
        ("SC.4", "under_18_services"),
        ("SC.5", "new_functions"),
    ]


# --- 2004: Every child matters: inspecting services (proposals) -------------------------------


def test_2004_has_34_service_contributions_split_7_7_8_7_5(framework: LoadResult) -> None:
    assert ServiceContribution.objects.count() == 34
    split = {
        code: ServiceContribution.objects.filter(
            outcome__version__code="2004", outcome__code=code
        ).count()
        for code in OUTCOME_CODES
    }
    assert split == {"BH": 7, "SS": 7, "EA": 8, "PC": 7, "EW": 5}
    # The 2004 outcomes carry no aims or key judgements of their own.
    assert not Aim.objects.filter(outcome__version__code="2004").exists()
    assert not KeyJudgement.objects.filter(outcome__version__code="2004").exists()


def test_2004_vulnerable_groups(framework: LoadResult) -> None:
    groups = {g.code: g for g in VulnerableGroup.objects.all()}
    assert set(groups) == {"CIC", "SEND"}
    assert groups["CIC"].slug == "children_in_care"
    assert groups["SEND"].slug == "ldd"
    assert groups["CIC"].statements.count() == 6
    assert groups["SEND"].statements.count() == 5
    assert VulnerableGroupStatement.objects.count() == 11
    assert list(groups["SEND"].statements.values_list("code", flat=True)) == [
        f"SEND.{n}" for n in range(1, 6)
    ]


def test_2004_has_9_service_management_aspects(framework: LoadResult) -> None:
    codes = ServiceManagementAspect.objects.values_list("code", flat=True)
    assert list(codes) == [f"SM.{n}" for n in range(1, 10)]


def test_2004_has_7_analysis_and_8_fieldwork_evidence_sources(framework: LoadResult) -> None:
    assert EvidenceSource.objects.filter(stage="analysis").count() == 7
    assert EvidenceSource.objects.filter(stage="fieldwork").count() == 8
    assert all(s.code.startswith("AN.") for s in EvidenceSource.objects.filter(stage="analysis"))
    assert all(s.code.startswith("FW.") for s in EvidenceSource.objects.filter(stage="fieldwork"))


def test_2004_has_12_draft_principles(framework: LoadResult) -> None:
    principles = Principle.objects.filter(version__code="2004")
    assert [p.number for p in principles] == list(range(1, 13))
    assert not principles.filter(is_quality_and_management=True).exists()
    assert principles.get(number=9).title == (
        "report openly, clearly and fairly on the basis of secure evidence"
    )


def test_first_load_reports_what_it_created(framework: LoadResult) -> None:
    assert framework.changed
    assert not framework.updated
    assert not framework.removed
    # Records, and the Appendix 2 contributions mapped to the 2005 key judgements.
    assert framework.created == Counter(
        {label: count for label, count in framework_counts().items() if count}
        | {"framework.ServiceContribution mapping": 34}
    )
    assert framework.created["framework.KeyJudgement"] == 36
    assert framework.created["framework.FrameworkVersion"] == 2


def test_relevance_rows_match_the_file(framework: LoadResult) -> None:
    """One row per (provider kind, inspectorate, key judgement) named in the file, aliases and
    nested lists flattened, duplicates counted once."""
    data = yaml.safe_load(shipped_text(FILE_RELEVANCE))
    wanted = {
        (kind["code"], body, code)
        for kind in data["provider_kinds"]
        for body, items in kind["relevance"].items()
        for code in flat_codes(items)
    }
    loaded = set(
        Relevance.objects.values_list("provider_kind__code", "inspectorate", "key_judgement__code")
    )
    assert loaded == wanted
    assert ProviderKind.objects.count() == len(data["provider_kinds"])


# --- Loading again ----------------------------------------------------------------------------


def _state() -> dict[str, Any]:
    return {
        "counts": framework_counts(),
        "kj": list(KeyJudgement.objects.values_list("pk", "code", "outcome_id", "order", "text")),
        "relevance": list(
            Relevance.objects.values_list(
                "pk", "provider_kind_id", "inspectorate", "key_judgement_id"
            )
        ),
        "statements": list(PrincipleStatement.objects.values_list("pk", "code", "text")),
        "versions": list(FrameworkVersion.objects.values_list("pk", "checksum", "loaded_at")),
    }


def test_loading_twice_changes_nothing(framework: LoadResult) -> None:
    before = _state()
    again = framework_load()
    assert again.changed is False
    assert not again.created
    assert not again.updated
    assert not again.removed
    assert _state() == before


def test_key_judgement_pks_survive_a_reload(framework: LoadResult) -> None:
    pks = dict(KeyJudgement.objects.values_list("code", "pk"))
    framework_load()
    framework_load()
    assert dict(KeyJudgement.objects.values_list("code", "pk")) == pks


def test_loading_an_edited_text_updates_in_place(framework: LoadResult, data_copy) -> None:
    pk = KeyJudgement.objects.get(code="BH.1").pk
    relevance = Relevance.objects.filter(key_judgement__code="BH.1").count()
    edited = replace_once(
        shipped_text(FILE_2005),
        "text: parents and carers receive support to keep their children healthy",
        "text: parents and carers get support to keep their children healthy",
    )
    result = framework_load(paths=data_copy(**{FILE_2005: edited}))
    assert result.changed
    assert result.updated == Counter({"framework.KeyJudgement": 1, "framework.FrameworkVersion": 1})
    assert not result.created
    assert not result.removed
    kj = KeyJudgement.objects.get(code="BH.1")
    assert kj.pk == pk
    assert kj.text == "parents and carers get support to keep their children healthy"
    # What points at the judgement is kept.
    assert Relevance.objects.filter(key_judgement=kj).count() == relevance


def _without(data: Any, code: str, seen: set[int] | None = None) -> None:
    """Remove `code` from every list in `data`, in place (aliased lists are shared objects)."""
    seen = set() if seen is None else seen
    if id(data) in seen:
        return
    seen.add(id(data))
    if isinstance(data, list):
        data[:] = [item for item in data if item != code]
        for item in data:
            _without(item, code, seen)
    elif isinstance(data, dict):
        for value in data.values():
            _without(value, code, seen)


def test_a_judgement_dropped_from_the_files_is_removed(framework: LoadResult, data_copy) -> None:
    others = dict(KeyJudgement.objects.exclude(code="SS.8").values_list("code", "pk"))
    relevance = Relevance.objects.filter(key_judgement__code="SS.8").count()
    assert relevance > 0
    total = Relevance.objects.count()
    fw = replace_once(
        shipped_text(FILE_2005),
        "  - code: SS.8\n    text: children and young people with learning difficulties and/or "
        "disabilities live in safe environments\n      and are protected from abuse and "
        "exploitation\n    vulnerable_group: ldd\n",
        "",
    )
    rel = yaml.safe_load(shipped_text(FILE_RELEVANCE))
    _without(rel, "SS.8")
    result = framework_load(
        paths=data_copy(**{FILE_2005: fw, FILE_RELEVANCE: yaml.safe_dump(rel, sort_keys=False)})
    )
    assert result.removed["framework.KeyJudgement"] == 1
    assert not result.created
    assert not KeyJudgement.objects.filter(code="SS.8").exists()
    assert not Relevance.objects.filter(key_judgement__code="SS.8").exists()
    assert Relevance.objects.count() == total - relevance
    assert dict(KeyJudgement.objects.values_list("code", "pk")) == others
