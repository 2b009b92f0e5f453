"""Benchmark of pooling setting-inspection evidence for every area at national volume.

    .venv/bin/python benchmarks/provision_pool.py [--runs 3] [--per-area 120]

Builds a fresh SQLite database (or DATABASE_URL) with the Framework, the ten inspectorates and
the 153 real areas, then generates (seeded, synthetic) providers in every area (children's
homes, special, secondary and primary schools, children's centres), four published
inspections each between 2019 and 2026, and a graded judgement on every key judgement the
relevance matrix allows the lead body for the provider's kind: about 1.3 million judgements
with the default sizes. Then, as medians of RUNS runs in this one process, one of each in
turn:

- `areas_pool()` for every area (the product: distribution, recency, children covered,
  conflicts, not judged, coverage gaps, vulnerable groups, outcomes);
- the limit: one hand-written SQL query on the same database computing the heavy part of the
  same aggregation (each provider's latest finding per key judgement, grouped by area, key
  judgement and grade with counts, newest and oldest dates, stale findings and children
  covered; and the conflicting recent findings).

Target (issue 5): the pooling within 2x of the hand-written query. Figures go in
docs/performance.md.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = datetime.date(2026, 6, 1)
RECENT_SINCE = datetime.date(2023, 6, 1)
# (kind, lead inspectorate, share of providers)
MIX = [
    ("childrens_home", "CSCI", 0.35),
    ("special_school", "OFSTED", 0.15),
    ("secondary_school", "OFSTED", 0.2),
    ("primary_school", "OFSTED", 0.25),
    ("childrens_centre", "OFSTED", 0.05),
]
INSPECTIONS_PER_PROVIDER = 4

SQL = """
WITH ranked AS (
    SELECT p.area_id, j.key_judgement_id AS kj, j.grade, i.ends_on, ip.children,
           ROW_NUMBER() OVER (
               PARTITION BY j.provider_id, j.key_judgement_id
               ORDER BY i.ends_on DESC, j.id DESC
           ) AS rn
    FROM provision_judgement j
    JOIN provision_settinginspection i ON i.id = j.inspection_id
    JOIN registry_provider p ON p.id = j.provider_id
    LEFT JOIN provision_inspectedprovider ip
        ON ip.inspection_id = j.inspection_id AND ip.provider_id = j.provider_id
    WHERE j.grade IS NOT NULL
),
latest AS (
    SELECT area_id, kj, grade, COUNT(*) AS n, MAX(ends_on) AS newest, MIN(ends_on) AS oldest,
           SUM(CASE WHEN ends_on < %(recent)s THEN 1 ELSE 0 END) AS stale,
           SUM(children) AS children
    FROM ranked WHERE rn = 1
    GROUP BY area_id, kj, grade
),
conflicts AS (
    SELECT p.area_id, j.key_judgement_id AS kj, j.provider_id,
           MIN(j.grade) AS lowest, MAX(j.grade) AS highest
    FROM provision_judgement j
    JOIN provision_settinginspection i ON i.id = j.inspection_id
    JOIN registry_provider p ON p.id = j.provider_id
    WHERE j.grade IS NOT NULL AND i.ends_on >= %(recent)s
    GROUP BY p.area_id, j.key_judgement_id, j.provider_id
    HAVING MAX(j.grade) - MIN(j.grade) >= 2
)
SELECT 'latest', area_id, kj, grade, n, newest, oldest, stale, children FROM latest
UNION ALL
SELECT 'conflict', area_id, kj, provider_id, lowest, NULL, NULL, highest, NULL FROM conflicts
"""


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def generate(per_area: int) -> int:
    from django.db import transaction

    from ecm_inspect.framework.grades import Grade
    from ecm_inspect.framework.models import KeyJudgement, ProviderKind, Relevance
    from ecm_inspect.provision.models import (
        InspectedProvider,
        InspectionStatus,
        Judgement,
        SettingInspection,
    )
    from ecm_inspect.registry.models import Area, Inspectorate, Provider

    rng = random.Random(2005)  # noqa: S311 (synthetic benchmark data)
    kinds = dict(ProviderKind.objects.values_list("code", "pk"))
    bodies = dict(Inspectorate.objects.values_list("code", "pk"))
    kj_ids = set(KeyJudgement.objects.values_list("pk", flat=True))
    relevant: dict[tuple[int, str], list[int]] = {}
    for kind_id, body, kj_id in Relevance.objects.values_list(
        "provider_kind_id", "inspectorate", "key_judgement_id"
    ):
        if kj_id in kj_ids:
            relevant.setdefault((kind_id, body), []).append(kj_id)
    grades = [
        Grade.OUTSTANDING,
        Grade.GOOD,
        Grade.GOOD,
        Grade.GOOD,
        Grade.ADEQUATE,
        Grade.INADEQUATE,
    ]
    start = datetime.date(2019, 1, 1).toordinal()
    span = AS_OF.toordinal() - start
    with transaction.atomic():
        providers = []
        for area in Area.objects.all():
            for m, (kind, body, share) in enumerate(MIX):
                for n in range(round(per_area * share)):
                    providers.append(
                        Provider(
                            urn=f"B{area.la_code}-{m}-{n}",
                            name=f"Synthetic {kind} {n} ({area.name})",
                            kind_id=kinds[kind],
                            area=area,
                            source=body,  # the lead body, for the generator only
                        )
                    )
        Provider.objects.bulk_create(providers, batch_size=5000)
        providers = list(Provider.objects.filter(urn__startswith="B"))
        inspections = []
        for p in providers:
            for _ in range(INSPECTIONS_PER_PROVIDER):
                day = datetime.date.fromordinal(start + rng.randrange(span))
                inspections.append(
                    SettingInspection(
                        lead_inspectorate_id=bodies[p.source],
                        status=InspectionStatus.PUBLISHED,
                        starts_on=day,
                        ends_on=day,
                        statutory_framework="benchmark",
                        source="benchmark",
                        source_reference=f"{p.urn}-{len(inspections)}",
                    )
                )
        SettingInspection.objects.bulk_create(inspections, batch_size=5000)
        refs = dict(
            SettingInspection.objects.filter(source="benchmark").values_list(
                "source_reference", "pk"
            )
        )
        covered = []
        judgements = []
        index = 0
        total = 0
        for p in providers:
            codes = relevant.get((p.kind_id, p.source), [])
            for _ in range(INSPECTIONS_PER_PROVIDER):
                inspection_id = refs[f"{p.urn}-{index}"]
                index += 1
                covered.append(
                    InspectedProvider(
                        inspection_id=inspection_id,
                        provider_id=p.pk,
                        children=rng.randrange(2, 1500),
                    )
                )
                for kj_id in codes:
                    judgements.append(
                        Judgement(
                            inspection_id=inspection_id,
                            provider_id=p.pk,
                            inspectorate_id=bodies[p.source],
                            key_judgement_id=kj_id,
                            grade=rng.choice(grades),
                        )
                    )
                if len(judgements) >= 50_000:
                    Judgement.objects.bulk_create(judgements, batch_size=5000)
                    total += len(judgements)
                    judgements = []
        Judgement.objects.bulk_create(judgements, batch_size=5000)
        total += len(judgements)
        InspectedProvider.objects.bulk_create(covered, batch_size=5000)
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    parser.add_argument("--per-area", type=int, default=120)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ecm-bench-pool-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecm_inspect.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ecm_inspect.framework.services import framework_load
    from ecm_inspect.provision.selectors import areas_pool
    from ecm_inspect.registry.services import areas_load, inspectorates_load

    call_command("migrate", verbosity=0)
    framework_load()
    inspectorates_load()
    areas_load()
    from ecm_inspect.provision.models import Judgement

    started = time.perf_counter()
    if Judgement.objects.filter(inspection__source="benchmark").exists():
        # DATABASE_URL names a database this benchmark already filled: measure it again.
        total = Judgement.objects.count()
        print(f"{connection.vendor}: {total:,} judgements already generated")
    else:
        total = generate(args.per_area)
        print(
            f"{connection.vendor}: generated {total:,} judgements in 153 areas "
            f"in {time.perf_counter() - started:.0f} s"
        )
    # Table statistics for the query planner, on both databases (PostgreSQL's autovacuum would
    # gather them in time; SQLite only when asked). Without them SQLite takes the index on an
    # inspection's status for a selective one and reads the judgements inspection by inspection.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    result: dict[str, object] = {}

    def pool() -> None:
        result["pool"] = areas_pool(as_of=AS_OF)

    def sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(SQL, {"recent": RECENT_SINCE})
            result["sql"] = cursor.fetchall()

    # Alternately, so that a change in the machine's load falls on both.
    pool_times, sql_times = [], []
    for _ in range(args.runs):
        pool_times.append(timed(pool))
        sql_times.append(timed(sql))
    # The two agree: the same number of latest findings and of conflicts.
    pools = result["pool"].values()  # type: ignore[attr-defined]
    rows = result["sql"]
    findings = sum(kj.providers_judged for p in pools for kj in p.key_judgements)
    conflicts = sum(len(kj.conflicts) for p in pools for kj in p.key_judgements)
    assert findings == sum(r[4] for r in rows if r[0] == "latest"), "latest findings differ"  # type: ignore[attr-defined]
    assert conflicts == sum(1 for r in rows if r[0] == "conflict"), "conflicts differ"  # type: ignore[attr-defined]
    pool_s, sql_s = statistics.median(pool_times), statistics.median(sql_times)
    print(f"  latest findings {findings:,}, conflicts {conflicts:,}")
    print(f"  areas_pool() for every area      {pool_s:8.2f} s (median of {args.runs})")
    print(f"  one hand-written SQL query        {sql_s:8.2f} s (median of {args.runs})")
    print(f"  ratio                             {pool_s / sql_s:8.2f}x (target: within 2x)")


if __name__ == "__main__":
    main()
