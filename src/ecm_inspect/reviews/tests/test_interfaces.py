"""Review pages, API and CLI over the same services."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from icalendar import Calendar

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.reviews.models import MeetingKind, Stage
from ecm_inspect.reviews.services import meeting_record, review_advance

from .conftest import ReviewWorld, team_set


def test_the_dashboard_shows_stage_timetable_chart_team_and_next_step(rw: ReviewWorld) -> None:
    team_set(rw)
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    page = client_for(leader).get(f"/reviews/{rw.review.pk}/").content.decode()
    assert '<h1 class="govuk-heading-xl">Gateshead</h1>' in page
    assert "<svg" in page
    assert "Timetable of the Joint area review of Gateshead" in page
    assert "Mon 5 Oct 2026" in page  # fieldwork starts
    assert "Lena Leader" in page
    assert "Team leader" in page
    assert "Send the notification" in page  # the team leader may move it on


def test_advancing_from_the_page_refuses_with_reasons(rw: ReviewWorld) -> None:
    team_set(rw)
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    unconfirmed = leader.post(f"/reviews/{rw.review.pk}/advance/", {"to": "notified"})
    assert unconfirmed.status_code == 302
    assert unconfirmed["Location"] == f"/reviews/{rw.review.pk}/confirm/notified/"
    assert rw.review.stage_changes.count() == 0
    page = leader.get(unconfirmed["Location"]).content.decode()
    assert "Check before you send the notification" in page
    assert "dcs@gateshead.example" in page
    assert "Joint area review of Gateshead: notification of dates" in page
    moved = leader.post(f"/reviews/{rw.review.pk}/advance/", {"to": "notified", "confirmed": "on"})
    assert moved.status_code == 302
    assert moved["Location"] == f"/reviews/{rw.review.pk}/"
    refused = leader.post(f"/reviews/{rw.review.pk}/advance/", {"to": "set_up"})
    assert refused.status_code == 409
    assert "The set-up meeting is not recorded yet." in refused.content.decode()


def test_the_dcs_sees_what_is_asked_of_the_area_not_the_team(rw: ReviewWorld) -> None:
    team_set(rw)
    dcs = client_for(rw.people.users[Role.DCS])
    assert dcs.get(f"/reviews/{rw.review.pk}/").status_code == 403  # not notified yet
    review_advance(review=rw.review, to=Stage.NOTIFIED, confirmed=True)
    page = dcs.get(f"/reviews/{rw.review.pk}/").content.decode()
    assert "What the review asks of your area" in page
    assert "co-ordinate self-assessment material" in page
    assert "Lena Leader" not in page.split("What the review asks")[0]  # no team list
    assert dcs.get(f"/reviews/{rw.review.pk}/team/").status_code == 403


def test_the_team_page_names_the_broken_rule(rw: ReviewWorld) -> None:
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    team_set(rw)
    response = leader.post(
        f"/reviews/{rw.review.pk}/team/",
        {"leader": rw.pool[0].pk, "members": [rw.pool[1].pk, rw.pool[2].pk]},
    )
    assert response.status_code == 422
    assert "at least two bodies" in response.content.decode()
    assert rw.review.team.count() == 4  # unchanged


def test_the_stage_page_records_the_set_up_meeting(rw: ReviewWorld) -> None:
    team_set(rw)
    review_advance(review=rw.review, to=Stage.NOTIFIED, confirmed=True)
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    url = f"/reviews/{rw.review.pk}/stages/notified/"
    assert "To do" in leader.get(url).content.decode()
    saved = leader.post(
        url,
        {
            "held_on": "2026-08-17",
            "attendees": "DCS",
            "basis_for_planning": "APA",
            "fieldwork_issues": "Safeguarding",
            "timetable_confirmed": "on",
        },
    )
    assert saved.status_code == 302
    assert rw.review.meetings.get(kind=MeetingKind.SET_UP).fieldwork_issues == "Safeguarding"
    # An inspector on the team may read the stage page but not change it.
    inspector = client_for(rw.people.users[Role.INSPECTOR])
    assert inspector.get(url).status_code == 200
    assert inspector.post(url, {"held_on": "2026-08-18", "attendees": "x"}).status_code == 403


def test_milestones_as_icalendar(rw: ReviewWorld) -> None:
    team_set(rw)
    response = client_for(rw.people.users[Role.INSPECTOR]).get(
        f"/reviews/{rw.review.pk}/calendar.ics"
    )
    assert response["Content-Type"] == "text/calendar"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = {str(e["summary"]): e.decoded("dtstart") for e in events}
    assert len(events) == 10
    assert summaries["Gateshead JAR: Fieldwork starts"] == date(2026, 10, 5)


def test_the_api(rw: ReviewWorld) -> None:
    team_set(rw)
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    listed = leader.get("/api/reviews/").json()
    assert [r["area_gss_code"] for r in listed] == ["E08000037"]
    detail = leader.get(f"/api/reviews/{rw.review.pk}/").json()
    assert detail["next_stage"] == "notified"
    assert len(detail["team"]) == 4
    refused = leader.post(
        f"/api/reviews/{rw.review.pk}/advance/",
        {"to": "fieldwork"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert "one stage at a time" in refused.json()["reasons"][0]
    unconfirmed = leader.post(
        f"/api/reviews/{rw.review.pk}/advance/",
        {"to": "notified", "on": "2026-07-01"},
        content_type="application/json",
    )
    assert unconfirmed.status_code == 409
    assert "needs confirming" in unconfirmed.json()["reasons"][0]
    moved = leader.post(
        f"/api/reviews/{rw.review.pk}/advance/",
        {"to": "notified", "on": "2026-07-01", "confirmed": True},
        content_type="application/json",
    )
    assert moved.status_code == 200
    notification = next(m for m in moved.json()["milestones"] if m["kind"] == "notification")
    assert notification["actual"] == "2026-07-01"
    # Once notified, the area's partners see their own area's review, without the team.
    partner = client_for(rw.people.users[Role.PARTNER_CONTRIBUTOR])
    assert [r["id"] for r in partner.get("/api/reviews/").json()] == [rw.review.pk]
    assert partner.get(f"/api/reviews/{rw.review.pk}/").json()["team"] is None


def _ecm(*args: str) -> str:
    out = io.StringIO()
    call_command("review", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_line(rw: ReviewWorld) -> None:
    out = _ecm(
        "create", "--area", "E08000024", "--analysis", "2027-01-11", "--dcs-name", "S",
        "--dcs-email", "dcs@sunderland.example", "--leader", str(rw.pool[2].pk),
        "--member", str(rw.pool[3].pk), "--member", str(rw.pool[8].pk),
    )  # fmt: skip
    assert "Created review" in out
    rows = json.loads(_ecm("list", "--format", "json"))
    sunderland = next(r for r in rows if r["area_gss_code"] == "E08000024")
    assert sunderland["stage"] == "planned"
    # The text listing says the stage in words; the JSON keeps its code.
    listed = _ecm("list")
    assert "Planned" in listed
    assert "planned" not in listed.replace("Planned", "")
    assert sunderland["milestones"]["fieldwork_start"]["planned"] == "2027-02-01"
    with pytest.raises(CommandError, match="needs confirming"):
        _ecm("advance", str(sunderland["id"]), "--to", "notified")
    moved = _ecm("advance", str(sunderland["id"]), "--to", "notified", "--confirm")
    assert "is now notified" in moved
    status = _ecm("status", str(sunderland["id"]))
    assert "blocked: The set-up meeting is not recorded yet." in status
    with pytest.raises(CommandError, match="one stage at a time"):
        _ecm("advance", str(sunderland["id"]), "--to", "published")
    team_set(rw)
    with pytest.raises(CommandError, match="may not"):
        _ecm("advance", str(rw.review.pk), "--to", "notified", "--by", "test-inspector")
    meeting_record(
        review=rw.review, kind=MeetingKind.SET_UP, held_on=date(2026, 8, 1), attendees="x"
    )
