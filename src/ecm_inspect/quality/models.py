"""The quality of inspection itself (2005 Framework, principle (8)): evaluation of each
inspection by those inspected and by children involved, and complaints about inspections,
handled fairly and promptly."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reviews.models import Review


class Respondent(models.TextChoices):
    INSPECTED_BODY = "inspected_body", "An inspected body"
    CHILD = "child", "A child or young person involved"


class EvaluationStage(models.TextChoices):
    PROCESS = "process", "The inspection process (soon after)"
    BENEFITS = "benefits", "The benefits (some months later)"


class Questionnaire(models.Model):
    """A short questionnaire about one inspection, answered through an unguessable link."""

    inspectorate = models.ForeignKey(Inspectorate, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="questionnaires"
    )
    inspection_label = models.CharField(max_length=300, help_text="The inspection it is about.")
    respondent = models.CharField(max_length=20, choices=Respondent.choices)
    stage = models.CharField(max_length=20, choices=EvaluationStage.choices)
    token = models.CharField(max_length=64, unique=True)
    sent_on = models.DateField()
    closes_on = models.DateField()

    class Meta:
        ordering = ["-sent_on"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.inspection_label}"


class QuestionnaireAnswer(models.Model):
    """One set of answers: agreement 1 (strongly disagree) to 4 (strongly agree) per criterion,
    and a comment. The date only, no time, no identity."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers"
    )
    scores = models.JSONField()
    comment = models.TextField(blank=True)
    answered_on = models.DateField()

    def __str__(self) -> str:
        return f"Answer to {self.questionnaire}"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ASSIGNED = "assigned", "With an independent investigator"
    DECIDED = "decided", "Decided"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Complaint(models.Model):
    """A complaint about an inspection, from anyone, with or without an account."""

    reference = models.CharField(max_length=20, unique=True)
    received_on = models.DateField()
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    inspectorate = models.ForeignKey(Inspectorate, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    about = models.CharField(max_length=300, help_text="The inspection complained about.")
    description = models.TextField()
    status = models.CharField(
        max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    acknowledge_by = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decide_by = models.DateField()
    decided_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    report_changed = models.BooleanField(default=False)
    report_change = models.TextField(blank=True, help_text="What changed in the published report.")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "reference"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.about}"
