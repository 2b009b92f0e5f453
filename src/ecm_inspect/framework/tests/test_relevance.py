"""The relevance matrix: which key judgements each inspectorate makes for each kind of provider."""

import pytest

from ecm_inspect.framework.models import (
    InspectorateCode,
    KeyJudgement,
    Outcome,
    ProviderKind,
    Relevance,
)
from ecm_inspect.framework.scope import ServiceScope
from ecm_inspect.framework.selectors import (
    outcome_get,
    relevance_by_judgement,
    relevance_matrix,
)
from ecm_inspect.framework.services import LoadResult

pytestmark = pytest.mark.django_db

UNDER_18_KINDS = {
    # Framework paragraph 3: secure training centres, prisons and removal centres, youth
    # offending teams, local probation boards and police forces.
    "secure_training_centre",
    "young_offender_institution",
    "immigration_removal_centre",
    "youth_offending_team",
    "probation_board",
    "police_force",
}


def _relevant(kind: str, code: str) -> set[str]:
    """The inspectorates that may make judgement `code` for provider kind `kind`."""
    return set(
        Relevance.objects.filter(provider_kind__code=kind, key_judgement__code=code).values_list(
            "inspectorate", flat=True
        )
    )


def test_anti_social_behaviour_is_for_youth_offending_teams_not_hospitals(
    catalogue: LoadResult,
) -> None:
    """The 2004 proposals' own example: promoting responsible behaviour in neighbourhoods is
    relevant to inspecting a youth offending team but not a hospital."""
    assert _relevant("youth_offending_team", "PC.4") == {"HMI_PROBATION", "HMIC"}
    assert _relevant("hospital", "PC.4") == set()
    assert _relevant("hospital", "BH.3") == {"HEALTHCARE_COMMISSION"}


def test_ofsted_may_make_every_judgement_for_council_childrens_services(
    catalogue: LoadResult,
) -> None:
    council = ProviderKind.objects.get(code="council_childrens_services")
    for body in ("OFSTED", "CSCI"):
        codes = set(
            Relevance.objects.for_kind(council)
            .filter(inspectorate=body)
            .values_list("key_judgement__code", flat=True)
        )
        assert codes == set(KeyJudgement.objects.values_list("code", flat=True)), body
    assert len(codes) == 36


def test_every_provider_kind_has_a_relevant_judgement(catalogue: LoadResult) -> None:
    kinds = ProviderKind.objects.all()
    assert kinds.count() == 29
    empty = [k.code for k in kinds if not k.relevance.exists()]
    assert empty == []


def test_every_judgement_is_relevant_somewhere_beyond_the_council(catalogue: LoadResult) -> None:
    """Each key judgement is made in at least one inspection of front-line provision."""
    lonely = KeyJudgement.objects.exclude(
        relevance__in=Relevance.objects.exclude(provider_kind__code="council_childrens_services")
    )
    assert list(lonely.values_list("code", flat=True)) == []


def test_under_18_scope(catalogue: LoadResult) -> None:
    under_18 = set(
        ProviderKind.objects.filter(scope=ServiceScope.UNDER_18).values_list("code", flat=True)
    )
    assert under_18 == UNDER_18_KINDS
    assert ProviderKind.objects.get(code="childrens_home").scope == ServiceScope.STANDARD


def test_only_known_inspectorates(catalogue: LoadResult) -> None:
    used = set(Relevance.objects.values_list("inspectorate", flat=True))
    assert used <= set(InspectorateCode.values)
    # Each of the ten bodies of paragraph 2 makes some judgement for some kind of provider.
    assert used == set(InspectorateCode.values)


def test_shared_lists_are_flattened(catalogue: LoadResult) -> None:
    """primary_school's OFSTED list is two aliased lists (7 + 10 codes) plus EA.1 and EA.6."""
    codes = list(
        Relevance.objects.filter(provider_kind__code="primary_school", inspectorate="OFSTED")
        .order_by("key_judgement__outcome__order", "key_judgement__order")
        .values_list("key_judgement__code", flat=True)
    )
    assert len(codes) == 19
    assert {"BH.2", "SS.8", "PC.4", "EA.1", "EA.6"} <= set(codes)
    # The secure children's home gets the residential-care list and PC.5 as well.
    assert _relevant("secure_childrens_home", "PC.5") == {"CSCI"}
    assert _relevant("secure_childrens_home", "EW.7") == {"CSCI"}


def test_relevance_matrix_selector(catalogue: LoadResult) -> None:
    rows = relevance_matrix()
    assert [r["code"] for r in rows] == list(ProviderKind.objects.values_list("code", flat=True))
    yot = next(r for r in rows if r["code"] == "youth_offending_team")
    assert yot["name"] == "Youth offending team"
    assert yot["scope"] == "under_18"
    assert yot["relevance"] == {
        "CSCI": ["SS.4", "SS.6", "PC.6"],
        "HEALTHCARE_COMMISSION": ["BH.3", "BH.4", "BH.5"],
        "HMIC": ["PC.4", "PC.5"],
        "HMI_PROBATION": ["SS.1", "SS.4", "PC.2", "PC.4", "PC.5", "EW.2", "EW.5"],
        "OFSTED": ["EA.5", "EW.2"],
    }
    council = next(r for r in rows if r["code"] == "council_childrens_services")
    # Codes are in Framework order (outcome, then number), not string order.
    assert council["relevance"]["OFSTED"][:7] == [
        "BH.1",
        "BH.2",
        "BH.3",
        "BH.4",
        "BH.5",
        "BH.6",
        "SS.1",
    ]
    assert council["relevance"]["OFSTED"][-1] == "EW.7"


def test_relevance_by_judgement(catalogue: LoadResult) -> None:
    outcome = outcome_get(code="pc")
    assert isinstance(outcome, Outcome)
    assert outcome.code == "PC"
    rows = relevance_by_judgement(outcome=outcome)
    assert list(rows) == [f"PC.{n}" for n in range(1, 8)]
    pc4 = dict(rows["PC.4"])
    assert pc4["Youth offending team"] == [
        "HM Inspectorate of Constabulary",
        "HM Inspectorate of Probation",
    ]
    assert pc4["Police force"] == ["HM Inspectorate of Constabulary"]
    assert "Hospital (acute or mental health trust)" not in pc4
    # Kinds are in the matrix's order.
    orders = [ProviderKind.objects.get(name=name).order for name, _ in rows["PC.4"]]
    assert orders == sorted(orders)


def test_outcome_get_unknown(catalogue: LoadResult) -> None:
    assert outcome_get(code="XX") is None
    assert outcome_get(code="PC", version="1999") is None
