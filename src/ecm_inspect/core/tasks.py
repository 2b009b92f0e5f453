"""Background work through Django's tasks API (the `django-tasks` backport of Django 6's
`django.tasks`; moving to Django 6 is an import change here and in each `tasks.py`).

The backend is a setting (`TASKS`, chosen by `ECM_TASKS`, docs/deployment.md): the database
(`django-tasks-db`, a worker started with `ecm db_worker`) on one machine, RQ on Redis
(`ecm rqworker`) where several machines run workers, and the immediate backend in the tests.

A task is queued only once the transaction that asked for it has committed
(`enqueue_on_commit`): a worker never looks for a row that is not there yet, and work asked
for in a request that then fails is never started.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task
from django_tasks.base import Task


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` when the current transaction commits (at once outside
    one)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@task()
def email_deliver(email_id: int, attempt: int) -> str:
    """Make attempt number `attempt` to deliver a queued e-mail (`services.email_attempt`);
    returns its status."""
    from .services import email_attempt

    email = email_attempt(email_id=email_id, attempt=attempt)
    return "gone" if email is None else email.status
