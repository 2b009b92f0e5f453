"""Running a plan or re-plan in the background, so that starting one from the web does not hold
the request: a `PlanningJob` row (status, progress percent, message, result) is the record,
and the task `programme_job_run` (Django's tasks API, core/tasks.py) does the work in a task
worker (`ecm db_worker` with the database backend, `ecm rqworker` with RQ), queued once the
job's row has committed. The web process starts no thread and runs no solver.

The solver reports progress from its own threads; the job writes the latest figures to its
row at most once a second, on a database connection of its own (closed when the job ends),
and that write is the job's heartbeat. Planning is one job at a time (a unique index on the
active job, so two clicks cannot start two), so a job whose worker died must not hold the
queue: a running job not heard from for STALE_AFTER once its time limit has passed, and a
queued job that no worker took up within UNCLAIMED_AFTER, are marked failed with the reason
on their page (`jobs_reap`, when a plan is asked for and when a job's page is read), and the
plan can be started again.
"""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from ecm_inspect.core.progress import ProgressWriter, work_claim
from ecm_inspect.core.tasks import enqueue_on_commit

from .models import (
    ACTIVE_JOB_STATUSES,
    JobKind,
    JobStatus,
    PlanningJob,
    Programme,
    ProgrammeVersion,
)
from .selectors import current_version
from .services import ProgrammeRefused, programme_plan, programme_replan
from .solver import Result

logger = logging.getLogger(__name__)

REPORT_EVERY = 1.0  # seconds between progress writes


def stale_after() -> timedelta:
    """Silence that means a running job's worker stopped (past its time limit, when a silent
    solver may still be searching): a minute by default."""
    return timedelta(seconds=settings.ECM_PROGRAMME_JOB_STALE_SECONDS)


def unclaimed_after() -> timedelta:
    """How long a queued job may wait for a worker before it is failed (other tasks may be
    ahead of it on the queue): ten minutes by default."""
    return timedelta(seconds=settings.ECM_PROGRAMME_JOB_UNCLAIMED_SECONDS)


class _Progress:
    """The solver's latest report (called from its threads), written to the job's row at most
    once every `every` seconds by a `ProgressWriter` (a connection of the job's own: the
    ORM's connection belongs to the worker's thread, and the solver's threads are not it)."""

    def __init__(self, job_id: int, time_limit: float, every: float | None) -> None:
        self.time_limit = max(time_limit, 1.0)
        self.started = time.monotonic()
        self.latest: tuple[str, float | None, float | None] | None = None
        self.writer = (
            ProgressWriter(PlanningJob, job_id, every=every, only_if={"status": JobStatus.RUNNING})
            if every is not None
            else None
        )

    def __call__(
        self, stage: str, elapsed: float, objective: float | None, bound: float | None
    ) -> None:
        self.latest = (stage, objective, bound)  # one assignment: whole under the GIL
        if self.writer is not None and self.writer.due():
            percent, message = self.snapshot()
            self.writer.write(
                {"progress": percent, "message": message[:500], "heartbeat_at": timezone.now()}
            )

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def snapshot(self) -> tuple[int, str]:
        elapsed = time.monotonic() - self.started
        percent = min(99, int(100 * elapsed / self.time_limit))
        latest = self.latest
        if latest is None:
            return percent, (
                f"Reading the records and searching for a first programme ({elapsed:.0f} s of "
                f"up to {self.time_limit:.0f} s)"
            )
        stage, objective, bound = latest
        what = "areas to weeks" if stage == "weeks" else "teams"
        return percent, (
            f"Solving ({what}): best objective {objective or 0:,.0f}, proven bound "
            f"{bound or 0:,.0f} ({elapsed:.0f} s of up to {self.time_limit:.0f} s)"
        )


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _solve(job: PlanningJob, progress: _Progress) -> tuple[ProgrammeVersion | None, Result]:
    p = job.parameters
    if job.kind == JobKind.PLAN:
        version, result, _ = programme_plan(
            starts_on=_day(p["starts_on"]),
            years=int(p.get("years", 3)),
            time_limit=job.time_limit,
            by=job.created_by,
            progress=progress,
        )
        return version, result
    programme = Programme.objects.get(pk=p["programme"])
    version, result, _ = programme_replan(
        programme=programme,
        time_limit=job.time_limit,
        urgent={g: _day(d) for g, d in p.get("urgent", {}).items()},
        unavailable={
            g: [(_day(s), _day(e)) for s, e in periods]
            for g, periods in p.get("unavailable", {}).items()
        },
        left=set(p.get("left", [])),
        release=set(p.get("release", [])),
        by=job.created_by,
        progress=progress,
        note=f"Re-planned by job {job.pk}",
    )
    return version, result


@task()
def programme_job_run(job_id: int) -> str:
    """The task: run the planning job `job_id` (queued by services.job_start)."""
    job = job_run(job_id=job_id)
    return "not there to take" if job is None else f"{job}: {job.message}"


def job_run(*, job_id: int, report_every: float | None = REPORT_EVERY) -> PlanningJob | None:
    """Run a queued job here and now, if nobody else has taken it: claim it, solve, store the
    version (or the reasons there is none) and mark it done or failed. Returns the job, or None
    if it was not there to take."""
    if not work_claim(PlanningJob, job_id, message="Reading the records"):
        return None
    job = PlanningJob.objects.select_related("created_by").get(pk=job_id)
    progress = _Progress(job.pk, job.time_limit, report_every)
    changes: dict[str, Any]
    try:
        version, result = _solve(job, progress)
    except ProgrammeRefused as exc:
        changes = {"status": JobStatus.FAILED, "message": "Refused", "reasons": _refused(exc)}
    except Exception as exc:
        logger.exception("programme job %s failed", job_id)
        changes = {"status": JobStatus.FAILED, "message": f"Failed: {exc}"[:500]}
    else:
        changes = _outcome(version, result)
    finally:
        progress.close()
    changes |= {"finished_at": timezone.now(), "heartbeat_at": timezone.now()}
    PlanningJob.objects.filter(pk=job_id).update(**changes)
    job.refresh_from_db()
    return job


def _refused(exc: ProgrammeRefused) -> list[dict[str, Any]]:
    return [{"constraint": "refused", "detail": r, "by": None} for r in exc.reasons]


def _outcome(version: ProgrammeVersion | None, result: Result) -> dict[str, Any]:
    if version is None:
        return {
            "status": JobStatus.FAILED,
            "message": f"No programme ({result.status}): see the reasons",
            "reasons": [
                {"constraint": r.constraint, "detail": r.detail, "by": r.shortfall}
                for r in result.reasons
            ],
        }
    moved = sum(1 for m in version.moved if m["from"] != m["to"])
    gap = f", gap {result.gap:.2%}" if result.gap is not None else ""
    return {
        "status": JobStatus.DONE,
        "progress": 100,
        "reasons": [],  # a job reaped while it was in fact still running did finish
        "version": version,
        "programme": version.programme,
        "message": (
            f"Version {version.number} ({result.status}): {len(result.reviews)} reviews, "
            f"objective {result.objective:,}{gap}, {result.seconds:.0f} s"
            + (f"; {moved} moved" if version.based_on_id else "")
        ),
    }


def _seconds(delta: timedelta) -> str:
    seconds = round(delta.total_seconds())
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def _jobs_fail(jobs: Any, *, now: Any, message: str, constraint: str, detail: str) -> int:
    """Mark `jobs` failed with one reason shown on each job's page; how many."""
    return int(
        jobs.update(
            status=JobStatus.FAILED,
            finished_at=now,
            message=message,
            reasons=[{"constraint": constraint, "detail": detail, "by": None}],
        )
    )


def jobs_reap() -> int:
    """Mark failed every running job whose worker stopped (not heard from for `stale_after()`
    once its time limit has passed) and every queued job no worker took up within
    `unclaimed_after()`, each with the reason on its page. Returns how many."""
    now = timezone.now()
    stale, unclaimed = stale_after(), unclaimed_after()
    silent = PlanningJob.objects.filter(
        Q(heartbeat_at__lt=now - stale) | Q(heartbeat_at__isnull=True, created_at__lt=now - stale),
        status=JobStatus.RUNNING,
    )
    dead = [
        job.pk
        for job in silent.only("pk", "time_limit", "started_at", "created_at")
        if (job.started_at or job.created_at) + timedelta(seconds=job.time_limit) + stale < now
    ]
    reaped = _jobs_fail(
        PlanningJob.objects.filter(pk__in=dead, status=JobStatus.RUNNING),
        now=now,
        message="Interrupted: the worker running it stopped. Start it again.",
        constraint="interrupted",
        detail=f"the job was not heard from for more than {_seconds(stale)} past its time "
        "limit (the task worker running it stopped); no version was stored. Start the plan "
        "again.",
    )
    reaped += _jobs_fail(
        PlanningJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - unclaimed),
        now=now,
        message="Never started: no worker took it up. Start it again.",
        constraint="never started",
        detail=f"no task worker took it up within {_seconds(unclaimed)} (is `ecm db_worker` "
        "or `ecm rqworker` running?). Start the plan again.",
    )
    return reaped


@transaction.atomic
def job_start(
    *, kind: str, parameters: dict[str, Any], time_limit: float, by: Any = None
) -> PlanningJob:
    """Queue a plan or re-plan (parameters as tasks.job_run reads them) for a task worker, once
    the transaction commits; the request does not wait for it. One at a time (the solver uses
    every core it is given), held by the database: a unique index on the active job, so a
    second request at the same moment is refused, not queued."""
    jobs_reap()
    busy = PlanningJob.objects.filter(status__in=ACTIVE_JOB_STATUSES).first()
    if busy is not None:
        raise ProgrammeRefused([f"{busy} is still running: wait for it to finish"])
    programme = None
    if kind == JobKind.REPLAN:
        programme = Programme.objects.filter(pk=int(parameters.get("programme") or 0)).first()
        if programme is None or current_version(programme) is None:
            raise ProgrammeRefused(["there is no programme to re-plan: plan one first"])
    try:
        with transaction.atomic():
            job = PlanningJob.objects.create(
                kind=kind,
                parameters=parameters,
                time_limit=time_limit,
                programme=programme,
                message="Queued",
                created_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:  # another request queued one since the check above
        busy = PlanningJob.objects.filter(status__in=ACTIVE_JOB_STATUSES).first()
        raise ProgrammeRefused(
            [f"{busy or 'another planning job'} is still running: wait for it to finish"]
        ) from None
    enqueue_on_commit(programme_job_run, job.pk)
    return job
