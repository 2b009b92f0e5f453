"""The programme of joint area reviews: the council's CPA category and corporate assessment
(what the programme is sequenced against), each solved version of the three-year programme
with its review slots and teams, and the confirmation of each financial year."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecm_inspect.core.progress import ACTIVE_WORK, WorkStatus
from ecm_inspect.registry.models import Area, Inspector


class DirectionOfTravel(models.TextChoices):
    """The CPA's judgement of how the council is improving (Audit Commission, CPA 2005)."""

    IMPROVING_STRONGLY = "improving_strongly", "Improving strongly"
    IMPROVING_WELL = "improving_well", "Improving well"
    IMPROVING_ADEQUATELY = "improving_adequately", "Improving adequately"
    NOT_IMPROVING_ADEQUATELY = "not_improving_adequately", "Not improving adequately"


# The CPA's service and resource blocks, each scored 1 to 4 (4 the best). Ours: the blocks of
# the 2005 single-tier and county council framework.
CPA_BLOCKS = {
    "children_and_young_people": "Children and young people",
    "social_care_adults": "Social care (adults)",
    "environment": "Environment",
    "housing": "Housing",
    "culture": "Culture",
    "benefits": "Benefits",
    "use_of_resources": "Use of resources",
}


class CpaCategory(models.Model):
    """The council's CPA category for a year (2004 proposals, "Selection of areas": "the
    categorisation of councils under the CPA"), as stars, 4 the best. Where none is recorded,
    the programme's CPA part says so and takes its neutral half: the APA overall grade is not
    read again as the stars (it has its own part; each input counts once)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cpa_categories")
    year = models.PositiveSmallIntegerField()
    stars = models.PositiveSmallIntegerField(help_text="0 to 4 stars, 4 the best.")
    direction_of_travel = models.CharField(
        max_length=30, choices=DirectionOfTravel.choices, blank=True
    )
    block_scores = models.JSONField(
        default=dict, blank=True, help_text="{block (CPA_BLOCKS): score 1 to 4}."
    )
    source = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="cpa_category_once"),
            models.CheckConstraint(condition=Q(stars__lte=4), name="cpa_stars_on_the_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.stars} stars"


class Sequencing(models.IntegerChoices):
    """Appendix 3 of the 2004 proposals."""

    JAR_THEN_CA = 1, "Option 1: the review, then the corporate assessment 6-9 months later"
    CA_THEN_JAR = 2, "Option 2: the corporate assessment, then the review 6-9 months later"
    CONCURRENT = 3, "Option 3: concurrently"
    FAR_APART = 4, "Option 4: as far apart as possible"


class CorporateAssessment(models.Model):
    """The Audit Commission's corporate assessment of the council, and the Appendix 3 option
    chosen for sequencing its joint area review against it. A recorded one (not synthetic)
    replaces the area's synthetic one."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="corporate_assessments")
    starts_on = models.DateField()
    ends_on = models.DateField()
    option = models.PositiveSmallIntegerField(choices=Sequencing.choices)
    shared_team_members = models.ManyToManyField(
        Inspector,
        blank=True,
        related_name="corporate_assessments",
        help_text="Inspectors on both the corporate assessment and the review (Appendix 3).",
    )
    is_synthetic = models.BooleanField(default=False, help_text="Made up, for the demo.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="ca_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Corporate assessment of {self.area}, {self.starts_on}"


class Programme(models.Model):
    """A cycle of joint area reviews: every area within `years` years from `starts_on`."""

    starts_on = models.DateField()
    years = models.PositiveSmallIntegerField(default=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"Programme from {self.starts_on:%-d %B %Y} ({self.years} years)"


class VersionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed (solved, not approved)"
    APPROVED = "approved", "Approved (the programme in force)"
    SUPERSEDED = "superseded", "Superseded"


class ProgrammeVersion(models.Model):
    """One solved programme: the document in the published JSON format (docs/programme.md),
    the solver's figures, and what moved against the version it was re-planned from."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.PROPOSED
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=20)
    solver_status = models.CharField(max_length=30)
    objective = models.BigIntegerField(null=True, blank=True)
    bound = models.BigIntegerField(null=True, blank=True)
    relaxation_bound = models.BigIntegerField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    document = models.JSONField(default=dict)
    context = models.JSONField(default=dict, help_text="What the checker needs beyond it.")
    moved = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.programme}, version {self.number}"

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return (self.objective - self.bound) / max(abs(self.objective), 1)


class Fixity(models.TextChoices):
    INDICATIVE = "indicative", "Indicative"
    CONFIRMED = "confirmed", "Confirmed (its financial year is confirmed: fixed)"
    NOTIFIED = "notified", "Notified (fixed, with its team)"


class ReviewSlot(models.Model):
    """An area's review in a version of the programme: its dates and team."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="slots")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    analysis_start = models.DateField()
    fieldwork_start = models.DateField()
    fieldwork_end = models.DateField()
    leader = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="+")
    team = models.ManyToManyField(Inspector, related_name="programme_slots")
    fixity = models.CharField(max_length=20, choices=Fixity.choices, default=Fixity.INDICATIVE)
    risk = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["analysis_start", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "area"], name="slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.analysis_start}"


class YearConfirmation(models.Model):
    """The programme for a financial year (April to March), confirmed by the end of the
    preceding December (2004 proposals, "Selection of areas")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="confirmed")
    financial_year = models.PositiveSmallIntegerField(help_text="The year its April falls in.")
    version = models.ForeignKey(ProgrammeVersion, on_delete=models.PROTECT, related_name="+")
    confirmed_on = models.DateField()
    teams = models.BooleanField(
        default=False,
        help_text="The teams are confirmed too: a re-plan keeps them as well as the dates.",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "financial_year"], name="year_confirmed_once"
            ),
        ]

    def __str__(self) -> str:
        what = "dates and teams" if self.teams else "dates"
        return f"{self.financial_year}-{(self.financial_year + 1) % 100:02d} confirmed ({what})"

    @property
    def on_time(self) -> bool:
        from datetime import date

        return self.confirmed_on <= date(self.financial_year - 1, 12, 31)


class JobKind(models.TextChoices):
    PLAN = "plan", "Plan"
    REPLAN = "replan", "Re-plan"


JobStatus = WorkStatus
ACTIVE_JOB_STATUSES = ACTIVE_WORK


class PlanningJob(models.Model):
    """A plan or re-plan started from the web, run in the background (tasks.py): its
    parameters, where it has got to, and its result (a version, or the reasons there is
    none)."""

    kind = models.CharField(max_length=10, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    parameters = models.JSONField(default=dict)
    time_limit = models.FloatField()
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent, 0 to 100.")
    message = models.CharField(max_length=500, blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reasons = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with each progress report: a running job not heard from is one whose process
    # stopped (tasks.STALE_AFTER).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Every planning job is on the one planning queue: the unique index below on the queue of
    # the active job lets the database refuse a second plan while one is queued or running.
    queue = models.CharField(max_length=20, default="planning", editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_percent"),
            models.UniqueConstraint(
                fields=["queue"],
                condition=Q(status__in=["queued", "running"]),
                name="one_planning_job_at_a_time",
                violation_error_message="A plan is already being made: wait for it to finish.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job {self.pk} ({self.get_status_display().lower()})"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES
