"""Issue 20: a child's "talk to someone" concern survives a mail server failure. The concern is
saved first; its alert is an e-mail delivered after commit, retried, and when every attempt
fails it is shown as an error to the team (the survey's concerns page) and the national lead
(undelivered e-mail) until someone marks it handled."""

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.core.models import EmailStatus, OutgoingEmail
from ecm_inspect.core.services import email_retry
from ecm_inspect.reviews.models import Stage
from ecm_inspect.reviews.services import review_advance
from ecm_inspect.reviews.tests.conftest import ReviewWorld, team_set
from ecm_inspect.voices.models import Concern

from .conftest import SurveyWorld
from .test_answering import child

BROKEN = "ecm_inspect.core.tests.test_email.BrokenMailServer"


@pytest.mark.django_db
def test_the_mail_server_fails_the_concern_is_kept_and_the_failure_shown_until_handled(
    sw: SurveyWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_ATTEMPTS = 2
    settings.ECM_EMAIL_RETRY_SECONDS = [0]
    with django_capture_on_commit_callbacks(execute=True):
        told = child().post(reverse("voices:talk", args=[sw.code]), {"text": "Something at home"})
    assert told.status_code == 302  # the child is told someone knows: the concern is recorded
    concern = Concern.objects.get()
    assert concern.text == "Something at home"
    assert concern.alert is not None
    assert concern.alert.status == EmailStatus.QUEUED  # first attempt failed, one more to go
    email_retry()  # the second and last attempt fails too
    alert = OutgoingEmail.objects.get(pk=concern.alert.pk)
    assert alert.status == EmailStatus.FAILED
    assert alert.attempts == 2
    assert alert.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert alert.to == sw.contact.email
    assert "Something at home" in alert.body
    assert mail.outbox == []
    assert Concern.objects.count() == 1

    # The team sees it as an error on the concerns page.
    concerns_url = reverse("voices:concerns", args=[sw.rw.review.pk])
    contact = client_for(sw.contact)
    page = contact.get(concerns_url).content.decode()
    assert "1 e-mail not delivered" in page
    assert "Safeguarding concern to safe@example.org: not delivered" in page
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    assert "E-mail: Not delivered" in page
    survey_page = contact.get(reverse("voices:survey", args=[sw.rw.review.pk])).content.decode()
    assert "1 safeguarding alert not delivered" in survey_page
    # So does the national lead, with the navigation leading there.
    lead = sw.rw.people.users[Role.NATIONAL_LEAD]
    national = client_for(lead)
    national_url = reverse("national:undelivered-email")
    page = national.get(national_url).content.decode()
    assert "1 e-mail not delivered" in page
    assert f"Safeguarding: a child at {sw.school.name} ({sw.code})" in page
    assert "Something at home" not in page  # what the child wrote stays with the contact
    assert f'href="{national_url}"' in page
    # Nobody else sees the national list; the national lead does not see the concerns page.
    assert client_for(sw.contact).get(national_url).status_code == 403
    assert national.get(concerns_url).status_code == 403

    # Marking it handled needs the confirmation and a note, then it leaves both lists.
    unconfirmed = contact.post(concerns_url, {"email": alert.pk, "note": "Rang the DSL."})
    assert unconfirmed.status_code == 422
    assert "Confirm that safe@example.org has been told another way" in unconfirmed.content.decode()
    no_note = contact.post(concerns_url, {"email": alert.pk, "note": "", "confirm": "yes"})
    assert no_note.status_code == 422
    assert "Say what was done instead" in no_note.content.decode()
    done = contact.post(
        concerns_url, {"email": alert.pk, "note": "Rang the contact.", "confirm": "yes"}
    )
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.status == EmailStatus.HANDLED
    assert alert.handled_by == sw.contact
    assert alert.handled_at is not None
    assert "e-mail not delivered" not in contact.get(concerns_url).content.decode()
    page = national.get(national_url).content.decode()
    assert "e-mail not delivered" not in page
    assert "Every e-mail has been delivered or handled." in page
    assert "Rang the contact." in page  # on record, with who
    assert Concern.objects.get().status == "new"  # the concern itself still needs handling


@pytest.mark.django_db
def test_the_national_lead_marks_an_undelivered_alert_handled(
    sw: SurveyWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        child().post(reverse("voices:talk", args=[sw.code]), {"text": "x"})
    alert = Concern.objects.get().alert
    assert alert is not None
    national = client_for(sw.rw.people.users[Role.NATIONAL_LEAD])
    url = reverse("national:undelivered-email")
    for nonsense in ["nonsense", "²", "9223372036854775808", ""]:
        assert national.post(url, {"email": nonsense, "confirm": "yes"}).status_code == 422
    nul = national.post(url, {"email": alert.pk, "note": "\x00", "confirm": "yes"})
    assert nul.status_code == 422
    done = national.post(url, {"email": alert.pk, "note": "Phoned.", "confirm": "yes"})
    assert done.status_code == 302
    assert OutgoingEmail.objects.get(pk=alert.pk).status == EmailStatus.HANDLED
    concerns = client_for(sw.contact).get(reverse("voices:concerns", args=[sw.rw.review.pk]))
    assert "e-mail not delivered" not in concerns.content.decode()
    assert "E-mail: Not delivered, handled" in concerns.content.decode()


@pytest.mark.django_db
def test_the_alert_is_sent_when_the_server_recovers(
    sw: SurveyWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_RETRY_SECONDS = [0]
    with django_capture_on_commit_callbacks(execute=True):
        child().post(reverse("voices:talk", args=[sw.code]), {"text": "Help"})
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_retry()
    alert = Concern.objects.get().alert
    assert alert is not None
    assert alert.status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [[sw.contact.email]]
    page = client_for(sw.contact).get(reverse("voices:concerns", args=[sw.rw.review.pk]))
    assert "E-mail: Sent" in page.content.decode()


@pytest.mark.django_db
def test_a_message_to_the_dcs_that_fails_shows_on_the_review(
    rw: ReviewWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_ATTEMPTS = 1
    team_set(rw)
    with django_capture_on_commit_callbacks(execute=True):
        review_advance(review=rw.review, to=Stage.NOTIFIED, on=date(2026, 7, 1), confirmed=True)
    notification = rw.review.notifications.get()
    assert notification.email is not None
    assert notification.email.status == EmailStatus.FAILED
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    page = leader.get(reverse("reviews:detail", args=[rw.review.pk])).content.decode()
    assert "Messages to the director of children’s services" in page
    assert "Not delivered after 1 attempt: SMTPServerDisconnected" in page
    national = client_for(rw.people.users[Role.NATIONAL_LEAD])
    page = national.get(reverse("national:undelivered-email")).content.decode()
    assert "Review notification to dcs@gateshead.example: not delivered" in page
