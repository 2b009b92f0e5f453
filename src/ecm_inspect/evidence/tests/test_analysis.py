"""The analysis on a real review: pooled setting inspections pulled in once per inspection,
indicators against the statistical neighbours, Appendix 2's expected sources (a missing one
needs fieldwork, a minor gap does not), and the share agreed at analysis on the page, the API
and the CSV."""

from datetime import date
from typing import Any, cast

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.analysis import analysis_run
from ecm_inspect.evidence.contributions import expected_evidence
from ecm_inspect.evidence.indicators import indicator_position, indicators_indication
from ecm_inspect.evidence.models import EvidenceItem, EvidenceKind, Indication
from ecm_inspect.evidence.pulling import evidence_pull
from ecm_inspect.evidence.services import evidence_record
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import ProviderKind
from ecm_inspect.performance.models import IndicatorDefinition, IndicatorValue
from ecm_inspect.performance.services import apa_run
from ecm_inspect.provision.tests.test_pool import inspect as _inspect
from ecm_inspect.registry.models import Area, AreaType, Inspectorate, Provider, StatisticalNeighbour
from ecm_inspect.registry.services import inspectorates_load
from ecm_inspect.reviews.tests.conftest import ReviewWorld

SPREAD_TO = ["BH.2", "BH.3", "BH.4", "BH.6", "SS.1", "SS.2", "SS.8"]


def _providers(rw: ReviewWorld, kind: str, count: int) -> list[Provider]:
    return [
        Provider.objects.create(
            urn=f"{kind[:3].upper()}{n:04d}",
            name=f"{kind.replace('_', ' ').title()} {n}",
            kind=ProviderKind.objects.get(code=kind),
            area=rw.review.area,
        )
        for n in range(count)
    ]


def _apa_on_ea7(rw: ReviewWorld) -> None:
    evidence_record(
        review=rw.review,
        kind=EvidenceKind.APA_FINDINGS,
        title="APA 2025: Enjoying and achieving graded 3",
        source="Annual performance assessment 2025",
        dated=date(2025, 12, 1),
        key_judgement_codes=["EA.7"],
        group_slugs=["children_in_care"],
        grade=3,
        indication=Indication.STRENGTH,
    )


def _ea7(rw: ReviewWorld):  # noqa: ANN202
    return next(a for a in analysis_run(review=rw.review) if a.key_judgement.code == "EA.7")


def test_a_missing_expected_source_sends_the_judgement_to_fieldwork(rw: ReviewWorld) -> None:
    _providers(rw, "special_school", 3)
    _apa_on_ea7(rw)
    ea7 = _ea7(rw)
    assert ea7.status == "fieldwork"
    assert ea7.reasons == [
        "Missing expected source: Special school (3 in the area): none inspected on EA.7 in the "
        "last three years, and no other evidence from that service: 100% of the area's "
        "providers expected to contribute (Appendix 2)."
    ]
    wanted = expected_evidence(review=rw.review)["EA.7"]
    assert [c.code for c in wanted.contributions] == ["EA.c4"]
    sources = {s.kind_code: s for s in wanted.contributions[0].sources}
    assert sources["special_school"].status == "missing"
    assert sources["primary_school"].status == "none in the area"
    assert "Recent inspections of special school by Ofsted on EA.7" in (
        sources["special_school"].expected
    )


def test_a_gap_in_few_providers_is_noted_not_sent_to_fieldwork(rw: ReviewWorld) -> None:
    _providers(rw, "special_school", 2)
    _apa_on_ea7(rw)
    ea7 = _ea7(rw)
    assert ea7.status == "agreed"
    assert ea7.reasons[-1] == (
        "Not inspected recently, but contributing little to this judgement: Special school (2)."
    )


def test_a_recent_inspection_of_the_kind_is_the_source_found(rw: ReviewWorld) -> None:
    inspectorates_load()
    schools = _providers(rw, "special_school", 3)
    ofsted = Inspectorate.objects.get(code="OFSTED")
    _inspect(cast(Any, None), schools[0], ofsted, date(2025, 6, 1), {"EA.7": Grade.GOOD})
    _apa_on_ea7(rw)
    assert _ea7(rw).status == "agreed"
    wanted = expected_evidence(review=rw.review)["EA.7"]
    school = next(s for s in wanted.contributions[0].sources if s.kind_code == "special_school")
    assert (school.status, school.inspections, school.providers) == ("found", 1, 3)


def test_pooled_findings_say_how_many_distinct_inspections_stand_behind_them(
    rw: ReviewWorld,
) -> None:
    inspectorates_load()
    ofsted = Inspectorate.objects.get(code="OFSTED")
    for n, school in enumerate(_providers(rw, "primary_school", 2)):
        _inspect(
            cast(Any, None),
            school,
            ofsted,
            date(2025, 3, 1 + n),
            dict.fromkeys(SPREAD_TO, Grade.GOOD),
        )
    evidence_pull(review=rw.review)
    item = EvidenceItem.objects.get(review=rw.review, origin_key="pool:SS.2")
    assert item.title == "Setting inspections on SS.2: 2 distinct inspections, one per provider"
    assert "2 of them gave one overall grade to several key judgements" in item.summary
    assert item.grade == 3


def _area(code: str, name: str) -> Area:
    return Area.objects.create(
        gss_code=code,
        la_code=code[-3:],
        name=name,
        region_code="E12000001",
        region_name="North East",
        area_type=AreaType.METROPOLITAN,
    )


def _indicator_pulled(
    rw: ReviewWorld, neighbours: list[float], indicators: int = 2
) -> EvidenceItem:
    """`indicators` indicators of being healthy, each 40 in the area against 50 in England and
    `neighbours` in the statistical neighbours."""
    areas = []
    for rank in range(1, len(neighbours) + 1):
        area = _area(f"E0800090{rank}", f"Neighbour {rank}")
        StatisticalNeighbour.objects.create(area=rw.review.area, neighbour=area, rank=rank)
        areas.append(area)
    for n in range(indicators):
        d = IndicatorDefinition.objects.create(
            code=f"X{n}", title=f"Indicator {n}", outcome="BH", polarity="higher"
        )
        for area, value in zip(areas, neighbours, strict=True):
            IndicatorValue.objects.create(
                indicator=d, area=area, year=2026, period="2026", value=value
            )
        IndicatorValue.objects.create(indicator=d, area=None, year=2026, period="2026", value=50.0)
        IndicatorValue.objects.create(
            indicator=d, area=rw.review.area, year=2026, period="2026", value=40.0
        )
    apa_run(year=2026)
    evidence_pull(review=rw.review)
    return EvidenceItem.objects.get(review=rw.review, kind=EvidenceKind.PERFORMANCE_DATA)


def test_indicators_in_line_with_the_neighbours_are_not_a_weakness(rw: ReviewWorld) -> None:
    item = _indicator_pulled(rw, [38.0, 40.0, 42.0])
    assert item.indication == Indication.NEUTRAL
    assert "0 worse than both, 2 in line" in item.title
    assert "neighbours' median 40" in item.summary


def test_indicators_worse_than_england_and_the_neighbours_are_a_weakness(rw: ReviewWorld) -> None:
    item = _indicator_pulled(rw, [50.0, 50.0, 50.0])
    assert item.indication == Indication.WEAKNESS
    assert "2 worse than both" in item.title


def test_one_indicator_alone_points_neither_way(rw: ReviewWorld) -> None:
    item = _indicator_pulled(rw, [50.0, 50.0, 50.0], indicators=1)
    assert item.indication == Indication.NEUTRAL
    assert "1 worse than both" in item.title


def test_indicators_point_one_way_only_with_a_third_of_them() -> None:
    assert indicators_indication(better=0, worse=2, compared=2) == Indication.WEAKNESS
    assert indicators_indication(better=0, worse=1, compared=3) == Indication.WEAKNESS
    assert indicators_indication(better=1, worse=2, compared=8) == Indication.NEUTRAL
    assert indicators_indication(better=3, worse=1, compared=8) == Indication.STRENGTH
    assert indicators_indication(better=1, worse=1, compared=2) == Indication.NEUTRAL
    assert indicators_indication(better=0, worse=1, compared=1) == Indication.NEUTRAL


def _position(value: float, neighbours: float | None, polarity: str = "higher") -> str:
    return indicator_position(value=value, england=50.0, neighbours=neighbours, polarity=polarity)


def test_indicator_position() -> None:
    assert _position(60.0, None) == "better"
    assert _position(40.0, None) == "worse"
    assert _position(40.0, 40.5) == "in line"
    assert _position(40.0, 30.0) == "in line"  # one each way
    assert _position(51.0, 45.0) == "better"
    assert _position(40.0, 50.0, polarity="lower") == "better"


def test_the_share_agreed_at_analysis_is_on_the_page_the_api_and_the_csv(
    rw: ReviewWorld,
) -> None:
    _apa_on_ea7(rw)
    analyses = analysis_run(review=rw.review)
    agreed = sum(1 for a in analyses if a.status == "agreed")
    text = f"{agreed} of {len(analyses)} key judgements agreed at analysis"
    client = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = client.get(f"/reviews/{rw.review.pk}/analysis/").content.decode()
    assert text in page
    assert "Evidence expected from the services that contribute (Appendix 2)" in page
    assert "Why it can be agreed" in page
    assert "Why fieldwork" in page
    share = client.get(f"/api/evidence/reviews/{rw.review.pk}/analysis/share/").json()
    assert (share["agreed"], share["total"]) == (agreed, len(analyses))
    assert share["text"].startswith(text)
    rows = client.get(f"/api/evidence/reviews/{rw.review.pk}/analysis/").json()
    ss4 = next(r for r in rows if r["key_judgement"] == "SS.4")
    assert "Always fieldwork" in ss4["reason_kinds"]
    assert ss4["expected_evidence"]["contributions"][0]["code"] == "SS.c3"
    csv = client.get(f"/reviews/{rw.review.pk}/analysis.csv").content.decode()
    assert text in csv.strip().splitlines()[-1]
    # Someone outside the review's team sees none of it.
    outsider = client_for(rw.people.users[Role.DCS])
    assert outsider.get(f"/api/evidence/reviews/{rw.review.pk}/analysis/share/").status_code in (
        401,
        403,
        404,
    )
