"""The APA of the year a review is published follows from the review: per outcome the grade
for the council's own services, and overall and capacity to improve recomputed from them."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.performance.models import Assessment, AssessmentSource, CpaBlockScore
from ecm_inspect.performance.services import apa_run
from ecm_inspect.reports.models import Level, ReviewJudgement
from ecm_inspect.reports.services import (
    ReportRefused,
    draft_make,
    judgement_record,
    judgement_sign_off,
    render_html,
)
from ecm_inspect.reviews.models import MilestoneKind
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .test_reports import _publish, _ready

pytestmark = pytest.mark.django_db

COUNCIL = {"BH": 4, "SS": 3, "EA": 4, "PC": 4, "EW": 4}  # local services overall: all 3


def _record_council_grades(rw: ReviewWorld, grades: dict[str, int]) -> None:
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    for j in ReviewJudgement.objects.filter(review=rw.review, level=Level.OUTCOME):
        j = judgement_record(
            judgement=j,
            grade=j.grade,
            council_grade=grades[j.code],
            finding=j.finding,
            rationale=j.rationale,
            evidence_ids=[e.pk for e in j.evidence.all()],
            evidence_reasons={int(k): v for k, v in j.evidence_reasons.items()},
            seen_version=j.version,
            by=leader,
        )
        judgement_sign_off(judgement=j, by=leader)


def _year(rw: ReviewWorld) -> int:
    published = rw.review.milestones.get(kind=MilestoneKind.PUBLICATION).actual
    assert published is not None
    return published.year


def _apa(rw: ReviewWorld) -> dict[str, int | None]:
    year = _year(rw)
    apa_run(year=year, areas=[rw.review.area])
    assessment = Assessment.objects.get(area=rw.review.area, year=year)
    assert assessment.source == AssessmentSource.JOINT_AREA_REVIEW
    return {j.kind: j.grade for j in assessment.judgements.all()}


def test_the_apa_of_the_review_year_follows_from_the_council_grades(rw: ReviewWorld) -> None:
    _ready(rw)  # every graded judgement 3 for local services overall, service management 3
    _record_council_grades(rw, COUNCIL)
    _publish(rw)
    grades = _apa(rw)
    assert {k: grades[k] for k in COUNCIL} == COUNCIL
    assert grades["SM"] == 3
    # All outcomes but one outstanding, staying safe good, service management good: 4 (from
    # the local grades, all good, it would have been 3).
    assert grades["overall"] == 4
    assert grades["capacity"] in (3, 4)  # service management good, at most one above overall
    year = _year(rw)
    overall = Assessment.objects.get(area=rw.review.area, year=year).judgements.get(kind="overall")
    assert "recomputed from the review's grades for the council's own services" in " ".join(
        overall.reasons
    )
    # The CPA children and young people block score is stored, with its source.
    block = CpaBlockScore.objects.get(area=rw.review.area, year=year)
    assert (block.score, block.source, block.decided) == (
        4,
        AssessmentSource.JOINT_AREA_REVIEW,
        False,
    )
    lead = client_for(rw.people.users[Role.NATIONAL_LEAD])
    exported = lead.get(f"/apa/cpa-block-scores.csv?year={year}").content.decode()
    assert f'{year},"{rw.review.area.gss_code}","Gateshead",4,"jar"' in exported
    api = lead.get(f"/api/apa/{year}/cpa-block-scores/").json()
    assert [(b["gss_code"], b["score"], b["source"]) for b in api] == [
        (rw.review.area.gss_code, 4, "jar")
    ]
    dcs = client_for(rw.people.users[Role.DCS])
    assert dcs.get(f"/api/apa/{year}/cpa-block-scores/").status_code == 403
    # Other council grades (corrected, say) make another overall and capacity to improve.
    ReviewJudgement.objects.filter(review=rw.review, code__in=["BH", "SS"]).update(council_grade=1)
    grades = _apa(rw)
    assert (grades["BH"], grades["SS"], grades["EA"]) == (1, 1, 4)
    assert grades["overall"] == 1  # all outcomes but one reach only inadequate
    assert grades["capacity"] == 2  # no more than one grade above overall
    assert CpaBlockScore.objects.get(area=rw.review.area, year=year).score == 1


def test_the_council_grade_is_for_outcomes_only_and_on_the_scale(rw: ReviewWorld) -> None:
    judgements = _ready(rw)
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    outcome = next(j for j in judgements if j.level == Level.OUTCOME)
    management = next(j for j in judgements if j.level == Level.SERVICE_MANAGEMENT)
    for j, council, field in ((outcome, 7, "council_grade"), (management, 2, "council_grade")):
        with pytest.raises(ReportRefused) as refused:
            judgement_record(
                judgement=j, grade=3, council_grade=council, finding="F", rationale="R",
                evidence_ids=[e.pk for e in j.evidence.all()],
                evidence_reasons={int(k): v for k, v in j.evidence_reasons.items()},
                seen_version=j.version, by=leader,
            )  # fmt: skip
        assert field in refused.value.fields


def test_the_form_takes_the_council_grade_and_the_report_shows_it(rw: ReviewWorld) -> None:
    judgements = _ready(rw)
    outcome = next(j for j in judgements if j.level == Level.OUTCOME and j.code == "SS")
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    url = f"/reviews/{rw.review.pk}/judgements/SS/"
    post = {
        "judgement": outcome.pk, "version": outcome.version, "action": "record",
        "choice": "3", "council_grade": "9", "finding": "", "rationale": "Why.",
        "evidence": [e.pk for e in outcome.evidence.all()],
    }  # fmt: skip
    refused = leader.post(url, post)
    assert refused.status_code == 422
    shown = refused.content.decode()
    assert "council&#x27;s own services is outstanding, good, adequate or" in shown
    assert "Write the finding." in shown  # every reason at once
    assert 'id="council-' in shown  # the radios shown again
    post["council_grade"], post["finding"] = "2", "Safe."
    for e in outcome.evidence.all():
        post[f"evidence-reason-{e.pk}"] = "Weighed across the review."
    assert leader.post(url, post).status_code in (200, 302)
    outcome.refresh_from_db()
    assert outcome.council_grade == 2
    draft_make(review=rw.review, by=rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = leader.get(f"/reviews/{rw.review.pk}/report/").content.decode()
    assert "For the council&#x27;s own services, where graded apart: staying safe, adequate" in page
    body = render_html(rw.review)  # the published page and the PDF: the grades table
    assert "Council's own services" in body
    assert '2 <span class="govuk-body-s">(adequate)</span>' in body
