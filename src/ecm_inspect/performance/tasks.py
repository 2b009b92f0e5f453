"""The APA of every area, asked for on the web, run by a task worker (core/tasks.py): the
request writes an `AssessmentRun` row and queues `assessment_run_task` once it commits; the
worker proposes every judgement of every area (`apa_run`, as `ecm apa run` does), writing the
areas done to the row as it goes, on a connection of its own (`apa_run` is one transaction, so
nothing it writes is seen until it ends). A run whose worker stopped is failed, with the
reason, when its page is next read (`runs_reap`)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django_tasks import task

from ecm_inspect.core.progress import ProgressWriter, work_claim
from ecm_inspect.core.tasks import enqueue_on_commit

from .models import ACTIVE_RUN_STATUSES, AssessmentRun, RunStatus
from .services import apa_run

logger = logging.getLogger(__name__)

# Ours: a run reports every few seconds while it works through the areas, so ten minutes of
# silence means its worker stopped; a run left queued that long found no worker.
STALE_AFTER = timedelta(minutes=10)


class RunRefused(Exception):
    pass


def assessment_run_start(*, year: int, by: Any = None) -> AssessmentRun:
    """Queue the APA of every area for `year`; refused while one of that year is queued or
    running (held by a unique index, so two clicks cannot queue two)."""
    runs_reap()
    busy = AssessmentRun.objects.filter(year=year, status__in=ACTIVE_RUN_STATUSES).first()
    if busy is not None:
        raise RunRefused(f"The APA of {year} is already being run: wait for it to finish.")
    try:
        with transaction.atomic():
            run = AssessmentRun.objects.create(
                year=year, message="Queued", created_by=by if getattr(by, "pk", None) else None
            )
            enqueue_on_commit(assessment_run_task, run.pk)
    except IntegrityError:
        raise RunRefused(
            f"The APA of {year} is already being run: wait for it to finish."
        ) from None
    return run


@task()
def assessment_run_task(run_id: int) -> str:
    """The task: run the APA of `run_id`'s year for every area."""
    if not work_claim(AssessmentRun, run_id, message="Reading the data"):
        return "not there to take"
    run = AssessmentRun.objects.get(pk=run_id)
    writer = ProgressWriter(AssessmentRun, run.pk, every=2.0, only_if={"status": RunStatus.RUNNING})

    def progress(done: int, total: int) -> None:
        writer.write(
            {
                "areas_done": done,
                "areas_total": total,
                "message": f"Proposing the judgements of {done} of {total} areas",
                "heartbeat_at": timezone.now(),
            },
            force=done == total,
        )

    changes: dict[str, object]
    try:
        result = apa_run(year=run.year, progress=progress)
    except Exception as exc:
        logger.exception("APA run %s failed", run_id)
        changes = {"status": RunStatus.FAILED, "message": f"Failed: {exc}"[:500]}
    else:
        total = len(result.assessments)
        alerts = len(result.alerts)
        changes = {
            "status": RunStatus.DONE,
            "areas_done": total,
            "areas_total": total,
            "message": (
                f"Judgements proposed for {total} area{pluralize(total)}; "
                f"{alerts} intervention alert{pluralize(alerts)} raised."
            ),
        }
    finally:
        writer.close()
    now = timezone.now()
    AssessmentRun.objects.filter(pk=run_id).update(**changes, finished_at=now, heartbeat_at=now)
    return str(changes["message"])


def runs_reap() -> int:
    """Fail every run not heard from for STALE_AFTER (its worker stopped, or none took it up),
    with the reason; how many."""
    cutoff = timezone.now() - STALE_AFTER
    return (
        AssessmentRun.objects.filter(status__in=ACTIVE_RUN_STATUSES, created_at__lt=cutoff)
        .exclude(heartbeat_at__gte=cutoff)
        .update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message=(
                "Interrupted: not heard from for ten minutes (no task worker took it up, or the "
                "one running it stopped). Recorded grades are kept; start it again."
            ),
        )
    )
