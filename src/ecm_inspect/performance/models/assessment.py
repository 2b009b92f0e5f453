"""The self-assessment, the annual performance assessment (APA) and its letter, representations,
the calendar, CPA block scores, critical incidents, intervention alerts and runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from ecm_inspect.core.progress import ACTIVE_WORK, WorkStatus
from ecm_inspect.framework.shipped import shipped_outcome_codes, shipped_outcome_title
from ecm_inspect.registry.models import Area

# The five outcomes and service management, as APA grades them.
SERVICE_MANAGEMENT = "SM"
OUTCOME_CODES = shipped_outcome_codes()
GROUPS = (*OUTCOME_CODES, SERVICE_MANAGEMENT)


class SelfAssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class SelfAssessment(models.Model):
    """The council's and its partners' self-assessment for a year, co-ordinated by the DCS."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="self_assessments")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=SelfAssessmentStatus.choices, default=SelfAssessmentStatus.DRAFT
    )
    cooperation = models.TextField("Joint evaluation of how well services co-operate", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="self_assessment_once"),
        ]

    def __str__(self) -> str:
        return f"Self-assessment of {self.area} {self.year}"


class SelfAssessmentPart(models.Model):
    """One section of the self-assessment (an outcome or service management), written by the
    council or one of its partners."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="parts"
    )
    section = models.CharField(max_length=2, help_text="BH, SS, EA, PC, EW or SM.")
    author_organisation = models.CharField(max_length=200)
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    impact_evidence = models.TextField("Evidence of the impact of action taken", blank=True)
    resources = models.TextField("Resources used", blank=True)
    self_grade = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The council's own grade, 4 (best) to 1."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "author_organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "section", "author_organisation"],
                name="self_assessment_part_once",
            ),
            models.CheckConstraint(
                condition=Q(self_grade__isnull=True) | Q(self_grade__gte=1, self_grade__lte=4),
                name="self_grade_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} by {self.author_organisation}"


class SubmittedSelfAssessment(models.Model):
    """A submitted version, kept as it was sent."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "number"], name="submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment}, submission {self.number}"


class CouncilDocumentKind(models.TextChoices):
    USER_VIEWS = "user_views", "The council's analysis of user views"
    PLAN = "plan", "A plan (e.g. the children and young people's plan)"


class CouncilDocument(models.Model):
    """The council's analysis of user views, or one of a small number of plans, attached as
    evidence to the self-assessment (stored with its SHA-256)."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=CouncilDocumentKind.choices)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="council-documents/%Y/")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """The name the file is downloaded under: its title (the uploaded file's name is not
        kept; the stored file is named by its SHA-256)."""
        return slugify(self.title)[:100] or "council-document"


class JudgementKind(models.TextChoices):
    BH = "BH", shipped_outcome_title("BH")
    SS = "SS", shipped_outcome_title("SS")
    EA = "EA", shipped_outcome_title("EA")
    PC = "PC", shipped_outcome_title("PC")
    EW = "EW", shipped_outcome_title("EW")
    SM = "SM", "Service management"
    CAPACITY = "capacity", "Capacity to improve"
    OVERALL = "overall", "Overall effectiveness of children's services"


class AssessmentSource(models.TextChoices):
    APA = "apa", "Annual performance assessment"
    JOINT_AREA_REVIEW = "jar", "The joint area review of the year"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued to the council"
    PUBLISHED = "published", "Published"


class Assessment(models.Model):
    """The annual performance assessment of one area for one year, and its letter: a draft
    until the assessing inspector issues it to the council (for factual accuracy), then
    published."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(
        max_length=10, choices=AssessmentSource.choices, default=AssessmentSource.APA
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    fieldwork_specification = models.JSONField(default=list, blank=True)
    meeting_held_on = models.DateField("Assessment meeting with the council", null=True, blank=True)
    letter_status = models.CharField(
        max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    letter_issued_at = models.DateTimeField(null=True, blank=True)
    letter_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    letter_published_at = models.DateTimeField(null=True, blank=True)
    letter_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="assessment_once"),
        ]

    def __str__(self) -> str:
        return f"APA {self.year}: {self.area}"


class AssessmentJudgement(models.Model):
    """One judgement of an APA: the grade the rule proposes with its reasons, and the grade the
    assessing inspector records with a rationale."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="judgements")
    kind = models.CharField(max_length=10, choices=JudgementKind.choices)
    proposed_grade = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty when the evidence is insufficient."
    )
    reasons = models.JSONField(default=list)
    recorded_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True, help_text="Why the recorded grade differs from the proposal."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="judgement_once"),
            models.CheckConstraint(
                condition=(Q(proposed_grade__isnull=True) | Q(proposed_grade__range=(1, 4)))
                & (Q(recorded_grade__isnull=True) | Q(recorded_grade__range=(1, 4))),
                name="apa_grades_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_kind_display()}"

    @property
    def grade(self) -> int | None:
        """The grade that stands: the recorded one, else the proposal."""
        return self.recorded_grade or self.proposed_grade


class RepresentationAnswer(models.TextChoices):
    ACCEPTED = "accepted", "Accepted: the letter is corrected"
    REJECTED = "rejected", "Rejected: the letter stands"


class Representation(models.Model):
    """A representation on the factual accuracy of an issued APA letter, made by the council's
    DCS, and the assessing inspector's answer with reasons."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="representations"
    )
    section = models.CharField(
        max_length=10, blank=True, help_text="The judgement it is about (empty: the whole letter)."
    )
    text = models.TextField("What is factually inaccurate, and the evidence")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(max_length=10, choices=RepresentationAnswer.choices, blank=True)
    answer_reasons = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"Representation on {self.assessment}"

    @property
    def answered(self) -> bool:
        return bool(self.answer)


class CalendarDate(models.Model):
    """A due date of the APA's year set by the national lead, in place of the default (and of
    the setting ECM_APA_CALENDAR) for one step (performance/calendar.py)."""

    year = models.PositiveSmallIntegerField()
    step = models.CharField(max_length=30)
    due = models.DateField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "due"]
        constraints = [
            models.UniqueConstraint(fields=["year", "step"], name="apa_calendar_step_once"),
        ]

    def __str__(self) -> str:
        return f"APA {self.year}: {self.step} due {self.due}"


class CpaBlockScore(models.Model):
    """The council's children and young people block score in the comprehensive performance
    assessment for a year (2004 proposals, section 4): the APA overall grade, from the APA of
    the year or, in the year a joint area review is published, recomputed from the review's
    grades (`source`). Written each time the APA is run and when the overall grade is recorded;
    `decided` once the assessing inspector has recorded it (before, it is the proposal)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cpa_block_scores")
    year = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 to 4; empty when the evidence is insufficient."
    )
    source = models.CharField(max_length=10, choices=AssessmentSource.choices)
    decided = models.BooleanField(
        default=False, help_text="The grade the assessing inspector recorded, not a proposal."
    )
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="cpa_block_score"
    )
    written_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="cpa_block_score_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__range=(1, 4)),
                name="cpa_block_score_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"CPA block score {self.year}: {self.area}: {self.score or '-'}"


class IncidentKind(models.TextChoices):
    SERIOUS_CASE_REVIEW = "serious_case_review", "Serious case review"
    SPECIAL_MEASURES = "special_measures", "A school placed in special measures"
    OTHER = "other", "Other critical incident"


class CriticalIncident(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="critical_incidents")
    kind = models.CharField(max_length=30, choices=IncidentKind.choices)
    occurred_on = models.DateField()
    source = models.CharField(max_length=300, help_text="Where it was reported.")
    description = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.area}, {self.occurred_on}"


class AlertKind(models.TextChoices):
    DETERIORATION = "deterioration", "Deterioration to inadequate"
    CRITICAL_INCIDENT = "critical_incident", "Critical incident"


class InterventionAlert(models.Model):
    """A warning for the national lead: an area fell to inadequate, or a critical incident."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="intervention_alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    year = models.PositiveSmallIntegerField()
    message = models.TextField()
    raised_at = models.DateTimeField(auto_now_add=True)
    incident = models.ForeignKey(
        CriticalIncident, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "kind"],
                condition=Q(incident__isnull=True),
                name="alert_once",
            ),
            models.UniqueConstraint(fields=["incident"], name="one_alert_per_incident"),
        ]

    def __str__(self) -> str:
        return self.message


RunStatus = WorkStatus
ACTIVE_RUN_STATUSES = ACTIVE_WORK


class AssessmentRun(models.Model):
    """The APA of every area for a year, asked for by the national lead on the web and run by
    a task worker (performance/tasks.py): where it has got to (areas done of all), and what
    came of it. One run of a year at a time."""

    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    areas_done = models.PositiveIntegerField(default=0)
    areas_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with each report of progress: a run not heard from is one whose worker stopped.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status__in=["queued", "running"]),
                name="one_apa_run_of_a_year_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"APA run of {self.year} ({self.get_status_display().lower()})"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def percent(self) -> int:
        return 100 * self.areas_done // self.areas_total if self.areas_total else 0
