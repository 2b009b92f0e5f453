"""Performance indicators: each measure's definition and polarity, and its value per area per
year."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.registry.models import Area


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEITHER = "neither", "Neither (context)"


class IndicatorDefinition(models.Model):
    code = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    outcome = models.CharField(
        max_length=2, help_text="The outcome it informs (BH, SS, EA, PC, EW) or SM."
    )
    key_judgements = models.ManyToManyField(KeyJudgement, blank=True, related_name="+")
    topic = models.CharField(max_length=100, blank=True)
    unit = models.CharField(max_length=100, blank=True)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    source = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["outcome", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class IndicatorValue(models.Model):
    """A value of an indicator for an area (or England, when `area` is empty) in a year."""

    indicator = models.ForeignKey(
        IndicatorDefinition, on_delete=models.CASCADE, related_name="values"
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField()
    period = models.CharField(max_length=40, help_text="The period as the source labels it.")
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year"],
                condition=Q(area__isnull=False),
                name="indicator_value_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(area__isnull=True),
                name="england_value_once",
            ),
        ]
        indexes = [models.Index(fields=["year", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area or 'England'} {self.year}: {self.value}"
