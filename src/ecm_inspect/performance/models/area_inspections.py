"""Area inspections: what earlier inspections of an area's children's services found (APA,
ratings, joint area reviews, ILACS), imported from public sources."""

from django.db import models
from django.db.models import Q

from ecm_inspect.framework.shipped import shipped_outcome_title
from ecm_inspect.registry.models import Area


class AreaInspectionKind(models.TextChoices):
    APA = "apa", "Annual performance assessment"
    RATING = "rating", "Annual children's services rating"
    JAR = "jar", "Joint area review"
    ILACS = "ilacs", "Inspection of local authority children's services (ILACS)"


class AreaJudgement(models.TextChoices):
    """What an area inspection judged, across the sources (each kept in its own words too)."""

    OVERALL = "overall", "Overall effectiveness"
    LEADERS = "leaders", "The impact of leaders"
    HELP_AND_PROTECTION = "help_and_protection", "Children who need help and protection"
    IN_CARE = "in_care", "Children in care"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    BH = "BH", shipped_outcome_title("BH")
    SS = "SS", shipped_outcome_title("SS")
    EA = "EA", shipped_outcome_title("EA")
    PC = "PC", shipped_outcome_title("PC")
    EW = "EW", shipped_outcome_title("EW")
    CAPACITY = "capacity", "Capacity to improve"
    SOCIAL_CARE = "social_care", "Children's social care services"
    EDUCATION = "education", "Education services"
    LOWEST = "lowest", "The lowest grade awarded"


class AreaInspection(models.Model):
    """An earlier inspection or assessment of an area's children's services, imported from a
    public source (`ecm import area-inspections`): the strongest sign of how its next one will
    go. Grades are on the Framework's scale (4 = outstanding), converted from the source's."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="area_inspections")
    kind = models.CharField(max_length=10, choices=AreaInspectionKind.choices)
    framework = models.CharField(max_length=60, blank=True, help_text="e.g. standard or short")
    year = models.PositiveSmallIntegerField(help_text="The year it took place (or assessed).")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(
        help_text="When its findings were public: what a risk score of a year may know."
    )
    published_estimated = models.BooleanField(
        default=False, help_text="The source gives the month or year only: the last day of it."
    )
    source = models.CharField(max_length=300, help_text="The file or page it was imported from.")

    class Meta:
        ordering = ["area__name", "-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind", "year"], name="area_inspection_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.area}"

    @property
    def overall(self) -> int | None:
        for j in self.judgements.all():
            if j.judgement in (AreaJudgement.OVERALL, AreaJudgement.LOWEST):
                return j.grade
        return None


class AreaInspectionJudgement(models.Model):
    """One published judgement of an area inspection, converted to the Framework's scale, with
    the source's own words kept."""

    inspection = models.ForeignKey(
        AreaInspection, on_delete=models.CASCADE, related_name="judgements"
    )
    judgement = models.CharField(max_length=20, choices=AreaJudgement.choices)
    grade = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="4 = outstanding ... 1 = inadequate; empty: not judged."
    )
    as_published = models.CharField(max_length=200, help_text="The grade in the source's words.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "judgement"], name="area_inspection_judgement_once"
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__range=(1, 4)),
                name="area_inspection_grade_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection}: {self.get_judgement_display()}"
