"""Fieldwork: neighbourhood studies, tracked children and their journeys, meetings and focus
groups, and the findings recorded from each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ecm_inspect.framework.models import KeyJudgement, VulnerableGroup
from ecm_inspect.reviews.models import Review

from .case_files import CaseFile
from .items import EvidenceItem, Indication


class PlaceKind(models.TextChoices):
    ESTATE = "estate", "An estate"
    WARD = "ward", "A ward"
    DISTRICT = "district", "A district"
    LSOAS = "lsoas", "A set of small areas (LSOAs)"


class NeighbourhoodStudy(models.Model):
    """A neighbourhood studied in fieldwork (2004 proposals, "Neighbourhood studies"): a place
    (an estate, ward, district or set of LSOAs of the 2019 Indices of Deprivation), chosen for a
    reason, with its context, the provision found, the visits made and discussions held. Its
    findings are FieldworkFindings. Its free text is the team's: kept out of the audit trail."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="neighbourhoods")
    lsoa_code = models.CharField(max_length=9, help_text="The LSOA it was chosen by.")
    lsoa_codes = models.JSONField(
        default=list, blank=True, help_text="Every LSOA the place covers (the first included)."
    )
    place_kind = models.CharField(max_length=10, choices=PlaceKind.choices, default=PlaceKind.LSOAS)
    name = models.CharField(max_length=100)
    imd_decile = models.PositiveSmallIntegerField()
    why_chosen = models.TextField()
    context = models.TextField(blank=True)
    provision = models.TextField(blank=True)
    visits = models.TextField(blank=True)
    discussions = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(
        excluded_fields=["context", "provision", "visits", "discussions", "why_chosen"]
    )

    class Meta:
        ordering = ["imd_decile", "name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "lsoa_code"], name="neighbourhood_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def codes(self) -> list[str]:
        return [self.lsoa_code, *[c for c in self.lsoa_codes if c != self.lsoa_code]]


class TrackedChild(models.Model):
    """A child whose journey across services the team follows (pseudonym only)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="tracked_children")
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pseudonym = models.CharField(max_length=40)
    summary = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.pseudonym


class StepKind(models.TextChoices):
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    PLACEMENT = "placement", "Placement"
    REVIEW = "review", "Review of the plan"
    TRANSITION = "transition", "Transition"
    SERVICE = "service", "Service provided"
    CLOSURE = "closure", "Case closed"
    OTHER = "other", "Other"


class JourneyStep(models.Model):
    """A dated step of a tracked child's journey through services."""

    child = models.ForeignKey(TrackedChild, on_delete=models.CASCADE, related_name="journey")
    on = models.DateField()
    kind = models.CharField(max_length=12, choices=StepKind.choices, default=StepKind.OTHER)
    service = models.CharField(max_length=200)
    what_happened = models.TextField()

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.service}"


class MeetingKind(models.TextChoices):
    """Whom the team met in fieldwork (2004 proposals, "Examples of evidence-gathering")."""

    CHILDREN = "children", "Children and young people"
    PARENTS = "parents", "Parents and carers"
    STAFF = "staff", "Front-line staff (a focus group)"
    PARTNERS = "partners", "Partners"
    MEMBERS = "members", "Elected members and senior officers"


class FieldworkMeeting(models.Model):
    """A meeting or focus group held in fieldwork: who (described, never named), how many, the
    groups they speak for, and notes (screened; the team's only). Its findings are
    FieldworkFindings."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="fieldwork_meetings")
    kind = models.CharField(max_length=10, choices=MeetingKind.choices)
    title = models.CharField(max_length=200, help_text="For example, foster carers' group.")
    held_on = models.DateField()
    attendees = models.PositiveSmallIntegerField(help_text="How many took part.")
    vulnerable_groups = models.ManyToManyField(VulnerableGroup, related_name="+", blank=True)
    under_eights = models.BooleanField(default=False, help_text="Speaks for children under 8.")
    hard_to_reach = models.CharField(
        max_length=200, blank=True, help_text="A hard-to-reach or local group they speak for."
    )
    notes = models.TextField(blank=True)
    screening_confirmed = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(attendees__gte=1), name="meeting_with_someone")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"


class FindingSource(models.TextChoices):
    CASE_FILE = "case_file", "Case-file reading"
    TRACKED_CHILD = "tracked_child", "Tracked child"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood study"
    MEETING = "meeting", "Meeting or focus group"


class ServiceAspect(models.TextChoices):
    """What a finding about a service is about (the 2004 proposals, tracking individuals:
    "access to services, their sufficiency, the timeliness of decisions and the co-ordination
    of services")."""

    ACCESS = "access", "Access to services"
    SUFFICIENCY = "sufficiency", "Sufficiency of services"
    TIMELINESS = "timeliness", "Timeliness of decisions"
    COORDINATION = "coordination", "Co-ordination of services"
    QUALITY = "quality", "Quality of practice"


class Severity(models.TextChoices):
    MINOR = "minor", "Minor"
    SIGNIFICANT = "significant", "Significant"
    SERIOUS = "serious", "Serious: children may be left at risk"


class FieldworkFinding(models.Model):
    """What the team found in fieldwork: a case-file reading, a finding on a tracked child's
    services, a neighbourhood study's or a meeting's finding. Tagged with the key judgements it
    bears on, a direction and (for a weakness) a severity. Its text is screened and stays in the
    team's confidential area; it reaches the analysis and the proposed judgements through its
    evidence item, which cites it by reference only (`reference`)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(max_length=15, choices=FindingSource.choices)
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, null=True, blank=True, related_name="readings"
    )
    tracked_child = models.ForeignKey(
        TrackedChild, on_delete=models.CASCADE, null=True, blank=True, related_name="findings"
    )
    neighbourhood = models.ForeignKey(
        NeighbourhoodStudy, on_delete=models.CASCADE, null=True, blank=True,
        related_name="findings",
    )  # fmt: skip
    meeting = models.ForeignKey(
        FieldworkMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="findings"
    )
    service = models.CharField(max_length=200, blank=True)
    aspect = models.CharField(max_length=12, choices=ServiceAspect.choices, blank=True)
    found = models.TextField(help_text="What was found. Names no one.")
    key_judgements = models.ManyToManyField(KeyJudgement, related_name="+")
    indication = models.CharField(max_length=10, choices=Indication.choices)
    severity = models.CharField(max_length=12, choices=Severity.choices, blank=True)
    found_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    screening_confirmed = models.BooleanField(default=False)
    evidence = models.OneToOneField(
        EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="fieldwork_finding",
    )  # fmt: skip
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["found_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        source="case_file",
                        case_file__isnull=False,
                        tracked_child__isnull=True,
                        neighbourhood__isnull=True,
                        meeting__isnull=True,
                    )
                    | Q(
                        source="tracked_child",
                        case_file__isnull=True,
                        tracked_child__isnull=False,
                        neighbourhood__isnull=True,
                        meeting__isnull=True,
                    )
                    | Q(
                        source="neighbourhood",
                        case_file__isnull=True,
                        tracked_child__isnull=True,
                        neighbourhood__isnull=False,
                        meeting__isnull=True,
                    )
                    | Q(
                        source="meeting",
                        case_file__isnull=True,
                        tracked_child__isnull=True,
                        neighbourhood__isnull=True,
                        meeting__isnull=False,
                    )
                ),
                name="finding_from_one_source",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(severity="") | Q(indication="weakness"),
                name="severity_only_of_a_weakness",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        """The page it was recorded on, in the team's confidential area."""
        review = self.review_id
        if self.case_file_id:
            return reverse("evidence:case-file", args=[review, self.case_file_id])
        if self.tracked_child_id:
            return reverse("evidence:tracked-child", args=[review, self.tracked_child_id])
        if self.neighbourhood_id:
            return reverse("evidence:neighbourhood", args=[review, self.neighbourhood_id])
        return reverse("evidence:meeting", args=[review, self.meeting_id])

    @property
    def reference(self) -> str:
        """How the finding is cited outside the confidential area: its kind and number."""
        return f"{self.get_source_display()} F{self.pk}"
