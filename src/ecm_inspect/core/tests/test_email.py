"""Outgoing e-mail: saved first, delivered after commit, retried, marked failed after the last
attempt, through GOV.UK Notify when configured. The mail server is made to fail for real (a
backend whose send raises what smtplib raises); Notify is faked only at its HTTP boundary."""

import io
import json
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
import responses
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ecm_inspect.core.models import EmailStatus, OutgoingEmail
from ecm_inspect.core.services import (
    EmailRefused,
    email_attempt,
    email_mark_handled,
    email_queue,
    email_retry,
)

BROKEN = "ecm_inspect.core.tests.test_email.BrokenMailServer"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


class BrokenMailServer(BaseEmailBackend):
    """A mail server that refuses every message, as an SMTP server that is down does."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        import smtplib

        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _queue(capture: Any) -> OutgoingEmail:
    with capture(execute=True):
        email = email_queue(
            to="someone@example.org", subject="Hello", body="A message.\n", purpose="Test"
        )
    email.refresh_from_db()
    return email


@pytest.mark.django_db
def test_an_email_is_sent_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = email_queue(to="someone@example.org", subject="Hello", body="B", purpose="Test")
        assert mail.outbox == []  # not inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["someone@example.org"], "Hello", "B")
    ]


def _queue_then_refuse(refusal: type[Exception]) -> None:
    with transaction.atomic():
        email_queue(to="someone@example.org", subject="Hello", body="B", purpose="Test")
        raise refusal


@pytest.mark.django_db
def test_nothing_is_sent_if_the_transaction_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    class Refused(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Refused):
            _queue_then_refuse(Refused)
    assert callbacks == []
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_attempt_is_recorded_and_the_next_one_sends_it(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_ATTEMPTS = 3
    settings.ECM_EMAIL_RETRY_SECONDS = [0]
    email = _queue(django_capture_on_commit_callbacks)
    assert email.status == EmailStatus.QUEUED  # one attempt of three: it will be tried again
    assert email.attempts == 1
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert email.next_attempt_at is not None
    assert mail.outbox == []
    # The server recovers; the next attempt (`ecm email retry`, since the immediate backend of
    # the tests cannot defer a task) delivers it.
    settings.EMAIL_BACKEND = WORKING
    out = io.StringIO()
    call_command("email", "retry", stdout=out)
    assert "Queued 1 e-mail again." in out.getvalue()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_after_the_last_attempt_it_is_failed_and_kept(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_ATTEMPTS = 2
    settings.ECM_EMAIL_RETRY_SECONDS = [0]
    email = _queue(django_capture_on_commit_callbacks)
    assert email_retry() == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == 2
    assert email.failed_at is not None
    assert "SMTPServerDisconnected" in email.last_error
    assert email.body == "A message.\n"  # the message is the record: nothing lost
    assert list(OutgoingEmail.objects.undelivered()) == [email]
    # Nothing more is tried on its own; `ecm email retry --failed` starts again.
    assert email_retry() == 0
    assert email_attempt(email_id=email.pk, attempt=3) == email
    settings.EMAIL_BACKEND = WORKING
    call_command("email", "retry", "--failed", stdout=io.StringIO())
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_retry_waits_when_the_backend_can_defer(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With a backend that defers (the database and RQ backends), the next attempt is queued
    to run after ECM_EMAIL_RETRY_SECONDS; the dummy backend keeps what was queued."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_RETRY_SECONDS = [60, 600]
    email = email_queue(to="someone@example.org", subject="S", body="B", purpose="Test")
    assert email_attempt(email_id=email.pk, attempt=1) is not None
    email.refresh_from_db()
    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert [r.task.run_after for r in queued] == [email.next_attempt_at]
    assert email.next_attempt_at is not None
    assert 59 <= (email.next_attempt_at - email.created_at).total_seconds() <= 61 + 5


@pytest.mark.django_db
def test_each_attempt_is_made_once_and_one_in_hand_is_not_retried(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A deferred retry and `ecm email retry` may both ask for the same attempt: the first
    takes it, the second finds it taken. A message queued or being sent is not taken for lost
    until EMAIL_LEASE has passed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    email = email_queue(to="someone@example.org", subject="S", body="B", purpose="Test")
    assert email_retry() == 0  # its first attempt is queued, not lost
    assert email_attempt(email_id=email.pk, attempt=1) is not None
    assert email_attempt(email_id=email.pk, attempt=1) is not None
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    lost = email_queue(to="other@example.org", subject="S", body="B", purpose="Test")
    OutgoingEmail.objects.filter(pk=lost.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert email_retry() == 1  # its task was lost: queued again


@pytest.mark.django_db
def test_marking_handled_needs_a_note_and_records_who(
    settings: Any, django_capture_on_commit_callbacks: Any, admin_user: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.ECM_EMAIL_ATTEMPTS = 1
    email = _queue(django_capture_on_commit_callbacks)
    assert email.status == EmailStatus.FAILED
    with pytest.raises(EmailRefused, match="Say what was done"):
        email_mark_handled(email=email, by=admin_user, note=" ")
    email = email_mark_handled(email=email, by=admin_user, note="Rang them.")
    assert (email.status, email.handled_by, email.handled_note) == (
        EmailStatus.HANDLED,
        admin_user,
        "Rang them.",
    )
    assert email.handled_at is not None
    assert not OutgoingEmail.objects.undelivered().exists()
    with pytest.raises(EmailRefused, match="Only an e-mail that was not delivered"):
        email_mark_handled(email=email, by=admin_user, note="Again.")


@pytest.mark.django_db
@responses.activate
def test_with_notify_configured_the_message_goes_to_notify(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    service, secret, template = uuid.uuid4(), uuid.uuid4(), str(uuid.uuid4())
    settings.ECM_NOTIFY_API_KEY = f"ecm_test-{service}-{secret}"
    settings.ECM_NOTIFY_TEMPLATE_ID = template
    settings.EMAIL_BACKEND = BROKEN  # not used when Notify is configured
    notify = responses.post(
        "https://api.notifications.service.gov.uk/v2/notifications/email",
        json={"id": str(uuid.uuid4()), "reference": None, "content": {}, "template": {}},
        status=201,
    )
    email = _queue(django_capture_on_commit_callbacks)
    assert email.status == EmailStatus.SENT
    assert notify.call_count == 1
    request = notify.calls[0].request
    sent = json.loads(request.body)
    assert sent["email_address"] == "someone@example.org"
    assert sent["template_id"] == template
    assert sent["personalisation"] == {"subject": "Hello", "body": "A message.\n"}
    assert sent["reference"] == f"ecm-{email.pk}"
    assert request.headers["Authorization"].startswith("Bearer ")


@pytest.mark.django_db
@responses.activate
def test_a_notify_error_is_recorded(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.ECM_NOTIFY_API_KEY = f"ecm_test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings.ECM_NOTIFY_TEMPLATE_ID = str(uuid.uuid4())
    settings.ECM_EMAIL_ATTEMPTS = 1
    responses.post(
        "https://api.notifications.service.gov.uk/v2/notifications/email",
        json={
            "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient"}],
            "status_code": 400,
        },
        status=400,
    )
    email = _queue(django_capture_on_commit_callbacks)
    assert email.status == EmailStatus.FAILED
    assert "Can't send to this recipient" in email.last_error
