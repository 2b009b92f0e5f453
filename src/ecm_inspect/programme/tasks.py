"""Running a plan or re-plan in the background, so that starting one from the web does not hold
the request: a `PlanningJob` row (status, progress percent, message, result) is the queue and
the record. No broker: the web process runs the job in a thread as soon as it is queued
(`job_thread_start`, through `transaction.on_commit`), and `ecm programme work` runs any job
left queued (say the web process restarted first), in its own process.

The solver reports progress from its own threads; a reporter thread writes the latest figures
to the job row once a second (its own database connection, closed when it stops), and that
write is the job's heartbeat. Planning is one job at a time, so a job whose process died must
not hold the queue: when the next plan is asked for (`jobs_reap`, from `job_start`), a running
job not heard from for STALE_AFTER, and a queued job that no process took up within
UNCLAIMED_AFTER, are marked failed with the reason on their page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import DatabaseError, OperationalError, close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from .models import JobKind, JobStatus, PlanningJob, Programme, ProgrammeVersion
from .services import ProgrammeRefused, programme_plan, programme_replan
from .solver import Result

logger = logging.getLogger(__name__)


def _job_update(job_id: int, *, only_if: str | None = None, **changes: Any) -> int:
    """Update a job row from the job's own thread. SQLite (the default store) refuses a write
    at once with "database table is locked" while another thread reads the table; that is
    momentary, so try again for a few seconds before giving up."""
    rows = PlanningJob.objects.filter(pk=job_id)
    if only_if is not None:
        rows = rows.filter(status=only_if)
    for attempt in range(50):
        try:
            return rows.update(**changes)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
    return 0


# Ours: a running job reports once a second, so a minute of silence means its process stopped
# (sixty missed reports, longer than any pause for a locked SQLite table). A queued job is
# taken up by the web process's thread as soon as it is committed, or by `ecm programme work`
# within its poll of 2 s, so one still queued after a minute was left behind.
STALE_AFTER = timedelta(seconds=60)
UNCLAIMED_AFTER = timedelta(seconds=60)
REPORT_EVERY = 1.0  # seconds between progress writes


class _Progress:
    """The latest report from the solver (any thread), read by the reporter."""

    def __init__(self, time_limit: float) -> None:
        self.time_limit = max(time_limit, 1.0)
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.latest: tuple[str, float | None, float | None] | None = None

    def __call__(
        self, stage: str, elapsed: float, objective: float | None, bound: float | None
    ) -> None:
        with self.lock:
            self.latest = (stage, objective, bound)

    def snapshot(self) -> tuple[int, str]:
        elapsed = time.monotonic() - self.started
        percent = min(99, int(100 * elapsed / self.time_limit))
        with self.lock:
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


class _Reporter(threading.Thread):
    def __init__(self, job_id: int, progress: _Progress, every: float) -> None:
        super().__init__(name=f"programme-job-{job_id}-progress", daemon=True)
        self.job_id, self.progress, self.every = job_id, progress, every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                percent, message = self.progress.snapshot()
                try:
                    PlanningJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                        progress=percent, message=message[:500], heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # progress is best effort; the result is not
                    logger.warning("could not report progress of job %s", self.job_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _solve(
    job: PlanningJob, progress: Callable[..., None]
) -> tuple[ProgrammeVersion | None, Result]:
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


def job_run(*, job_id: int, report_every: float | None = REPORT_EVERY) -> PlanningJob | None:
    """Run a queued job here and now, if nobody else has taken it: claim it, solve, store the
    version (or the reasons there is none) and mark it done or failed. Returns the job, or None
    if it was not there to take."""
    now = timezone.now()
    claimed = _job_update(
        job_id,
        only_if=JobStatus.QUEUED,
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        message="Reading the records",
    )
    if not claimed:
        return None
    job = PlanningJob.objects.select_related("created_by").get(pk=job_id)
    progress = _Progress(job.time_limit)
    reporter = _Reporter(job.pk, progress, report_every) if report_every else None
    if reporter is not None:
        reporter.start()
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
        if reporter is not None:
            reporter.stop()
    changes |= {"finished_at": timezone.now(), "heartbeat_at": timezone.now()}
    _job_update(job_id, **changes)
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


def _thread_main(job_id: int) -> None:
    close_old_connections()
    try:
        job_run(job_id=job_id, report_every=REPORT_EVERY)
    finally:
        connection.close()


def job_thread_start(job_id: int) -> threading.Thread:
    """Run the job in a daemon thread of this process."""
    thread = threading.Thread(
        target=_thread_main, args=(job_id,), name=f"programme-job-{job_id}", daemon=True
    )
    thread.start()
    return thread


def _seconds(delta: timedelta) -> str:
    return f"{delta.total_seconds():.0f} seconds"


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


def jobs_reap(*, queued: bool = True) -> int:
    """Mark failed every running job not heard from for STALE_AFTER (its process stopped) and,
    with `queued`, every queued job no process took up within UNCLAIMED_AFTER, each with the
    reason on its page. Returns how many. The worker (`jobs_work`) passes queued=False: it is
    the process that takes up what was left queued."""
    now = timezone.now()
    stale = now - STALE_AFTER
    reaped = _jobs_fail(
        PlanningJob.objects.filter(
            Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale),
            status=JobStatus.RUNNING,
        ),
        now=now,
        message="Interrupted: the process running it stopped. Start it again.",
        constraint="interrupted",
        detail=f"the job was not heard from for more than {_seconds(STALE_AFTER)} "
        "(the process running it stopped, e.g. the web server restarted); no version "
        "was stored. Start the plan again.",
    )
    if queued:
        reaped += _jobs_fail(
            PlanningJob.objects.filter(
                status=JobStatus.QUEUED, created_at__lt=now - UNCLAIMED_AFTER
            ),
            now=now,
            message="Never started: no process took it up. Start it again.",
            constraint="never started",
            detail=f"no process took it up within {_seconds(UNCLAIMED_AFTER)} "
            "(the web server stopped before it could start it, and no `ecm programme "
            "work` was running). Start the plan again.",
        )
    return reaped


def jobs_work(
    *,
    once: bool = False,
    poll: float = 2.0,
    say: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """`ecm programme work`: run queued jobs, oldest first, one at a time, until `stop` is set
    (the command sets it on SIGTERM or Ctrl-C, after the job in hand); with `once`, stop when
    none is left. Returns how many were run."""
    stop = stop or threading.Event()
    done = 0
    while not stop.is_set():
        jobs_reap(queued=False)
        job_id = (
            PlanningJob.objects.filter(status=JobStatus.QUEUED)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if job_id is None:
            if once:
                return done
            stop.wait(poll)
            continue
        job = job_run(job_id=job_id)
        if job is not None:
            done += 1
            if say is not None:
                say(f"{job}: {job.message}")
    return done
