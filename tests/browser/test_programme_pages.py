"""The programme's planning pages in a real browser: the index with its plan and re-plan forms,
a job running in the background (its progress bar) and a job that failed with its reasons;
no axe violations and nothing blocked by the Content-Security-Policy."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load
from ecm_inspect.programme.models import JobKind, JobStatus, PlanningJob

from .conftest import axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_planning_pages_and_jobs(live_server, page):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    lead = people.users[Role.NATIONAL_LEAD]
    running = PlanningJob.objects.create(
        kind=JobKind.PLAN,
        status=JobStatus.RUNNING,
        time_limit=60,
        progress=40,
        message="Stage 1: weeks for 153 areas",
        created_by=lead,
    )
    failed = PlanningJob.objects.create(
        kind=JobKind.REPLAN,
        status=JobStatus.FAILED,
        time_limit=60,
        progress=100,
        message="No programme",
        reasons=[
            {"constraint": "inspector available", "detail": "inspector 12 is on leave", "by": 1}
        ],
        created_by=lead,
    )
    base = live_server.url
    _sign_in(page, base, lead.username, "/programme/")
    assert axe_violations(page) == []
    page.goto(f"{base}/programme/jobs/{running.pk}/")
    assert page.locator("progress").count() == 1
    assert axe_violations(page) == []
    page.goto(f"{base}/programme/jobs/{failed.pk}/")
    assert "inspector 12 is on leave" in page.content()
    assert axe_violations(page) == []
    page.goto(f"{base}/programme/published/")
    assert axe_violations(page) == []
    assert page.js_errors == []
