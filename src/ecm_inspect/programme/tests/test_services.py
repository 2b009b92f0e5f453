"""Planning, approving, confirming and re-planning through the services and the pages, on a
few areas and a dozen inspectors (solver runs of a few seconds)."""

import io
from datetime import date, timedelta

import openpyxl
import pytest

from ecm_inspect.accounts.tests.formulas import (
    PAYLOADS,
    csv_text_cells,
    csv_unsafe_cells,
    xlsx_unsafe_cells,
)
from ecm_inspect.programme.checker import programme_check
from ecm_inspect.programme.models import (
    Fixity,
    ProgrammeVersion,
    ReviewSlot,
    VersionStatus,
)
from ecm_inspect.programme.selectors import document_for_user
from ecm_inspect.programme.services import (
    programme_plan,
    programme_replan,
    version_approve,
    version_publish,
    year_confirm,
)
from ecm_inspect.registry.models import Area, Inspector

START = date(2026, 9, 1)


@pytest.fixture
def confirmed(small_world: list[Area], settings) -> ProgrammeVersion:
    """The programme planned and approved, its first financial year confirmed with teams."""
    settings.ECM_PROGRAMME_TEAM_SIZE = 3
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.6
    version, result, _ = programme_plan(starts_on=START, years=1, time_limit=4, workers=1)
    assert version is not None, result.reasons
    version_approve(version=version)
    year_confirm(
        programme=version.programme,
        financial_year_start=2026,
        teams=True,
        today=date(2025, 12, 20),
    )
    assert version.slots.filter(fixity=Fixity.CONFIRMED).count() == 4
    return version


def _slots(version: ProgrammeVersion) -> dict[str, tuple[date, int, list[int]]]:
    return {
        s.area.gss_code: (
            s.analysis_start,
            s.leader_id,
            sorted(s.team.values_list("pk", flat=True)),
        )
        for s in version.slots.select_related("area")
    }


def _confirmed_kept(before: ProgrammeVersion, after: ProgrammeVersion) -> None:
    """Every confirmed review exactly where it was: dates, leader and team."""
    now = _slots(after)
    held = before.slots.filter(fixity=Fixity.CONFIRMED).values_list("area__gss_code", flat=True)
    for gss in held:
        assert now[gss] == _slots(before)[gss]
    assert after.slots.filter(fixity=Fixity.CONFIRMED).count() == len(held)
    assert programme_check(after.document, after.context) == []


def _indicative(version: ProgrammeVersion) -> list[ReviewSlot]:
    return list(version.slots.filter(fixity=Fixity.INDICATIVE).select_related("area"))


def test_plan_approve_confirm_publish_and_replan(confirmed: ProgrammeVersion) -> None:
    version = confirmed
    assert programme_check(version.document, version.context) == []
    assert version.slots.count() == 6
    confirmation = version.programme.confirmed.get()
    assert confirmation.on_time
    assert confirmation.teams
    version_publish(version=version)
    public = document_for_user(version=version, user=_anonymous())
    assert all("inspector" not in m for r in public["reviews"] for m in r["team"])
    assert public["inspectors"] == []
    # The council of an indicative review cannot have it on those dates: that review moves,
    # nothing else does.
    last = _indicative(version)[-1]
    again, result, _ = programme_replan(
        programme=version.programme,
        time_limit=4,
        workers=1,
        unavailable={last.area.gss_code: [(last.analysis_start, last.fieldwork_end)]},
        today=date(2026, 8, 1),
    )
    assert again is not None, result.reasons
    _confirmed_kept(version, again)
    assert [m["area"] for m in again.moved if m["from"] != m["to"]] == [last.area.gss_code]
    assert result.stages["held"] == {"confirmed": 4, "notified": 0, "with_teams": 4}
    version_approve(version=again)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED


def test_the_version_page_shows_what_moved(confirmed: ProgrammeVersion, national_lead) -> None:
    last = _indicative(confirmed)[-1]
    again, result, _ = programme_replan(
        programme=confirmed.programme,
        time_limit=4,
        workers=1,
        unavailable={last.area.gss_code: [(last.analysis_start, last.fieldwork_end)]},
        today=date(2026, 8, 1),
    )
    assert again is not None, result.reasons
    page = national_lead.get(f"/programme/versions/{again.pk}/").content.decode()
    moved = page.split("Moved reviews, old to new", 1)[1].split("</table>", 1)[0]
    new = again.slots.get(area=last.area).analysis_start
    assert last.area.name in moved
    assert f"{last.analysis_start:%-d %b %Y}" in moved
    assert f"{new:%-d %b %Y}" in moved
    assert moved.split("<tbody", 1)[1].count("<tr ") == len(again.moved)


def test_replanning_after_an_inspector_leaves(confirmed: ProgrammeVersion, settings) -> None:
    # Capacity to spare: with one fewer inspector their body can still give the confirmed
    # teams (test_solver has the case where it cannot, explained).
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.8
    on_confirmed = set(
        confirmed.slots.filter(fixity=Fixity.CONFIRMED).values_list("team", flat=True)
    )
    leaver = Inspector.objects.exclude(pk__in=on_confirmed).order_by("pk").first()
    assert leaver is not None
    again, result, _ = programme_replan(
        programme=confirmed.programme,
        time_limit=4,
        workers=1,
        left={leaver.pk},
        today=date(2026, 8, 1),
    )
    assert again is not None, [str(r) for r in result.reasons]
    _confirmed_kept(confirmed, again)
    assert [m for m in again.moved if m["from"] != m["to"]] == []
    assert not again.slots.filter(team=leaver).exists()
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver.version == 2  # through record_update, so in the audit trail


def test_replanning_for_a_short_notice_review(confirmed: ProgrammeVersion) -> None:
    first = _indicative(confirmed)[0]
    event = first.analysis_start + timedelta(weeks=2)
    again, result, _ = programme_replan(
        programme=confirmed.programme,
        time_limit=4,
        workers=1,
        urgent={first.area.gss_code: event},
        today=date(2026, 8, 1),
    )
    assert again is not None, result.reasons
    _confirmed_kept(confirmed, again)
    assert [m["area"] for m in again.moved if m["from"] != m["to"]] == [first.area.gss_code]
    moved = again.slots.get(area=first.area)
    assert event + timedelta(weeks=2) <= moved.analysis_start <= event + timedelta(weeks=10)


def test_a_confirmed_team_member_leaving_is_explained(
    confirmed: ProgrammeVersion, settings
) -> None:
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.8  # capacity to spare: only who left matters
    slot = confirmed.slots.filter(fixity=Fixity.CONFIRMED).select_related("area").first()
    assert slot is not None
    leaver = slot.team.exclude(pk=slot.leader_id).first()
    assert leaver is not None
    again, result, _ = programme_replan(
        programme=confirmed.programme,
        time_limit=4,
        workers=1,
        left={leaver.pk},
        today=date(2026, 8, 1),
    )
    assert again is None
    assert confirmed.programme.versions.count() == 1  # nothing stored, nothing unfixed
    (reason,) = result.reasons
    assert reason.constraint == "inspector available"
    assert f"the confirmed review of {slot.area.name}" in reason.detail
    assert f"inspector {leaver.pk} ({leaver.full_name})" in reason.detail
    assert "left on 1 August 2026" in reason.detail
    # Released on purpose, it keeps its dates with a new member.
    again, result, _ = programme_replan(
        programme=confirmed.programme,
        time_limit=4,
        workers=1,
        left={leaver.pk},
        release={slot.area.gss_code},
        today=date(2026, 8, 1),
    )
    assert again is not None, result.reasons
    now = again.slots.get(area=slot.area)
    assert now.analysis_start == slot.analysis_start
    assert leaver not in now.team.all()


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


def test_exports_run_no_formula_from_a_renamed_inspector_or_area(
    small_world: list[Area], settings, national_lead
) -> None:
    """A lead renames an inspector (or an area is renamed) to a formula: the programme's CSV
    and XLSX show it as text, and the XLSX holds no formula cell."""
    settings.ECM_PROGRAMME_TEAM_SIZE = 3
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.6
    version, _, _ = programme_plan(starts_on=START, years=1, time_limit=3, workers=1)
    assert version is not None
    inspectors = list(Inspector.objects.order_by("pk"))
    for inspector, payload in zip(inspectors, PAYLOADS * 2, strict=False):
        Inspector.objects.filter(pk=inspector.pk).update(full_name=payload)
    Area.objects.filter(pk=small_world[0].pk).update(name='=HYPERLINK("http://x")')
    base = f"/programme/versions/{version.pk}/programme"
    text = national_lead.get(f"{base}.csv").content.decode()
    assert csv_unsafe_cells(text) == []
    assert '\'=HYPERLINK("http://x")' in csv_text_cells(text)
    xlsx = national_lead.get(f"{base}.xlsx")
    assert xlsx.status_code == 200
    assert xlsx_unsafe_cells(xlsx.content) == []
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Programme"]
    teams = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(team.startswith("'") for team in teams)  # a renamed inspector leads the team
