"""Judgements made by the team and moderated by the team leader (issue 18): outcome leads,
not judged with a reason, evidence that bears on the judgement, proposals that heed fieldwork,
the findings agreed only when every key judgement is recorded, and errata after publication."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.models import AnalysisStatus, EvidenceItem, JudgementAnalysis
from ecm_inspect.evidence.services import evidence_record
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.reports.guards import findings_recorded
from ecm_inspect.reports.models import Erratum, Level, OutcomeLead, ReviewJudgement
from ecm_inspect.reports.services import (
    ReportRefused,
    erratum_record,
    fingerprint,
    is_signed_off,
    judgement_record,
    judgement_return,
    judgement_sign_off,
    judgement_status,
    judgements_missing,
    judgements_propose,
    judgements_sign_off_all,
    key_judgements_unrecorded,
    outcome_lead_set,
)
from ecm_inspect.reviews.models import Stage
from ecm_inspect.reviews.stages import _EXTRA_GUARDS
from ecm_inspect.reviews.tests.conftest import ReviewWorld, team_set

from .test_reports import _publish, _ready


def _item(rw: ReviewWorld, title: str, codes: list[str], **kw: object) -> EvidenceItem:
    return evidence_record(
        review=rw.review,
        kind=str(kw.pop("kind", "meeting_members_officers")),
        title=title,
        source="Team",
        dated=date(2026, 10, 6),
        key_judgement_codes=codes,
        **kw,  # type: ignore[arg-type]
    )


def _setup(rw: ReviewWorld) -> tuple[list[ReviewJudgement], EvidenceItem]:
    team_set(rw)
    item = _item(rw, "Meeting with the safeguarding board", ["SS.1", "SS.2"], grade=3)
    return judgements_propose(review=rw.review), item


def _member_leads_ss(rw: ReviewWorld) -> None:
    member = rw.review.team.get(inspector=rw.pool[1])
    outcome_lead_set(review=rw.review, outcome_code="SS", member=member, by=None)


def _j(rw: ReviewWorld, code: str) -> ReviewJudgement:
    return ReviewJudgement.objects.get(review=rw.review, code=code)


def test_a_member_drafts_the_outcome_they_lead_and_no_other(rw: ReviewWorld) -> None:
    _setup(rw)
    member = client_for(rw.people.users[Role.INSPECTOR])
    url = f"/reviews/{rw.review.pk}/judgements/SS/"
    ss1, bh = _j(rw, "SS.1"), _j(rw, "BH")
    item = EvidenceItem.objects.get(title__startswith="Meeting with the safeguarding")
    body = {
        "judgement": ss1.pk,
        "version": ss1.version,
        "choice": "3",
        "finding": "Children are safe at home.",
        "rationale": "The board's minutes.",
        "evidence": [item.pk],
    }
    assert member.post(url, body).status_code == 403  # not yet their outcome
    _member_leads_ss(rw)
    assert member.post(url, body).status_code == 302
    ss1.refresh_from_db()
    assert (ss1.grade, judgement_status(ss1)) == (3, "drafted")
    assert ss1.recorded_by == rw.people.users[Role.INSPECTOR]
    other = {**body, "judgement": bh.pk, "version": bh.version}
    assert member.post(f"/reviews/{rw.review.pk}/judgements/BH/", other).status_code == 403
    # The leader assigns leads through the leads page; a member may not.
    leads_url = f"/reviews/{rw.review.pk}/judgements/leads/"
    assert member.post(leads_url, {"outcome": "BH", "member": ""}).status_code == 403
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    assert leader.post(leads_url, {"outcome": "SS", "member": ""}).status_code == 302
    assert not OutcomeLead.objects.filter(review=rw.review).exists()


def test_grades_are_words_and_not_judged_reveals_a_reason(rw: ReviewWorld) -> None:
    _setup(rw)
    page = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER]).get(
        f"/reviews/{rw.review.pk}/judgements/SS/"
    )
    html = page.content.decode()
    assert page.status_code == 200
    for word in ("Outstanding", "Good", "Adequate", "Inadequate", "Not judged"):
        assert f">{word}</label>" in html
    assert 'data-aria-controls="nj-' in html
    assert ">4</option>" not in html
    assert "(optional)" not in html.split("SS.1")[1][:3000]
    # Beside each key judgement's radios: what separates its grades, from the descriptor set
    # in force, named as the project's own words.
    ss1 = html.split('id="j-SS.1"')[1].split('id="j-SS.2"')[0]
    assert "What separates the grades" in ss1
    assert "not part of the 2005 Framework" in ss1


def test_a_refusal_is_an_error_beside_the_field_with_the_input_kept(rw: ReviewWorld) -> None:
    _setup(rw)
    ss2 = _j(rw, "SS.2")
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    response = leader.post(
        f"/reviews/{rw.review.pk}/judgements/SS/",
        {
            "judgement": ss2.pk,
            "version": ss2.version,
            "choice": "not_judged",
            "not_judged_reason": "",
            "finding": "Typed and kept.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "govuk-error-summary" in html
    assert "Success" not in html
    assert "Say why the team is not judging this." in html
    assert "Typed and kept." in html
    assert 'value="not_judged" checked' in html
    ss2.refresh_from_db()
    assert not ss2.is_recorded


def test_not_judged_needs_a_reason_and_graded_levels_always_take_a_grade(
    rw: ReviewWorld,
) -> None:
    _setup(rw)
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    ss2 = _j(rw, "SS.2")
    with pytest.raises(ReportRefused) as info:
        judgement_record(
            judgement=ss2,
            grade=None,
            finding="",
            rationale="",
            evidence_ids=[],
            not_judged=True,
            seen_version=ss2.version,
            by=leader,
        )
    assert info.value.fields == {"not_judged_reason": "Say why the team is not judging this."}
    saved = judgement_record(
        judgement=ss2,
        grade=3,
        finding="",
        rationale="",
        evidence_ids=[],
        not_judged=True,
        not_judged_reason="No young carers were found in the sample.",
        seen_version=ss2.version,
        by=leader,
    )
    assert saved.not_judged
    assert saved.grade is None
    assert saved.is_recorded
    ss = _j(rw, "SS")
    with pytest.raises(ReportRefused, match="always takes a grade"):
        judgement_record(
            judgement=ss,
            grade=None,
            finding="",
            rationale="",
            evidence_ids=[],
            not_judged=True,
            not_judged_reason="Too hard.",
            seen_version=ss.version,
            by=leader,
        )
    # Signed off, a not-judged key judgement is ready for publication.
    judgement_sign_off(judgement=saved, by=leader)
    assert not any(m.startswith("SS.2 ") for m in judgements_missing(rw.review))


def test_evidence_comes_from_the_judgement_or_with_a_reason(rw: ReviewWorld) -> None:
    _, tagged = _setup(rw)
    elsewhere = _item(rw, "Health visiting audit", ["BH.1"], grade=2)
    stranger = EvidenceItem.objects.create(
        review=type(rw.review).objects.exclude(pk=rw.review.pk).first() or rw.review,
        kind="plan",
        title="x",
        source="x",
        dated=date(2026, 1, 1),
    )
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    ss1 = _j(rw, "SS.1")
    args = {
        "judgement": ss1,
        "grade": 3,
        "finding": "Safe.",
        "rationale": "Minutes.",
        "seen_version": ss1.version,
        "by": leader,
    }
    with pytest.raises(ReportRefused) as info:
        judgement_record(**args, evidence_ids=[tagged.pk, elsewhere.pk])  # type: ignore[arg-type]
    assert f"evidence-reason-{elsewhere.pk}" in info.value.fields
    if stranger.review_id != rw.review.pk:
        with pytest.raises(ReportRefused, match="not in this review"):
            judgement_record(**args, evidence_ids=[tagged.pk, stranger.pk])  # type: ignore[arg-type]
    with pytest.raises(ReportRefused, match="not in this review"):
        judgement_record(**args, evidence_ids=[tagged.pk, 10**9])  # type: ignore[arg-type]
    saved = judgement_record(
        **args,  # type: ignore[arg-type]
        evidence_ids=[tagged.pk, elsewhere.pk],
        evidence_reasons={elsewhere.pk: "Health visitors see the same families."},
    )
    assert saved.evidence_reasons == {str(elsewhere.pk): "Health visitors see the same families."}
    # The page lists only SS.1's own items to choose, and the audit (graded 2) against good.
    html = client_for(leader).get(f"/reviews/{rw.review.pk}/judgements/SS/").content.decode()
    assert "Points the other way" in html
    assert "Health visiting audit (graded 2" in html
    searched = client_for(leader).get(f"/reviews/{rw.review.pk}/judgements/SS/?q=visiting")
    assert searched.content.decode().count(f'name="evidence-reason-{elsewhere.pk}"') >= 1


def test_a_proposal_agreed_at_analysis_heeds_fieldwork_since(rw: ReviewWorld) -> None:
    team_set(rw)
    _item(rw, "Annual performance assessment", ["SS.1"], grade=4, kind="apa_findings")
    JudgementAnalysis.objects.create(
        review=rw.review,
        key_judgement=KeyJudgement.objects.get(code="SS.1", outcome__version__code="2005"),
        status=AnalysisStatus.AGREED,
        proposed_grade=3,
        reasons=["Recent and consistent."],
    )
    ss1 = next(j for j in judgements_propose(review=rw.review) if j.code == "SS.1")
    assert ss1.proposed_grade == 3
    assert ss1.proposal_reasons[0] == "Agreed at analysis."
    _item(rw, "Tracked child: late assessments", ["SS.1"], grade=1, kind="tracked_child")
    _item(rw, "Staff focus group: thresholds unclear", ["SS.1"], indication="weakness",
          kind="focus_group_staff")  # fmt: skip
    ss1 = next(j for j in judgements_propose(review=rw.review) if j.code == "SS.1")
    assert ss1.proposal_reasons[0].startswith(
        "Agreed at analysis as good; 2 fieldwork items since point the other way: "
    )
    assert "Tracked child: late assessments" in ss1.proposal_reasons[0]
    assert ss1.proposed_grade == round((4 + 1) / 2)


def test_findings_are_agreed_only_when_every_key_judgement_is_recorded(rw: ReviewWorld) -> None:
    assert findings_recorded in _EXTRA_GUARDS[Stage.FINDINGS_AGREED]
    judgements, item = _setup(rw)
    refusal = findings_recorded(rw.review, date(2026, 11, 1))
    kjs = [j for j in judgements if j.level == Level.KEY_JUDGEMENT]
    assert refusal is not None
    assert refusal.startswith(f"{len(kjs)} key judgements are neither")
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    for j in kjs:
        judgement_record(
            judgement=j,
            grade=None,
            finding="",
            rationale="",
            evidence_ids=[],
            not_judged=True,
            not_judged_reason="Not practical in this review.",
            seen_version=j.version,
            by=leader,
        )
    last = kjs[-1]
    last.refresh_from_db()
    last.not_judged_reason = ""
    last.save()
    assert findings_recorded(rw.review, date(2026, 11, 1)) == (
        f"1 key judgement is neither recorded nor marked not judged with a reason: {last.code}."
    )
    assert key_judgements_unrecorded(rw.review) == [last.code]


def test_the_leader_returns_with_a_comment_and_signs_off_the_unchanged(rw: ReviewWorld) -> None:
    _setup(rw)
    _member_leads_ss(rw)
    member = rw.people.users[Role.INSPECTOR]
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    for code in ("SS.1", "SS.2", "SS.3"):
        j = _j(rw, code)
        judgement_record(
            judgement=j,
            grade=None,
            finding="",
            rationale="",
            evidence_ids=[],
            not_judged=True,
            not_judged_reason=f"{code}: not practical.",
            seen_version=j.version,
            by=member,
        )
    with pytest.raises(ReportRefused, match="Only the review's team leader"):
        judgement_return(judgement=_j(rw, "SS.1"), comment="Look again.", by=member)
    judgement_return(judgement=_j(rw, "SS.1"), comment="The sample had two carers.", by=leader)
    page = client_for(member).get(f"/reviews/{rw.review.pk}/judgements/SS/").content.decode()
    assert "The sample had two carers." in page
    assert ">Returned</strong>" in page
    js = list(ReviewJudgement.objects.filter(review=rw.review, code__startswith="SS."))
    seen = {j.pk: fingerprint(j) for j in js}
    ss3 = _j(rw, "SS.3")
    ss3.not_judged_reason = "Changed after the leader looked."
    ss3.save()
    count = judgements_sign_off_all(judgements=list(js), seen=seen, by=leader)
    assert count == 1  # SS.2: SS.1 returned, SS.3 changed since seen
    assert is_signed_off(_j(rw, "SS.2"))
    assert not is_signed_off(_j(rw, "SS.3"))
    # The reason is in the fingerprint: a change after sign-off shows.
    ss2 = _j(rw, "SS.2")
    ss2.not_judged_reason = "Edited."
    ss2.save()
    assert judgement_status(ss2) == "changed"


def test_after_publication_judgements_are_read_only_and_corrected_by_erratum(
    rw: ReviewWorld,
) -> None:
    from ecm_inspect.reports.services import draft_make

    _ready(rw)
    draft_make(review=rw.review)
    _publish(rw)
    assert rw.review.stage == Stage.PUBLISHED
    leader_user = rw.people.users[Role.REVIEW_TEAM_LEADER]
    ss = _j(rw, "SS")
    with pytest.raises(ReportRefused, match="published"):
        judgement_record(
            judgement=ss,
            grade=2,
            finding="Changed.",
            rationale="x",
            evidence_ids=list(ss.evidence.values_list("pk", flat=True)),
            seen_version=ss.version,
            by=leader_user,
        )
    leader = client_for(leader_user)
    page = leader.get(f"/reviews/{rw.review.pk}/judgements/SS/").content.decode()
    assert "read-only" in page
    assert 'name="choice"' not in page
    url = f"/reviews/{rw.review.pk}/judgements/SS/correct/"
    body = {"grade": "2", "finding": "", "reason": "The grade was transcribed wrongly."}
    check = leader.post(url, body)
    assert check.status_code == 200
    assert "Confirm the correction" in check.content.decode()
    assert not Erratum.objects.exists()
    refused = leader.post(url, {**body, "reason": ""})
    assert refused.status_code == 422
    done = leader.post(url, {**body, "confirm": "yes"})
    assert done.status_code == 302
    erratum = Erratum.objects.get()
    assert (erratum.old_grade, erratum.new_grade) == (3, 2)
    assert _j(rw, "SS").grade == 2
    assert erratum.history.count() == 1  # type: ignore[attr-defined]
    public = client_for(None).get(f"/reports/{rw.review.pk}/").content.decode()
    assert "Corrections" in public
    assert "The grade was transcribed wrongly." in public
    inspector = client_for(rw.people.users[Role.INSPECTOR])
    assert inspector.post(url, {**body, "confirm": "yes"}).status_code == 403
    with pytest.raises(ReportRefused, match="Only the team leader or the national lead"):
        erratum_record(
            judgement=_j(rw, "SS"), grade=1, finding="", reason="x", by=rw.people.users[Role.DCS]
        )


def test_the_index_lists_outcomes_with_leads_and_counts(rw: ReviewWorld) -> None:
    _setup(rw)
    _member_leads_ss(rw)
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = leader.get(f"/reviews/{rw.review.pk}/judgements/")
    html = page.content.decode()
    assert f'href="/reviews/{rw.review.pk}/judgements/SS/"' in html
    assert "Team Inspector" in html
    assert "to do" in html
    assert f'href="/reviews/{rw.review.pk}/judgements/groups/"' in html
    assert f'href="/reviews/{rw.review.pk}/judgements/gaps/"' in html
    assert 'name="choice"' not in html
    for part in ("SS", "groups", "management", "gaps"):
        assert leader.get(f"/reviews/{rw.review.pk}/judgements/{part}/").status_code == 200
    assert leader.get(f"/reviews/{rw.review.pk}/judgements/XX/").status_code == 404


def test_the_leader_may_hand_the_groups_to_a_member(rw: ReviewWorld) -> None:
    _setup(rw)
    member = client_for(rw.people.users[Role.INSPECTOR])
    group = _j(rw, "children_in_care")
    body = {"judgement": group.pk, "version": group.version, "choice": "not_judged",
            "not_judged_reason": "No placements were sampled."}  # fmt: skip
    url = f"/reviews/{rw.review.pk}/judgements/groups/"
    assert member.post(url, body).status_code == 403
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    team_member = rw.review.team.get(inspector=rw.pool[1])
    leads_url = f"/reviews/{rw.review.pk}/judgements/leads/"
    assert (
        leader.post(leads_url, {"outcome": "groups", "member": team_member.pk}).status_code == 302
    )
    assert member.post(url, body).status_code == 302
    assert _j(rw, "children_in_care").not_judged
    assert member.post(f"/reviews/{rw.review.pk}/judgements/management/", {
        "judgement": _j(rw, "SM").pk, "choice": "3"}).status_code == 403  # fmt: skip
