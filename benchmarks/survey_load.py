"""Load test: 200 children answering the area survey at once, on loopback.

    .venv/bin/python benchmarks/survey_load.py [--users 200] [--seconds 90]

Builds a fresh PostgreSQL database (SURVEY_LOAD_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ecm_survey_load; SQLite is used if PostgreSQL is not
reachable) with an open survey of 15 schools, serves the app with gunicorn (2 workers x 16
threads, this machine's 2 cores) with the production settings and Redis (SURVEY_LOAD_REDIS_URL,
default redis://127.0.0.1:6379/8, flushed first; `--redis none` for the database cache) and
runs locust headless: USERS children, each answering the
whole survey with 5-15 s to read and answer each page, for SECONDS. Prints requests, failures
and the median and 95th-percentile time per page type and overall; exits 1 on any failure.
Bounded: locust stops after SECONDS and the server is stopped. Locust runs on the same two
cores as the server, so the figures include its own load.
"""

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _pg_url() -> str | None:
    url = os.environ.get(
        "SURVEY_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ecm_survey_load"
    )
    if not url.startswith("postgres"):
        return url
    try:
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return url
    except Exception:  # noqa: BLE001
        return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup(env: dict[str, str]) -> list[str]:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from ecm_inspect.accounts.models import User
    from ecm_inspect.framework.services import framework_load
    from ecm_inspect.registry.models import Area
    from ecm_inspect.registry.services import areas_load
    from ecm_inspect.reviews.models import Review
    from ecm_inspect.voices.services import survey_create, survey_open, survey_sample
    from ecm_inspect.voices.tests.conftest import frame_make

    call_command("migrate", verbosity=0)
    framework_load()
    areas_load()
    review = Review.objects.create(
        area=Area.objects.get(gss_code="E08000037"),
        analysis_starts_on=date(2026, 9, 14),
        dcs_name="Load test",
        dcs_email="dcs@example.org",
        is_synthetic=True,
    )
    contact = User.objects.create(username="contact", email="contact@example.org")
    survey = survey_create(
        review=review,
        opens_on=date(2020, 1, 1),
        closes_on=date(2099, 1, 1),
        safeguarding_contact=contact,
        seed=1,
    )
    survey_sample(survey=survey, size=15, frame=frame_make() + frame_make("7"))
    survey_open(survey=survey, by=None)
    return list(survey.schools.values_list("code", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument(
        "--redis",
        default=os.environ.get("SURVEY_LOAD_REDIS_URL", "redis://127.0.0.1:6379/8"),
        help="Redis for the cache, sessions and tasks; 'none' for the database instead.",
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ecm-bench-load-"))
    url = _pg_url() or f"sqlite:///{tmp}/load.sqlite3"
    # Production settings, as a national inspectorate runs them, on plain HTTP on loopback (a
    # TLS-terminating proxy's place): the HTTPS redirect is off; the locustfile sends the
    # Secure cookies back itself.
    import secrets

    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ecm_inspect.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "ECM_EMAIL_URL": "dummymail://",
        "ECM_LOG_LEVEL": "ERROR",
        "ECM_VAR_DIR": str(tmp),
    }
    if args.redis != "none":
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        env |= {"REDIS_URL": args.redis, "ECM_TASKS": "rq"}
    codes = setup(env)
    port = _free_port()
    server_env = {**os.environ, **env, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "ecm_inspect.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "16",
            "--worker-class",
            "gthread",
            "--keep-alive",
            "75",
            "--log-level",
            "warning",
        ],
        env=server_env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # Warm up both workers (templates compiled, connections open) before measuring.
        import urllib.request

        for n in range(40):
            code = codes[n % len(codes)]
            for path in (f"/s/{code}/", f"/s/{code}/secondary/{n % 6 + 1}/"):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:  # noqa: S310
                    r.read()
        locust_env = {**server_env, "SURVEY_CODES": ",".join(codes)}
        subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "survey_locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                "20",
                "--run-time",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(tmp / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            check=False,
            timeout=args.seconds + 120,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    with (tmp / "load_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    database += " and Redis" if args.redis != "none" else ""
    print(
        f"\n{args.users} children for {args.seconds} s, production settings on {database}, "
        "gunicorn 2x16 threads:"
    )
    print(f"{'page':<14}{'requests':>10}{'failures':>10}{'median ms':>11}{'p95 ms':>9}")
    failures = 0
    for row in rows:
        print(
            f"{row['Name']:<14}{row['Request Count']:>10}{row['Failure Count']:>10}"
            f"{float(row['Median Response Time']):>11.0f}{float(row['95%']):>9.0f}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    from ecm_inspect.voices.models import Response

    sent = Response.objects.filter(submitted_on__isnull=False).count()
    print(f"Surveys sent: {sent}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
