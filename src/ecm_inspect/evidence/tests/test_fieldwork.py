"""Fieldwork that reaches the judgements: case-file readings, tracked children, neighbourhood
studies and meetings become evidence the proposals read and cite by reference, never by text."""

from datetime import date, timedelta
from typing import Any

import pytest

from ecm_inspect.evidence.analysis import analysis_run
from ecm_inspect.evidence.case_files import CaseListRefused, case_files_import, child_track
from ecm_inspect.evidence.fieldwork import (
    fieldwork_weighing,
    finding_record,
    finding_withdraw,
    journey_step_add,
    meeting_record,
    neighbourhood_describe,
    place_deprivation,
)
from ecm_inspect.evidence.models import (
    CaseFile,
    EvidenceItem,
    EvidenceKind,
    FieldworkFinding,
    Indication,
    Origin,
)
from ecm_inspect.evidence.neighbourhoods import neighbourhood_study_add, neighbourhoods_of
from ecm_inspect.evidence.services import EvidenceRefused, PersonalDataFound, evidence_record
from ecm_inspect.framework.grades import Grade
from ecm_inspect.reports.models import ReviewJudgement
from ecm_inspect.reports.services import judgements_propose
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .conftest import case_list

TODAY = date.today()  # noqa: DTZ011 (findings are dated up to today)
CASE_TEXT = "Assessment started eleven weeks after the strategy discussion; no manager oversight."
CHILD_TEXT = "Initial assessment completed 61 working days after referral; drift before the plan."


def _ss4(rw: ReviewWorld) -> ReviewJudgement:
    judgements_propose(review=rw.review)
    return ReviewJudgement.objects.get(review=rw.review, code="SS.4")


def test_a_case_file_weakness_and_a_tracked_childs_delay_move_the_ss4_proposal(
    rw: ReviewWorld,
) -> None:
    evidence_record(
        review=rw.review, kind=EvidenceKind.EARLIER_INSPECTION, title="Safeguarding inspection",
        source="CSCI", dated=date(2026, 3, 1), key_judgement_codes=["SS.4"], grade=3,
        indication=Indication.STRENGTH,
    )  # fmt: skip
    analysis_run(review=rw.review)
    before = _ss4(rw)
    assert before.proposed_grade == 3

    case_files_import(review=rw.review, text=case_list(10))
    case = CaseFile.objects.filter(review=rw.review).first()
    assert case is not None
    reading = finding_record(
        review=rw.review, case_file=case, found=CASE_TEXT, key_judgement_codes=["SS.4"],
        indication=Indication.WEAKNESS, severity="significant", found_on=TODAY,
        service="Children's social care", aspect="quality",
    )  # fmt: skip
    child = child_track(review=rw.review, case_file=case, summary="Referred twice.")
    journey_step_add(
        child=child, on=TODAY - timedelta(days=90), kind="referral",
        service="Children's social care", what_happened="Referral from the school.",
    )  # fmt: skip
    journey_step_add(
        child=child, on=TODAY - timedelta(days=5), kind="assessment",
        service="Children's social care", what_happened="Initial assessment completed.",
    )  # fmt: skip
    delay = finding_record(
        review=rw.review, tracked_child=child, found=CHILD_TEXT, key_judgement_codes=["ss.4"],
        indication=Indication.WEAKNESS, severity="significant", found_on=TODAY,
        service="Children's social care", aspect="timeliness",
    )  # fmt: skip

    after = _ss4(rw)
    assert after.proposed_grade == 2
    reasons = " ".join(after.proposal_reasons)
    assert reading.reference in reasons
    assert delay.reference in reasons
    assert "timeliness of decisions" in reasons
    assert "good to adequate" in reasons
    # Cited by reference: no text of either finding is in the proposal or its evidence items.
    for secret in (CASE_TEXT, CHILD_TEXT, "eleven weeks", "61 working days", case.pseudonym):
        assert secret not in reasons
        for item in EvidenceItem.objects.filter(origin=Origin.FIELDWORK):
            assert secret not in f"{item.title} {item.summary} {item.source}"
    # The case-file reading is about the child's groups.
    first = reading.evidence
    assert first is not None
    assert first.kind == EvidenceKind.CASE_FILE_READING
    assert first.origin_key == f"finding:{reading.pk}"

    # Withdrawn (with confirmation), the findings no longer move it.
    with pytest.raises(EvidenceRefused, match="Confirm"):
        finding_withdraw(finding=reading)
    finding_withdraw(finding=reading, confirmed=True)
    finding_withdraw(finding=FieldworkFinding.objects.get(pk=delay.pk), confirmed=True)
    assert not EvidenceItem.objects.filter(origin=Origin.FIELDWORK).exists()
    assert _ss4(rw).proposed_grade == 3


def test_findings_are_refused_with_reasons(rw: ReviewWorld) -> None:
    case_files_import(review=rw.review, text=case_list(4))
    case = CaseFile.objects.filter(review=rw.review).first()
    ok: dict[str, Any] = {"review": rw.review, "case_file": case, "found_on": TODAY}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"found": "x", "key_judgement_codes": [], "indication": "strength"}, "key judgements"),
        ({"found": "x", "key_judgement_codes": ["ZZ.9"], "indication": "strength"}, "ZZ.9"),
        ({"found": " ", "key_judgement_codes": ["SS.4"], "indication": "strength"}, "what was"),
        ({"found": "x", "key_judgement_codes": ["SS.4"], "indication": "weakness"}, "serious"),
        (
            {"found": "x", "key_judgement_codes": ["SS.4"], "indication": "strength",
             "severity": "minor"},
            "Only a weakness",
        ),
    ]  # fmt: skip
    for kwargs, message in cases:
        with pytest.raises(EvidenceRefused, match=message):
            finding_record(**ok, **kwargs)
    with pytest.raises(EvidenceRefused, match="future"):
        finding_record(
            review=rw.review, case_file=case, found="x", key_judgement_codes=["SS.4"],
            indication="strength", found_on=TODAY + timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(PersonalDataFound, match="Jessica Smith"):
        finding_record(
            review=rw.review, case_file=case, found="Jessica Smith was seen late.",
            key_judgement_codes=["SS.4"], indication="neutral", found_on=TODAY,
        )  # fmt: skip
    assert not FieldworkFinding.objects.exists()
    assert not EvidenceItem.objects.filter(origin=Origin.FIELDWORK).exists()
    # With a reading recorded, the list cannot be replaced underneath it.
    finding_record(
        review=rw.review, case_file=case, found="Plan reviewed on time.",
        key_judgement_codes=["SS.4"], indication="strength", found_on=TODAY,
    )  # fmt: skip
    with pytest.raises(CaseListRefused, match="readings"):
        case_files_import(review=rw.review, text=case_list(4))


def test_the_fieldwork_rule_fires_and_its_near_misses_hold() -> None:
    def item(indication: str, severity: str = "") -> EvidenceItem:
        found = FieldworkFinding(pk=1, source="meeting", severity=severity)
        made = EvidenceItem(title=f"F {indication}", indication=indication)
        made.fieldwork_finding = found
        return made

    w, s = Indication.WEAKNESS, Indication.STRENGTH
    assert fieldwork_weighing(Grade(3), []).grade == 3
    assert fieldwork_weighing(Grade(3), [item(w, "minor")]).grade == 3  # one weakness: confirms
    assert fieldwork_weighing(Grade(3), [item(w, "minor"), item(w, "minor")]).grade == 2
    assert fieldwork_weighing(Grade(3), [item(w, "minor"), item(w, "minor"), item(s)]).grade == 3
    assert fieldwork_weighing(Grade(3), [item(w, "serious")]).grade == 2  # counts twice, caps
    assert fieldwork_weighing(Grade(4), [item(w, "serious"), item(s), item(s), item(s)]).grade == 2
    assert fieldwork_weighing(Grade(3), [item(s), item(s)]).grade == 4
    assert fieldwork_weighing(Grade(4), [item(s), item(s)]).grade == 4
    assert fieldwork_weighing(Grade(1), [item(w, "minor"), item(w, "minor")]).grade == 1
    assert fieldwork_weighing(None, [item(s)]).grade == 3
    assert fieldwork_weighing(None, [item(w, "minor")]).grade == 2
    assert fieldwork_weighing(None, [item(w, "serious")]).grade == 1
    assert fieldwork_weighing(None, [item(w, "minor"), item(s)]).grade is None


def test_neighbourhoods_meetings_and_their_findings(rw: ReviewWorld) -> None:
    rows = neighbourhoods_of(rw.review.area)
    study = neighbourhood_study_add(
        review=rw.review, lsoa_code=rows[0]["lsoa11cd"], why_chosen="Most deprived"
    )
    neighbourhood_describe(
        study=study, seen_version=study.version, name="The Avenues estate", place_kind="estate",
        lsoa_codes=[rows[1]["lsoa11cd"], rows[2]["lsoa11cd"]], context="Two primary schools.",
        provision="A children's centre; no youth club.", visits="Children's centre.",
        discussions="Residents' group.",
    )  # fmt: skip
    study.refresh_from_db()
    assert study.codes == [r["lsoa11cd"] for r in rows[:3]]
    depth = place_deprivation(study.codes)
    assert depth.lsoas == 3
    assert depth.most_deprived_decile == rows[0]["imd_decile"]
    with pytest.raises(EvidenceRefused, match="Not neighbourhoods of"):
        neighbourhood_describe(
            study=study, seen_version=study.version, name="X", place_kind="ward",
            lsoa_codes=["E01000001"], context="", provision="", visits="", discussions="",
        )  # fmt: skip
    meeting = meeting_record(
        review=rw.review, kind="parents", title="Parents of disabled children", attendees=7,
        held_on=TODAY, group_slugs=["ldd"], notes="Waits for short breaks of a year.",
    )  # fmt: skip
    found = finding_record(
        review=rw.review, meeting=meeting, found="Short breaks hard to reach.",
        key_judgement_codes=["BH.6"], indication="weakness", severity="significant",
        found_on=TODAY,
    )  # fmt: skip
    item = found.evidence
    assert item is not None
    assert item.kind == EvidenceKind.MEETING_PARENTS
    assert [g.slug for g in item.vulnerable_groups.all()] == ["ldd"]
    near = finding_record(
        review=rw.review, neighbourhood=study, found="No youth provision after 6pm.",
        key_judgement_codes=["EA.8"], indication="weakness", severity="minor", found_on=TODAY,
    )  # fmt: skip
    assert near.evidence is not None
    assert near.evidence.kind == EvidenceKind.NEIGHBOURHOOD_STUDY
    assert "Short breaks" not in item.title
    assert "youth" not in near.evidence.title


# -- the pages ----------------------------------------------------------------------------


def _fieldwork_world(rw: ReviewWorld) -> dict[str, Any]:
    case_files_import(review=rw.review, text=case_list(10))
    case = CaseFile.objects.filter(review=rw.review).first()
    assert case is not None
    child = child_track(review=rw.review, case_file=case, summary="Two referrals.")
    rows = neighbourhoods_of(rw.review.area)
    study = neighbourhood_study_add(
        review=rw.review, lsoa_code=rows[0]["lsoa11cd"], why_chosen="Most deprived"
    )
    meeting = meeting_record(
        review=rw.review, kind="children", title="Children in care council", attendees=6,
        held_on=TODAY, group_slugs=["children_in_care"],
    )  # fmt: skip
    return {"case": case, "child": child, "study": study, "meeting": meeting}


def _pages(review_id: int, w: dict[str, Any]) -> list[str]:
    base = f"/reviews/{review_id}"
    return [
        f"{base}/case-files/{w['case'].pk}/", f"{base}/tracked-children/",
        f"{base}/tracked-children/{w['child'].pk}/", f"{base}/neighbourhoods/",
        f"{base}/neighbourhoods/{w['study'].pk}/", f"{base}/meetings/",
        f"{base}/meetings/{w['meeting'].pk}/", f"{base}/findings/",
    ]  # fmt: skip


def test_the_team_records_findings_on_every_fieldwork_page(rw: ReviewWorld) -> None:
    from ecm_inspect.accounts.models import Role
    from ecm_inspect.accounts.tests.world import client_for

    w = _fieldwork_world(rw)
    team = client_for(rw.people.users[Role.INSPECTOR])
    for n, url in enumerate(_pages(rw.review.pk, w)):
        assert team.get(url).status_code == 200, url
        if url.endswith(("/tracked-children/", "/neighbourhoods/", "/meetings/", "/findings/")):
            continue
        posted = team.post(
            url,
            {
                "action": "finding", "finding-found": f"Finding number {n} on the page.",
                "finding-key_judgements": "SS.4 SS.3", "finding-indication": "weakness",
                "finding-severity": "minor", "finding-found_on": TODAY.isoformat(),
                "finding-service": "Health visiting", "finding-aspect": "coordination",
            },
        )  # fmt: skip
        assert posted.status_code == 302, (url, posted.content.decode()[:3000])
    assert FieldworkFinding.objects.filter(review=rw.review).count() == 4
    overview = team.get(f"/reviews/{rw.review.pk}/findings/?kj=SS.3").content.decode()
    assert overview.count("Finding number") == 4
    assert "Which way the findings point" in overview
    assert (
        "Finding number"
        not in team.get(f"/reviews/{rw.review.pk}/findings/?kj=EW.1").content.decode()
    )
    assert {f.source for f in FieldworkFinding.objects.all()} == {
        "case_file", "tracked_child", "neighbourhood", "meeting",
    }  # fmt: skip
    # A refusal is shown as an error beside its field, with what was typed kept.
    page = team.post(
        _pages(rw.review.pk, w)[0],
        {
            "action": "finding", "finding-found": "Kept text", "finding-key_judgements": "SS.4",
            "finding-indication": "weakness", "finding-found_on": TODAY.isoformat(),
        },
    )  # fmt: skip
    assert page.status_code == 422
    body = page.content.decode()
    assert "There is a problem" in body
    assert "how serious the weakness is" in body
    assert "Kept text" in body
    # Withdrawing asks first.
    finding = FieldworkFinding.objects.filter(source="meeting").get()
    url = f"/reviews/{rw.review.pk}/findings/{finding.pk}/withdraw/"
    assert "cannot be undone" in team.get(url).content.decode()
    assert team.post(url, {}).status_code == 422
    assert FieldworkFinding.objects.filter(pk=finding.pk).exists()
    assert team.post(url, {"confirm": "on"}).status_code == 302
    assert not FieldworkFinding.objects.filter(pk=finding.pk).exists()
    # The specification says how far fieldwork has got (counts only: no text).
    spec = team.get(f"/reviews/{rw.review.pk}/fieldwork-specification/").content.decode()
    assert "How far fieldwork has got" in spec
    assert "1 read of" in spec
    assert "1 held, of" in spec
    assert "Finding number" not in spec
    # Journey steps and the place's description.
    child_url = _pages(rw.review.pk, w)[2]
    for on, kind, service in (
        ("2026-06-01", "referral", "School"),
        ("2026-08-15", "assessment", "Social care"),
    ):
        step = {
            "action": "step",
            "step-on": on,
            "step-kind": kind,
            "step-service": service,
            "step-what_happened": "Seen.",
        }
        assert team.post(child_url, step).status_code == 302
    # fmt: skip
    assert "75 days later" in team.get(child_url).content.decode()
    study = w["study"]
    study_url = _pages(rw.review.pk, w)[4]
    stale = {"action": "describe", "place-version": study.version, "place-name": "Hendon",
             "place-place_kind": "ward", "place-context": "Terraced streets."}  # fmt: skip
    assert team.post(study_url, stale).status_code == 302
    again = team.post(study_url, stale)  # the same version again: someone saved since
    assert again.status_code == 409
    assert "Someone else saved this study" in again.content.decode()


def test_outsiders_cannot_open_the_fieldwork_pages(rw: ReviewWorld) -> None:
    from ecm_inspect.accounts.models import Role
    from ecm_inspect.accounts.tests.world import client_for

    w = _fieldwork_world(rw)
    for role in (Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD, Role.DCS, Role.PARTNER_CONTRIBUTOR):
        client = client_for(rw.people.users[role])
        for url in _pages(rw.review.pk, w):
            assert client.get(url).status_code in (403, 404), (role, url)


def test_the_analysis_reads_findings_from_before_fieldwork_only(rw: ReviewWorld) -> None:
    from ecm_inspect.reviews.models import Milestone, MilestoneKind

    start = Milestone.objects.get(review=rw.review, kind=MilestoneKind.FIELDWORK_START)
    start.planned = TODAY - timedelta(days=10)
    start.save()
    case_files_import(review=rw.review, text=case_list(4))
    case = CaseFile.objects.filter(review=rw.review).first()

    def status_of(code: str) -> tuple[str, list[str]]:
        found = {a.key_judgement.code: a for a in analysis_run(review=rw.review)}[code]
        return found.status, found.reasons

    before = status_of("EA.3")
    finding_record(
        review=rw.review, case_file=case, found="Read in fieldwork.", indication="weakness",
        severity="minor", key_judgement_codes=["EA.3"], found_on=TODAY - timedelta(days=10),
    )  # fmt: skip
    assert status_of("EA.3") == before  # recorded once fieldwork began: not the analysis's
    finding_record(
        review=rw.review, case_file=case, found="Read in the analysis week.",
        indication="weakness", severity="minor", key_judgement_codes=["EA.3"],
        found_on=TODAY - timedelta(days=11),
    )  # fmt: skip
    assert status_of("EA.3") != before
