"""What the management commands share: acting as a named person (`--by USERNAME`), with their
permissions, the operator's shell standing in for their second factor."""

from typing import Any

from django.core.management.base import CommandError

from .models import User
from .rules import acting_on_the_server


def command_actor(username: str | None, perm: str, obj: Any = None) -> User | None:
    """The active user named by `--by`, if they hold `perm` (on `obj`); None if no one is
    named. A CommandError names what is wrong."""
    if not username:
        return None
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"--by: no active user {username!r}")
    actor = acting_on_the_server(actor)
    if not actor.has_perm(perm, obj):
        raise CommandError(f"{username} may not do this ({perm}).")
    return actor
