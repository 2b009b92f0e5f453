"""The Framework catalogue: versioned, with stable codes, loaded from data/*.yaml.

Version 2005 is the Framework for the inspection of children's services (July 2005); version 2004
holds the parts of the 2004 proposals the Framework did not restate (Appendix 2 illustrations,
vulnerable-group statements, service-management aspects, evidence sources, draft principles).
"""

from django.db import models

from .grades import Grade
from .scope import ServiceScope


class InspectorateCode(models.TextChoices):
    """The ten bodies to which the Framework applies (Framework paragraph 2)."""

    ALI = "ALI", "Adult Learning Inspectorate"
    AUDIT_COMMISSION = "AUDIT_COMMISSION", "Audit Commission"
    CSCI = "CSCI", "Commission for Social Care Inspection"
    HEALTHCARE_COMMISSION = "HEALTHCARE_COMMISSION", "Healthcare Commission"
    HMIC = "HMIC", "HM Inspectorate of Constabulary"
    HMI_PROBATION = "HMI_PROBATION", "HM Inspectorate of Probation"
    HMI_PRISONS = "HMI_PRISONS", "HM Inspectorate of Prisons"
    HMCPSI = "HMCPSI", "HM Crown Prosecution Service Inspectorate"
    HMICA = "HMICA", "HM Inspectorate of Court Administration"
    OFSTED = "OFSTED", "Office for Standards in Education (Ofsted)"


class VulnerableGroupCode(models.TextChoices):
    """The two groups covered in detail in every joint area review (2004, "Focus on outcomes")."""

    CHILDREN_IN_CARE = "children_in_care", "Children and young people in care"
    LDD = "ldd", "Children and young people with learning difficulties and/or disabilities"


class EvidenceStage(models.TextChoices):
    ANALYSIS = "analysis", "Analysis"
    FIELDWORK = "fieldwork", "Fieldwork"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft: being reviewed, not used by any inspection"
    PUBLISHED = "published", "Published"


class FrameworkVersion(models.Model):
    """A version of the Framework (paragraphs 13-14: it is reviewed and revised). A revision is
    loaded as a draft, compared with the version in force, and published with the date from
    which inspections use it; an inspection keeps the version it started under."""

    code = models.CharField(max_length=10, unique=True)
    title = models.CharField(max_length=300)
    published = models.CharField(max_length=50, blank=True)
    reference = models.CharField(max_length=50, blank=True)
    source = models.CharField(max_length=200, help_text="The source document, in data/sources/.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file last loaded.")
    loaded_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.PUBLISHED
    )
    effective_from = models.DateField(
        null=True,
        blank=True,
        help_text="Inspections starting on or after this day use this version. Empty for a "
        "reference version that is never in force (the 2004 proposals).",
    )
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        ordering = ["-code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class Outcome(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(max_length=4)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=100)
    summary = models.TextField(blank=True)
    aims_preamble = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="outcome_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Aim(models.Model):
    """One of the 25 aims for children and young people (Every child matters)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="aims")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="aims")
    code = models.CharField(max_length=8)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["outcome__order", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="aim_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class KeyJudgement(models.Model):
    """One of the 36 key judgements of the 2005 Framework (paragraphs 9-10)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="key_judgements")
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="key_judgements"
    )
    code = models.CharField(max_length=8)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    vulnerable_group = models.CharField(
        max_length=20, choices=VulnerableGroupCode.choices, blank=True
    )

    class Meta:
        ordering = ["outcome__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="key_judgement_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Principle(models.Model):
    """A principle of inspection: the eight of 2005, or the twelve draft principles of 2004."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="principles"
    )
    number = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=100, blank=True)
    title = models.TextField()
    is_quality_and_management = models.BooleanField(
        default=False,
        help_text="Principle (3): its statements are the quality-and-management steps.",
    )

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="principle_number_unique"),
        ]

    def __str__(self) -> str:
        return f"({self.number}) {self.title}"


class PrincipleStatement(models.Model):
    """A bullet point of a principle, under the introduction that leads into it."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="statements")
    code = models.CharField(max_length=12, unique=True)
    part = models.PositiveSmallIntegerField()
    introduction = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["principle", "part", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class ScopeRule(models.Model):
    """A sentence of paragraph 3 saying who and what is within children's services."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="scope_rules"
    )
    code = models.CharField(max_length=8)
    rule = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="scope_rule_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class VulnerableGroup(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=8, unique=True)
    slug = models.CharField(max_length=20, choices=VulnerableGroupCode.choices, unique=True)
    title = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.title


class VulnerableGroupStatement(models.Model):
    group = models.ForeignKey(VulnerableGroup, on_delete=models.CASCADE, related_name="statements")
    code = models.CharField(max_length=8, unique=True)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["group", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class ServiceManagementAspect(models.Model):
    """One of the nine aspects of how local services work together (2004, "Service management")."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="aspects")
    code = models.CharField(max_length=8, unique=True)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    report_text = models.TextField(help_text="The wording used in the report structure.")

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class EvidenceSource(models.Model):
    """A kind of evidence used at analysis or in fieldwork (2004, "Gathering evidence")."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sources")
    code = models.CharField(max_length=8, unique=True)
    stage = models.CharField(max_length=10, choices=EvidenceStage.choices)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["stage", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class ProviderKind(models.Model):
    """A kind of front-line provision, with the age scope that applies to it."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=10, choices=ServiceScope.choices)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class RelevanceQuerySet(models.QuerySet["Relevance"]):
    def for_kind(self, kind: ProviderKind) -> "RelevanceQuerySet":
        return self.filter(provider_kind=kind)


class Relevance(models.Model):
    """One cell of the relevance matrix: this inspectorate may make this key judgement when it
    inspects this kind of provider."""

    provider_kind = models.ForeignKey(
        ProviderKind, on_delete=models.CASCADE, related_name="relevance"
    )
    inspectorate = models.CharField(max_length=30, choices=InspectorateCode.choices)
    key_judgement = models.ForeignKey(
        KeyJudgement, on_delete=models.CASCADE, related_name="relevance"
    )

    objects = RelevanceQuerySet.as_manager()

    class Meta:
        ordering = ["provider_kind__order", "inspectorate", "key_judgement__code"]
        verbose_name_plural = "relevance"
        constraints = [
            models.UniqueConstraint(
                fields=["provider_kind", "inspectorate", "key_judgement"],
                name="relevance_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_kind.code} / {self.inspectorate} / {self.key_judgement.code}"


class ServiceContribution(models.Model):
    """An illustration of a service contribution to an outcome (2004, Appendix 2), with what it
    bears on in the 2005 Framework (data/contributions-2005.yaml): the key judgements, the kinds
    of provider that principally make it and the inspectorates whose evidence shows it."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="contributions")
    code = models.CharField(max_length=8, unique=True)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    key_judgements = models.ManyToManyField(KeyJudgement, related_name="contributions", blank=True)
    provider_kinds = models.ManyToManyField(ProviderKind, related_name="contributions", blank=True)
    inspectorates = models.JSONField(
        default=list, blank=True, help_text="Codes of the inspectorates whose evidence shows it."
    )

    class Meta:
        ordering = ["outcome__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


DESCRIPTORS_NOT_IN_FRAMEWORK = "Written by ECM Inspect, not part of the 2005 Framework"


class DescriptorSet(models.Model):
    """A versioned set of grade descriptors for the key judgements of one Framework version.

    The 2005 Framework gives the four-point scale (paragraph 12) but says nothing of what
    separates one grade from the next; ECM Inspect ships its own set, marked as such, for the
    national lead to revise. A revision is a new set: the newest set of a version is in force,
    and earlier sets are kept for the reviews that used them."""

    code = models.CharField(max_length=40, unique=True)
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="descriptor_sets"
    )
    title = models.CharField(max_length=300)
    status = models.TextField(
        help_text="Where the descriptors come from, shown wherever they are, e.g. "
        f'"{DESCRIPTORS_NOT_IN_FRAMEWORK}".'
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file loaded.")
    loaded_at = models.DateTimeField()
    loaded_by = models.CharField(
        max_length=150, blank=True, help_text="Who loaded it (the command line's user)."
    )

    class Meta:
        ordering = ["framework_version", "-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class GradeDescriptor(models.Model):
    """What one grade of one key judgement looks like, in one descriptor set."""

    descriptor_set = models.ForeignKey(
        DescriptorSet, on_delete=models.CASCADE, related_name="descriptors"
    )
    key_judgement = models.ForeignKey(
        KeyJudgement, on_delete=models.CASCADE, related_name="descriptors"
    )
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    text = models.TextField()

    class Meta:
        ordering = [
            "descriptor_set",
            "key_judgement__outcome__order",
            "key_judgement__order",
            "-grade",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["descriptor_set", "key_judgement", "grade"], name="grade_descriptor_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=4), name="grade_descriptor_grade_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_judgement.code} {Grade(self.grade).label}"
