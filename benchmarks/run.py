"""Benchmarks of ECM Inspect, run on demand (`make bench`); figures go in docs/performance.md.

Each figure is the median of N runs, reported with a baseline measured in the same run, because
these machines are noisy. Uses a fresh SQLite database in a temporary folder unless
DATABASE_URL is set.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
# (variable that leaves it out, script): a national-sized registry import on SQLite and
# PostgreSQL; the APA for 150 areas x 5 years x 100 indicators; pooling setting inspections for
# every area; rendering the PDF of a full report; the national programme of reviews by CP-SAT
# at 10, 60 and 120 s against the greedy baseline; 200 children answering the survey at once;
# drawing the largest charts with the chart kit.
SCRIPTS = [
    ("BENCH_SKIP_IMPORT", "registry_import.py"),
    ("BENCH_SKIP_APA", "apa_run.py"),
    ("BENCH_SKIP_POOL", "provision_pool.py"),
    ("BENCH_SKIP_REPORT", "report_render.py"),
    ("BENCH_SKIP_PROGRAMME", "programme_plan.py"),
    ("BENCH_SKIP_RISK", "risk_model.py"),
    ("BENCH_SKIP_SURVEY_LOAD", "survey_load.py"),
    ("BENCH_SKIP_CHARTS", "chart_drawing.py"),
]


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="ecm-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecm_inspect.config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from ecm_inspect.framework.models import FrameworkVersion
    from ecm_inspect.framework.services import framework_load

    call_command("migrate", verbosity=0)

    def fresh_load() -> None:
        FrameworkVersion.objects.all().delete()
        from ecm_inspect.framework.models import ProviderKind

        ProviderKind.objects.all().delete()
        framework_load()

    rows = []
    load = median_ms(fresh_load, runs=5)
    reload = median_ms(framework_load)
    rows.append(("framework_load() into an empty catalogue", load, "-", "-"))
    rows.append(("framework_load() again, nothing changed", reload, "first load", load / reload))

    client = Client(SERVER_NAME="localhost")

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    baseline = median_ms(lambda: get("/accessibility/"))
    for path in [
        "/framework/",
        "/framework/outcomes/SS/",
        "/framework/relevance/",
        "/api/framework/",
        "/api/framework/export/",
    ]:
        ms = median_ms(lambda p=path: get(p))
        rows.append((f"GET {path}", ms, "GET /accessibility/ (static page)", ms / baseline))
    rows.insert(2, ("GET /accessibility/ (baseline)", baseline, "-", "-"))

    print(f"{'what':48} {'median ms':>10}  ratio to baseline")
    for what, ms, base, ratio in rows:
        ratio_text = f"{ratio:.1f}x {base}" if isinstance(ratio, float) else ""
        print(f"{what:48} {ms:10.1f}  {ratio_text}")
    sys.stdout.flush()

    # The other benchmarks, each in its own processes (Django binds one database per process);
    # several minutes in all. Setting its variable to 1 leaves one out.
    here = os.path.dirname(os.path.abspath(__file__))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    for skip, script in SCRIPTS:
        path = os.path.join(here, script)
        if os.environ.get(skip) or not os.path.exists(path):
            continue
        print()
        sys.stdout.flush()
        subprocess.run([sys.executable, path], env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
