"""The evidence base of a joint area review: evidence items of every kind the 2004 proposals
list, with attachments kept by revision and SHA-256; requests to the area; the analysis of
each key judgement; case files (pseudonymised, screened, confidential to the team);
neighbourhood studies; children tracked across services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
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


class CaseCategory(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked after"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LDD = "ldd", "Learning difficulties and/or disabilities"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    CHILD_IN_NEED = "child_in_need", "Child in need"


class CaseFile(models.Model):
    """A child on the pseudonymised list the area supplies: no name, only the area's own
    reference, age, categories and the services holding a file. Confidential to the team."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="case_files")
    area_reference = models.CharField(max_length=40, help_text="The area's own opaque reference.")
    pseudonym = models.CharField(max_length=40, help_text="Made by ECM Inspect; names no one.")
    age = models.PositiveSmallIntegerField()
    categories = models.JSONField(default=list)
    services = models.JSONField(default=list)
    in_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["review", "area_reference"], name="case_file_once"),
            models.UniqueConstraint(fields=["review", "pseudonym"], name="pseudonym_once"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def category_labels(self) -> list[str]:
        """The categories in words ("Looked after"), in the order the area gave them."""
        labels = dict(CaseCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories]


class CaseFileNote(models.Model):
    """An inspector's note on a case file. Screened for personal data before it is saved; seen
    only by the review's team; never in a report, export or API response."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    key_judgements = models.ManyToManyField(KeyJudgement, related_name="+", blank=True)
    indication = models.CharField(
        max_length=10, choices=Indication.choices, default=Indication.NEUTRAL
    )
    screening_confirmed = models.BooleanField(
        default=False, help_text="The author confirmed flagged text names no one."
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at"]

    def __str__(self) -> str:
        return f"Note on {self.case_file}"


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
