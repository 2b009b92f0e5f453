"""An e-mail the mail service refused after every attempt, in a real browser: the national lead
finds it from the navigation, shown as an error; marking it handled asks for what was done and
a confirmation, refuses without them, and then lists it as handled. Desktop and phone width."""

import pytest
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.core.models import EmailStatus, OutgoingEmail

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def failed(live_server):  # type: ignore[no-untyped-def]
    people = world_build()
    email = OutgoingEmail.objects.create(
        to="safeguarding@gateshead.example",
        subject="Safeguarding: a child at a school in Gateshead",
        body="A child asked to talk to someone.",
        purpose="Safeguarding concern",
        status=EmailStatus.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        failed_at=timezone.now(),
    )
    return live_server, people, email


def test_the_national_lead_marks_an_undelivered_alert_handled(failed, page):  # type: ignore[no-untyped-def]
    base, people, email = failed
    _sign_in(page, base, people.users[Role.NATIONAL_LEAD].username, "/programme/")
    page.click("a:has-text('Undelivered e-mail')")  # from the navigation
    summary = page.locator(".govuk-error-summary").first.inner_text()
    assert "1 e-mail not delivered" in summary
    assert "Safeguarding concern to safeguarding@gateshead.example" in summary
    assert "A child asked to talk to someone." not in page.content()  # never the child's words
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "undelivered-email.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "undelivered-email-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})
    # Without the confirmation: refused, as an error, and still undelivered.
    page.fill(f"#note-{email.pk}", "Rang the safeguarding lead at 10:05.")
    page.click("button:has-text('Mark handled')")
    assert page.locator(".govuk-error-message").count() >= 1
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.FAILED
    page.fill(f"#note-{email.pk}", "Rang the safeguarding lead at 10:05.")
    page.check(f"#confirm-{email.pk}")
    page.click("button:has-text('Mark handled')")
    assert "Every e-mail has been delivered or handled." in page.content()
    assert "Rang the safeguarding lead at 10:05." in page.locator("table").inner_text()
    handled = OutgoingEmail.objects.get(pk=email.pk)
    assert handled.status == EmailStatus.HANDLED
    assert handled.handled_by == people.users[Role.NATIONAL_LEAD]
    assert axe_violations(page) == []
    assert [e for e in page.js_errors if "status of 422" not in e] == []  # the refusal: 422
