"""Vulnerable groups against their statements, gaps, recommendations, circulation, the stage
preconditions, the pages and the API of the reports app."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.performance.models import IndicatorDefinition, IndicatorValue
from ecm_inspect.registry.models import Area, StatisticalNeighbour
from ecm_inspect.reports.charts import indicators_svg
from ecm_inspect.reports.document import render_html
from ecm_inspect.reports.models import (
    CommentStatus,
    GapKind,
    Priority,
    Publication,
    ReviewJudgement,
)
from ecm_inspect.reports.selectors import indicator_positions
from ecm_inspect.reports.services import (
    ReportRefused,
    comment_add,
    draft_circulate,
    draft_make,
    gap_record,
    is_signed_off,
    judgement_record,
    judgements_propose,
    publication_problems,
    recommendation_add,
)
from ecm_inspect.reviews.models import NoMoreComments, Stage
from ecm_inspect.reviews.services import ReviewRefused, review_advance
from ecm_inspect.reviews.stages import refusals
from ecm_inspect.reviews.tests.conftest import ReviewWorld, team_set

from .test_reports import _publish, _ready, _send


def test_a_group_is_judged_against_each_of_its_statements(rw: ReviewWorld) -> None:
    team_set(rw)
    item = EvidenceItem.objects.create(
        review=rw.review, kind="plan", title="Plan", source="Council", dated=date(2026, 6, 1)
    )
    group = next(j for j in judgements_propose(review=rw.review) if j.code == "children_in_care")
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    with pytest.raises(ReportRefused, match="against each statement: CIC.1, CIC.2"):
        judgement_record(
            judgement=group,
            grade=None,
            finding="Mostly good.",
            rationale="Cases.",
            evidence_ids=[item.pk],
            evidence_reasons={i: "Weighed across the review." for i in [item.pk]},
            statement_findings={"CIC.3": "Yes."},
            seen_version=group.version,
            by=leader,
        )
    saved = judgement_record(
        judgement=group,
        grade=3,
        finding="Mostly good.",
        rationale="Cases.",
        evidence_ids=[item.pk],
        evidence_reasons={i: "Weighed across the review." for i in [item.pk]},
        seen_version=group.version,
        by=leader,
        statement_findings={f"CIC.{n}": f"Statement {n} holds." for n in range(1, 7)},
    )
    assert saved.statement_findings["CIC.6"] == "Statement 6 holds."


def test_gaps_are_classified_and_recommendations_have_a_body_and_priority(
    rw: ReviewWorld,
) -> None:
    with pytest.raises(ReportRefused, match="how far the area has managed the gap"):
        gap_record(
            review=rw.review,
            kind=GapKind.CAPACITY,
            service="Short breaks",
            description="Too few places.",
            by=None,
        )
    gap_record(
        review=rw.review,
        kind=GapKind.CAPACITY,
        service="Short breaks",
        description="Too few places.",
        how_managed="Places bought next door.",
        by=None,
    )
    gap_record(
        review=rw.review,
        kind=GapKind.VERY_GOOD,
        service="The youth offending team",
        description="Cuts first-time entrants.",
        by=None,
    )
    with pytest.raises(ReportRefused, match="priority"):
        recommendation_add(
            review=rw.review, text="Act", body="The council", priority="soon", by=None
        )
    recommendation_add(
        review=rw.review,
        text="Review thresholds.",
        body="The council",
        priority=Priority.IMMEDIATELY,
        by=None,
    )
    _ready(rw)
    html = render_html(rw.review)
    assert "Very good services: The youth offending team." in html
    assert "the capacity to establish a suitable service is in question" in html
    assert "How far the area has managed the gap: Places bought next door." in html
    assert "The council should Review thresholds." in html or "should review thresholds" in html


def test_sign_off_is_lost_when_the_judgement_is_recorded_again(rw: ReviewWorld) -> None:
    ss = next(j for j in _ready(rw) if j.code == "SS")
    assert is_signed_off(ss)
    ss = judgement_record(
        judgement=ss,
        grade=2,
        finding="Changed.",
        rationale="New evidence.",
        evidence_ids=list(ss.evidence.values_list("pk", flat=True)),
        evidence_reasons={
            i: "Weighed across the review." for i in list(ss.evidence.values_list("pk", flat=True))
        },
        seen_version=ss.version,
        by=None,
    )
    assert not is_signed_off(ss)
    assert "SS is not signed off (or changed since)." in publication_problems(rw.review)


def test_the_stages_ask_for_a_draft_and_a_ready_report(rw: ReviewWorld) -> None:
    _ready(rw)
    rw.review.stage = Stage.FINDINGS_AGREED
    assert "There is no draft report yet" in " ".join(refusals(rw.review, Stage.DRAFT_SENT))
    draft = draft_make(review=rw.review)
    assert not any("draft" in r for r in refusals(rw.review, Stage.DRAFT_SENT))
    _send(rw)
    comment_add(
        draft=draft,
        paragraph="S1",
        organisation="Council",
        text="Wrong figure.",
        by=rw.people.users[Role.DCS],
    )
    rw.review.stage = Stage.FINDINGS_MEETING_HELD
    rw.review.save()
    assert "1 accuracy comment is not answered yet." in refusals(rw.review, Stage.PUBLISHED)
    draft.comments.update(status=CommentStatus.REJECTED, reason="Right.")
    early = refusals(rw.review, Stage.PUBLISHED, date(2026, 12, 2))
    assert early == [
        "Accuracy comments are open until 29 December 2026, unless the director of children's "
        "services says the area has no more comments: 2 December 2026 is too early.",
        "The report makes no recommendation: add at least one on the judgements page.",
    ]
    recommendation_add(
        review=rw.review, text="Act on referrals.", body="The council", priority="immediately",
        by=None,
    )  # fmt: skip
    NoMoreComments.objects.create(review=rw.review, said_by=rw.people.users[Role.DCS])
    assert refusals(rw.review, Stage.PUBLISHED, date(2026, 12, 2)) == []
    # Nothing is public until the move itself, which freezes the report dated its day.
    assert not Publication.objects.filter(review=rw.review).exists()
    with pytest.raises(ReviewRefused, match="needs confirming"):
        review_advance(review=rw.review, to=Stage.PUBLISHED)
    assert not Publication.objects.filter(review=rw.review).exists()
    review_advance(review=rw.review, to=Stage.PUBLISHED, on=date(2026, 12, 2), confirmed=True)
    assert Publication.objects.get(review=rw.review).published_on == date(2026, 12, 2)


def test_comments_only_while_the_draft_is_out_and_on_the_latest(rw: ReviewWorld) -> None:
    _ready(rw)
    first = draft_make(review=rw.review)
    dcs = rw.people.users[Role.DCS]
    with pytest.raises(ReportRefused, match="only while the draft is out"):
        comment_add(draft=first, paragraph="S1", organisation="Council", text="x", by=dcs)
    second = draft_make(review=rw.review)
    _send(rw)
    with pytest.raises(ReportRefused, match="latest draft"):
        comment_add(draft=first, paragraph="S1", organisation="Council", text="x", by=dcs)
    draft_circulate(draft=second, organisations=["Gateshead council", "Northumbria police"], by=dcs)
    second.refresh_from_db()
    assert second.circulated_to == ["Gateshead council", "Northumbria police"]
    # Made, then circulated: both in the audit trail.
    assert second.history.count() == 2  # type: ignore[attr-defined]


def test_the_area_comments_through_the_page_once_the_draft_is_out(rw: ReviewWorld) -> None:
    _ready(rw)
    draft_make(review=rw.review)
    url = f"/reviews/{rw.review.pk}/report/"
    dcs = client_for(rw.people.users[Role.DCS])
    assert dcs.get(url).status_code == 403
    _send(rw)
    assert dcs.get(url).status_code == 200
    dcs.post(url, {"action": "comment", "paragraph": "S1", "text": "A figure is out of date."})
    assert rw.review.drafts.get().comments.get().text == "A figure is out of date."
    # The area may not answer comments or publish.
    assert dcs.post(url, {"action": "publish"}).status_code == 403


def test_the_compare_page_marks_words_added_and_removed(rw: ReviewWorld) -> None:
    _ready(rw)
    draft_make(review=rw.review)
    ss = ReviewJudgement.objects.get(review=rw.review, code="SS")
    judgement_record(
        judgement=ss,
        grade=3,
        finding="Services are good and quick.",
        rationale="x",
        evidence_ids=list(ss.evidence.values_list("pk", flat=True)),
        evidence_reasons={
            i: "Weighed across the review." for i in list(ss.evidence.values_list("pk", flat=True))
        },
        seen_version=ss.version,
        by=None,
    )
    draft_make(review=rw.review)
    page = client_for(rw.people.users[Role.INSPECTOR]).get(
        f"/reviews/{rw.review.pk}/report/compare/?from=1&to=2"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<ins><span class="govuk-visually-hidden">[added: </span>good and quick.' in html
    assert '<del><span class="govuk-visually-hidden">[removed: </span>good.' in html


def test_the_api_records_refuses_without_evidence_and_signs_off(rw: ReviewWorld) -> None:
    team_set(rw)
    item = EvidenceItem.objects.create(
        review=rw.review, kind="plan", title="Plan", source="Council", dated=date(2026, 6, 1)
    )
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    base = f"/api/reports/reviews/{rw.review.pk}/judgements/"
    rows = leader.get(base).json()
    assert {"BH", "SS.4", "children_in_care", "SM.9", "capacity"} <= {r["code"] for r in rows}
    body = {"grade": 3, "finding": "Good.", "rationale": "Plan.", "evidence": [], "version": 1}
    refused = leader.post(f"{base}SS/", body, content_type="application/json")
    assert refused.status_code == 422
    assert "No grade without evidence" in " ".join(refused.json()["reasons"])
    body["evidence"] = [item.pk]
    body["evidence_reasons"] = {str(item.pk): "The plan sets out how children are kept safe."}
    assert leader.post(f"{base}SS/", body, content_type="application/json").json()["grade"] == 3
    signed = leader.post(f"{base}SS/sign-off/", content_type="application/json")
    assert signed.json()["signed_off"] is True
    inspector = client_for(rw.people.users[Role.INSPECTOR])
    assert inspector.post(f"{base}SS/", body, content_type="application/json").status_code == 403


def test_the_public_finds_the_report_by_area_and_in_the_api(rw: ReviewWorld) -> None:
    _ready(rw)
    public = Client()
    assert public.get("/reports/areas/E08000037/").status_code == 404
    assert public.get(f"/api/reports/published/{rw.review.pk}/").status_code == 404
    _publish(rw)
    page = public.get("/reports/areas/E08000037/").content.decode()
    assert "Download the report (PDF)" in page
    assert "Grades on the four-point scale" in page
    one = public.get(f"/api/reports/published/{rw.review.pk}/").json()
    assert one["grades"]["SS"] == 3
    assert one["pdf_url"] == f"/reports/{rw.review.pk}/report.pdf"
    rows = public.get("/api/reports/open-data/grades/").json()
    assert {"judgement": "SS", "judgement_title": "Staying safe", "grade": 3}.items() <= next(
        r for r in rows if r["judgement"] == "SS"
    ).items()


def test_the_indicator_chart_places_the_area_among_its_neighbours(rw: ReviewWorld) -> None:
    area = rw.review.area
    others = [
        Area.objects.create(
            gss_code=f"E0999999{n}",
            la_code=f"99{n}",
            name=f"Neighbour {n}",
            region_code=area.region_code,
            region_name=area.region_name,
            area_type=area.area_type,
        )
        for n in range(4)
    ]
    for rank, n in enumerate(others, 1):
        StatisticalNeighbour.objects.create(area=area, neighbour=n, rank=rank)
    d = IndicatorDefinition.objects.create(
        code="ReReferral", title="Re-referrals", outcome="SS", unit="%", polarity="lower"
    )
    IndicatorValue.objects.create(indicator=d, area=area, year=2025, period="2025", value=20)
    IndicatorValue.objects.create(indicator=d, area=None, year=2025, period="2025", value=22)
    for value, n in zip((10, 18, 25, 30), others, strict=True):
        IndicatorValue.objects.create(indicator=d, area=n, year=2025, period="2025", value=value)
    [row] = indicator_positions(review=rw.review)
    assert (row.value, row.england, row.rank, row.out_of) == (20, 22, 3, 5)
    svg = indicators_svg([row], "Chart")
    assert svg.count("<circle") == 4 + 1 + 2  # neighbours, the area, the legend's two dots
    assert 'role="img"' in svg
    assert "style=" not in svg  # the pages' Content Security Policy forbids inline styles


def test_the_command_renders_every_format(rw: ReviewWorld, tmp_path: Path) -> None:
    _ready(rw)
    for fmt, start in (
        ("pdf", b"%PDF"),
        ("html", b'<div class="app-report">'),
        ("children", b'<div class="app-report app-report--children">'),
    ):
        out = tmp_path / f"report.{fmt}"
        call_command("report", "render", str(rw.review.pk), "--format", fmt, "--out", str(out))
        assert out.read_bytes().startswith(start)


def test_the_confidentiality_check_catches_a_planted_draft_comment(rw: ReviewWorld) -> None:
    _ready(rw)
    draft = draft_make(review=rw.review)
    _send(rw)
    comment_add(
        draft=draft,
        paragraph="S1",
        organisation="Council",
        text="The head of service left in March after the inquiry.",
        by=rw.people.users[Role.DCS],
    )
    draft.comments.update(status=CommentStatus.REJECTED, reason="Not about accuracy.")
    assert publication_problems(rw.review) == []  # nothing of the comment is in the report
    gap_record(
        review=rw.review,
        kind=GapKind.INEFFECTIVE,
        service="Leadership",
        description="The head of service left in March after the inquiry.",
        by=None,
    )
    assert any(
        p.startswith("It would publish the text of a draft comment")
        for p in publication_problems(rw.review)
    )
    with pytest.raises(ReviewRefused, match="It would publish the text of a draft comment"):
        _publish(rw)
