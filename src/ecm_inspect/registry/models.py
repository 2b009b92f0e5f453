"""The registry: areas (children's services authorities), the inspectorates, their inspectors,
front-line providers and the partner bodies of each area.

The registry builds on the Framework only (provider kinds, inspectorate codes, outcomes).
"""

import re

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ecm_inspect.framework.models import InspectorateCode, Outcome, ProviderKind


class AreaType(models.TextChoices):
    """Kinds of upper-tier council, from the GSS code prefix."""

    UNITARY = "unitary authority", "Unitary authority"
    METROPOLITAN = "metropolitan district", "Metropolitan district"
    LONDON_BOROUGH = "London borough", "London borough"
    COUNTY = "county council", "County council"
    SUI_GENERIS = "sui generis", "Sui generis (City of London, Isles of Scilly)"


class AreaQuerySet(models.QuerySet["Area"]):
    def current(self) -> "AreaQuerySet":
        return self.filter(is_current=True)

    def in_region(self, region_code: str) -> "AreaQuerySet":
        return self.filter(region_code=region_code)


class Area(models.Model):
    """A children's services authority: an upper-tier council and its area."""

    gss_code = models.CharField("ONS/GSS code", max_length=9, unique=True)
    gss_code_dfe = models.CharField(
        "GSS code in DfE statistics",
        max_length=9,
        blank=True,
        help_text="Differs only where DfE statistics still use a superseded code "
        "(Barnsley E08000016, Sheffield E08000019).",
    )
    la_code = models.CharField("DfE LA code", max_length=3, unique=True)
    name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=9)
    region_name = models.CharField(max_length=50)
    area_type = models.CharField(max_length=30, choices=AreaType.choices)
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    population_0_25 = models.PositiveIntegerField(null=True, blank=True)
    website = models.CharField(max_length=100, blank=True)
    is_current = models.BooleanField(default=True)
    statistical_neighbours: "models.ManyToManyField[Area, StatisticalNeighbour]" = (
        models.ManyToManyField(
            "self", through="StatisticalNeighbour", symmetrical=False, related_name="+"
        )
    )
    version = models.PositiveIntegerField(default=1)

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatisticalNeighbour(models.Model):
    """One of an area's ~10 statistical neighbours (DfE), in rank order."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["area", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["area", "neighbour"], name="neighbour_unique"),
            models.UniqueConstraint(fields=["area", "rank"], name="neighbour_rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area} neighbour {self.rank}: {self.neighbour}"


class Inspectorate(models.Model):
    """One of the ten bodies to which the Framework applies (Framework paragraph 2), with its
    remit (2004 proposals, Appendix 1)."""

    code = models.CharField(max_length=30, choices=InspectorateCode.choices, unique=True)
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=30)
    remit = models.TextField()
    takes_part_in_joint_area_reviews = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name


class InspectorGrade(models.TextChoices):
    """Grade of experience of an inspector."""

    TRAINEE = "trainee", "Trainee inspector"
    INSPECTOR = "inspector", "Inspector"
    SENIOR = "senior", "Senior inspector / HMI"
    LEAD = "lead", "Lead inspector (can lead a joint area review)"


class Inspector(models.Model):
    """An inspector of one body, with the expertise a review team is made from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
    )
    full_name = models.CharField(max_length=200)
    inspectorate = models.ForeignKey(
        Inspectorate, on_delete=models.PROTECT, related_name="inspectors"
    )
    grade = models.CharField(max_length=20, choices=InspectorGrade.choices)
    home_region_code = models.CharField(max_length=9, blank=True)
    outcome_expertise = models.ManyToManyField(Outcome, blank=True, related_name="+")
    provider_kind_expertise = models.ManyToManyField(ProviderKind, blank=True, related_name="+")
    days_per_week = models.PositiveSmallIntegerField(
        default=5, help_text="Days a week available for inspection work."
    )
    is_active = models.BooleanField(default=True)
    is_synthetic = models.BooleanField(
        default=False, help_text="A made-up person for the demo, not a real inspector."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[outcome_expertise, provider_kind_expertise])

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class InspectorAbsence(models.Model):
    """A period an inspector is not available (leave, training, other work)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspector}: {self.starts_on} to {self.ends_on}"


class ProviderQuerySet(models.QuerySet["Provider"]):
    def open(self) -> "ProviderQuerySet":
        return self.filter(closed_on__isnull=True)

    def in_area(self, area: Area) -> "ProviderQuerySet":
        return self.filter(area=area)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def provider_description(*, sub_type: str, kind_name: str, area_name: str) -> str:
    """The kind, phase and area in words: "a primary academy in Sunderland"."""
    kind, _, phase = (sub_type or kind_name).partition(", ")
    kind = kind.split(" (")[0].strip().lower()
    # "Academy special converter" -> "special academy"; "Academy converter" -> "academy".
    kind = re.sub(r"^academy (?:(.+) )?(?:converter|sponsor led)$", r"\1 academy", kind).strip()
    phase = phase.strip().lower()
    words = f"{phase} {kind}" if phase and phase not in ("not applicable", kind) else kind
    article = "an" if words[:1] in "aeiou" else "a"
    return f"{article} {words} in {area_name}"


def provider_display_name(
    *, name: str, urn: str, sub_type: str, kind_name: str, area_name: str
) -> str:
    """A provider's own name where the register holds it, else its description: never a bare
    URN. For rows read with `values()`, without a Provider to hand."""
    if name and not name.endswith(urn):
        return name
    return _capital(
        provider_description(sub_type=sub_type, kind_name=kind_name, area_name=area_name)
    )


class Provider(models.Model):
    """A front-line service: a school, children's home, nursery, YOT, CAFCASS office..."""

    urn = models.CharField("URN or other identifier", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    kind = models.ForeignKey(ProviderKind, on_delete=models.PROTECT, related_name="providers")
    sub_type = models.CharField(
        max_length=100, blank=True, help_text="The source's own type, e.g. 'Academy converter'."
    )
    # No index of its own: the (area, kind) index serves lookups by area.
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="providers", db_index=False
    )
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    registered_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProviderQuerySet.as_manager()
    # History is read by provider (`id`) and date; indexes on its other columns would only
    # slow the import of a national file (every created or changed provider is a history row).
    history = HistoricalRecords(no_db_index=["urn", "postcode", "area", "kind"])

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["area", "kind"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def has_own_name(self) -> bool:
        """False for a name made from an import mapping's template ("Academy converter 138213"):
        the shipped schools extract and Ofsted's children's homes list give no names."""
        return bool(self.name) and not self.name.endswith(self.urn)

    @property
    def description(self) -> str:
        """The kind, phase and area in words: "a primary academy in Sunderland"."""
        return provider_description(
            sub_type=self.sub_type, kind_name=self.kind.name, area_name=self.area.name
        )

    @property
    def display_name(self) -> str:
        """The provider's own name where the register holds it, else its description: never
        a bare URN."""
        return self.name if self.has_own_name else _capital(self.description)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class PartnerKind(models.TextChoices):
    """Partners under the duty to co-operate (2004 proposals, "The Children Bill")."""

    DISTRICT_COUNCIL = "district_council", "District council"
    POLICE = "police", "Police authority and chief officer of police"
    PROBATION = "probation", "Local probation board"
    YOUTH_OFFENDING_TEAM = "yot", "Youth offending team"
    STRATEGIC_HEALTH_AUTHORITY = "sha", "Strategic Health Authority"
    PRIMARY_CARE_TRUST = "pct", "Primary Care Trust"
    CONNEXIONS = "connexions", "Connexions"
    LEARNING_AND_SKILLS_COUNCIL = "lsc", "Learning and Skills Council"
    LSCB = "lscb", "Local Safeguarding Children Board"
    OTHER = "other", "Other partner"


class PartnerBody(models.Model):
    """A partner of the council in an area."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "kind", "name"]
        verbose_name_plural = "partner bodies"
        constraints = [
            models.UniqueConstraint(fields=["area", "kind", "name"], name="partner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
