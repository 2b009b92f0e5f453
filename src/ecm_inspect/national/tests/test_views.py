"""The national pages: the composite report is public for any year in range; planning and the
Framework's versions are for inspectorate staff; publishing a revision and the undelivered
e-mail are the national lead's. Refusals show their error on the page (never a 500) and change
nothing."""

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.core.models import EmailStatus, OutgoingEmail
from ecm_inspect.framework.models import FrameworkVersion, VersionStatus
from ecm_inspect.reviews.tests.conftest import ReviewWorld

INSPECTORATE = [Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD, Role.REVIEW_TEAM_LEADER, Role.INSPECTOR]
AREA = [Role.DCS, Role.PARTNER_CONTRIBUTOR]


def _page(response: Any) -> str:
    return unescape(response.content.decode())


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/national/2027/", 200),
        ("/national/2027/data.json", 200),
        ("/national/1899/", 404),
        ("/national/2200/data.json", 404),
        ("/national/27/", 404),
    ],
)
def test_the_composite_is_public_for_years_in_range(rw: ReviewWorld, url: str, status: int) -> None:
    assert Client().get(url).status_code == status


def test_an_empty_years_open_data(rw: ReviewWorld) -> None:
    data = Client().get("/national/2031/data.json").json()
    assert (data["year"], data["reviews"], data["areas"]) == (2031, 0, [])
    assert data["recurring_recommendations"] == []
    assert set(data["grades_by_outcome"]["Staying safe"].values()) == {0}
    latest = Client().get("/national/")
    assert latest.status_code == 200
    assert str(timezone.localdate().year) in _page(latest)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("url", ["/national/planning/", "/national/framework/"])
def test_planning_and_versions_are_for_inspectorate_staff(
    rw: ReviewWorld, url: str, role: str
) -> None:
    status = client_for(rw.people.users[role]).get(url).status_code
    assert status == (200 if role in INSPECTORATE else 403)


@pytest.mark.parametrize("url", ["/national/planning/", "/national/framework/", "/national/email/"])
def test_staff_pages_send_the_public_to_sign_in(rw: ReviewWorld, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def _draft() -> FrameworkVersion:
    return FrameworkVersion.objects.create(
        code="2009",
        title="Framework 2009",
        source="draft.yaml",
        checksum="0" * 64,
        loaded_at=timezone.now(),
        status=VersionStatus.DRAFT,
    )


def test_the_framework_versions_page_and_an_unknown_version(rw: ReviewWorld) -> None:
    _draft()
    inspector = client_for(rw.people.users[Role.INSPECTOR])
    page = _page(inspector.get("/national/framework/"))
    assert "2005" in page
    assert "2009" in page
    assert inspector.get("/national/framework/2009/").status_code == 200
    assert inspector.get("/national/framework/1999/").status_code == 404
    assert client_for(rw.people.users[Role.DCS]).get("/national/framework/2009/").status_code == 403


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.NATIONAL_LEAD])
def test_only_the_national_lead_publishes_a_revision(rw: ReviewWorld, role: str) -> None:
    _draft()
    response = client_for(rw.people.users[role]).post(
        "/national/framework/2009/", {"effective_from": "2030-04-01"}
    )
    assert response.status_code == 403
    assert FrameworkVersion.objects.get(code="2009").status == VersionStatus.DRAFT


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        ("2009", "1 April 2030", "Enter the date it takes effect as YYYY-MM-DD"),
        ("2009", "", "Enter the date it takes effect as YYYY-MM-DD"),
        ("2009", "2030-04-01", "version 2009 has no outcomes: it is not a Framework"),
        ("2005", "2030-04-01", "Version 2005 is already published."),
    ],
)
def test_a_refused_publication_shows_why_and_keeps_the_date_typed(
    rw: ReviewWorld, code: str, typed: str, message: str
) -> None:
    _draft()
    before = {v.code: (v.status, v.effective_from) for v in FrameworkVersion.objects.all()}
    response = client_for(rw.people.users[Role.NATIONAL_LEAD]).post(
        f"/national/framework/{code}/", {"effective_from": typed}
    )
    assert response.status_code == 422
    page = _page(response)
    assert message in page
    if typed and code == "2009":  # the draft's form keeps what was typed
        assert f'value="{typed}"' in page
    after = {v.code: (v.status, v.effective_from) for v in FrameworkVersion.objects.all()}
    assert after == before


# -- undelivered e-mail -----------------------------------------------------------------------


def _failed(to: str = "dcs@gateshead.example") -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        to=to,
        subject="Safeguarding concern",
        body="...",
        purpose="Safeguarding concern",
        status=EmailStatus.FAILED,
        attempts=5,
    )


@pytest.mark.parametrize("role", Role.values)
def test_undelivered_email_is_the_national_leads(rw: ReviewWorld, role: str) -> None:
    _failed()
    response = client_for(rw.people.users[role]).get("/national/email/")
    assert response.status_code == (200 if role == Role.NATIONAL_LEAD else 403)
    if role == Role.NATIONAL_LEAD:
        assert "dcs@gateshead.example" in _page(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "OTHER", "confirm": "yes", "note": "Phoned."}, "not one this page can mark"),
        ({"email": "abc", "confirm": "yes", "note": "Phoned."}, "not one this page can mark"),
        ({"email": "9" * 25, "confirm": "yes", "note": "Phoned."}, "not one this page can mark"),
        ({"email": "FAILED", "note": "Phoned."}, "Confirm that dcs@gateshead.example has been"),
        ({"email": "FAILED", "confirm": "yes", "note": "  "}, "Say what was done instead"),
    ],
    ids=["already handled", "not a number", "too long", "unconfirmed", "no note"],
)
def test_marking_an_email_handled_is_refused_with_its_reason(
    rw: ReviewWorld, data: dict[str, str], message: str
) -> None:
    failed = _failed()
    handled = _failed("other@example.org")
    lead = rw.people.users[Role.NATIONAL_LEAD]
    OutgoingEmail.objects.filter(pk=handled.pk).update(
        status=EmailStatus.HANDLED, handled_by=lead, handled_note="Posted."
    )
    posted = {
        **data,
        "email": {"FAILED": failed.pk, "OTHER": handled.pk}.get(data["email"], data["email"]),
    }
    response = client_for(lead).post("/national/email/", posted)
    assert response.status_code == 422
    assert message in _page(response)
    assert OutgoingEmail.objects.get(pk=failed.pk).status == EmailStatus.FAILED
    assert OutgoingEmail.objects.get(pk=handled.pk).handled_note == "Posted."


def test_an_email_marked_handled_names_who_and_leaves_the_list(rw: ReviewWorld) -> None:
    failed = _failed()
    lead = rw.people.users[Role.NATIONAL_LEAD]
    client = client_for(lead)
    response = client.post(
        "/national/email/", {"email": failed.pk, "confirm": "yes", "note": " Phoned the DCS. "}
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.handled_by, failed.handled_note) == (
        EmailStatus.HANDLED,
        lead,
        "Phoned the DCS.",
    )
    assert OutgoingEmail.objects.undelivered().count() == 0
    assert (
        client_for(rw.people.users[Role.INSPECTORATE_LEAD])
        .post("/national/email/", {"email": failed.pk, "confirm": "yes", "note": "x"})
        .status_code
        == 403
    )


def test_the_planning_page_says_when_nothing_clashes(rw: ReviewWorld) -> None:
    page = client_for(rw.people.users[Role.INSPECTORATE_LEAD]).get("/national/planning/")
    assert page.status_code == 200
    assert "No planned inspections fall close together." in _page(page)
