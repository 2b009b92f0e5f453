"""The evidence base on a real review: pulling in, attachments, requests, sampling, and the
confidentiality of case-file notes (property-based: notes never leave the team's area)."""

import hashlib
import io
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.formulas import PAYLOADS, csv_text_cells, csv_unsafe_cells
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.analysis import analysis_run
from ecm_inspect.evidence.case_files import (
    case_files_import,
    case_note_write,
    case_sample_draw,
    child_track,
)
from ecm_inspect.evidence.fieldwork import (
    finding_record,
    journey_step_add,
    meeting_record,
    neighbourhood_describe,
)
from ecm_inspect.evidence.models import CaseFile, EvidenceItem, EvidenceKind, RequestStatus
from ecm_inspect.evidence.neighbourhoods import neighbourhood_study_add, neighbourhoods_of
from ecm_inspect.evidence.pulling import evidence_pull
from ecm_inspect.evidence.services import (
    EvidenceRefused,
    PersonalDataFound,
    attachment_add,
    evidence_record,
    request_accept,
    request_make,
    request_supply,
)
from ecm_inspect.evidence.specification import fieldwork_specification
from ecm_inspect.performance.models import IndicatorDefinition, IndicatorValue
from ecm_inspect.performance.services import apa_run
from ecm_inspect.reports.services import judgements_propose
from ecm_inspect.reviews.models import Stage
from ecm_inspect.reviews.services import review_advance
from ecm_inspect.reviews.tests.conftest import ReviewWorld, review_make

from .conftest import case_list as _case_list


def test_existing_evidence_is_pulled_in_once(rw: ReviewWorld) -> None:
    for n, group in enumerate(["BH", "SS", "EA", "PC", "EW", "SM"] * 2):
        d = IndicatorDefinition.objects.create(
            code=f"X{n}", title=f"X {n}", outcome=group, polarity="higher"
        )
        for area, value in ((None, 50), (rw.review.area, 40)):
            IndicatorValue.objects.create(
                indicator=d, area=area, year=2026, period="2026", value=value
            )
    apa_run(year=2026)
    created = evidence_pull(review=rw.review)
    kinds = Counter(EvidenceItem.objects.filter(review=rw.review).values_list("kind", flat=True))
    assert kinds[EvidenceKind.APA_FINDINGS] == 6
    assert kinds[EvidenceKind.PERFORMANCE_DATA] == 6
    assert created == 12
    assert evidence_pull(review=rw.review) == 0
    # Weak APA grades make their outcomes of particular concern in the analysis.
    analyses = {a.key_judgement.code: a for a in analysis_run(review=rw.review)}
    assert any("particular concern" in r for r in analyses["BH.1"].reasons)


def test_attachments_keep_every_revision_with_its_hash(
    rw: ReviewWorld, django_capture_on_commit_callbacks: Any
) -> None:
    item = evidence_record(
        review=rw.review, kind=EvidenceKind.PLAN, title="Children and young people's plan",
        source="Council", dated=date(2026, 6, 1),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        first = attachment_add(item=item, name="plan.pdf", content=io.BytesIO(b"version one"))
        second = attachment_add(item=item, name="plan.pdf", content=io.BytesIO(b"version two"))
    assert (first.revision, second.revision) == (1, 2)
    assert first.sha256 == hashlib.sha256(b"version one").hexdigest()
    assert first.file.read() == b"version one"  # the old revision is still there


def test_requests_are_not_made_twice_and_move_through_their_statuses(rw: ReviewWorld) -> None:
    request = request_make(
        review=rw.review, kind=EvidenceKind.PLAN, what="The children and young people's plan",
        due_on=date(2026, 8, 1),
    )  # fmt: skip
    with pytest.raises(EvidenceRefused, match="already asked"):
        request_make(
            review=rw.review, kind=EvidenceKind.PLAN, what="The plan", due_on=date(2026, 8, 1)
        )
    item = request_supply(
        request=request, title="CYPP 2026", summary="", dated=date(2026, 7, 1),
        content=io.BytesIO(b"plan"), filename="cypp.pdf", by=rw.people.users[Role.DCS],
    )  # fmt: skip
    request.refresh_from_db()
    assert (request.status, request.supplied_item) == (RequestStatus.SUPPLIED, item)
    request_accept(request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    # The next review of the area does not ask for it again.
    later = review_make(rw.people, analysis=date(2027, 3, 1))
    with pytest.raises(EvidenceRefused, match="already supplied"):
        request_make(review=later, kind=EvidenceKind.PLAN, what="The plan", due_on=date(2027, 1, 1))


def test_the_case_file_list_refuses_names(rw: ReviewWorld) -> None:
    with pytest.raises(EvidenceRefused, match="no names"):
        case_files_import(review=rw.review, text="reference,name,age,categories,services\n")
    with pytest.raises(EvidenceRefused, match="row 2, field 'categories'"):
        case_files_import(
            review=rw.review, text="reference,age,categories,services\nA1,5,pets,school\n"
        )
    assert not CaseFile.objects.exists()


def test_sampling_is_stratified_and_reproducible(rw: ReviewWorld) -> None:
    case_files_import(review=rw.review, text=_case_list())
    first = [c.area_reference for c in case_sample_draw(review=rw.review, size=20, seed=7)]
    again = [c.area_reference for c in case_sample_draw(review=rw.review, size=20, seed=7)]
    assert first == again
    other = [c.area_reference for c in case_sample_draw(review=rw.review, size=20, seed=8)]
    assert other != first
    sample = list(CaseFile.objects.filter(in_sample=True))
    assert len(sample) == 20
    assert {c.categories[0] for c in sample} == {
        "looked_after",
        "child_protection",
        "ldd",
        "youth_justice",
        "child_in_need",
    }
    bands = {
        ("0-4" if c.age <= 4 else "5-10" if c.age <= 10 else "11-15" if c.age <= 15 else "16+")
        for c in sample
    }
    assert len(bands) == 4
    # Children with files in more than one service come first within their stratum.
    multi = sum(1 for c in sample if len(c.services) > 1) / len(sample)
    assert multi > 2 / 3
    assert all(c.pseudonym.startswith("Child ") for c in sample)


def test_a_note_naming_someone_is_stopped_until_confirmed(rw: ReviewWorld) -> None:
    case_files_import(review=rw.review, text=_case_list(10))
    case = CaseFile.objects.first()
    assert case is not None
    with pytest.raises(PersonalDataFound, match="name: 'Jessica Smith'"):
        case_note_write(case_file=case, text="Jessica Smith, born 03/04/2012, NE8 1HH")
    assert not case.notes.exists()
    note = case_note_write(case_file=case, text="The plan was reviewed on time.")
    assert note.screening_confirmed is False


def test_the_analysis_csv_runs_no_formula(rw: ReviewWorld) -> None:
    """The team's hypotheses are their own words: a formula among them stays text."""
    analyses = analysis_run(review=rw.review)
    for analysis, payload in zip(analyses, PAYLOADS, strict=False):
        analysis.hypothesis = payload
        analysis.proposed_grade = 2
        analysis.save()
    client = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    text = client.get(f"/reviews/{rw.review.pk}/analysis.csv").content.decode()
    assert csv_unsafe_cells(text) == []
    assert "'=cmd|' /C calc'!A0" in csv_text_cells(text)
    assert ",2," in text  # the proposed grade stays a number


def test_the_analysis_page_and_specification_render(rw: ReviewWorld) -> None:
    client = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = client.get(f"/reviews/{rw.review.pk}/analysis/").content.decode()
    assert "SS.4" in page
    assert "Always fieldwork" in page
    spec = fieldwork_specification(review=rw.review)
    assert spec.team_size == 4
    assert spec.capacity_days == 40
    html = client.get(f"/reviews/{rw.review.pk}/fieldwork-specification/").content.decode()
    assert "Fieldwork specification" in html
    assert "Staying safe" in html


# -- confidentiality: case-file notes never leave the team ---------------------------------

OUTSIDERS = [Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD, Role.DCS, Role.PARTNER_CONTRIBUTOR]


def _everything_but_case_pages(review_id: int) -> list[str]:
    base = f"/reviews/{review_id}"
    return [
        f"{base}/", f"{base}/team/", f"{base}/stages/notified/", f"{base}/evidence/",
        f"{base}/analysis/", f"{base}/analysis.csv", f"{base}/fieldwork-specification/",
        f"{base}/requests/", f"{base}/neighbourhoods/", f"{base}/calendar.ics",
        f"/api/reviews/{review_id}/", f"/api/evidence/reviews/{review_id}/analysis/",
        f"/api/evidence/reviews/{review_id}/evidence/", "/audit/", "/api/accounts/audit/",
        "/reviews/", "/api/reviews/", f"{base}/judgements/", f"{base}/judgements/SS/",
        f"/api/reports/reviews/{review_id}/judgements/",
    ]  # fmt: skip


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9),
        min_size=3,
        max_size=8,
    ),
    marker=st.integers(min_value=10**6, max_value=10**7),
)
def test_case_file_notes_never_leave_the_team(
    rw: ReviewWorld, words: list[str], marker: int
) -> None:
    """Nor does anything else written in the confidential area: readings and other fieldwork
    findings, journey steps, meeting notes, neighbourhood descriptions."""
    if not CaseFile.objects.filter(review=rw.review).exists():
        case_files_import(review=rw.review, text=_case_list(10))
        review_advance(review=rw.review, to=Stage.NOTIFIED, confirmed=True)
    case = CaseFile.objects.filter(review=rw.review).first()
    assert case is not None
    secret = f"zq{marker} " + " ".join(words)
    case_note_write(case_file=case, text=secret, confirm_no_personal_data=True)
    today = timezone.localdate()
    child = child_track(review=rw.review, case_file=case)
    journey_step_add(child=child, on=today, kind="assessment", service="Social care",
                     what_happened=secret, confirm_no_personal_data=True)  # fmt: skip
    meeting = meeting_record(
        review=rw.review, kind="parents", title="Foster carers", held_on=today, attendees=5,
        notes=secret, confirm_no_personal_data=True,
    )  # fmt: skip
    row = neighbourhoods_of(rw.review.area)[0]
    study = neighbourhood_study_add(review=rw.review, lsoa_code=row["lsoa11cd"], why_chosen="x")
    study.refresh_from_db()
    neighbourhood_describe(
        study=study, seen_version=study.version, name="Estate", place_kind="estate",
        lsoa_codes=[], context=secret, provision=secret, visits="", discussions="",
        confirm_no_personal_data=True,
    )  # fmt: skip
    for target in (
        {"case_file": case},
        {"tracked_child": child},
        {"meeting": meeting},
        {"neighbourhood": study},
    ):
        finding_record(
            review=rw.review, found=secret, key_judgement_codes=["SS.4"], indication="weakness",
            severity="serious", found_on=today, confirm_no_personal_data=True, **target,
        )  # fmt: skip
    judgements_propose(review=rw.review)
    token = f"zq{marker}"
    confidential = [
        f"/reviews/{rw.review.pk}/case-files/", f"/reviews/{rw.review.pk}/case-files/{case.pk}/",
        f"/reviews/{rw.review.pk}/tracked-children/{child.pk}/",
        f"/reviews/{rw.review.pk}/meetings/{meeting.pk}/",
        f"/reviews/{rw.review.pk}/neighbourhoods/{study.pk}/",
    ]  # fmt: skip
    for role in OUTSIDERS:
        client = client_for(rw.people.users[role])
        for url in _everything_but_case_pages(rw.review.pk):
            body = client.get(url).content.decode(errors="replace")
            assert token not in body, (role, url)
        for url in confidential:
            assert client.get(url).status_code == 403, (role, url)
    # Even the team's own exports, evidence list, proposals and API responses leave them out.
    team = client_for(rw.people.users[Role.INSPECTOR])
    for url in _everything_but_case_pages(rw.review.pk):
        assert token not in team.get(url).content.decode(errors="replace"), url
    for url in confidential[1:]:
        assert token in team.get(url).content.decode(), url
