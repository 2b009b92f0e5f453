"""Following up a review's findings (2004 proposals, "Following up findings"): the statement of
proposed action, each recommendation's actions with an owner, a deadline and progress, and
intervention cases where council services are found inadequate."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reports.models import Recommendation
from ecm_inspect.reviews.models import Review


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "Being written by the area"
    SUBMITTED = "submitted", "Submitted: awaiting the lead inspectorate"
    SENT_BACK = "sent_back", "Sent back to the area"
    ACCEPTED = "accepted", "Accepted as adequate"


class StatementOfAction(models.Model):
    """The area's statement of proposed action on a published report (2004 proposals,
    "Following up findings": "the local authority and its partners ... will produce a statement
    of proposed action"): written by the DCS and partners, submitted by its due date, found
    adequate or sent back by the lead inspectorate."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="statement")
    status = models.CharField(
        max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    due_on = models.DateField(help_text="Working days after publication the regulations allow.")
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submissions = models.PositiveSmallIntegerField(default=0)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Statement of proposed action: {self.review}"

    @property
    def submitted_late(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due_on

    @property
    def with_the_area(self) -> bool:
        return self.status in (StatementStatus.DRAFT, StatementStatus.SENT_BACK)


class Service(models.TextChoices):
    """The service an action is for; `services.SERVICE_MONITORS` says who monitors it."""

    COUNCIL_EDUCATION = "council_education", "Council education services"
    COUNCIL_SOCIAL_CARE = "council_social_care", "Council children's social care"
    HEALTH = "health", "Health services"
    POLICE = "police", "Police"
    YOUTH_JUSTICE = "youth_justice", "Youth offending and probation"
    LEARNING_AND_SKILLS = "learning_and_skills", "Post-16 learning and skills"
    PARTNERSHIP = "partnership", "The partnership as a whole"


class Action(models.Model):
    """An action the area commits to in its statement of proposed action."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField()
    owner_body = models.CharField(max_length=200)
    service = models.CharField(max_length=20, choices=Service.choices, default=Service.PARTNERSHIP)
    milestones = models.TextField(blank=True, help_text="What will be done by when, in steps.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
    visit = models.BooleanField(
        default=False, help_text="A monitoring visit by the inspectorate, not the area's report."
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:40]}"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Opened"
    REFERRED = "referred", "Referred to the Department"
    DECIDED = "decided", "The Department has decided"
    CLOSED = "closed", "Closed"


class InterventionCase(models.Model):
    """Opened for the national lead where a review finds the council's education or children's
    social care functions inadequate (a finding on the council's functions, kept apart from the
    findings on all local services); referred to the Department for Education and Skills, its
    decision recorded, then closed."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="intervention")
    reason = models.TextField()
    finding = models.JSONField(
        default=list, help_text="The council-function judgements found inadequate: code, title."
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField()
    referred_on = models.DateField(null=True, blank=True)
    referral_note = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closing_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Intervention: {self.review}"
