"""The catalogue's wording is the source documents' wording, whitespace aside.

Only the typo fixes documented at the top of the YAML files are allowed.
"""

import pytest

from ecm_inspect.framework.models import (
    Aim,
    EvidenceSource,
    FrameworkVersion,
    KeyJudgement,
    Outcome,
    Principle,
    PrincipleStatement,
    ScopeRule,
    ServiceContribution,
    ServiceManagementAspect,
    VulnerableGroup,
    VulnerableGroupStatement,
)
from ecm_inspect.framework.services import LoadResult

from .helpers import normalise

pytestmark = pytest.mark.django_db

# Per version: (typo in the source, as the catalogue has it, where), as the YAML headers say.
TYPO_FIXES = {
    "2005": [
        ("0–-16", "0–16", "SS.5"),
        ("disabilities disruption", "disabilities, disruption", "P05.1.1.2"),
    ],
    "2004": [("fall though", "fall through", "SS.c5")],
}


def _fixed(version: str, source: str) -> str:
    text = normalise(source)
    for typo, fixed, _ in TYPO_FIXES[version]:
        assert typo in text, f"the source no longer has the typo {typo!r}"
        text = text.replace(typo, fixed)
    return text


def texts(version: str) -> dict[str, str]:
    """Every piece of wording the catalogue holds for a version, keyed by where it is (not the
    version's title: the 2004 source has no cover page)."""
    out: dict[str, str] = {}
    v = FrameworkVersion.objects.get(code=version)
    for o in Outcome.objects.filter(version=v):
        out[f"{o.code} title"] = o.title
        if o.summary:
            out[f"{o.code} summary"] = o.summary
        if o.aims_preamble:
            out[f"{o.code} aims preamble"] = o.aims_preamble
    for model in (Aim, KeyJudgement, ServiceContribution):
        for item in model.objects.filter(outcome__version=v):
            out[item.code] = item.text
    for p in Principle.objects.filter(version=v):
        out[f"principle ({p.number})"] = p.title
    for st in PrincipleStatement.objects.filter(principle__version=v):
        if st.introduction:
            out[f"{st.code} introduction"] = st.introduction
        if st.text:
            out[st.code] = st.text
    for rule in ScopeRule.objects.filter(version=v):
        out[rule.code] = rule.text
    for g in VulnerableGroup.objects.filter(version=v):
        out[f"{g.code} title"] = g.title
    for s in VulnerableGroupStatement.objects.filter(group__version=v):
        out[s.code] = s.text
    for a in ServiceManagementAspect.objects.filter(version=v):
        out[a.code] = a.text
        out[f"{a.code} report"] = a.report_text
    for e in EvidenceSource.objects.filter(version=v):
        out[e.code] = e.text
    return out


def _not_in_source(version: str, source: str) -> list[str]:
    return [f"{where}: {text!r}" for where, text in texts(version).items() if text not in source]


def test_2005_wording_is_in_the_framework(catalogue: LoadResult, source_2005: str) -> None:
    assert len(texts("2005")) > 130
    assert _not_in_source("2005", _fixed("2005", source_2005)) == []


def test_2004_wording_is_in_the_proposals(catalogue: LoadResult, source_2004: str) -> None:
    assert len(texts("2004")) > 80
    assert _not_in_source("2004", _fixed("2004", source_2004)) == []


def test_only_the_documented_typos_differ(
    catalogue: LoadResult, source_2005: str, source_2004: str
) -> None:
    """Without the fixes, exactly the three corrected items are not found: no other edits."""
    missing = {
        where.split(":")[0]
        for where in _not_in_source("2005", normalise(source_2005))
        + _not_in_source("2004", normalise(source_2004))
    }
    assert missing == {where for fixes in TYPO_FIXES.values() for _, _, where in fixes}


def test_stored_wording_has_no_stray_whitespace(catalogue: LoadResult) -> None:
    """Folded YAML lines are joined by one space and nothing is padded."""
    for version in ("2005", "2004"):
        for where, text in texts(version).items():
            assert text == normalise(text), where


def test_typo_fixes_are_applied(catalogue: LoadResult) -> None:
    assert KeyJudgement.objects.get(code="SS.5").text.endswith("aged 0–16")
    assert "fall through the net" in ServiceContribution.objects.get(code="SS.c5").text
    assert "disabilities, disruption of family life" in (
        PrincipleStatement.objects.get(code="P05.1.1.2").text
    )


# --- Exact spot checks ------------------------------------------------------------------------


def test_ss4(catalogue: LoadResult) -> None:
    assert KeyJudgement.objects.get(code="SS.4").text == (
        "agencies collaborate to safeguard children according to the requirements of the current "
        "government guidance"
    )


def test_ew3(catalogue: LoadResult) -> None:
    assert KeyJudgement.objects.get(code="EW.3").text == (
        "action is taken to ensure that 14–19 education and training is planned and delivered in "
        "a coordinated way, and to ensure that education and training (for 16–19 year olds) is of "
        "good quality"
    )


def test_pc4_and_bh5(catalogue: LoadResult) -> None:
    pc4 = KeyJudgement.objects.get(code="PC.4")
    assert (
        pc4.text == "action is taken to reduce anti-social behaviour by children and young people"
    )
    assert pc4.vulnerable_group == ""
    bh5 = KeyJudgement.objects.get(code="BH.5")
    assert bh5.text == "looked after children’s health needs are addressed"
    assert bh5.vulnerable_group == "children_in_care"


def test_cic4(catalogue: LoadResult) -> None:
    assert VulnerableGroupStatement.objects.get(code="CIC.4").text == (
        "Children and young people and their carers make good attachments and the placements "
        "provide stability and promote permanence."
    )


def test_sm8(catalogue: LoadResult) -> None:
    sm8 = ServiceManagementAspect.objects.get(code="SM.8")
    assert sm8.text == (
        "collect, exchange and use information to ensure timely and appropriate referral, "
        "assessment and intervention to meet the needs of individual children and young people"
    )
    assert sm8.report_text == (
        "collecting, exchanging and using information to ensure timely and appropriate intervention"
    )


def test_aims_and_evidence(catalogue: LoadResult) -> None:
    assert Aim.objects.get(code="EW.a5").text == "live in households free from low-income"
    assert EvidenceSource.objects.get(code="FW.7").text == "neighbourhood studies"
    assert EvidenceSource.objects.get(code="AN.1").text == "performance data"
    assert ScopeRule.objects.get(code="SC.3").text.startswith(
        "and those over 19 but under 25 with a learning difficulty"
    )
