"""The audit trail (who, when, before and after), its audited CSV export through short-lived
links, and optimistic concurrency: a stale save is refused and nothing is lost."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ecm_inspect.accounts.models import DownloadLink, Role
from ecm_inspect.accounts.selectors import audit_entries_for_user
from ecm_inspect.core.concurrency import EditConflict, record_update
from ecm_inspect.framework.services import framework_load
from ecm_inspect.registry.models import Inspector

from .formulas import PAYLOADS, csv_text_cells, csv_unsafe_cells
from .world import World, client_for, verified, world_build


@pytest.fixture
def world(db: None) -> World:
    framework_load()
    return world_build()


def _form(inspector: Inspector, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": inspector.version,
        "full_name": inspector.full_name,
        "grade": inspector.grade,
        "home_region_code": inspector.home_region_code,
        "days_per_week": inspector.days_per_week,
        "is_active": "on" if inspector.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_edit_shows_who_and_before_and_after_in_the_audit_trail(world: World) -> None:
    lead = world.users[Role.INSPECTORATE_LEAD]
    inspector = world.own_inspector
    response = client_for(lead).post(
        reverse("accounts:inspector-edit", args=[inspector.pk]),
        _form(inspector, days_per_week=3),
    )
    assert response.status_code == 302
    inspector.refresh_from_db()
    assert (inspector.days_per_week, inspector.version) == (3, 2)

    page = client_for(lead).get("/audit/?record_type=registry.inspector").content.decode()
    assert "Olive Own" in page
    assert "Test Inspectorate lead" in page  # who
    assert "Days per week</strong>: 5 → 3" in page  # before and after, by the field's name

    entries = audit_entries_for_user(user=verified(lead))
    change = next(e for e in entries if e.action == "Changed" and e.record == "Olive Own")
    assert change.who == "Test Inspectorate lead"
    assert [(c.field, c.before, c.after) for c in change.changes] == [("days_per_week", "5", "3")]


def test_each_role_reads_only_the_history_it_looks_after(world: World) -> None:
    record_update(
        record=world.other_inspector, seen_version=1, changes={"days_per_week": 2}, by=None
    )
    lead_sees = {
        e.record for e in audit_entries_for_user(user=verified(world.users[Role.INSPECTORATE_LEAD]))
    }
    assert "Olive Own" in lead_sees  # their own body's inspector
    assert "Carl Other" not in lead_sees  # CSCI's
    national = {
        e.record for e in audit_entries_for_user(user=verified(world.users[Role.NATIONAL_LEAD]))
    }
    assert {"Olive Own", "Carl Other"} <= national
    dcs_sees = {e.record_type for e in audit_entries_for_user(user=verified(world.users[Role.DCS]))}
    assert "Inspector" not in dcs_sees
    assert "Area" in dcs_sees  # their own area's record


def test_a_stale_save_is_refused_and_the_input_comes_back(world: World) -> None:
    lead = world.users[Role.INSPECTORATE_LEAD]
    boss = world.users[Role.NATIONAL_LEAD]
    inspector = world.own_inspector
    url = reverse("accounts:inspector-edit", args=[inspector.pk])
    # Both open the form at version 1; the national lead saves first.
    first = client_for(boss).post(url, _form(inspector, home_region_code="E12000002"))
    assert first.status_code == 302
    second = client_for(lead).post(url, _form(inspector, full_name="Olive Owen", days_per_week=2))
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this inspector while you were editing" in page
    assert "Test National lead" in page  # who
    assert "E12000002" in page  # what they changed
    assert 'value="Olive Owen"' in page  # the second person's input is kept
    inspector.refresh_from_db()
    assert (inspector.full_name, inspector.home_region_code, inspector.version) == (
        "Olive Own",
        "E12000002",
        2,
    )
    # Saving again, now from the current version, goes through.
    again = client_for(lead).post(url, _form(inspector, full_name="Olive Owen"))
    assert again.status_code == 302
    inspector.refresh_from_db()
    assert (inspector.full_name, inspector.home_region_code) == ("Olive Owen", "E12000002")


def test_a_stale_save_through_the_api_is_a_409(world: World) -> None:
    lead = world.users[Role.INSPECTORATE_LEAD]
    url = f"/api/accounts/inspectors/{world.own_inspector.pk}/"
    ok = client_for(lead).patch(
        url, {"version": 1, "days_per_week": 4}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client_for(lead).patch(
        url, {"version": 1, "days_per_week": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    world.own_inspector.refresh_from_db()
    assert world.own_inspector.days_per_week == 4


def test_an_invalid_change_through_the_api_is_a_422_and_changes_nothing(world: World) -> None:
    lead = world.users[Role.INSPECTORATE_LEAD]
    url = f"/api/accounts/inspectors/{world.own_inspector.pk}/"
    bad = client_for(lead).patch(
        url, {"version": 1, "grade": "wizard"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "grade" in bad.json()["detail"]
    world.own_inspector.refresh_from_db()
    assert (world.own_inspector.grade, world.own_inspector.version) == ("inspector", 1)


def test_record_update_refuses_a_stale_version(world: World) -> None:
    inspector = world.own_inspector
    record_update(record=inspector, seen_version=1, changes={"days_per_week": 4})
    with pytest.raises(EditConflict) as info:
        record_update(record=inspector, seen_version=1, changes={"days_per_week": 1})
    assert "days per week" in str(info.value).lower()
    inspector.refresh_from_db()
    assert inspector.days_per_week == 4


def _export(client, **filters: str):
    ready = client.post(reverse("accounts:audit-export"), filters)
    assert ready.status_code == 200
    return DownloadLink.objects.latest("created_at")


def test_the_csv_export_is_audited_and_its_link_is_short_lived(world: World) -> None:
    lead = world.users[Role.NATIONAL_LEAD]
    client = client_for(lead)
    record_update(
        record=world.own_inspector,
        seen_version=1,
        changes={"full_name": '=HYPERLINK("http://x")'},
        by=lead,
    )
    link = _export(client, record_type="registry.inspector")
    assert link.user == lead
    assert link.expires_at - link.created_at <= timedelta(seconds=61)
    response = client.get(reverse("accounts:download", args=[link.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body: Any = response
    rows = list(csv.reader(io.StringIO(b"".join(body.streaming_content).decode())))
    assert rows[0][:5] == ["when", "who", "action", "record type", "record"]
    changed = [r for r in rows if r[2] == "Changed"]
    assert changed
    assert changed[0][5:] == ["full_name", "Olive Own", '\'=HYPERLINK("http://x")']
    # Used once: the link is spent, and both issuing and using it are in the audit trail.
    assert client.get(reverse("accounts:download", args=[link.token])).status_code == 410
    history = list(link.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].used_at is not None
    assert history[-1].history_user == lead


def test_the_audit_csv_runs_no_formula(world: World) -> None:
    """Every payload typed as a name comes out of the audit trail as text."""
    lead = world.users[Role.NATIONAL_LEAD]
    client = client_for(lead)
    for n, payload in enumerate(PAYLOADS, start=1):
        record_update(
            record=world.own_inspector, seen_version=n, changes={"full_name": payload}, by=lead
        )
    link = _export(client, record_type="registry.inspector")
    body: Any = client.get(reverse("accounts:download", args=[link.token]))
    text = b"".join(body.streaming_content).decode()
    assert csv_unsafe_cells(text) == []
    assert "'=cmd|' /C calc'!A0" in csv_text_cells(text)


def test_an_expired_or_borrowed_link_does_not_download(world: World) -> None:
    lead = world.users[Role.NATIONAL_LEAD]
    link = _export(client_for(lead))
    dcs = world.users[Role.DCS]
    assert client_for(dcs).get(reverse("accounts:download", args=[link.token])).status_code == 410
    DownloadLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_for(lead).get(reverse("accounts:download", args=[link.token])).status_code == 410


@override_settings(ECM_DOWNLOAD_LINK_SECONDS=5)
def test_link_lifetime_is_configurable(world: World) -> None:
    link = _export(client_for(world.users[Role.DCS]))
    assert (link.expires_at - link.created_at).total_seconds() <= 5.5
