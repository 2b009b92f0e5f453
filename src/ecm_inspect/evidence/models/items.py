"""A review's evidence items (with attachments by revision), the requests to the area, and
the analysis of each key judgement."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecm_inspect.framework.models import KeyJudgement, ServiceManagementAspect, VulnerableGroup
from ecm_inspect.reviews.models import Review


class EvidenceKind(models.TextChoices):
    """The evidence of the 2004 proposals, section 5, "Gathering evidence"."""

    # At the analysis stage.
    PERFORMANCE_DATA = "performance_data", "Performance data"
    APA_FINDINGS = "apa_findings", "Findings of the annual performance assessment"
    EARLIER_INSPECTION = "earlier_inspection", "Findings of a previous inspection"
    EARLIER_REVIEW = "earlier_review", "Findings of a previous review"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    PLAN = "plan", "A plan (e.g. the children and young people's plan)"
    CONSULTATION = "consultation", "Consultation with children and young people"
    CASE_FILE_SAMPLE = "case_file_sample", "A sample of case files"
    HEALTH_ASSESSMENT = "health_assessment", "Healthcare Commission assessment of health services"
    POLICE_ASSESSMENT = "police_assessment", "HMIC assessment of the police"
    # In fieldwork.
    MEETING_MEMBERS_OFFICERS = "meeting_members_officers", "Meeting with members and officers"
    MEETING_SERVICE_USERS = (
        "meeting_service_users",
        ("Meeting with service users and community representatives"),
    )
    FOCUS_GROUP_STAFF = "focus_group_staff", "Focus group of front-line staff"
    FIRST_HAND_IMPACT = "first_hand_impact", "First-hand evidence of impact"
    TRACKED_CHILD = "tracked_child", "Tracking of an individual child"
    NEIGHBOURHOOD_STUDY = "neighbourhood_study", "Neighbourhood study"
    SETTING_VISIT = "setting_visit", "Visit to a setting"
    CASE_FILE_READING = "case_file_reading", "Reading of a case file"
    MEETING_CHILDREN = "meeting_children", "Meeting with children and young people"
    MEETING_PARENTS = "meeting_parents", "Meeting with parents and carers"
    MEETING_PARTNERS = "meeting_partners", "Meeting with partners"


ANALYSIS_KINDS = {
    EvidenceKind.PERFORMANCE_DATA,
    EvidenceKind.APA_FINDINGS,
    EvidenceKind.EARLIER_INSPECTION,
    EvidenceKind.EARLIER_REVIEW,
    EvidenceKind.SELF_ASSESSMENT,
    EvidenceKind.PLAN,
    EvidenceKind.CONSULTATION,
    EvidenceKind.CASE_FILE_SAMPLE,
    EvidenceKind.HEALTH_ASSESSMENT,
    EvidenceKind.POLICE_ASSESSMENT,
}


class Indication(models.TextChoices):
    STRENGTH = "strength", "A strength"
    WEAKNESS = "weakness", "A weakness"
    NEUTRAL = "neutral", "Neither"


class Origin(models.TextChoices):
    TEAM = "team", "Recorded by the team"
    REGISTRY = "registry", "The registry"
    SETTING_INSPECTIONS = "provision", "Setting inspections"
    APA = "apa", "The annual performance assessment"
    AREA = "area", "Supplied by the area"
    VOICES = "voices", "Children and young people's views"
    FIELDWORK = "fieldwork", "A fieldwork finding (its text stays in the team's confidential area)"


class EvidenceItem(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=40, choices=EvidenceKind.choices)
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=300, help_text="Where it comes from.")
    dated = models.DateField(help_text="The date of the evidence (not of its recording).")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key_judgements = models.ManyToManyField(KeyJudgement, related_name="+", blank=True)
    vulnerable_groups = models.ManyToManyField(VulnerableGroup, related_name="+", blank=True)
    service_management_aspects = models.ManyToManyField(
        ServiceManagementAspect, related_name="+", blank=True
    )
    grade = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Where the source gives one: 4 (best) to 1."
    )
    indication = models.CharField(
        max_length=10, choices=Indication.choices, default=Indication.NEUTRAL
    )
    summary = models.TextField(blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.TEAM)
    origin_key = models.CharField(
        max_length=120, blank=True, help_text="What it was pulled from, so it is pulled once."
    )
    is_synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(
        m2m_fields=[key_judgements, vulnerable_groups, service_management_aspects]
    )

    class Meta:
        ordering = ["-dated", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "origin", "origin_key"],
                condition=~Q(origin_key=""),
                name="evidence_pulled_once",
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__range=(1, 4)),
                name="evidence_grade_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage(self) -> str:
        return "analysis" if self.kind in ANALYSIS_KINDS else "fieldwork"


class Attachment(models.Model):
    """A file behind an evidence item. A new upload under the same name is a new revision; old
    revisions are kept, each with its SHA-256, so what a judgement rested on can be proven."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    revision = models.PositiveIntegerField()
    file = models.FileField(upload_to="evidence/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "name", "revision"], name="attachment_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (revision {self.revision})"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUPPLIED = "supplied", "Supplied"
    ACCEPTED = "accepted", "Accepted"


class EvidenceRequest(models.Model):
    """A request to the area for documents or data, with a due date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(max_length=40, choices=EvidenceKind.choices)
    what = models.CharField(max_length=300)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    supplied_item = models.ForeignKey(
        EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.what


class AnalysisStatus(models.TextChoices):
    AGREED = "agreed", "Finding can be agreed at analysis"
    FIELDWORK = "fieldwork", "Fieldwork needed"


class JudgementAnalysis(models.Model):
    """The analysis of one in-scope key judgement: the rule's verdict and reasons, and the
    team's hypothesis (their edits are audited)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="analyses")
    key_judgement = models.ForeignKey(KeyJudgement, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AnalysisStatus.choices)
    reasons = models.JSONField(default=list)
    proposed_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed_finding = models.TextField(blank=True)
    hypothesis = models.TextField(blank=True)
    hypothesis_edited = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key_judgement__outcome__order", "key_judgement__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "key_judgement"], name="analysis_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key_judgement.code}: {self.get_status_display()}"
