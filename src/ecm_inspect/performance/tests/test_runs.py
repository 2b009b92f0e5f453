"""The APA of every area asked for on the web: the request queues a task and returns at once;
a task worker runs it and the run's page follows it; one run of a year at a time."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, client_for
from ecm_inspect.performance.models import AssessmentJudgement, AssessmentRun, RunStatus
from ecm_inspect.performance.tasks import STALE_AFTER, assessment_run_task
from ecm_inspect.performance.tests.test_apa import YEAR, world  # noqa: F401 (the fixture)


def test_the_national_lead_queues_the_apa_and_its_page_follows_it(
    world: World,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    lead = client_for(world.users[Role.NATIONAL_LEAD])
    listing = lead.get(f"/apa/?year={YEAR}").content.decode()
    assert f"Propose the {YEAR} judgements for every area" in listing
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = lead.post("/apa/runs/", {"year": YEAR})
    run = AssessmentRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/apa/runs/{run.pk}/"
    assert len(queued) == 1  # the task, once the row commits
    assert not AssessmentJudgement.objects.exists()  # nothing ran in the request
    page = lead.get(f"/apa/runs/{run.pk}/")
    assert page["Refresh"] == "5"
    assert "Queued" in page.content.decode()
    # One run of a year at a time.
    again = lead.post("/apa/runs/", {"year": YEAR}, follow=True).content.decode()
    assert f"The APA of {YEAR} is already being run: wait for it to finish." in again
    assert AssessmentRun.objects.count() == 1

    assert "Judgements proposed for 4 areas" in assessment_run_task.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert (run.areas_done, run.areas_total, run.percent) == (4, 4, 100)
    assert AssessmentJudgement.objects.filter(assessment__year=YEAR).count() == 4 * 8
    done = lead.get(f"/apa/runs/{run.pk}/")
    assert "Refresh" not in done
    assert "Judgements proposed for 4 areas" in done.content.decode()
    assert assessment_run_task.call(run.pk) == "not there to take"  # taken once only


def test_only_the_national_lead_runs_the_apa(world: World) -> None:  # noqa: F811
    inspector = client_for(world.users[Role.INSPECTOR])
    assert f"Propose the {YEAR}" not in inspector.get(f"/apa/?year={YEAR}").content.decode()
    assert inspector.post("/apa/runs/", {"year": YEAR}).status_code == 403
    run = AssessmentRun.objects.create(year=YEAR)
    assert inspector.get(f"/apa/runs/{run.pk}/").status_code == 403
    dcs = client_for(world.users[Role.DCS])
    assert dcs.post("/apa/runs/", {"year": YEAR}).status_code in (302, 403)
    assert AssessmentRun.objects.count() == 1


def test_a_wrong_year_is_an_error_and_queues_nothing(world: World) -> None:  # noqa: F811
    lead = client_for(world.users[Role.NATIONAL_LEAD])
    page = lead.post("/apa/runs/", {"year": "next"}, follow=True).content.decode()
    assert "Year: enter a year from" in page
    assert not AssessmentRun.objects.exists()


def test_the_database_holds_one_active_run_of_a_year(world: World) -> None:  # noqa: F811
    AssessmentRun.objects.create(year=YEAR, status=RunStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentRun.objects.create(year=YEAR)
    AssessmentRun.objects.create(year=YEAR - 1)  # another year may run
    AssessmentRun.objects.create(year=YEAR, status=RunStatus.DONE)


def test_a_run_whose_worker_stopped_reads_failed(world: World) -> None:  # noqa: F811
    lead = client_for(world.users[Role.NATIONAL_LEAD])
    run = AssessmentRun.objects.create(year=YEAR, status=RunStatus.RUNNING)
    long_ago = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    AssessmentRun.objects.filter(pk=run.pk).update(created_at=long_ago, heartbeat_at=long_ago)
    page = lead.get(f"/apa/runs/{run.pk}/")
    assert "Refresh" not in page
    assert "Interrupted: not heard from for ten minutes" in page.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
