"""An e-mail the product sends: saved first, delivered after commit by a task with retries
(`services.email_queue`, `tasks.email_deliver`). The row is the record: a message is never
lost, and a failed delivery stays visible until someone marks it handled."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not delivered"
    HANDLED = "handled", "Not delivered, handled"


class OutgoingEmailQuerySet(models.QuerySet["OutgoingEmail"]):
    def undelivered(self) -> OutgoingEmailQuerySet:
        """Deliveries that failed after the last attempt and nobody has handled yet."""
        return self.filter(status=EmailStatus.FAILED)

    def due(self) -> OutgoingEmailQuerySet:
        """Queued messages whose next attempt is due, or whose attempt in hand has taken so
        long it is taken for lost (for `ecm email retry`)."""
        from django.utils import timezone

        return self.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now())


class OutgoingEmail(models.Model):
    """One message to one address, as it was composed, with how its delivery went."""

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    purpose = models.CharField(
        max_length=60, help_text="What the message is for, e.g. “Safeguarding concern”."
    )
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, help_text="What the mail service said last time.")
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="While queued: when the next attempt is due, or when the one in hand is "
        "taken for lost.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_note = models.TextField(blank=True, help_text="What was done instead of the e-mail.")

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="core_email_status")]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"

    @property
    def undelivered(self) -> bool:
        return self.status == EmailStatus.FAILED
