"""Joint area reviews: one review of one area, its stage, scope, team and timetable.

The 2004 proposals, section 5: "The conduct of joint area reviews", "Notification", "Stages of
a joint area review" and "Following up findings". The stages and their rules are defined once,
in `stages.py`; the timetable rules in `timetable.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecm_inspect.framework.models import Outcome
from ecm_inspect.registry.models import Area, Inspector, Inspectorate


class Stage(models.TextChoices):
    """The stages of a joint area review, in order."""

    PLANNED = "planned", "Planned"
    NOTIFIED = "notified", "Notified"
    SET_UP = "set_up", "Set up"
    ANALYSIS = "analysis", "Analysis"
    FIELDWORK = "fieldwork", "Fieldwork"
    FINDINGS_AGREED = "findings_agreed", "Findings agreed"
    DRAFT_SENT = "draft_sent", "Draft sent for accuracy comments"
    COMMENTS_CLOSED = "comments_closed", "Comments closed"
    FINDINGS_MEETING_HELD = "findings_meeting_held", "Findings meeting held"
    PUBLISHED = "published", "Published"
    FOLLOW_UP = "follow_up", "Follow-up"


STAGE_ORDER = list(Stage)


class ScopeKind(models.TextChoices):
    FULL = "full", "Full (all five outcomes)"
    NARROWED = "narrowed", "Narrowed"


class NarrowedBecause(models.TextChoices):
    """Why a review may be narrowed (2004 proposals, "Frequency" and "Following up findings")."""

    SECRETARY_OF_STATE = "secretary_of_state", "At the Secretary of State's request"
    FOLLOW_UP = "follow_up", "Following up an earlier review"


class LocalGroup(models.TextChoices):
    """Groups added to a review's scope from local need (2004 proposals, "Focus on outcomes").
    Children in care and children with learning difficulties and/or disabilities are always in
    scope and are not listed here."""

    MINORITY_ETHNIC = "minority_ethnic", "Children and young people of minority ethnic heritage"
    CHRONIC_ILLNESS = "chronic_illness", "Children and young people with chronic illness"
    YOUNG_PARENTS = "young_parents", "Young parents"
    IN_TRANSITION = "in_transition", "Young people in transition to adult services"
    YOUNG_OFFENDERS = "young_offenders", "Young offenders"
    OTHER = "other", "Another group (named in the reason)"


class NationalTheme(models.Model):
    """A theme followed across reviews for national reporting (2004 proposals, "Covering
    national themes"), e.g. youth offending teams, Local Safeguarding Children Boards."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """A joint area review of one area."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="reviews")
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.PLANNED)
    analysis_starts_on = models.DateField(
        help_text="The first day of the analysis week; every other date follows from it."
    )
    scope = models.CharField(max_length=20, choices=ScopeKind.choices, default=ScopeKind.FULL)
    narrowed_because = models.CharField(max_length=30, choices=NarrowedBecause.choices, blank=True)
    scope_reason = models.TextField(blank=True)
    outcomes = models.ManyToManyField(
        Outcome, related_name="+", blank=True, help_text="Outcomes in scope (all, when full)."
    )
    national_themes = models.ManyToManyField(NationalTheme, related_name="reviews", blank=True)
    dcs_name = models.CharField(
        "Director of children's services (or nominated senior officer)", max_length=200
    )
    dcs_email = models.EmailField("Their email")
    framework_version = models.ForeignKey(
        "framework.FrameworkVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The Framework it runs under: the version in force when its analysis began.",
    )
    is_synthetic = models.BooleanField(
        default=False, help_text="A demo review with made-up evidence, not a real one."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[outcomes, national_themes])

    class Meta:
        ordering = ["analysis_starts_on", "area__name"]
        constraints = [
            models.CheckConstraint(
                name="narrowed_review_says_why",
                condition=Q(scope="full", narrowed_because="")
                | Q(scope="narrowed") & ~Q(narrowed_because="") & ~Q(scope_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Joint area review of {self.area.name} ({self.analysis_starts_on:%B %Y})"

    @property
    def framework_code(self) -> str:
        """The code of the Framework version the review runs under (2005 if not recorded)."""
        return self.framework_version.code if self.framework_version is not None else "2005"

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


class ReviewGroup(models.Model):
    """A vulnerable group added to the review's scope from local need, with the reason."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="local_groups")
    group = models.CharField(max_length=30, choices=LocalGroup.choices)
    reason = models.TextField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "group"], name="review_group_once"),
        ]

    def __str__(self) -> str:
        return self.get_group_display()


class TeamRole(models.TextChoices):
    LEADER = "leader", "Team leader"
    MEMBER = "member", "Member"


class TeamMember(models.Model):
    """An inspector on a review's team."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="reviews")
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-role", "inspector__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "inspector"], name="team_member_once"),
            models.UniqueConstraint(
                fields=["review"], condition=Q(role="leader"), name="one_team_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspector} ({self.get_role_display()})"


class MilestoneKind(models.TextChoices):
    """The dated milestones of a review, in order."""

    NOTIFICATION = "notification", "Notification to the DCS"
    SET_UP_MEETING = "set_up_meeting", "Set-up meeting"
    ANALYSIS_START = "analysis_start", "Analysis week starts"
    ANALYSIS_END = "analysis_end", "Analysis week ends"
    FIELDWORK_START = "fieldwork_start", "Fieldwork starts"
    FIELDWORK_END = "fieldwork_end", "Fieldwork ends (headline feedback)"
    DRAFT_SENT = "draft_sent", "Draft report to the DCS"
    COMMENTS_CLOSE = "comments_close", "Accuracy comments close"
    FINDINGS_MEETING = "findings_meeting", "Findings meeting"
    PUBLICATION = "publication", "Report published"


class Milestone(models.Model):
    """A milestone's planned date (from the timetable rules) and its actual date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    planned = models.DateField()
    actual = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["planned"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="milestone_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.planned}"


class StageChange(models.Model):
    """A move of a review from one stage to the next: who, when, and any note."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=30, choices=Stage.choices)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField(help_text="The day it happened (the milestone's actual date).")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.review}: {self.from_stage} -> {self.to_stage}"


class Notification(models.Model):
    """A message sent about the review (the notification to the DCS, the draft report...),
    stored as it was sent."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.ForeignKey(
        "core.OutgoingEmail",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The e-mail and how its delivery went (empty for messages sent before "
        "e-mail was delivered by a task).",
    )

    class Meta:
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return self.subject


class MeetingKind(models.TextChoices):
    SET_UP = "set_up", "Set-up meeting"
    FINDINGS = "findings", "Findings meeting"


class Meeting(models.Model):
    """The set-up meeting (what it confirmed: the basis for planning, the fieldwork issues, the
    timetable) or the findings meeting with senior officers and members (who came, what changes
    to the report were agreed)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who attended, one per line.")
    basis_for_planning = models.TextField(blank=True)
    fieldwork_issues = models.TextField(blank=True)
    timetable_confirmed = models.BooleanField(default=False)
    changes_agreed = models.TextField(
        blank=True, help_text="Findings meeting: the changes to the report agreed, if any."
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="meeting_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class FieldworkPlan(models.Model):
    """The plan the analysis week ends with: the hypotheses to test and the fieldwork to do.
    Without one agreed by the team leader, fieldwork cannot start."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="fieldwork_plan")
    hypotheses = models.TextField()
    activities = models.TextField(
        help_text="Meetings, visits, case tracking, neighbourhood studies."
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Fieldwork plan for {self.review}"


class LinkedInspection(models.Model):
    """An in-depth inspection of one service run at the same time as the review, whose findings
    are summarised in it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="linked_inspections")
    title = models.CharField(max_length=200)
    inspectorate = models.ForeignKey(Inspectorate, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    findings_summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return self.title


class FieldworkFeedback(models.Model):
    """The end of fieldwork: the emerging findings and the headline feedback the team leader
    gave the director of children's services (2004 proposals, "Stages of a joint area review":
    "headline feedback will be given to the DCS at the end of fieldwork")."""

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="fieldwork_feedback"
    )
    given_on = models.DateField()
    given_by = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="+", help_text="The team leader."
    )
    given_to = models.TextField(help_text="Who heard it, one per line (the DCS first).")
    findings = models.TextField(help_text="What was said: the emerging findings.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Headline feedback for {self.review} on {self.given_on}"


class NoMoreComments(models.Model):
    """The area's word that it has no more comments on the draft's accuracy: the comment
    period may then close before its planned date."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="no_more_comments")
    said_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    said_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"No more comments on {self.review}"
