"""The fieldwork API: the review team lists its findings and meetings and records a finding;
nobody else may; and no response carries what was found, the meeting notes, a journey step or
a neighbourhood's description."""

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.case_files import case_files_import, child_track
from ecm_inspect.evidence.fieldwork import (
    finding_record,
    journey_step_add,
    meeting_record,
    neighbourhood_describe,
)
from ecm_inspect.evidence.models import (
    CaseFile,
    FieldworkFinding,
    FieldworkMeeting,
    NeighbourhoodStudy,
    TrackedChild,
)
from ecm_inspect.evidence.neighbourhoods import neighbourhood_study_add, neighbourhoods_of
from ecm_inspect.reports.services import judgements_propose
from ecm_inspect.reviews.models import Stage
from ecm_inspect.reviews.services import review_advance
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .conftest import case_list

OUTSIDERS = [Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD, Role.DCS, Role.PARTNER_CONTRIBUTOR]
TEAM = [Role.REVIEW_TEAM_LEADER, Role.INSPECTOR]
ON = date(2026, 9, 30)


@dataclass
class Fieldwork:
    marker: str
    case: CaseFile
    child: TrackedChild
    study: NeighbourhoodStudy
    meeting: FieldworkMeeting
    findings: list[FieldworkFinding]


@pytest.fixture
def fw(rw: ReviewWorld) -> Fieldwork:
    """A notified review (so the area's staff can see it) with a finding from every source,
    each text carrying the same random marker."""
    review = review_advance(review=rw.review, to=Stage.NOTIFIED, confirmed=True)
    marker = f"zq{random.randint(10**6, 10**7)}"  # noqa: S311 (a marker, not a secret)
    case_files_import(review=review, text=case_list(10))
    case = CaseFile.objects.filter(review=review).first()
    assert case is not None
    child = child_track(review=review, case_file=case, summary=f"Tracked {marker}.")
    journey_step_add(
        child=child, on=date(2026, 3, 2), kind="referral", service="Children's social care",
        what_happened=f"Referral from the school {marker}.",
    )  # fmt: skip
    row = neighbourhoods_of(review.area)[0]
    study = neighbourhood_study_add(review=review, lsoa_code=row["lsoa11cd"], why_chosen=marker)
    neighbourhood_describe(
        study=study, seen_version=study.version, name="The estate", place_kind="estate",
        lsoa_codes=[], context=f"Context {marker}", provision=f"Provision {marker}",
        visits=f"Visits {marker}", discussions=f"Discussions {marker}",
    )  # fmt: skip
    meeting = meeting_record(
        review=review, kind="parents", title="Parents of disabled children", attendees=6,
        held_on=ON, group_slugs=["ldd"], notes=f"Notes {marker}",
    )  # fmt: skip
    common: dict[str, Any] = {"review": review, "found_on": ON}
    findings = [
        finding_record(
            **common, case_file=case, found=f"Drift before the plan {marker}.",
            key_judgement_codes=["SS.4"], indication="weakness", severity="significant",
            service="Children's social care", aspect="timeliness",
        ),
        finding_record(
            **common, tracked_child=child, found=f"Assessment late {marker}.",
            key_judgement_codes=["SS.4", "SS.3"], indication="weakness", severity="serious",
        ),
        finding_record(
            **common, neighbourhood=study, found=f"A youth club {marker}.",
            key_judgement_codes=["EA.8"], indication="strength",
        ),
        finding_record(
            **common, meeting=meeting, found=f"Short breaks hard to reach {marker}.",
            key_judgement_codes=["BH.6"], indication="weakness", severity="minor",
        ),
    ]  # fmt: skip
    return Fieldwork(marker, case, child, study, meeting, findings)


def _urls(review_id: int) -> list[str]:
    base = f"/api/evidence/reviews/{review_id}/fieldwork"
    return [
        f"{base}/findings/", f"{base}/meetings/", f"{base}/tracked-children/",
        f"{base}/neighbourhoods/",
    ]  # fmt: skip


def test_outsiders_may_not_list_or_record_findings(rw: ReviewWorld, fw: Fieldwork) -> None:
    body = {
        "source": "case_file", "source_id": fw.case.pk, "found": "Plan reviewed on time.",
        "key_judgements": ["SS.4"], "indication": "strength", "found_on": ON.isoformat(),
    }  # fmt: skip
    for role in OUTSIDERS:
        client = client_for(rw.people.users[role])
        for url in _urls(rw.review.pk):
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert fw.marker not in response.content.decode(), (role, url)
        response = client.post(_urls(rw.review.pk)[0], body, content_type="application/json")
        assert response.status_code == 403, role
    # Signed in with a password only, even the team is turned away.
    unverified = client_for(rw.people.users[Role.INSPECTOR], verified=False)
    assert unverified.get(_urls(rw.review.pk)[0]).status_code == 401
    assert FieldworkFinding.objects.count() == len(fw.findings)


def test_the_team_lists_findings_and_meetings_without_their_text(
    rw: ReviewWorld, fw: Fieldwork
) -> None:
    for role in TEAM:
        client = client_for(rw.people.users[role])
        for url in _urls(rw.review.pk):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert fw.marker not in response.content.decode(), (role, url)
    team = client_for(rw.people.users[Role.INSPECTOR])
    findings = team.get(_urls(rw.review.pk)[0]).json()
    assert [f["reference"] for f in findings] == [f.reference for f in fw.findings]
    first = findings[0]
    assert first == {
        "id": fw.findings[0].pk,
        "reference": f"Case-file reading F{fw.findings[0].pk}",
        "source": "case_file",
        "service": "Children's social care",
        "aspect": "timeliness",
        "key_judgements": ["SS.4"],
        "indication": "weakness",
        "severity": "significant",
        "found_on": "2026-09-30",
        "evidence_item": fw.findings[0].evidence_id,
    }
    assert findings[1]["key_judgements"] == ["SS.3", "SS.4"]
    meetings = team.get(_urls(rw.review.pk)[1]).json()
    assert meetings == [
        {
            "id": fw.meeting.pk,
            "kind": "parents",
            "title": "Parents of disabled children",
            "held_on": "2026-09-30",
            "attendees": 6,
            "groups": ["ldd"],
            "under_eights": False,
            "hard_to_reach": "",
            "findings": [fw.findings[3].reference],
        }
    ]
    children = team.get(_urls(rw.review.pk)[2]).json()
    assert children == [
        {
            "id": fw.child.pk,
            "journey": [
                {"on": "2026-03-02", "kind": "referral", "service": "Children's social care"}
            ],
            "findings": [f.reference for f in fw.findings if f.tracked_child_id],
        }
    ]
    assert fw.child.pseudonym not in str(children)
    places = team.get(_urls(rw.review.pk)[3]).json()
    assert [(p["name"], p["place_kind"], p["lsoa_codes"]) for p in places] == [
        ("The estate", "estate", [fw.study.lsoa_code])
    ]
    assert places[0]["most_deprived_decile"] == fw.study.imd_decile


def test_the_team_records_a_finding_or_is_told_why_not(rw: ReviewWorld, fw: Fieldwork) -> None:
    team = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    url = _urls(rw.review.pk)[0]
    body: dict[str, Any] = {
        "source": "tracked_child", "source_id": fw.child.pk,
        "found": f"Plan reviewed within the month {fw.marker}.", "key_judgements": ["ss.7"],
        "indication": "strength", "found_on": ON.isoformat(), "service": "Health visiting",
        "aspect": "coordination",
    }  # fmt: skip
    response = team.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    made = response.json()
    finding = FieldworkFinding.objects.get(pk=made["id"])
    assert made["reference"] == f"Tracked child F{finding.pk}"
    assert made["key_judgements"] == ["SS.7"]
    assert fw.marker not in response.content.decode()
    assert finding.recorded_by == rw.people.users[Role.REVIEW_TEAM_LEADER]
    assert finding.evidence is not None
    assert made["evidence_item"] == finding.evidence.pk

    refusals: list[tuple[dict[str, Any], str]] = [
        ({"indication": "weakness"}, "how serious"),
        ({"key_judgements": ["ZZ.9"]}, "No such key judgement: ZZ.9"),
        ({"found_on": "2999-01-01"}, "future"),
        ({"found": "Jessica Smith was seen late."}, "may identify someone"),
        ({"source": "meeting", "source_id": fw.child.pk + 1000}, "This review has no meeting"),
        ({"source": "case_file", "source_id": 2**63 - 1}, "no case file"),
    ]
    for change, message in refusals:
        response = team.post(url, {**body, **change}, content_type="application/json")
        assert response.status_code == 422, (change, response.content)
        assert message in response.json()["detail"], (change, response.json())
    # Confirmed to name no one, flagged text is taken.
    response = team.post(
        url,
        {**body, "found": "Jessica Smith was seen late.", "confirm_no_personal_data": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert FieldworkFinding.objects.count() == len(fw.findings) + 2


def _every_api_response(review_id: int) -> list[str]:
    """Every API response about the review that any role may get: the fieldwork listings, the
    evidence items that cite findings, the analysis and the proposed judgements' reasons."""
    return [
        *_urls(review_id),
        f"/api/evidence/reviews/{review_id}/evidence/",
        f"/api/evidence/reviews/{review_id}/analysis/",
        f"/api/reports/reviews/{review_id}/judgements/",
        f"/api/reviews/{review_id}/",
        "/api/accounts/audit/",
    ]


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9),
        min_size=2,
        max_size=6,
    ),
    marker=st.integers(min_value=10**6, max_value=10**7),
    source=st.sampled_from(["case_file", "tracked_child", "neighbourhood", "meeting"]),
)
def test_what_fieldwork_found_is_in_no_api_response(
    rw: ReviewWorld, fw: Fieldwork, words: list[str], marker: int, source: str
) -> None:
    token = f"zq{marker}"
    where: dict[str, Any] = {
        "case_file": fw.case, "tracked_child": fw.child, "neighbourhood": fw.study,
        "meeting": fw.meeting,
    }  # fmt: skip
    finding_record(
        review=rw.review, found=f"{token} " + " ".join(words), key_judgement_codes=["SS.4"],
        indication="weakness", severity="serious", found_on=ON, confirm_no_personal_data=True,
        service="Children's social care", aspect="timeliness", **{source: where[source]},
    )  # fmt: skip
    judgements_propose(review=rw.review)
    for role in [*OUTSIDERS, *TEAM]:
        client = client_for(rw.people.users[role])
        for url in _every_api_response(rw.review.pk):
            body = client.get(url).content.decode(errors="replace")
            assert token not in body, (role, url)
            assert fw.marker not in body, (role, url)
    reasons = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER]).get(
        f"/api/reports/reviews/{rw.review.pk}/judgements/"
    )
    assert "a serious weakness on SS.4" in reasons.content.decode()
