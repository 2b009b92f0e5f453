"""Setting inspections: inspections of front-line providers by one or more inspectorates, the
judgements they make against the Framework's key judgements, and the visits and information
requests that make up each provider's inspection burden.

2004 proposals, section 3 ("Proposals for inspecting education and care settings"); 2005
Framework, principles (2) to (6).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.registry.models import Inspector, Inspectorate, Provider


class GradeField(models.PositiveSmallIntegerField):
    """A grade on the Framework's four-point scale, read back as a `Grade` (never a bare int)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["choices"] = Grade.choices
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> Grade | None:
        return None if value is None else Grade(value)

    def to_python(self, value: Any) -> Grade | None:
        if value is None or value == "":
            return None
        return Grade(int(value))


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    PUBLISHED = "published", "Published"


class SettingInspectionQuerySet(models.QuerySet["SettingInspection"]):
    def published(self) -> "SettingInspectionQuerySet":
        return self.filter(status=InspectionStatus.PUBLISHED)

    def planned(self) -> "SettingInspectionQuerySet":
        return self.filter(status=InspectionStatus.PLANNED)


class SettingInspection(models.Model):
    """One inspection of one or more providers (a children's centre or extended school is
    inspected as one, covering each service under its roof), led by one inspectorate with any
    others taking part: one visit plan, shared findings, one record (2004, section 3)."""

    providers: "models.ManyToManyField[Provider, InspectedProvider]" = models.ManyToManyField(
        Provider, through="InspectedProvider", related_name="setting_inspections"
    )
    lead_inspectorate = models.ForeignKey(
        Inspectorate, on_delete=models.PROTECT, related_name="led_setting_inspections"
    )
    other_inspectorates = models.ManyToManyField(
        Inspectorate,
        blank=True,
        related_name="joined_setting_inspections",
        help_text="Other inspectorates taking part in a coordinated inspection.",
    )
    inspectors = models.ManyToManyField(Inspector, blank=True, related_name="setting_inspections")
    status = models.CharField(
        max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    date_is_estimate = models.BooleanField(
        default=False,
        help_text="The source did not publish the date: ends_on is the latest it can have been.",
    )
    published_on = models.DateField(null=True, blank=True)
    statutory_framework = models.CharField(
        max_length=200,
        help_text="The statutory requirements and framework the inspection was run under, "
        "e.g. the Children's Homes Regulations and the social care common inspection framework.",
    )
    visit_plan = models.TextField(
        blank=True, help_text="The coordinated visit plan shared by the inspectorates."
    )
    source = models.CharField(
        max_length=60, blank=True, help_text="The import mapping it came from; blank if recorded."
    )
    source_reference = models.CharField(max_length=60, blank=True)
    published_by = models.CharField(
        max_length=100, blank=True, help_text="Who published an imported outcome (e.g. Ofsted)."
    )
    version = models.PositiveIntegerField(default=1)

    objects = SettingInspectionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[other_inspectorates, inspectors])

    class Meta:
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="setting_inspection_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["source", "source_reference"],
                condition=~Q(source=""),
                name="setting_inspection_source_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self) -> str:
        return f"Setting inspection {self.pk} ({self.lead_inspectorate}, {self.ends_on})"

    @property
    def is_published(self) -> bool:
        return self.status == InspectionStatus.PUBLISHED


class InspectedProvider(models.Model):
    """A provider (one service) covered by a setting inspection."""

    inspection = models.ForeignKey(
        SettingInspection, on_delete=models.CASCADE, related_name="inspected"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="inspected_in")
    children = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Children the service had at the inspection (places, pupils), where known.",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "provider"], name="inspected_provider_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} in {self.inspection}"


class Judgement(models.Model):
    """A finding of a setting inspection on one key judgement, for one provider, by one
    inspectorate: a grade on the four-point scale, or "not judged" with the reason."""

    inspection = models.ForeignKey(
        SettingInspection, on_delete=models.CASCADE, related_name="judgements"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="judgements")
    inspectorate = models.ForeignKey(
        Inspectorate, on_delete=models.PROTECT, related_name="setting_judgements"
    )
    key_judgement = models.ForeignKey(
        KeyJudgement, on_delete=models.PROTECT, related_name="setting_judgements"
    )
    grade = GradeField(null=True, blank=True)
    not_judged_reason = models.CharField(max_length=300, blank=True)
    evidence_notes = models.TextField(blank=True)
    criteria = models.TextField(
        blank=True, help_text="The criteria the judgement was made against (principle (6))."
    )
    source_grade = models.CharField(
        max_length=100, blank=True, help_text="The published grade an import converted, as written."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded it; blank for published outcomes imported from a file.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key_judgement__outcome__order", "key_judgement__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "provider", "inspectorate", "key_judgement"],
                name="judgement_unique",
            ),
            models.CheckConstraint(
                condition=(Q(grade__isnull=False) & Q(not_judged_reason=""))
                | (Q(grade__isnull=True) & ~Q(not_judged_reason="")),
                name="judgement_graded_or_not_judged_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["provider", "key_judgement"])]

    def __str__(self) -> str:
        grade = self.grade.label if self.grade is not None else "not judged"
        return f"{self.key_judgement.code} {grade} ({self.provider})"

    @property
    def is_judged(self) -> bool:
        return self.grade is not None


class ContactKind(models.TextChoices):
    VISIT = "visit", "Visit"
    INFORMATION_REQUEST = "information_request", "Information request"


class InspectionContact(models.Model):
    """A visit or information request an inspectorate makes of a provider, inside or outside
    a setting inspection: the inspection burden ledger counts them (principle (5))."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contacts")
    inspectorate = models.ForeignKey(Inspectorate, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        SettingInspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    kind = models.CharField(max_length=30, choices=ContactKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=300)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.provider} on {self.starts_on}"
