"""The views of children and young people (2004 proposals, section 5; principle (7)).

The area survey is anonymous by construction. A response holds no name, no IP address, no
device data and no time of day: `started_on`/`submitted_on` are dates, the key is a random UUID
(sequential ids would give away the order of arrival, which server logs could be matched to),
and responses have no history table (simple-history stamps times). A child's way back to an
unfinished survey is a random token in a cookie, stored here only as its SHA-256.
"""

import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecm_inspect.framework.models import Outcome
from ecm_inspect.registry.models import Provider
from ecm_inspect.reviews.models import Review

from .proforma import AGE_BANDS, ProformaDefinition, proforma_parse

_PARSED: dict[tuple[str, str], ProformaDefinition] = {}


class Proforma(models.Model):
    """One version of a survey proforma, as loaded from its YAML definition."""

    code = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    loaded_on = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="proforma_version_once")
        ]
        ordering = ["code", "-version"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code} {self.version})"

    @cached_property
    def parsed(self) -> ProformaDefinition:
        # A loaded version never changes (a new wording is a new version): parse it once per
        # process, not on every page a child opens.
        key = (self.code, self.version)
        if key not in _PARSED:
            _PARSED[key] = proforma_parse(self.definition, source=f"{self.code} {self.version}")
        return _PARSED[key]


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Being set up"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed: answers frozen"


class Survey(models.Model):
    """A review's survey of children and young people in about 15 local schools and colleges."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="survey")
    proforma = models.ForeignKey(Proforma, on_delete=models.PROTECT, related_name="surveys")
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_on = models.DateField()
    closes_on = models.DateField(help_text="The last day children can answer.")
    closed_on = models.DateField(null=True, blank=True)
    safeguarding_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="surveys_safeguarded",
        help_text="The review's named safeguarding contact: told at once when a child asks to "
        "talk to someone or writes something that suggests harm.",
    )
    sample_seed = models.PositiveIntegerField(default=0)
    sampled_on = models.DateField(null=True, blank=True)
    feedback = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the inspectors did with what children said, per outcome code.",
    )
    hard_to_reach = models.TextField(
        blank=True,
        help_text="The hard-to-reach groups whose views the review means to hear, one a line "
        "(e.g. Gypsy and Traveller children): each is a row of the coverage panel.",
    )
    is_synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    # The survey's own settings only: responses have no history (it would stamp times).
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Survey of children and young people: {self.review}"

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    SPECIAL = "special", "Special school"
    ALTERNATIVE = "alternative", "Alternative provision"
    COLLEGE = "college", "College (16 to 19)"


class Deprivation(models.TextChoices):
    HIGH = "high", "Most deprived third"
    MIDDLE = "middle", "Middle third"
    LOW = "low", "Least deprived third"
    UNKNOWN = "unknown", "Not known"


class SurveySchool(models.Model):
    """A school or college chosen for the survey, with the code its children use."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="schools")
    provider = models.ForeignKey(
        Provider, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    urn = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=12, choices=Phase.choices)
    phase_estimated = models.BooleanField(
        default=False, help_text="The register extract lacks the phase: estimated from the roll."
    )
    pupils = models.PositiveIntegerField(null=True, blank=True)
    free_school_meals_percent = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True
    )
    deprivation = models.CharField(max_length=8, choices=Deprivation.choices)
    code = models.CharField(max_length=12, unique=True, help_text="What its children type in.")

    class Meta:
        ordering = ["phase", "name"]
        constraints = [models.UniqueConstraint(fields=["survey", "urn"], name="survey_school_once")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """Its name where the register holds one; else its kind, phase and area in words
        (never a bare URN: the shipped schools extract has no names)."""
        if self.name and not self.name.endswith(self.urn):
            return self.name
        if self.provider is not None:
            return self.provider.display_name
        kind = self.name.removesuffix(self.urn).strip() or "school"
        return f"{self.get_phase_display()} {kind.split(' (')[0].lower()}".strip().capitalize()


class InCare(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Response(models.Model):
    """One child's answers. See the module docstring for what is deliberately not stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(SurveySchool, on_delete=models.PROTECT, related_name="responses")
    version = models.CharField(max_length=20, help_text="Which version of the proforma.")
    age_band = models.CharField(max_length=8, choices=list(AGE_BANDS.items()))
    in_care = models.CharField(max_length=10, choices=InCare.choices, blank=True)
    disability = models.CharField(max_length=10, choices=InCare.choices, blank=True)
    answers = models.JSONField(default=dict)
    pages_done = models.PositiveSmallIntegerField(default=0)
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    token_sha256 = models.CharField(max_length=64, unique=True)
    answers_sha256 = models.CharField(
        max_length=64, blank=True, help_text="To spot the same answers sent twice."
    )
    possible_duplicate = models.BooleanField(default=False)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["survey", "submitted_on"])]

    def __str__(self) -> str:
        return f"Response to {self.survey_id}"


class ConcernSource(models.TextChoices):
    ASKED = "asked", "The child asked to talk to someone"
    SCREENED = "screened", "Free text suggests harm"
    PARENT = "parent", "A parent's or carer's words suggest harm to a child"


class ConcernStatus(models.TextChoices):
    NEW = "new", "New"
    PASSED_ON = "passed_on", "Passed to the school's safeguarding lead"
    CLOSED = "closed", "Closed"


class Concern(models.Model):
    """A child's wish to talk to someone, or a disclosure spotted in free text: for the
    safeguarding contact only, with the school's code, never the child's identity. A concern
    from the parents' and carers' proforma has no school (the proforma does not ask one)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="concerns")
    school = models.ForeignKey(
        SurveySchool,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        help_text="Empty for a concern from the parents' and carers' proforma.",
    )
    source = models.CharField(max_length=10, choices=ConcernSource.choices)
    raised_on = models.DateField()
    text = models.TextField(blank=True, help_text="What the child wrote, if anything.")
    matched = models.CharField(max_length=300, blank=True, help_text="What the screen matched.")
    status = models.CharField(
        max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    action = models.TextField(blank=True, help_text="What the safeguarding contact did.")
    handled_on = models.DateField(null=True, blank=True)
    notified_to = models.EmailField()
    held = models.BooleanField(
        default=False,
        help_text="Raised past the limits (per school code, per client): recorded and shown on "
        "the concerns page, not e-mailed one by one; the contact gets one summary e-mail.",
    )
    alert = models.ForeignKey(
        "core.OutgoingEmail",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The e-mail that told the safeguarding contact: its own alert, or the summary "
        "of held concerns it started; empty for a held concern a summary already covers.",
    )

    class Meta:
        ordering = ["status", "-raised_on"]

    def __str__(self) -> str:
        return f"Concern from {self.where} on {self.raised_on}"

    @property
    def where(self) -> str:
        """Where it came from, as the concerns page and e-mails say it."""
        if self.school is None:
            return "the parents' and carers' proforma"
        return f"{self.school.display_name} ({self.school.code})"


class ViewsKind(models.TextChoices):
    SERVICE_CONSULTATION = "service_consultation", "Gathered by a service itself"
    SETTING_INSPECTION = "setting_inspection", "From an earlier inspection of a setting"
    INTERVIEW_INDIVIDUAL = "interview_individual", "Fieldwork interview with one child"
    INTERVIEW_GROUP = "interview_group", "Fieldwork interview with a small group"


class GatheredViews(models.Model):
    """Views gathered other than by the survey (2004 proposals, section 5): by the services,
    in earlier setting inspections, and in inspectors' interviews during fieldwork."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="gathered_views")
    kind = models.CharField(max_length=30, choices=ViewsKind.choices)
    title = models.CharField(max_length=200)
    gathered_on = models.DateField()
    by_whom = models.CharField(max_length=200, help_text="The service or inspector.")
    children = models.PositiveIntegerField(help_text="How many children and young people.")
    age_group = models.CharField(max_length=60, blank=True)
    group = models.CharField(
        max_length=60,
        blank=True,
        help_text="A vulnerable or hard-to-reach group, e.g. looked-after children.",
    )
    outcomes = models.ManyToManyField(Outcome, related_name="+")
    summary = models.TextField(help_text="What they said. No names.")
    used = models.TextField(blank=True, help_text="How the service used what it heard.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-gathered_on"]
        constraints = [
            models.CheckConstraint(condition=Q(children__gte=1), name="views_from_someone")
        ]

    def __str__(self) -> str:
        return self.title


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer (for example a step-parent or guardian)"
    FOSTER_KINSHIP = "foster_kinship", "Foster carer or kinship carer"


class ParentsProforma(models.Model):
    """The review's short proforma for parents and carers (2004 proposals, section 5: "the
    views of children and young people, and their parents and carers, are incorporated in the
    inspection"). It belongs to the review's survey, whose safeguarding contact is told of
    concerns. Parents reach it by its code, printed on a leaflet the team hands out.

    Anonymous as the children's survey is: a response holds no name, no IP address, no device
    data and no time of day; the key is a random UUID; responses have no history table."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="parents")
    code = models.CharField(max_length=12, unique=True, help_text="What parents type in.")
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    # The proforma's own settings only: responses have no history (it would stamp times).
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Parents' and carers' proforma: {self.survey.review}"

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class ParentResponse(models.Model):
    """One parent's or carer's answers. See ParentsProforma for what is deliberately not
    stored. `answers` holds the agree/disagree questions by name (parents.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proforma = models.ForeignKey(
        ParentsProforma, on_delete=models.CASCADE, related_name="responses"
    )
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    child_age_band = models.CharField(max_length=8, choices=list(AGE_BANDS.items()))
    child_disabled = models.CharField(
        max_length=10,
        choices=InCare.choices,
        blank=True,
        help_text="The child is disabled or has learning difficulties.",
    )
    child_in_care = models.CharField(max_length=10, choices=InCare.choices, blank=True)
    answers = models.JSONField(default=dict)
    works_well = models.TextField(blank=True)
    could_be_better = models.TextField(blank=True)
    submitted_on = models.DateField()
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["proforma", "submitted_on"])]

    def __str__(self) -> str:
        return f"Parent's response to {self.proforma_id}"
