"""Setting inspections in a real browser: the area's pooled evidence with its chart, a
provider's history, recording an inspection and a judgement, recording a visit in the burden
ledger and publishing an inspection, with no axe violations or CSP errors."""

import datetime

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement, ProviderKind
from ecm_inspect.framework.services import framework_load
from ecm_inspect.provision.models import InspectionStatus
from ecm_inspect.provision.services import (
    judgement_record,
    setting_inspection_create,
    setting_inspection_publish,
)
from ecm_inspect.registry.models import Inspectorate, Provider

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server):  # type: ignore[no-untyped-def]
    """Gateshead's children's home with two published CSCI inspections far apart (a conflict)
    and a special school with a completed Ofsted inspection ready to publish."""
    framework_load()
    people = world_build()
    home = Provider.objects.create(
        urn="SC1",
        name="Oak House",
        kind=ProviderKind.objects.get(code="childrens_home"),
        area=people.own_area,
    )
    school = Provider.objects.create(
        urn="SP1",
        name="Hill School",
        kind=ProviderKind.objects.get(code="special_school"),
        area=people.own_area,
    )
    csci, ofsted = (Inspectorate.objects.get(code=c) for c in ("CSCI", "OFSTED"))
    for n, grade in enumerate([Grade.GOOD, Grade.INADEQUATE]):
        inspection = setting_inspection_create(
            providers=[home],
            lead_inspectorate=csci,
            starts_on=datetime.date(2025, 1 + n, 1),
            ends_on=datetime.date(2025, 1 + n, 2),
            statutory_framework="Children's Homes Regulations",
            status=InspectionStatus.COMPLETED,
            children={home.pk: 4},
        )
        for code in ("SS.7", "BH.5"):
            judgement_record(
                inspection=inspection,
                provider=home,
                inspectorate=csci,
                key_judgement=KeyJudgement.objects.get(code=code),
                grade=grade,
                evidence_notes="Case files of four children.",
            )
        setting_inspection_publish(
            inspection=inspection, seen_version=1, published_on=inspection.ends_on, by=None
        )
    draft = setting_inspection_create(
        providers=[school],
        lead_inspectorate=ofsted,
        starts_on=datetime.date(2026, 5, 4),
        ends_on=datetime.date(2026, 5, 5),
        statutory_framework="Education Act 2005, section 5",
        status=InspectionStatus.COMPLETED,
    )
    judgement_record(
        inspection=draft,
        provider=school,
        inspectorate=ofsted,
        key_judgement=KeyJudgement.objects.get(code="EA.3"),
        grade=Grade.GOOD,
    )
    return live_server, people, draft


def test_provision_pages(world, page):  # type: ignore[no-untyped-def]
    base, people, draft = world
    _sign_in(page, base, people.users[Role.INSPECTOR].username, "/provision/inspections/new/")
    # Record an inspection: the form, its errors, then the judgement form it leads to.
    assert axe_violations(page) == []
    page.click("button:has-text('Continue to judgements')")
    assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == []
    page.fill("#id_providers", "SP1")
    page.fill("#id_starts_on", "2026-07-01")
    page.fill("#id_ends_on", "2026-07-02")
    page.fill("#id_statutory_framework", "Education Act 2005, section 5")
    page.click("button:has-text('Continue to judgements')")
    page.wait_for_url("**/judgements/new/")
    assert axe_violations(page) == []
    page.select_option("#id_grade", str(int(Grade.GOOD)))
    page.click("button:has-text('Save judgement')")
    page.wait_for_url("**/inspections/*/")
    assert axe_violations(page) == []
    # The area's pooled evidence, with its chart of grades by outcome.
    page.goto(f"{base}/provision/areas/{people.own_area.gss_code}/")
    assert page.locator("svg[role=img]").count() == 1
    assert "Oak House (inadequate to good)" in page.content()
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "provision-area.png"), full_page=True)
    # A provider's history, then a visit in its burden ledger: errors first.
    page.goto(f"{base}/provision/providers/SC1/")
    assert axe_violations(page) == []
    page.click("a:has-text('Record a visit or information request')")
    page.wait_for_url("**/burden/new/")
    assert axe_violations(page) == []
    page.click("button:has-text('Save')")
    assert "Choose a visit or an information request." in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Visit", exact=True).check()
    page.fill("#id_starts_on", "2026-03-04")
    page.fill("#id_description", "Unannounced night visit")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/burden/")
    assert "Unannounced night visit" in page.content()
    assert axe_violations(page) == []
    # Publish: the confirmation, then the published record that says it cannot change.
    page.goto(f"{base}/provision/inspections/{draft.pk}/")
    page.click("a:has-text('Publish')")
    page.wait_for_url("**/publish/")
    assert axe_violations(page) == []
    page.click("button:has-text('Publish inspection')")
    page.wait_for_url(f"**/inspections/{draft.pk}/")
    assert "can no longer be changed" in page.content()
    assert axe_violations(page) == []
    assert page.js_errors == []
