"""Planning, approving, confirming and re-planning through the services and the pages, on a
few areas and a dozen inspectors (solver runs of a few seconds)."""

from datetime import date

import pytest

from ecm_inspect.framework.models import Outcome
from ecm_inspect.framework.services import framework_load
from ecm_inspect.programme.checker import programme_check
from ecm_inspect.programme.models import Fixity, VersionStatus
from ecm_inspect.programme.selectors import document_for_user
from ecm_inspect.programme.services import (
    programme_plan,
    programme_replan,
    version_approve,
    version_publish,
    year_confirm,
)
from ecm_inspect.registry.models import Area, AreaType, Inspector, Inspectorate
from ecm_inspect.registry.services import inspectorates_load

START = date(2026, 9, 1)


@pytest.fixture
def small_world(db: None) -> list[Area]:
    framework_load()
    inspectorates_load()
    areas = [
        Area.objects.create(
            gss_code=f"E0600009{k}",
            la_code=f"9{k}0",
            name=f"Test area {k}",
            region_code="E12000001",
            region_name="North East",
            area_type=AreaType.UNITARY,
        )
        for k in range(4)
    ]
    outcomes = list(Outcome.objects.filter(version__code="2005"))
    for body in ("OFSTED", "CSCI", "HEALTHCARE_COMMISSION"):
        for k in range(5):
            inspector = Inspector.objects.create(
                full_name=f"{body} inspector {k}",
                inspectorate=Inspectorate.objects.get(code=body),
                grade="lead" if k < 2 else "inspector",
                home_region_code="E12000001",
            )
            inspector.outcome_expertise.set(outcomes)
    return areas


def test_plan_approve_confirm_publish_and_replan(small_world: list[Area], settings) -> None:
    settings.ECM_PROGRAMME_TEAM_SIZE = 3
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.6
    version, result, _ = programme_plan(starts_on=START, years=1, time_limit=4, workers=1)
    assert version is not None, result.reasons
    assert programme_check(version.document, version.context) == []
    assert version.slots.count() == 4
    version_approve(version=version)
    first = version.slots.order_by("analysis_start").first()
    assert first is not None
    confirmation = year_confirm(
        programme=version.programme,
        financial_year_start=2026,
        today=date(2025, 12, 20),
    )
    assert confirmation.on_time
    assert version.slots.filter(fixity=Fixity.CONFIRMED).exists()
    version_publish(version=version)
    public = document_for_user(version=version, user=_anonymous())
    assert all("inspector" not in m for r in public["reviews"] for m in r["team"])
    assert public["inspectors"] == []
    # The council of the last area to be reviewed cannot have it on those dates.
    last = version.slots.order_by("-analysis_start").first()
    assert last is not None
    again, result, _ = programme_replan(
        programme=version.programme,
        time_limit=4,
        workers=1,
        unavailable={last.area.gss_code: [(last.analysis_start, last.fieldwork_end)]},
        today=date(2026, 8, 1),
    )
    assert again is not None, result.reasons
    assert programme_check(again.document, again.context) == []
    moved = {m["area"] for m in again.moved}
    assert last.area.gss_code in moved
    confirmed = set(
        version.slots.filter(fixity=Fixity.CONFIRMED).values_list("area__gss_code", flat=True)
    )
    # Confirmed reviews move only if nothing else works: here something else does.
    assert not (confirmed - {last.area.gss_code}) & {
        m["area"] for m in again.moved if m["from"] != m["to"]
    }
    version_approve(version=again)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED


def test_too_few_inspectors_stores_nothing_and_says_why(small_world: list[Area], settings) -> None:
    settings.ECM_PROGRAMME_TEAM_SIZE = 3
    Inspector.objects.exclude(inspectorate__code="OFSTED").update(is_active=False)
    version, result, _ = programme_plan(starts_on=START, years=1, time_limit=2, workers=1)
    assert version is None
    assert "at least two bodies" in {r.constraint for r in result.reasons}


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_pages_draw_the_timeline_without_inline_styles(
    small_world: list[Area], settings, client
) -> None:
    settings.ECM_PROGRAMME_TEAM_SIZE = 3
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.6
    version, _, _ = programme_plan(starts_on=START, years=1, time_limit=3, workers=1)
    assert version is not None
    version_approve(version=version)
    version_publish(version=version)
    page = client.get("/programme/published/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "inspector 0" not in body
    csv = client.get("/programme/published/programme.csv").content.decode()
    assert "Test area 0" in csv
    assert "inspector" not in csv.split("\n", 1)[1]
    assert client.get("/api/programme/published/").json()["reviews"]
