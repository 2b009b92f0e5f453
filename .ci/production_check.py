"""The production-like check: ECM Inspect as a national inspectorate runs it, on this machine.

    .venv/bin/python .ci/production_check.py

gunicorn with production settings and two RQ task workers on Redis, on a fresh PostgreSQL
database (the real areas, the Framework and the synthetic workforce). Signs in through the web
as a national lead (password and backup code), queues a plan of the programme through the web
API, kills the worker running it (its whole process group, as a machine that dies) part way,
and checks that the job is then failed with the reason, never left "running"; queues it again
and checks the other worker finishes it with a version; checks the health endpoints. Prints
each step with its time; exits 1 at the first thing that does not hold. Everything it starts is
stopped, and its database and Redis keys are dropped, whatever happens.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_BASE = os.environ.get("PG_URL_BASE", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("PRODUCTION_CHECK_REDIS_URL", "redis://127.0.0.1:6379/7")
PASSWORD = "correct horse battery staple"  # noqa: S105 (the test world's, a throwaway)
STARTS_ON = date(2026, 9, 1)
KILLED_TIME_LIMIT = 30  # seconds: long enough to be killed part way
FINISHED_TIME_LIMIT = 90
STALE_SECONDS = 5


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_for(what: str, seconds: float, probe: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise CheckFailed(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_create(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def world_make() -> dict[str, Any]:
    """Migrate, then the world: a joint area review of Gateshead with every judgement recorded
    and signed off, accuracy comments closed, ready to publish (as the publication tests make
    it), then the real 153 areas and the synthetic workforce for a programme. Returns the
    review's id and the usernames (each signs in with the test world's backup code)."""
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from ecm_inspect.accounts.models import Role
    from ecm_inspect.accounts.tests.world import world_build
    from ecm_inspect.framework.services import framework_load
    from ecm_inspect.programme.services import workforce_generate
    from ecm_inspect.registry.services import areas_load
    from ecm_inspect.reports.models import Recommendation
    from ecm_inspect.reports.tests.test_reports import _ready
    from ecm_inspect.reviews.models import NoMoreComments, Review, Stage
    from ecm_inspect.reviews.services import national_themes_ensure, review_advance
    from ecm_inspect.reviews.tests.conftest import (
        ReviewWorld,
        inspector_make,
        review_make,
        team_set,
    )

    call_command("migrate", verbosity=0)
    framework_load()
    people = world_build()
    national_themes_ensure()
    pool = [
        inspector_make("Lena Leader", "OFSTED", people.users[Role.REVIEW_TEAM_LEADER]),
        inspector_make("Team Inspector", "OFSTED", people.users[Role.INSPECTOR]),
        *[inspector_make(f"Ofsted Inspector {n}", "OFSTED") for n in range(1, 5)],
        *[inspector_make(f"CSCI Inspector {n}", "CSCI") for n in range(1, 6)],
    ]
    rw = ReviewWorld(people, pool, review_make(people))
    team_set(rw)
    review_advance(review=rw.review, to=Stage.NOTIFIED, confirmed=True)
    _ready(rw)
    Recommendation.objects.create(
        review=rw.review, text="act on referrals", body="The council", priority="immediately"
    )
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.FINDINGS_MEETING_HELD)
    NoMoreComments.objects.create(review=rw.review, said_by=people.users[Role.DCS])
    areas_load()
    workforce_generate(seed=2, start=STARTS_ON, years=3)
    return {
        "review": rw.review.pk,
        "national_lead": people.users[Role.NATIONAL_LEAD].username,
        "leader": people.users[Role.REVIEW_TEAM_LEADER].username,
    }


def publication_pdf(review_id: int) -> bytes | None:
    """The stored PDF of the review's publication, once a worker has printed it."""
    from ecm_inspect.reports.models import Publication

    publication = Publication.objects.filter(review_id=review_id).first()
    if publication is None or not publication.pdf:
        return None
    with publication.pdf.open("rb") as stored:
        return bytes(stored.read())


class Browser:
    """A web client that keeps its own cookies and follows redirects itself: production
    cookies are Secure, and this check talks plain HTTP to gunicorn on loopback, as the
    TLS-terminating proxy in front of it would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        import requests

        url = self.base + path
        for _ in range(10):
            headers = {
                **kwargs.pop("headers", {}),
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
            }
            response = requests.request(
                method, url, headers=headers, allow_redirects=False, timeout=30, **kwargs
            )
            for cookie in response.cookies:
                self.cookies[cookie.name] = str(cookie.value)
            if response.status_code not in (301, 302, 303):
                return response
            url = self.base + response.headers["Location"].removeprefix(self.base)
            method, kwargs = "GET", {}
        raise CheckFailed(f"{path}: too many redirects")

    def get(self, path: str) -> Any:
        return self._send("GET", path)

    def post(self, path: str, data: dict[str, Any], *, as_json: bool = False) -> Any:
        if as_json:
            return self._send("POST", path, json=data)
        csrf = self.cookies.get("csrftoken", "")
        return self._send("POST", path, data={**data, "csrfmiddlewaretoken": csrf})

    def sign_in(self, username: str, code: str = "12345678") -> None:
        self.get("/sign-in/")
        first = self.post("/sign-in/", {"username": username, "password": PASSWORD})
        if "/two-factor/" not in first.url:  # the page it was redirected to
            raise CheckFailed(f"sign-in: expected the security-code page, got {first.url}")
        second = self.post("/sign-in/two-factor/", {"code": code})
        if second.status_code != 200 or "two-factor" in second.url:
            raise CheckFailed(f"sign-in: the backup code was refused ({second.status_code})")


def job(browser: Browser, job_id: int) -> dict[str, Any]:
    response = browser.get(f"/api/programme/jobs/{job_id}/")
    if response.status_code != 200:
        raise CheckFailed(f"GET job {job_id}: {response.status_code} {response.text[:200]}")
    return dict(response.json())


def plan_queue(browser: Browser, time_limit: int) -> int:
    body = {"starts_on": STARTS_ON.isoformat(), "years": 3, "time_limit": time_limit}
    response = browser.post("/api/programme/jobs/", body, as_json=True)
    if response.status_code != 202:
        raise CheckFailed(f"queueing a plan: {response.status_code} {response.text[:300]}")
    return int(response.json()["id"])


def emails_undelivered(browser: Browser) -> None:
    """With the mail server down, every message queued (the review's notification, the draft
    and publication messages) is kept, was tried twice (the second attempt deferred, so moved
    onto the queue by a worker's RQ scheduler) and is listed for the national lead."""
    from ecm_inspect.core.models import EmailStatus, OutgoingEmail

    emails = list(OutgoingEmail.objects.all())
    if not emails:
        raise CheckFailed("no e-mail was queued by publishing a review")

    def settled() -> bool:
        return all(
            e.status == EmailStatus.FAILED for e in OutgoingEmail.objects.filter(sent_at=None)
        )

    wait_for("every e-mail tried twice and marked undelivered", 60, settled)
    tries = sorted({e.attempts for e in OutgoingEmail.objects.all()})
    if tries != [2]:
        raise CheckFailed(f"e-mails were tried {tries} times, not twice")
    page = browser.get("/national/email/")
    shown = page.text.count("not delivered</a>")
    if page.status_code != 200 or shown != len(emails):
        raise CheckFailed(f"/national/email/ lists {shown} of {len(emails)} undelivered e-mails")
    say(
        f"mail server down: {len(emails)} e-mail{'s' if len(emails) != 1 else ''} kept, each "
        "tried twice (the retry deferred through the RQ scheduler), all listed as undelivered "
        "for the national lead"
    )


def process_tree(pid: int) -> list[int]:
    """`pid` and every process descended from it (RQ's work horse runs in a session of its
    own, so the worker's process group does not hold it)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        found = todo.pop()
        tree.append(found)
        todo.extend(children.get(found, []))
    return tree


def worker_running(job_id: int) -> int | None:
    """The pid of the RQ worker whose current task is planning job `job_id`."""
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(REDIS_URL)
    for worker in Worker.all(connection=connection):
        current = worker.get_current_job()
        if current is not None and list(current.args) == [job_id]:
            return int(worker.pid)
    return None


def main() -> int:
    started = time.monotonic()
    name = f"ecm_production_check_{os.getpid()}"
    var = Path(tempfile.mkdtemp(prefix="ecm-production-check-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecm_inspect.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": f"{PG_BASE}/{name}",
        "ECM_TASKS": "rq",
        "REDIS_URL": REDIS_URL,
        "ECM_VAR_DIR": str(var),
        "ECM_MEDIA_DIR": str(var / "media"),
        "ECM_PROGRAMME_JOB_STALE_SECONDS": str(STALE_SECONDS),
        "ECM_LOG_LEVEL": "WARNING",
        # The mail server is down (a closed port): every message must be kept, tried again by
        # the RQ scheduler after 2 s, and shown as undelivered after its second attempt.
        "ECM_EMAIL_URL": f"smtp://127.0.0.1:{free_port()}",
        "ECM_EMAIL_ATTEMPTS": "2",
        "ECM_EMAIL_RETRY_SECONDS": "2",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PYTHONPATH": str(ROOT / "src"),
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs = var / "logs"
    logs.mkdir()

    def start(label: str, command: list[str]) -> subprocess.Popen[bytes]:
        out = (logs / f"{label}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole, horse and all
        )
        processes[label] = process
        return process

    try:
        say(f"database {name}, Redis {REDIS_URL}, files in {var}")
        database_create(name)
        os.environ.update(env)
        from redis import Redis

        Redis.from_url(REDIS_URL).flushdb()
        world = world_make()
        say(
            "migrated; a review ready to publish, the Framework, 153 areas and the synthetic "
            "workforce loaded"
        )
        start(
            "web",
            [str(BIN / "gunicorn"), "--config", str(ROOT / "src/ecm_inspect/config/gunicorn.py"),
             "ecm_inspect.config.wsgi"],
        )  # fmt: skip
        worker = [
            str(BIN / "ecm"), "rqworker", "default", "--with-scheduler", "--job-class",
            "django_tasks_rq.Job",
        ]  # fmt: skip
        start("worker-1", worker)
        start("worker-2", worker)
        base = f"http://127.0.0.1:{port}"
        browser = Browser(base)

        def up() -> bool:
            try:
                return bool(browser.get("/sign-in/").status_code == 200)
            except OSError:
                return False

        wait_for("gunicorn answering", 60, up)
        for path in ("/healthz", "/readyz"):
            health = browser.get(path)
            if health.status_code != 200:
                raise CheckFailed(f"{path}: {health.status_code} {health.text[:300]}")
            say(f"{path}: 200 {health.text[:200]}")

        # A report published through the web: its PDF printed by a worker, into storage.
        leader = Browser(base)
        leader.sign_in(world["leader"])
        review = world["review"]
        confirm = leader.get(f"/reviews/{review}/confirm/published/")
        if confirm.status_code != 200 or "Confirm: publish the report" not in confirm.text:
            raise CheckFailed(f"the publication's confirmation page: {confirm.status_code}")
        published = leader.post(
            f"/reviews/{review}/advance/", {"to": "published", "confirmed": "on"}
        )
        if "The review is now in published" not in published.text:
            raise CheckFailed(f"publishing through the web: {published.status_code}")
        stored = wait_for("the report's PDF in storage", 120, lambda: publication_pdf(review))
        public = Browser(base).get(f"/reports/{review}/report.pdf")
        if public.status_code != 200 or public.content != stored:
            raise CheckFailed(f"the public PDF is not the stored one: {public.status_code}")
        say(
            f"published through the web; its PDF ({len(stored):,} bytes) printed by a worker "
            "into storage and served from there"
        )

        browser.sign_in(world["national_lead"])
        say("signed in through the web as a national lead (password and backup code)")

        first = plan_queue(browser, KILLED_TIME_LIMIT)
        say(f"queued planning job {first} through the API ({KILLED_TIME_LIMIT} s limit)")
        wait_for(f"job {first} running", 60, lambda: job(browser, first)["status"] == "running")
        pid = wait_for(f"the worker running job {first}", 30, lambda: worker_running(first))
        label = next(k for k, p in processes.items() if p.pid == pid)
        time.sleep(3)
        tree = process_tree(pid)
        for each in tree:
            os.kill(each, signal.SIGKILL)
        processes[label].wait(10)
        say(f"killed {label} and its work horse (pids {tree}) while job {first} ran")
        # Failed with the reason once its time limit and the silence allowed have passed.
        settled = wait_for(
            f"job {first} no longer running",
            KILLED_TIME_LIMIT + STALE_SECONDS + 60,
            lambda: (j := job(browser, first))["status"] not in {"queued", "running"} and j,
        )
        if settled["status"] == "failed":
            reasons = [r["constraint"] for r in settled["reasons"]]
            if "interrupted" not in reasons:
                raise CheckFailed(f"job {first} failed without the reason: {settled}")
            say(f"job {first} failed with the reason: {settled['reasons'][0]['detail'][:90]}...")
        elif settled["status"] != "done":
            raise CheckFailed(f"job {first}: {settled}")
        page = browser.get(f"/programme/jobs/{first}/")
        if page.status_code != 200 or "Refresh" in page.headers:
            raise CheckFailed(f"the page of job {first} still reloads as running")

        second = plan_queue(browser, FINISHED_TIME_LIMIT)
        say(f"queued it again as job {second} ({FINISHED_TIME_LIMIT} s limit)")
        done = wait_for(
            f"job {second} finished",
            FINISHED_TIME_LIMIT + 120,
            lambda: (j := job(browser, second))["status"] in {"done", "failed"} and j,
        )
        if done["status"] != "done" or not done["version"]:
            raise CheckFailed(f"job {second} did not finish with a version: {done}")
        say(f"job {second} done by the other worker: {done['message']}")
        emails_undelivered(browser)
        survivor = next(k for k, p in processes.items() if k.startswith("worker") and k != label)
        if processes[survivor].poll() is not None:
            raise CheckFailed(f"{survivor} stopped")
        say(f"production-like check passed in {time.monotonic() - started:.0f} s")
        return 0
    except CheckFailed as failure:
        say(f"FAIL: {failure}")
        for log in sorted(logs.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-30:]
            print(f"--- {log.name} (last lines)\n" + "\n".join(tail), flush=True)
        return 1
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 (Django may not have been set up)
            pass
        database_drop(name)
        try:
            from redis import Redis

            Redis.from_url(REDIS_URL).flushdb()
        except Exception:  # noqa: BLE001, S110
            pass


if __name__ == "__main__":
    sys.exit(main())
