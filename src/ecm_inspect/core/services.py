"""E-mail after commit: `email_queue` saves the message and queues its delivery once the
transaction commits; `email_attempt` (run by the task `tasks.email_deliver`) tries once, through
GOV.UK Notify when ECM_NOTIFY_API_KEY is set, Django's e-mail backend otherwise, and either
marks it sent, schedules the next attempt (ECM_EMAIL_ATTEMPTS, ECM_EMAIL_RETRY_SECONDS) or, after
the last, marks it failed. A failed message stays listed until someone marks it handled."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

# How long an attempt may be in hand (queued, or sending) before `ecm email retry` takes it for
# lost (a task dropped, a worker killed part way) and queues it again. Longer than any mail
# service's timeout, so a message being sent is not sent twice.
EMAIL_LEASE = timedelta(minutes=10)


class EmailRefused(Exception):
    """A request about an e-mail that cannot be done, in words for the page."""


@transaction.atomic
def email_queue(*, to: str, subject: str, body: str, purpose: str) -> OutgoingEmail:
    """Save the message, then deliver it by a task once the transaction commits: nothing is
    sent if the transaction rolls back, and what is saved is never lost if the mail service
    fails."""
    from .tasks import email_deliver, enqueue_on_commit

    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject,
        body=body,
        purpose=purpose,
        next_attempt_at=timezone.now() + EMAIL_LEASE,
    )
    enqueue_on_commit(email_deliver, email.pk, 1)
    return email


def _retry_delay(attempt: int) -> timedelta:
    """The wait after the `attempt`-th failure: ECM_EMAIL_RETRY_SECONDS in turn, the last
    repeated."""
    delays = list(settings.ECM_EMAIL_RETRY_SECONDS) or [60]
    return timedelta(seconds=int(delays[min(attempt, len(delays)) - 1]))


def _send(email: OutgoingEmail) -> None:
    if settings.ECM_NOTIFY_API_KEY:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.ECM_NOTIFY_API_KEY)
        client.send_email_notification(
            email_address=email.to,
            template_id=settings.ECM_NOTIFY_TEMPLATE_ID,
            personalisation={"subject": email.subject, "body": email.body},
            reference=f"ecm-{email.pk}",
        )
    else:
        EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
        ).send()


def email_attempt(*, email_id: int, attempt: int) -> OutgoingEmail | None:
    """Make attempt number `attempt` to deliver a queued message. Returns the row, or None if
    it is gone. Each attempt is made once: a message already sent, failed or handled, or whose
    attempt `attempt` was already taken (by a deferred retry and `ecm email retry` both), is
    left alone."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != EmailStatus.QUEUED or email.attempts != attempt - 1:
            return email
        email.attempts = attempt
        email.next_attempt_at = timezone.now() + EMAIL_LEASE  # in hand: not yet lost
        email.save(update_fields=["attempts", "next_attempt_at"])
    now = timezone.now
    try:
        _send(email)
    except Exception as exc:  # noqa: BLE001 (any failure of the mail service is recorded)
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("E-mail %s, attempt %s failed: %s", email.pk, email.attempts, exc)
        if email.attempts >= settings.ECM_EMAIL_ATTEMPTS:
            email.status = EmailStatus.FAILED
            email.failed_at = now()
            email.next_attempt_at = None
        else:
            email.next_attempt_at = now() + _retry_delay(email.attempts)
        email.save(update_fields=["last_error", "status", "failed_at", "next_attempt_at"])
        if email.status == EmailStatus.QUEUED:
            _schedule(email)
        return email
    email.status = EmailStatus.SENT
    email.sent_at = now()
    email.next_attempt_at = None
    email.save(update_fields=["status", "sent_at", "next_attempt_at"])
    return email


def _schedule(email: OutgoingEmail) -> None:
    """Queue the next attempt for `next_attempt_at` when the task backend can defer (the
    database and RQ backends); otherwise it waits for `ecm email retry`."""
    from django_tasks import default_task_backend

    from .tasks import email_deliver

    if not default_task_backend.supports_defer:
        return
    email_deliver.using(run_after=email.next_attempt_at).enqueue(email.pk, email.attempts + 1)


def email_retry(*, failed_too: bool = False) -> int:
    """Queue again every message whose next attempt is due, or whose attempt in hand is older
    than EMAIL_LEASE (and, with `failed_too`, every undelivered one, with its attempts counted
    afresh). Returns how many were queued."""
    from .tasks import email_deliver

    if failed_too:
        OutgoingEmail.objects.undelivered().update(
            status=EmailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now(), failed_at=None
        )
    due = list(OutgoingEmail.objects.due().values_list("pk", "attempts"))
    for pk, attempts in due:
        email_deliver.enqueue(pk, attempts + 1)
    return len(due)


@transaction.atomic
def email_mark_handled(*, email: OutgoingEmail, by: Any, note: str) -> OutgoingEmail:
    """Record that someone dealt with an undelivered message some other way (a phone call, a
    new address), and by whom: it leaves the list of failures but stays on record."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != EmailStatus.FAILED:
        raise EmailRefused("Only an e-mail that was not delivered can be marked handled.")
    if not note.strip():
        raise EmailRefused("Say what was done instead of the e-mail.")
    email.status = EmailStatus.HANDLED
    email.handled_by = by
    email.handled_at = timezone.now()
    email.handled_note = note.strip()
    email.save(update_fields=["status", "handled_by", "handled_at", "handled_note"])
    return email


def email_handled_from_form(*, emails: Any, data: Any, by: Any) -> tuple[OutgoingEmail | None, str]:
    """The mark-handled form of `core/_undelivered.html`, for the pages that show it: finds the
    message among `emails` (a queryset the page may show), checks the confirmation, records it.
    Returns the message and an error in words ("" when recorded)."""
    raw = str(data.get("email", "")).strip()
    found = raw.isascii() and raw.isdigit() and len(raw) < 19
    email = emails.filter(pk=int(raw)).first() if found else None
    if email is None:
        return None, "That e-mail is not one this page can mark handled."
    if data.get("confirm") != "yes":
        return email, f"Confirm that {email.to} has been told another way."
    try:
        email_mark_handled(email=email, by=by, note=str(data.get("note", "")).replace("\x00", ""))
    except EmailRefused as exc:
        return email, str(exc)
    return email, ""
