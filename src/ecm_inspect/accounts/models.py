"""Users of ECM Inspect. Roles, organisations and the audit trail build on this model."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: inspectors, team leaders, leads, DCSs and partner contributors.

    Children answering the area survey and the public never sign in.
    """

    full_name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.full_name or self.username
