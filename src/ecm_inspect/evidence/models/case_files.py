"""Case files: the area's pseudonymised list of children and the team's notes on them.
Confidential to the review team."""

from django.conf import settings
from django.db import models

from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.reviews.models import Review

from .items import Indication


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
