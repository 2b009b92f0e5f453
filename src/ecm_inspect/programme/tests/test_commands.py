"""`ecm programme plan`, `confirm` and `replan` from the command line: a re-plan prints what
moved, old -> new, and a held review that cannot be kept is explained, not unfixed."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ecm_inspect.programme.models import CorporateAssessment, Fixity, ProgrammeVersion
from ecm_inspect.registry.models import Area


def _ecm(*args: str, err: io.StringIO | None = None) -> str:
    out = io.StringIO()
    call_command("programme", *args, stdout=out, stderr=err or io.StringIO())
    return out.getvalue()


def test_replan_prints_what_moved_and_explains_a_held_review(
    small_world: list[Area], settings
) -> None:
    settings.ECM_PROGRAMME_TEAM_SIZE = 3
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.8
    # A programme starting after today, so that no review has started.
    start = timezone.localdate().replace(month=9, day=1)
    start = start.replace(year=start.year + 2)
    shift = start - start.replace(year=2026)
    for ca in CorporateAssessment.objects.all():
        ca.starts_on, ca.ends_on = ca.starts_on + shift, ca.ends_on + shift
        ca.save()
    out = _ecm(
        "plan",
        "--start",
        start.isoformat(),
        "--years",
        "1",
        "--time-limit",
        "4",
        "--workers",
        "1",
        "--no-progress",
    )
    assert "Checker: every constraint kept." in out
    version = ProgrammeVersion.objects.get()
    _ecm("approve", str(version.pk))
    out = _ecm("confirm", "--financial-year", str(start.year), "--teams")
    assert "confirmed (dates and teams)" in out

    late = version.slots.filter(fixity=Fixity.INDICATIVE).select_related("area").first()
    assert late is not None
    event = late.analysis_start + timedelta(weeks=2)
    out = _ecm(
        "replan",
        "--time-limit",
        "4",
        "--workers",
        "1",
        "--no-progress",
        "--urgent",
        f"{late.area.gss_code}:{event.isoformat()}",
    )
    assert "Held fixed: 4 confirmed and 0 notified reviews (4 with their teams)" in out
    assert "Moved: 1 of 6 reviews:" in out
    again = ProgrammeVersion.objects.get(number=2)
    new = again.slots.get(area=late.area).analysis_start
    assert f"{late.area.gss_code} {late.area.name}: {late.analysis_start} -> {new}" in out
    assert "Checker: every constraint kept." in out

    held = version.slots.filter(fixity=Fixity.CONFIRMED).select_related("area").first()
    assert held is not None
    leaver = held.team.exclude(pk=held.leader_id).first()
    assert leaver is not None
    err = io.StringIO()
    with pytest.raises(CommandError, match="cannot be made"):
        _ecm(
            "replan",
            "--time-limit",
            "4",
            "--workers",
            "1",
            "--no-progress",
            "--inspector-left",
            str(leaver.pk),
            err=err,
        )
    assert f"inspector available: the confirmed review of {held.area.name}" in err.getvalue()
    assert f"inspector {leaver.pk} ({leaver.full_name})" in err.getvalue()
    assert f"--release {held.area.gss_code}" in err.getvalue()
    assert ProgrammeVersion.objects.count() == 2
