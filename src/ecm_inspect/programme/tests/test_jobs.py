"""Planning from the web in the background: the request queues a job and returns at once, the
job runs in a thread (or `ecm programme work`), and its page and the API say where it has got
to and what came of it."""

import io
import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
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
    assert len(started) == 1  # the thread starts once the job is committed
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


def test_ecm_programme_work_runs_what_is_queued(small, national_lead: Client) -> None:
    job = PlanningJob.objects.create(
        kind="plan",
        parameters={"starts_on": START.isoformat(), "years": 1},
        time_limit=4,
    )
    out = io.StringIO()
    call_command("programme", "work", "--once", stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "1 jobs run." in out.getvalue()


def test_a_running_job_not_heard_from_is_marked_failed(small) -> None:
    from django.utils import timezone

    job = PlanningJob.objects.create(
        kind="plan",
        parameters={"starts_on": START.isoformat(), "years": 1},
        time_limit=4,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - tasks.STALE_AFTER * 2,
    )
    assert tasks.jobs_reap() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Interrupted" in job.message


@pytest.mark.django_db(transaction=True)
def test_the_job_runs_in_a_thread_while_the_page_reports_it(
    small, national_lead: Client, monkeypatch
) -> None:
    """End to end with a real thread: the request returns while the solver is still held back,
    the job reports progress, then finishes with a version."""
    go = threading.Event()
    real = tasks.programme_plan

    def held_back(**kwargs):  # the solve waits for the test, so the request cannot
        kwargs["progress"]("weeks", 0.1, 1234.0, 1000.0)
        assert go.wait(30)
        return real(**kwargs)

    monkeypatch.setattr(tasks, "programme_plan", held_back)
    monkeypatch.setattr(tasks, "REPORT_EVERY", 0.1)
    job, response = _plan(national_lead)
    assert job is not None
    assert response.status_code == 302
    thread = next(t for t in threading.enumerate() if t.name == f"programme-job-{job.pk}")
    deadline = time.monotonic() + 20
    while (
        "best objective 1,234"
        not in national_lead.get(f"/api/programme/jobs/{job.pk}/").json()["message"]
    ):
        assert time.monotonic() < deadline, "no progress reported"
        time.sleep(0.1)
    data = national_lead.get(f"/api/programme/jobs/{job.pk}/").json()
    assert data["status"] == "running"
    assert 0 <= data["progress"] < 100
    go.set()
    thread.join(30)
    assert not thread.is_alive()
    data = national_lead.get(f"/api/programme/jobs/{job.pk}/").json()
    assert data["status"] == "done", data
    assert data["version"] is not None


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
    alive = _job(JobStatus.RUNNING, started_at=now, heartbeat_at=now - timedelta(seconds=20))
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
    assert "not heard from for more than 60 seconds" in page


def test_a_job_left_queued_with_no_worker_is_failed_when_the_next_plan_is_asked_for(
    small, national_lead: Client, django_capture_on_commit_callbacks
) -> None:
    from django.utils import timezone

    # The web process stopped before its thread claimed the job: nothing will ever run it.
    stuck = _job(JobStatus.QUEUED, created_at=timezone.now() - timedelta(minutes=10))
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
    assert "no process took it up within 60 seconds" in page
    assert national_lead.get(f"/api/programme/jobs/{stuck.pk}/").json()["status"] == "failed"


def test_ecm_programme_work_still_runs_an_old_queued_job(small) -> None:
    """The worker is the process that takes up what was left queued: it does not fail it."""
    from django.utils import timezone

    old = _job(JobStatus.QUEUED, created_at=timezone.now() - timedelta(minutes=10))
    call_command("programme", "work", "--once", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.status == JobStatus.DONE


def test_the_worker_stops_when_asked_and_leaves_the_queue_alone(small) -> None:
    """`ecm programme work` runs until stopped (SIGTERM or Ctrl-C set its event): asked to stop,
    it returns without taking up a job or waiting out its poll."""
    job = PlanningJob.objects.create(
        kind="plan", parameters={"starts_on": START.isoformat(), "years": 1}, time_limit=4
    )
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    assert tasks.jobs_work(stop=stop, poll=60) == 0
    assert time.monotonic() - started < 30
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


@pytest.mark.django_db
def test_the_idle_worker_wakes_from_its_poll_to_stop() -> None:
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    assert tasks.jobs_work(stop=stop, poll=60) == 0
    assert time.monotonic() - started < 30
