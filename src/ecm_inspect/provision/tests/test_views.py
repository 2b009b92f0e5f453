"""Pages and API of setting inspections, through HTTP, with the denied case sharing its setup."""

import datetime
import json

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for, world_build
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement, ProviderKind
from ecm_inspect.framework.services import framework_load
from ecm_inspect.provision.models import (
    InspectionContact,
    InspectionStatus,
    Judgement,
    SettingInspection,
)
from ecm_inspect.provision.services import (
    judgement_record,
    setting_inspection_create,
    setting_inspection_publish,
)
from ecm_inspect.registry.models import Inspectorate, Provider


@pytest.fixture
def world(db: None):
    framework_load()
    w = world_build()
    w.extra["home"] = Provider.objects.create(
        urn="SC1",
        name="Oak House",
        kind=ProviderKind.objects.get(code="childrens_home"),
        area=w.own_area,
    )
    w.extra["school"] = Provider.objects.create(
        urn="SP1",
        name="Hill School",
        kind=ProviderKind.objects.get(code="special_school"),
        area=w.own_area,
    )
    csci = Inspectorate.objects.get(code="CSCI")
    for n, grade in enumerate([Grade.GOOD, Grade.INADEQUATE]):
        inspection = setting_inspection_create(
            providers=[w.extra["home"]],
            lead_inspectorate=csci,
            starts_on=datetime.date(2025, 1 + n, 1),
            ends_on=datetime.date(2025, 1 + n, 2),
            statutory_framework="Children's Homes Regulations",
            status=InspectionStatus.COMPLETED,
        )
        judgement_record(
            inspection=inspection,
            provider=w.extra["home"],
            inspectorate=csci,
            key_judgement=KeyJudgement.objects.get(code="SS.7"),
            grade=grade,
        )
        setting_inspection_publish(
            inspection=inspection, seen_version=1, published_on=inspection.ends_on, by=None
        )
    return w


def test_the_area_page_shows_pooled_evidence_chart_and_conflict(
    world, client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(20):
        response = client.get(f"/provision/areas/{world.own_area.gss_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "Staying safe: 1 inadequate" in html  # the bar's accessible title
    assert "SS.7 Looked after children live in safe environments" in html
    assert "Oak House (inadequate to good)" in html  # the conflict
    assert "style=" not in html
    assert "<script>" not in html


def test_the_public_sees_published_inspections_only(world, client) -> None:
    draft = setting_inspection_create(
        providers=[world.extra["home"]],
        lead_inspectorate=Inspectorate.objects.get(code="CSCI"),
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 1),
        statutory_framework="x",
    )
    assert client.get(f"/provision/inspections/{draft.pk}/").status_code == 404
    staff = client_for(world.users[Role.INSPECTOR])
    assert staff.get(f"/provision/inspections/{draft.pk}/").status_code == 200
    items = client.get("/api/provision/providers/SC1/inspections/").json()
    assert [i["status"] for i in items] == ["published", "published"]
    # The planned inspection is in the inspectorates' calendar, not for the public.
    assert client.get("/api/provision/calendar.ics").status_code == 401
    ics = staff.get("/provision/calendar.ics").content.decode()
    assert "BEGIN:VEVENT" in ics
    assert f"setting-inspection-{draft.pk}@ecm-inspect" in ics
    assert "DTSTART;VALUE=DATE:20270301" in ics


def test_recording_offers_only_relevant_judgements_and_refuses_others(world) -> None:
    ofsted_inspector = client_for(world.users[Role.INSPECTOR])
    response = ofsted_inspector.post(
        "/provision/inspections/new/",
        {
            "providers": "SP1",
            "starts_on": "2026-07-01",
            "ends_on": "2026-07-02",
            "statutory_framework": "Education Act 2005, section 5",
        },
    )
    inspection = SettingInspection.objects.get(starts_on=datetime.date(2026, 7, 1))
    assert response["Location"] == f"/provision/inspections/{inspection.pk}/judgements/new/"
    form = ofsted_inspector.get(response["Location"]).content.decode()
    assert "Hill School: EA.3" in form
    assert "Hill School: EA.1 " not in form  # not relevant to a special school for Ofsted
    school, ea1 = world.extra["school"], KeyJudgement.objects.get(code="EA.1")
    refused = ofsted_inspector.post(
        response["Location"], {"choice": f"{school.pk}:{ea1.pk}", "grade": "3"}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    api = ofsted_inspector.post(
        f"/api/provision/inspections/{inspection.pk}/judgements/",
        data=json.dumps({"provider_urn": "SP1", "key_judgement": "EA.1", "grade": 3}),
        content_type="application/json",
    )
    assert api.status_code == 422
    assert (
        "EA.1 is not relevant to a special school inspected by Ofsted"
        in api.json()["detail"]["key_judgement"][0]
    )
    ea3 = KeyJudgement.objects.get(code="EA.3")
    ok = ofsted_inspector.post(
        response["Location"],
        {"choice": f"{school.pk}:{ea3.pk}", "grade": "4", "evidence_notes": "Lessons seen"},
    )
    assert ok.status_code == 302
    recorded = Judgement.objects.get(inspection=inspection)
    assert recorded.grade is Grade.OUTSTANDING
    assert recorded.author == world.users[Role.INSPECTOR]
    # Same setup, denied: a DCS may not even see the unpublished inspection, and a CSCI-led
    # inspection is not Ofsted's to record on.
    dcs = client_for(world.users[Role.DCS])
    assert dcs.get(response["Location"]).status_code == 404
    csci_led = SettingInspection.objects.filter(lead_inspectorate__code="CSCI").earliest("pk")
    assert (
        ofsted_inspector.get(f"/provision/inspections/{csci_led.pk}/judgements/new/").status_code
        == 403
    )


def test_recording_a_visit_or_information_request_in_the_burden_ledger(world) -> None:
    url = "/provision/providers/SC1/burden/new/"
    inspector = client_for(world.users[Role.INSPECTOR])
    # Same setup, denied: a DCS, and inspectorate staff who do not record inspections.
    for role in (Role.DCS, Role.REVIEW_TEAM_LEADER):
        assert client_for(world.users[role]).get(url).status_code == 403
        assert client_for(world.users[role]).post(url, {}).status_code == 403
    assert client_for(None).get(url).status_code == 302  # to sign in
    form = inspector.get(url).content.decode()
    assert 'type="radio" value="information_request"' in form
    assert "style=" not in form
    refused = inspector.post(
        url,
        {"kind": "visit", "starts_on": "2026-03-04", "ends_on": "2026-03-02", "description": ""},
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert '<a href="#id_description">Say what was visited or asked for.</a>' in html
    refused = inspector.post(
        url,
        {"kind": "visit", "starts_on": "2026-03-04", "ends_on": "2026-03-02", "description": "A"},
    )
    assert (
        '<a href="#id_ends_on">It must end on or after its start.</a>' in refused.content.decode()
    )
    assert not InspectionContact.objects.exists()
    inspection = SettingInspection.objects.filter(inspected__provider__urn="SC1").earliest("pk")
    saved = inspector.post(
        url,
        {
            "kind": "information_request",
            "starts_on": "2026-03-04",
            "description": "Staff rota and training records",
            "inspection": inspection.pk,
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == "/provision/providers/SC1/burden/"
    contact = InspectionContact.objects.get()
    assert (contact.inspectorate.code, contact.kind, contact.inspection) == (
        "OFSTED",
        "information_request",
        inspection,
    )
    ledger = inspector.get(saved["Location"]).content.decode()
    assert "Staff rota and training records" in ledger
    assert "Recorded: information request." in ledger
    # The API does the same for the caller's inspectorate, and refuses the same people.
    body = {"kind": "visit", "starts_on": "2026-04-01", "description": "Night visit"}
    api_url = "/api/provision/providers/SC1/contacts/"
    dcs = client_for(world.users[Role.DCS])
    assert dcs.post(api_url, body, content_type="application/json").status_code == 403
    made = inspector.post(api_url, body, content_type="application/json")
    assert made.status_code == 200
    assert made.json()["kind"] == "visit"
    bad = inspector.post(
        api_url, {**body, "ends_on": "2026-03-01"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"]["ends_on"] == ["It must end on or after its start."]


def test_publishing_an_inspection_after_confirming_it_and_never_changing_it_after(
    world,
) -> None:
    ofsted = Inspectorate.objects.get(code="OFSTED")
    inspection = setting_inspection_create(
        providers=[world.extra["school"]],
        lead_inspectorate=ofsted,
        starts_on=datetime.date(2026, 5, 4),
        ends_on=datetime.date(2026, 5, 5),
        statutory_framework="Education Act 2005, section 5",
        status=InspectionStatus.COMPLETED,
    )
    url = f"/provision/inspections/{inspection.pk}/publish/"
    inspector = client_for(world.users[Role.INSPECTOR])
    # Same setup, denied: the DCS may not see it; a review team leader may not publish it; a
    # body taking part that does not lead may record its judgements but not publish.
    assert client_for(world.users[Role.DCS]).get(url).status_code == 404
    leader = client_for(world.users[Role.REVIEW_TEAM_LEADER])
    assert leader.post(url, {"version": 1}).status_code == 403
    csci_led = setting_inspection_create(
        providers=[world.extra["home"]],
        lead_inspectorate=Inspectorate.objects.get(code="CSCI"),
        other_inspectorates=[ofsted],
        starts_on=datetime.date(2026, 5, 4),
        ends_on=datetime.date(2026, 5, 5),
        statutory_framework="Children's Homes Regulations",
    )
    assert inspector.get(f"/provision/inspections/{csci_led.pk}/judgements/new/").status_code == 200
    assert inspector.get(f"/provision/inspections/{csci_led.pk}/publish/").status_code == 403
    # Nothing to publish yet: the error is named.
    refused = inspector.post(url, {"version": 1})
    assert refused.status_code == 200
    assert "Record at least one judgement before publishing." in refused.content.decode()
    judgement_record(
        inspection=inspection,
        provider=world.extra["school"],
        inspectorate=ofsted,
        key_judgement=KeyJudgement.objects.get(code="EA.3"),
        grade=Grade.GOOD,
    )
    page = inspector.get(f"/provision/inspections/{inspection.pk}/").content.decode()
    assert f'href="/provision/inspections/{inspection.pk}/publish/"' in page
    confirm = inspector.get(url).content.decode()
    assert "Publish setting inspection" in confirm
    assert "they cannot be changed" in confirm
    assert 'name="version" value="1"' in confirm
    stale = inspector.post(url, {"version": 0})
    assert "Someone else changed this inspection" in stale.content.decode()
    published = inspector.post(url, {"version": 1})
    assert published.status_code == 302
    assert published["Location"] == f"/provision/inspections/{inspection.pk}/"
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PUBLISHED
    page = inspector.get(published["Location"]).content.decode()
    assert "its record and judgements can no longer be changed" in page
    assert "judgements/new/" not in page
    assert "/publish/" not in page
    assert client_for(None).get(published["Location"]).status_code == 200  # public now
    for again in (url, f"/provision/inspections/{inspection.pk}/judgements/new/"):
        assert inspector.get(again).status_code == 403
    api = inspector.post(
        f"/api/provision/inspections/{inspection.pk}/judgements/",
        {"provider_urn": "SP1", "key_judgement": "EA.4", "grade": 3},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_publishing_through_the_api(world) -> None:
    inspection = setting_inspection_create(
        providers=[world.extra["school"]],
        lead_inspectorate=Inspectorate.objects.get(code="OFSTED"),
        starts_on=datetime.date(2026, 5, 4),
        ends_on=datetime.date(2026, 5, 5),
        statutory_framework="Education Act 2005, section 5",
    )
    url = f"/api/provision/inspections/{inspection.pk}/publish/"
    inspector = client_for(world.users[Role.INSPECTOR])
    empty = inspector.post(url, {"version": 1}, content_type="application/json")
    assert empty.status_code == 422
    assert empty.json()["detail"]["status"] == ["Record at least one judgement before publishing."]
    judgement_record(
        inspection=inspection,
        provider=world.extra["school"],
        inspectorate=inspection.lead_inspectorate,
        key_judgement=KeyJudgement.objects.get(code="EA.3"),
        grade=Grade.GOOD,
    )
    dcs = client_for(world.users[Role.DCS])
    assert dcs.post(url, {"version": 1}, content_type="application/json").status_code == 404
    done = inspector.post(url, {"version": 1}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "published"
    assert done.json()["judgements"][0]["key_judgement"] == "EA.3"
    again = inspector.post(url, {"version": 2}, content_type="application/json")
    assert again.status_code == 403


def test_a_password_only_session_sees_no_unpublished_inspection(world) -> None:
    """Issue 17, finding 1: an inspector who has entered their password but not their second
    factor is the public until they pass it: no unpublished inspection, its dates or its visit
    plan, on any page or endpoint (the verified session on the same setup sees them)."""
    draft = setting_inspection_create(
        providers=[world.extra["home"]],
        lead_inspectorate=Inspectorate.objects.get(code="CSCI"),
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 1),
        statutory_framework="x",
        visit_plan="Unannounced: arrive at 7am by the back gate.",
    )
    link = f"/provision/inspections/{draft.pk}/"
    detail = [
        link,
        f"/api/provision/inspections/{draft.pk}/",
        f"/api/provision/inspections/{draft.pk}/judgements/",
    ]
    lists = [
        "/provision/providers/SC1/",
        "/api/provision/providers/SC1/inspections/",
        "/api/provision/inspections/",
    ]
    for role in (Role.INSPECTOR, Role.INSPECTORATE_LEAD, Role.NATIONAL_LEAD):
        verified = client_for(world.users[role])
        password_only = client_for(world.users[role], verified=False)
        for url in detail:
            assert verified.get(url).status_code == 200, (role, url)
            assert password_only.get(url).status_code == 404, (role, url)
        for url in lists:
            seen = verified.get(url).content.decode()
            assert "2027-03-01" in seen or link in seen, (role, url)
            seen = password_only.get(url).content.decode()
            assert "2027-03-01" not in seen, (role, url)
            assert link not in seen, (role, url)
            assert "7am" not in seen, (role, url)
