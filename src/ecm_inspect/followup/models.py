"""Following up a review's findings (2004 proposals, "Following up findings"): the statement of
proposed action, each recommendation's actions with an owner, a deadline and progress, and
intervention cases where council services are found inadequate."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reports.models import Recommendation
from ecm_inspect.reviews.models import Review


class Action(models.Model):
    """An action the area commits to in its statement of proposed action."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField()
    owner_body = models.CharField(max_length=200)
    council_function = models.BooleanField(
        default=False,
        help_text="Council education or social care: followed up in the next APA; otherwise "
        "monitored by the inspectorate concerned.",
    )
    monitored_by = models.ForeignKey(
        Inspectorate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Progress(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField()
    text = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:40]}"


class InterventionCase(models.Model):
    """Opened for the national lead where a review finds council education or children's
    social care functions inadequate."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="intervention")
    reason = models.TextField()
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Intervention: {self.review}"
