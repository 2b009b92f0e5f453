"""The judgements of a joint area review and its report: grades and findings with the evidence
they rest on, sign-off, gaps, recommendations, draft versions with accuracy comments, and the
published report (2004 proposals, "Reporting the findings" and "Focus on outcomes")."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.framework.grades import Grade
from ecm_inspect.reviews.models import Review, TeamMember


class Level(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    KEY_JUDGEMENT = "key_judgement", "Key judgement"
    GROUP = "group", "Vulnerable group"
    SERVICE_MANAGEMENT = "service_management", "Service management"
    ASPECT = "aspect", "Service-management aspect"
    CAPACITY = "capacity", "Capacity to improve"


GRADED_LEVELS = {Level.OUTCOME, Level.SERVICE_MANAGEMENT, Level.CAPACITY}


class ReviewJudgement(models.Model):
    """One judgement of the review: its code (BH, SS.4, children_in_care, SM, SM.3, capacity),
    the proposal with its reasons, and what the team leader records."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="judgements")
    level = models.CharField(max_length=30, choices=Level.choices)
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=400)
    order = models.PositiveSmallIntegerField(default=0)
    proposed_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    proposal_reasons = models.JSONField(default=list)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    council_grade = models.PositiveSmallIntegerField(
        "Grade for the council's own services",
        choices=Grade.choices,
        null=True,
        blank=True,
        help_text="Outcomes only: the grade for the council's own services, beside `grade` for "
        "local services overall; empty where the two are the same. The APA of the year the "
        "report is published takes it (2004 proposals, section 4).",
    )
    finding = models.TextField(blank=True)
    statement_findings = models.JSONField(
        default=dict,
        blank=True,
        help_text="A vulnerable group's finding against each of its statements: {code: text}.",
    )
    rationale = models.TextField(blank=True)
    not_judged = models.BooleanField(
        default=False,
        help_text="The team judged it neither appropriate nor practical to judge (Framework "
        "paragraph 10).",
    )
    not_judged_reason = models.TextField(blank=True)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="judgements")
    evidence_reasons = models.JSONField(
        default=dict,
        blank=True,
        help_text="Why an item not tagged with this judgement bears on it: {item id: reason}.",
    )
    returned_comment = models.TextField(blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_fingerprint = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "code"], name="review_judgement_once"),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__range=(1, 4)),
                name="review_judgement_grade_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.title if self.level == Level.GROUP else f"{self.code}: {self.title}"

    @property
    def short_name(self) -> str:
        """How the page names it in a few words: the framework's code (SS.4, SM.3), or for a
        vulnerable group, whose code is a slug, its title."""
        return self.title if self.level == Level.GROUP else self.code

    @property
    def is_graded(self) -> bool:
        return self.level in GRADED_LEVELS

    @property
    def can_be_not_judged(self) -> bool:
        """Graded levels (outcomes, service management, capacity) always take a grade."""
        return not self.is_graded

    @property
    def outcome_code(self) -> str:
        """The outcome a key judgement or outcome belongs to ("" for the other levels)."""
        if self.level in {Level.OUTCOME, Level.KEY_JUDGEMENT}:
            return self.code.split(".")[0]
        return ""

    @property
    def lead_code(self) -> str:
        """What an `OutcomeLead` leads for this judgement: its outcome, or "groups" (the
        vulnerable groups) or "management" (service management, its aspects and capacity)."""
        if self.level == Level.GROUP:
            return "groups"
        if self.level in {Level.SERVICE_MANAGEMENT, Level.ASPECT, Level.CAPACITY}:
            return "management"
        return self.outcome_code

    @property
    def is_recorded(self) -> bool:
        """Drafted: a finding (and grade where graded), or not judged with a reason."""
        if self.not_judged:
            return bool(self.not_judged_reason.strip())
        return bool(self.finding.strip()) and (self.grade is not None or not self.is_graded)


class OutcomeLead(models.Model):
    """The team member who drafts the judgements of one outcome of a review (its key
    judgements and its grade), or of the vulnerable groups ("groups") or of service management
    and capacity ("management"); the team leader assigns them and moderates the drafts."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcome_leads")
    outcome_code = models.CharField(max_length=10)
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="outcome_leads")

    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome_code"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome_code"], name="outcome_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome_code}: {self.member}"


class Erratum(models.Model):
    """A correction to a judgement after publication: what changed, from what to what and why,
    recorded by the team leader or the national lead and listed on the public report."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="errata")
    judgement = models.ForeignKey(ReviewJudgement, on_delete=models.CASCADE, related_name="errata")
    what = models.CharField(max_length=200, help_text="What changed, in a few words.")
    old_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    new_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    old_text = models.TextField(blank=True)
    new_text = models.TextField(blank=True)
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name_plural = "errata"

    def __str__(self) -> str:
        return f"Correction to {self.judgement.code}: {self.what}"


class GapKind(models.TextChoices):
    INEFFECTIVE = "ineffective", "The service is sufficient but ineffective"
    CAPACITY = "capacity", "The capacity to establish a suitable service is in question"
    VERY_GOOD = "very_good", "A very good service"


class Gap(models.Model):
    """A gap or failure in provision, classified (or a very good service, called out)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="gaps")
    kind = models.CharField(max_length=20, choices=GapKind.choices)
    service = models.CharField(max_length=300)
    description = models.TextField()
    how_managed = models.TextField(
        blank=True, help_text="Where capacity is in question: how far the area has managed it."
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.service


class Priority(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    SIX_MONTHS = "six_months", "Within six months"
    LONGER_TERM = "longer_term", "In the longer term"


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    body = models.CharField("Responsible body", max_length=200)
    priority = models.CharField(max_length=20, choices=Priority.choices)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ReportDraft(models.Model):
    """A numbered version of the report as it was sent or kept, paragraph by paragraph."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField()
    paragraphs = models.JSONField(help_text="[[paragraph id, heading, text], ...]")
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    circulated_to = models.JSONField(
        default=list,
        blank=True,
        help_text="The organisations whose chief officers the DCS sent the draft to.",
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="draft_number_once"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.number} of the report of the {self.review}"


class CommentStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class AccuracyComment(models.Model):
    """A comment on the accuracy of one paragraph of a draft, from a chief officer of one of
    the organisations involved, accepted or rejected by the team with a reason."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.CharField(max_length=20)
    organisation = models.CharField(max_length=200)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["paragraph", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.paragraph}"


class Publication(models.Model):
    """The published report, frozen: HTML, the children's version and the grades."""

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="publication")
    published_on = models.DateField()
    html = models.TextField()
    children_html = models.TextField()
    grades = models.JSONField()
    reading_grade = models.FloatField(help_text="Flesch-Kincaid grade of the children's version.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Printed once from `html` (and the corrections) by a task when the report is published or
    # corrected, then served from storage; empty until then.
    pdf = models.FileField(upload_to="published-reports/%Y/", blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"The published report of the {self.review}"

    @property
    def pdf_filename(self) -> str:
        return f"joint-area-review-{self.review.area.gss_code}.pdf"
