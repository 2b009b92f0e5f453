"""Planning from the web in the background: the request queues a job and returns at once, a
task worker runs it (`ecm db_worker` here), and its page and the API say where it has got to
and what came of it. One job at a time, held by the database."""

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from ecm_inspect.programme import tasks
from ecm_inspect.programme.models import (
    CorporateAssessment,
    Fixity,
    JobStatus,
    PlanningJob,
    ProgrammeVersion,
)
from ecm_inspect.programme.services import programme_plan, version_approve, year_confirm
from ecm_inspect.programme.tasks import job_run
from ecm_inspect.registry.models import Area

START = date(2031, 9, 1)  # after any day the tests run on: no review has started


@pytest.fixture
def small(small_world: list[Area], settings) -> list[Area]:
    settings.ECM_PROGRAMME_TEAM_SIZE = 3
    settings.ECM_PROGRAMME_REVIEW_SHARE = 0.8
    settings.ECM_PROGRAMME_SOLVER_WORKERS = 1
    for ca in CorporateAssessment.objects.all():  # the same world, five years on
        ca.starts_on = ca.starts_on.replace(year=ca.starts_on.year + 5)
        ca.ends_on = ca.ends_on.replace(year=ca.ends_on.year + 5)
        ca.save()
    return small_world


def _plan(client: Client, **extra: str) -> tuple[PlanningJob | None, Any]:
    data = {"starts_on": START.isoformat(), "years": "1", "time_limit": "5", **extra}
    response = client.post("/programme/plan/", data)
    return PlanningJob.objects.order_by("-pk").first(), response


def test_starting_a_plan_queues_a_job_and_returns_at_once(
    small, national_lead: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as started:
        job, response = _plan(national_lead)
    assert job is not None
    assert response.status_code == 302
    assert response["Location"] == f"/programme/jobs/{job.pk}/"
    assert job.status == JobStatus.QUEUED
    assert len(started) == 1  # the task is queued once the job is committed
    page = national_lead.get(f"/programme/jobs/{job.pk}/")
    assert page["Refresh"] == "5"
    assert "Queued" in page.content.decode()
    assert 'href="/programme/jobs/' in page.content.decode()  # a plain Refresh link
    assert national_lead.get(f"/api/programme/jobs/{job.pk}/").json()["status"] == "queued"
    # One at a time.
    _, again = _plan(national_lead)
    assert again.status_code == 422  # the page again, with the reason
    assert "is still running: wait for it to finish" in again.content.decode()
    assert PlanningJob.objects.count() == 1

    done = job_run(job_id=job.pk, report_every=None)
    assert done is not None
    assert done.status == JobStatus.DONE, (done.message, done.reasons)
    assert done.progress == 100
    assert done.version is not None
    assert done.version.slots.count() == 6
    assert job_run(job_id=job.pk, report_every=None) is None  # taken once only
    data = national_lead.get(f"/api/programme/jobs/{job.pk}/").json()
    assert data["status"] == "done"
    assert data["version"] == done.version.pk
    assert data["parameters"] == {"starts_on": START.isoformat(), "years": 1}
    page = national_lead.get(f"/programme/jobs/{job.pk}/")
    assert "Refresh" not in page
    assert f"/programme/versions/{done.version.pk}/" in page.content.decode()


def test_a_bad_form_starts_nothing(small, national_lead: Client) -> None:
    job, response = _plan(national_lead, starts_on="next summer", time_limit="9999")
    assert job is None
    assert response.status_code == 422
    page = response.content.decode()
    assert "Start of the programme: Enter a valid date." in page
    assert 'value="next summer"' in page  # what was typed is kept


def test_a_replan_that_cannot_keep_a_held_review_fails_with_the_reason(
    small, national_lead: Client, django_capture_on_commit_callbacks
) -> None:
    version, _, _ = programme_plan(starts_on=START, years=1, time_limit=4, workers=1)
    assert version is not None
    version_approve(version=version)
    year_confirm(programme=version.programme, financial_year_start=START.year, teams=True)
    held = version.slots.filter(fixity=Fixity.CONFIRMED).select_related("area").first()
    assert held is not None
    leaver = held.team.exclude(pk=held.leader_id).first()
    assert leaver is not None
    index = national_lead.get("/programme/").content.decode()
    assert "Re-plan the programme in force" in index
    assert 'action="/programme/replan/"' in index
    main = index.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    assert "<script" not in main
    assert "style=" not in main.split("<svg", 1)[0]  # strict CSP: no inline styles
    with django_capture_on_commit_callbacks(execute=False):
        response = national_lead.post(
            "/programme/replan/", {"time_limit": "5", "inspectors_left": str(leaver.pk)}
        )
    job = PlanningJob.objects.get()
    assert response["Location"] == f"/programme/jobs/{job.pk}/"
    assert job.parameters["left"] == [leaver.pk]
    done = job_run(job_id=job.pk, report_every=None)
    assert done is not None
    assert done.status == JobStatus.FAILED
    assert done.version is None
    assert ProgrammeVersion.objects.count() == 1
    (reason,) = done.reasons
    assert reason["constraint"] == "inspector available"
    assert f"the confirmed review of {held.area.name}" in reason["detail"]
    page = national_lead.get(f"/programme/jobs/{job.pk}/").content.decode()
    assert "Why there is no programme" in page
    assert f"--release {held.area.gss_code}" in page


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after each task
def test_the_database_task_worker_runs_a_plan_queued_from_the_web(
    small, national_lead: Client, settings, django_capture_on_commit_callbacks
) -> None:
    """With the database backend (the default outside the tests), the request only queues a
    task; `ecm db_worker` takes it up and the job is done."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        job, response = _plan(national_lead)
    assert job is not None
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # nothing ran in the request
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "ecm_inspect.programme.tasks.programme_job_run"
    out = io.StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=out, stderr=out)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (job.message, job.reasons, out.getvalue())
    assert job.version is not None
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


def test_the_database_refuses_a_second_active_planning_job(small) -> None:
    """Two requests at the same moment both pass the check for a running job: the unique index
    on the active job refuses the second."""
    _job(JobStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        _job(JobStatus.QUEUED)
    done = _job(JobStatus.DONE)  # finished jobs are not held to it
    assert done.pk


def test_a_plan_asked_for_in_a_race_is_refused_with_the_reason(
    small, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from ecm_inspect.programme import services

    running = _job(JobStatus.RUNNING)
    real = PlanningJob.objects.filter

    def blind(*args, **kwargs):  # the check sees no running job, as in a race
        if kwargs.get("status__in"):
            return real(pk=-1)
        return real(*args, **kwargs)

    monkeypatch.setattr(PlanningJob.objects, "filter", blind)
    with pytest.raises(services.ProgrammeRefused) as refused:
        tasks.job_start(
            kind="plan", parameters={"starts_on": START.isoformat(), "years": 1}, time_limit=4
        )
    monkeypatch.undo()
    assert "another planning job is still running" in str(refused.value.reasons)
    assert list(PlanningJob.objects.values_list("pk", flat=True)) == [running.pk]


def test_a_running_job_not_heard_from_is_marked_failed(small) -> None:
    from django.utils import timezone

    job = PlanningJob.objects.create(
        kind="plan",
        parameters={"starts_on": START.isoformat(), "years": 1},
        time_limit=4,
        status=JobStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=10),
        heartbeat_at=timezone.now() - tasks.stale_after() * 2,
    )
    assert tasks.jobs_reap() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Interrupted" in job.message


@pytest.mark.django_db(transaction=True)
def test_the_job_reports_progress_on_a_connection_of_its_own(small, national_lead: Client) -> None:
    """The solver calls back from its own threads; the job writes what it hears to its row on
    a connection of its own, at most once per interval, and that is its heartbeat."""
    job = _job(JobStatus.RUNNING, heartbeat_at=None)
    progress = tasks._Progress(job.pk, time_limit=10, every=0.0)
    try:
        progress("weeks", 0.1, 1234.0, 1000.0)
    finally:
        progress.close()
    assert progress.writer is None
    data = national_lead.get(f"/api/programme/jobs/{job.pk}/").json()
    assert data["status"] == "running"
    assert "best objective 1,234, proven bound 1,000" in data["message"]
    assert 0 <= data["progress"] < 100
    job.refresh_from_db()
    assert job.heartbeat_at is not None
    quiet = tasks._Progress(job.pk, time_limit=10, every=3600.0)
    try:
        quiet("teams", 0.2, 99.0, 98.0)  # the first report is written at once
        quiet("teams", 0.3, 77.0, 76.0)  # within the interval: heard, not written
    finally:
        quiet.close()
    assert quiet.latest == ("teams", 77.0, 76.0)
    assert "best objective 99," in PlanningJob.objects.get(pk=job.pk).message


def _job(status: str, **times: Any) -> PlanningJob:
    job = PlanningJob.objects.create(
        kind="plan",
        parameters={"starts_on": START.isoformat(), "years": 1},
        time_limit=4,
        status=status,
    )
    PlanningJob.objects.filter(pk=job.pk).update(**times)  # created_at is auto_now_add
    job.refresh_from_db()
    return job


def test_a_job_left_running_by_a_killed_process_blocks_planning_a_minute_at_most(
    small, national_lead: Client, django_capture_on_commit_callbacks
) -> None:
    from django.utils import timezone

    now = timezone.now()
    # Heard from 20 seconds ago: alive, and planning waits for it.
    started = now - timedelta(minutes=5)  # past its time limit of 4 s
    alive = _job(JobStatus.RUNNING, started_at=started, heartbeat_at=now - timedelta(seconds=20))
    with django_capture_on_commit_callbacks(execute=False):
        _, refused = _plan(national_lead)
    assert refused.status_code == 422
    assert PlanningJob.objects.count() == 1
    # Its process was killed: no heartbeat for two minutes (past STALE_AFTER, 60 s).
    PlanningJob.objects.filter(pk=alive.pk).update(heartbeat_at=now - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=False):
        job, response = _plan(national_lead)
    assert job is not None
    assert job.pk != alive.pk
    assert response["Location"] == f"/programme/jobs/{job.pk}/"
    alive.refresh_from_db()
    assert alive.status == JobStatus.FAILED
    page = national_lead.get(f"/programme/jobs/{alive.pk}/").content.decode()
    assert "Why there is no programme" in page
    assert "not heard from for more than 60 seconds past its time limit" in page
    # A silent solver within its time limit is not taken for a stopped worker.
    PlanningJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now - timedelta(minutes=2)
    )
    PlanningJob.objects.filter(pk=job.pk).update(time_limit=600)
    assert tasks.jobs_reap() == 0


def test_a_job_left_queued_with_no_worker_is_failed_when_the_next_plan_is_asked_for(
    small, national_lead: Client, django_capture_on_commit_callbacks
) -> None:
    from django.utils import timezone

    # No task worker is running: nothing will ever run it.
    stuck = _job(JobStatus.QUEUED, created_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=False):
        job, response = _plan(national_lead)
    assert job is not None
    assert job.pk != stuck.pk
    assert response["Location"] == f"/programme/jobs/{job.pk}/"
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED
    assert stuck.finished_at is not None
    page = national_lead.get(f"/programme/jobs/{stuck.pk}/").content.decode()
    assert "Why there is no programme" in page
    assert "no task worker took it up within 10 minutes" in page
    assert national_lead.get(f"/api/programme/jobs/{stuck.pk}/").json()["status"] == "failed"


def test_the_api_queues_a_plan_and_refuses_a_second_or_a_wrong_field(
    small, national_lead: Client, django_capture_on_commit_callbacks
) -> None:
    url = "/api/programme/jobs/"
    body = {"starts_on": START.isoformat(), "years": 1, "time_limit": 5}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = national_lead.post(url, body, content_type="application/json")
    assert started.status_code == 202, started.content
    data = started.json()
    assert data["status"] == "queued"
    assert data["parameters"] == {"starts_on": START.isoformat(), "years": 1}
    assert len(queued) == 1
    busy = national_lead.post(url, body, content_type="application/json")
    assert busy.status_code == 409
    assert "is still running" in busy.json()["errors"][0]
    wrong = national_lead.post(
        url,
        {**body, "starts_on": "next summer", "time_limit": 9999},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    errors = wrong.json()["errors"]
    assert "Start of the programme: Enter a valid date." in errors
    assert any(e.startswith("Time limit for the solver (seconds):") for e in errors)
    assert PlanningJob.objects.count() == 1
    national_lead.logout()
    assert national_lead.post(url, body, content_type="application/json").status_code == 401
