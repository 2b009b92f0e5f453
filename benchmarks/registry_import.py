"""Benchmark of `ecm import providers` on a national-sized file, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/registry_import.py [--rows 100000] [--runs 3]

Generates a file of ROWS providers in Ofsted's real "as at 31 March" column format (the
real 2025 rows of the shipped national file, repeated with new URNs), then measures, each as
the median of RUNS runs in this one process:

- DuckDB `read_csv` of the file: the practical limit for parsing it;
- PostgreSQL `COPY` of the file into a table of its 39 columns: the limit for writing it;
- reading and checking every row as the import does, writing nothing: the import's own
  floor in Python;
- `providers_import` into an empty registry (every row created, with its history row), and
  again with nothing changed (every row compared, nothing written), on SQLite and PostgreSQL.

PostgreSQL is at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/ecm_bench; the
database is dropped and created); it is skipped if it cannot be reached. Each database runs in
its own process, because Django binds one database per process. Figures go in
docs/performance.md.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The national file, from the shared data folder beside the checkout (or BENCH_CSC_FILE).
NATIONAL = Path(
    os.environ.get(
        "BENCH_CSC_FILE",
        str(
            ROOT.parent
            / "shared/data/csc_providers/ofsted_csc_providers_as_at_31_march_2015_2025.csv"
        ),
    )
)
SHIPPED = ROOT / "src/ecm_inspect/registry/data/providers/ofsted_csc_providers_north_east_2025.csv"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/ecm_bench")
SNAPSHOT = "2025-03-31"


def generate(path: Path, rows: int) -> None:
    """ROWS rows of the real format: the latest snapshot's real rows, repeated, each with a
    new unique URN (SC and six digits, as Ofsted's). Falls back to the shipped regional file
    when the national one is not there."""
    source = NATIONAL if NATIONAL.is_file() else SHIPPED
    with source.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        real = [r for r in reader if r[0] == SNAPSHOT]
    urn = header.index("urn")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for n in range(rows):
            row = list(real[n % len(real)])
            row[urn] = f"SC{n:06d}"
            writer.writerow(row)


def median_s(
    fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def duckdb_read(path: Path, runs: int) -> float:
    import duckdb

    def read() -> None:
        # Every column parsed into an in-memory table (count(*) alone could skip the columns).
        con = duckdb.connect()
        sql = f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', all_varchar = true)"  # noqa: S608
        con.execute(sql)
        con.close()

    return median_s(read, runs)


def pg_copy(path: Path, runs: int) -> float:
    """COPY the file into a table of its columns (all text), as the limit for writing it."""
    import psycopg

    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    columns = ", ".join(f'"{c}" text' for c in header)
    with psycopg.connect(PG_URL, autocommit=True) as conn:

        def reset() -> None:
            conn.execute("DROP TABLE IF EXISTS bench_copy")
            conn.execute(f"CREATE TABLE bench_copy ({columns})")

        def copy() -> None:
            with conn.cursor() as cur, path.open("rb") as data:
                with cur.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as cp:
                    while chunk := data.read(1 << 20):
                        cp.write(chunk)

        result = median_s(copy, runs, before=reset)
        conn.execute("DROP TABLE bench_copy")
    return result


def pg_recreate() -> bool:
    import psycopg

    base, _, name = PG_URL.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL at {PG_URL} cannot be reached ({exc}); skipped.", file=sys.stderr)
        return False
    return True


def measure_import(path: Path, runs: int) -> dict[str, float]:
    """In a child process whose DATABASE_URL is set: import into an empty registry, then again."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecm_inspect.config.settings.test"
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from ecm_inspect.framework.services import framework_load
    from ecm_inspect.registry.imports import providers_import
    from ecm_inspect.registry.models import Provider
    from ecm_inspect.registry.services import areas_load

    call_command("migrate", verbosity=0)
    framework_load()
    areas_load()
    historical = apps.get_model("registry", "HistoricalProvider")

    def empty() -> None:
        # Plain DELETEs of the two tables: nothing else refers to a provider here, and the ORM's
        # cascade would visit every app's tables that could.
        with connection.cursor() as cursor:
            for model in (historical, Provider):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's table)

    results: dict[str, float] = {}
    created: list[int] = []

    def fresh() -> None:
        result = providers_import(path=path)
        created.append(result.created)

    results["import"] = median_s(fresh, runs, before=empty)
    results["created"] = created[-1]
    history_rows = historical.objects.count()
    assert history_rows == created[-1], "a created provider has no history row"
    results["reimport"] = median_s(lambda: providers_import(path=path), runs)
    assert historical.objects.count() == history_rows, "a re-import wrote history"
    results["read"] = median_s(lambda: read_and_check(path), runs)
    return results


def read_and_check(path: Path) -> int:
    """What the import does before writing: read the file and check every row (no database
    beyond loading the kinds and areas)."""
    from ecm_inspect.core.imports.errors import Problems
    from ecm_inspect.core.imports.reading import table_open
    from ecm_inspect.registry.imports.mapping import mapping_resolve
    from ecm_inspect.registry.imports.providers import _Parser

    table = table_open(path=path)
    mapping = mapping_resolve(applies_to="providers", header=table.header, path=path, given=None)
    parser = _Parser(mapping, table.header, Problems(path))
    return sum(parser.parse(n, row, SNAPSHOT) is not None for n, row in table.rows)


def child(database_url: str, path: Path, runs: int) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(  # noqa: S603 (this script, with this Python)
        [sys.executable, __file__, "--child", str(path), "--runs", str(runs)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"The import failed on {database_url}:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_ROWS", "100000")))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_IMPORT_RUNS", "3")))
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure_import(args.child, args.runs)))
        return

    tmp = Path(tempfile.mkdtemp(prefix="ecm-bench-import-"))
    path = tmp / f"ofsted_csc_providers_{args.rows}.csv"
    generate(path, args.rows)
    size_mb = path.stat().st_size / 1e6
    print(f"{path.name}: {args.rows:,} rows, {size_mb:.1f} MB; median of {args.runs} runs")

    rows = args.rows
    table: list[tuple[str, float]] = [
        ("DuckDB read_csv (parse only)", duckdb_read(path, args.runs))
    ]
    sqlite = child(f"sqlite:///{tmp}/bench.sqlite3", path, args.runs)
    table += [
        ("Python: read and check every row, no writes", sqlite["read"]),
        ("SQLite: ecm import providers, empty registry", sqlite["import"]),
        ("SQLite: ecm import providers again, no change", sqlite["reimport"]),
    ]
    copy_s = None
    pg: dict[str, float] = {}
    if pg_recreate():
        copy_s = pg_copy(path, args.runs)
        pg = child(PG_URL, path, args.runs)
        table += [
            ("PostgreSQL: COPY into a table of the file's columns", copy_s),
            ("PostgreSQL: ecm import providers, empty registry", pg["import"]),
            ("PostgreSQL: ecm import providers again, no change", pg["reimport"]),
        ]
    duck = table[0][1]
    print(f"{'what':52} {'median s':>9} {'rows/s':>10}  ratios (same run)")
    for what, seconds in table:
        ratios = [f"{seconds / duck:.1f}x DuckDB"]
        if copy_s is not None and what.startswith(("PostgreSQL", "Python")):
            ratios.append(f"{seconds / copy_s:.1f}x COPY")
        print(f"{what:52} {seconds:9.2f} {rows / seconds:10,.0f}  {', '.join(ratios)}")
    print(
        f"rows created by the import: {int(sqlite['created']):,} (the others are types the "
        "Framework does not name, e.g. supported accommodation, or Welsh councils)"
    )
    if copy_s is not None:
        for what, key in (("empty registry", "import"), ("again, no change", "reimport")):
            ratio = pg[key] / copy_s
            verdict = "within" if ratio <= 5 else "NOT within"
            print(f"PostgreSQL import, {what}: {ratio:.1f}x COPY ({verdict} the 5x target)")


if __name__ == "__main__":
    main()
