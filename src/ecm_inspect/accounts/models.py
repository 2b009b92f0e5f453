"""Users of ECM Inspect, their roles and the organisations they belong to.

Roles are those of the design ("Who uses it"). Children answering the area survey and the
public never sign in: the public is the anonymous user.
"""

from typing import Any

import rules
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecm_inspect.registry.models import Area, Inspectorate, PartnerBody


class Role(models.TextChoices):
    NATIONAL_LEAD = "national_lead", "National lead (HMCI's office)"
    INSPECTORATE_LEAD = "inspectorate_lead", "Inspectorate lead"
    REVIEW_TEAM_LEADER = "review_team_leader", "Review team leader"
    INSPECTOR = "inspector", "Inspector"
    DCS = "dcs", "Director of children's services"
    PARTNER_CONTRIBUTOR = "partner_contributor", "Partner contributor"


# Roles that work for an inspectorate, and roles that work for a council or partner in an area.
INSPECTORATE_ROLES = frozenset(
    {Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD, Role.REVIEW_TEAM_LEADER, Role.INSPECTOR}
)
AREA_ROLES = frozenset({Role.DCS, Role.PARTNER_CONTRIBUTOR})


class OrganisationKind(models.TextChoices):
    INSPECTORATE = "inspectorate", "Inspectorate"
    COUNCIL = "council", "Council (children's services authority)"
    PARTNER = "partner", "Partner body in an area"


class Organisation(models.Model):
    """Where a user works: an inspectorate, a council, or a partner body in an area."""

    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    inspectorate = models.OneToOneField(
        Inspectorate, on_delete=models.PROTECT, null=True, blank=True, related_name="organisation"
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    partner = models.OneToOneField(
        PartnerBody, on_delete=models.PROTECT, null=True, blank=True, related_name="organisation"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="organisation_kind_matches",
                condition=(
                    Q(
                        kind="inspectorate",
                        inspectorate__isnull=False,
                        area__isnull=True,
                        partner__isnull=True,
                    )
                    | Q(
                        kind="council",
                        inspectorate__isnull=True,
                        area__isnull=False,
                        partner__isnull=True,
                    )
                    | Q(
                        kind="partner",
                        inspectorate__isnull=True,
                        area__isnull=False,
                        partner__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["area"], condition=Q(kind="council"), name="one_council_per_area"
            ),
        ]

    def __str__(self) -> str:
        if self.inspectorate is not None:
            return str(self.inspectorate.name)
        if self.partner is not None:
            return f"{self.partner.name}, {self.area}"
        return f"{self.area} council"


class User(AbstractUser):
    """A person who signs in, with one role and one organisation."""

    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_demo = models.BooleanField(
        default=False, help_text="A demo account with a published password; never in production."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self) -> str:
        return self.full_name or self.username

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django's "an active superuser has every permission" only through the second factor:
        before it, a superuser gets what the policy gives them, like anyone (accounts/rules.py)."""
        if self.is_superuser and not self._passed_second_factor():
            return bool(rules.has_perm(perm, self, obj))
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_superuser and not self._passed_second_factor():
            return False
        return super().has_module_perms(app_label)

    def _passed_second_factor(self) -> bool:
        from .rules import passed_second_factor  # the policy imports these models

        return passed_second_factor(self)

    @property
    def inspectorate_id(self) -> int | None:
        org = self.organisation
        return org.inspectorate_id if org is not None else None

    @property
    def area_id(self) -> int | None:
        org = self.organisation
        return org.area_id if org is not None else None


class DownloadLink(models.Model):
    """A short-lived link to an export of confidential material, issued to one user.

    Issuing and using a link are both audited (the history of this model)."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="download_links")
    what = models.CharField(max_length=200)
    parameters = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.what} for {self.user} (expires {self.expires_at:%H:%M:%S})"
