"""How the providers import writes: the same records, history and result on every database, a
bounded number of statements, the latest snapshot wherever it is in the file.

On PostgreSQL the import copies the rows into a temporary table and writes them with set-based
statements; elsewhere with the ORM's bulk statements. The comparison test runs both on
PostgreSQL and checks they leave the same providers and history rows.
"""

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecm_inspect.core.imports.common import CHUNK_ROWS
from ecm_inspect.registry.imports import ImportResult, providers_import
from ecm_inspect.registry.imports import providers as providers_module
from ecm_inspect.registry.imports.provider_writers import OrmWriter
from ecm_inspect.registry.models import Provider

from .helpers import CSC_FILE, SCHOOLS_FILE, history, read_rows, set_cell, snapshot, write_csv

pytestmark = pytest.mark.django_db

CSC_HEADER, CSC_ROWS = read_rows(CSC_FILE)
# Provider and history columns that differ between two runs by nature: keys, time.
VOLATILE = {"id", "history_id", "history_date"}


def _state() -> dict[str, Any]:
    """Every provider and history row by URN, without keys and times."""
    providers = {
        p["urn"]: {k: v for k, v in p.items() if k not in VOLATILE}
        for p in Provider.objects.values()
    }
    rows = sorted(
        ({k: v for k, v in h.items() if k not in VOLATILE} for h in history(Provider).values()),
        key=lambda h: (h["urn"], h["version"], h["history_type"]),
    )
    return {"providers": providers, "history": rows}


def _changed_file(tmp_path: Path) -> Path:
    """The shipped file with one provider moved and redated, one closed... and one new."""
    rows = [set_cell(CSC_HEADER, CSC_ROWS[0], "registration_date", "01/04/2019")]
    rows.append(set_cell(CSC_HEADER, CSC_ROWS[1], "local_authority", "Gateshead"))
    rows += CSC_ROWS[2:]
    rows.append(set_cell(CSC_HEADER, CSC_ROWS[2], "urn", "SC999001"))
    return write_csv(tmp_path / "changed.csv", CSC_HEADER, rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_and_orm_writers_leave_the_same_records(
    areas: ImportResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = _changed_file(tmp_path)
    user = get_user_model().objects.create(username="importer")
    results: dict[str, list[tuple[int, int, int]]] = {}
    states: dict[str, list[dict[str, Any]]] = {}
    for how in ("copy", "orm"):
        if how == "orm":
            monkeypatch.setattr(
                providers_module,
                "writer_for",
                lambda *, fields, reason, user: OrmWriter(reason=reason, user=user),
            )
        Provider.objects.all().delete()
        history(Provider).delete()  # after: deleting a provider is a history row
        results[how], states[how] = [], []
        for path in (CSC_FILE, SCHOOLS_FILE, CSC_FILE, changed):
            result = providers_import(path=path, user=user)
            results[how].append((result.created, result.updated, result.unchanged))
            states[how].append(_state())
        changes = [c.describe() for c in result.changes]
        assert changes == [
            f"update {CSC_ROWS[0][1]}: registered_on: {_date(CSC_ROWS[0])!r} -> "
            "datetime.date(2019, 4, 1)",
            f"update {CSC_ROWS[1][1]}: area_id: {_area(CSC_ROWS[1][1])} -> {_gateshead()}",
            "create SC999001",
        ]
    assert results["copy"] == results["orm"]
    assert results["copy"][-1] == (1, 2, 249)
    assert states["copy"] == states["orm"]


def _date(row: list[str]) -> datetime.date:
    day, month, year = (int(x) for x in row[CSC_HEADER.index("registration_date")].split("/"))
    return datetime.date(year, month, day)


def _area(urn: str) -> int:
    return history(Provider).filter(urn=urn, history_type="+").values_list("area", flat=True)[0]


def _gateshead() -> int:
    from ecm_inspect.registry.models import Area

    return Area.objects.get(name="Gateshead").pk


def test_history_says_who_and_why(areas: ImportResult, tmp_path: Path) -> None:
    user = get_user_model().objects.create(username="importer")
    created = providers_import(path=CSC_FILE, user=user)
    rows = history(Provider)
    assert rows.count() == created.created == 251
    assert set(rows.values_list("history_type", "history_user", "history_change_reason")) == {
        ("+", user.pk, f"import providers {CSC_FILE.name}")
    }
    first = rows.get(urn=CSC_ROWS[0][1])
    assert (first.version, first.name) == (1, f"Children's home {CSC_ROWS[0][1]}")
    providers_import(path=_changed_file(tmp_path))
    moved = Provider.objects.get(urn=CSC_ROWS[1][1])
    latest = history(Provider, moved.pk)[0]
    assert (latest.history_type, latest.history_user, latest.version) == ("~", None, 2)
    assert latest.area_id == moved.area_id == _gateshead()


def test_fields_the_mapping_does_not_give_are_left_alone(areas: ImportResult) -> None:
    """Ofsted's file has no names or postcodes: a provider's name and postcode set otherwise
    stay, and re-importing writes nothing."""
    providers_import(path=CSC_FILE)
    urn = CSC_ROWS[0][1]
    Provider.objects.filter(urn=urn).update(name="Oak House", postcode="NE1 4ST")
    before = snapshot()
    again = providers_import(path=CSC_FILE)
    assert (again.created, again.updated) == (0, 0)
    assert snapshot() == before
    assert Provider.objects.get(urn=urn).name == "Oak House"


def test_statements_do_not_grow_with_the_file(areas: ImportResult, tmp_path: Path) -> None:
    """On PostgreSQL a dozen statements and a COPY per chunk; elsewhere batched statements."""
    template = CSC_ROWS[0]
    many = [set_cell(CSC_HEADER, template, "urn", f"SC{900000 + n}") for n in range(CHUNK_ROWS)]
    path = write_csv(tmp_path / "many.csv", CSC_HEADER, many + CSC_ROWS)
    with CaptureQueriesContext(connection) as queries:
        result = providers_import(path=path)
    assert result.created == CHUNK_ROWS + 251
    limit = 12 + 2 if connection.vendor == "postgresql" else result.created // 25
    assert len(queries) <= limit, [q["sql"][:80] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        assert providers_import(path=path).unchanged == result.created
    assert len(queries) <= 12 + 2


@pytest.mark.parametrize("order", ["latest first", "latest last", "mixed"])
def test_the_latest_snapshot_wherever_it_is(
    areas: ImportResult, tmp_path: Path, order: str
) -> None:
    """Only the latest snapshot's rows are checked and imported: a bad row of an older one
    does not stop the import, wherever it is in the file."""
    older = [set_cell(CSC_HEADER, r, "snapshot", "2024-03-31") for r in CSC_ROWS[:5]]
    older.append(set_cell(CSC_HEADER, older[0], "local_authority", "Atlantis"))
    rows = {
        "latest first": CSC_ROWS + older,
        "latest last": older + CSC_ROWS,
        "mixed": CSC_ROWS[:3] + older + CSC_ROWS[3:],
    }[order]
    result = providers_import(path=write_csv(tmp_path / "p.csv", CSC_HEADER, rows))
    assert (result.created, result.rows) == (251, len(rows))
    assert sum(result.skipped.values()) == 28


def test_a_bad_row_of_the_latest_snapshot_is_still_reported(
    areas: ImportResult, tmp_path: Path
) -> None:
    older = [set_cell(CSC_HEADER, r, "snapshot", "2024-03-31") for r in CSC_ROWS[:5]]
    bad = set_cell(CSC_HEADER, CSC_ROWS[4], "local_authority", "Atlantis")
    rows = older + CSC_ROWS[:4] + [bad] + CSC_ROWS[5:]
    before = snapshot()
    with pytest.raises(providers_module.ImportFileError) as caught:
        providers_import(path=write_csv(tmp_path / "p.csv", CSC_HEADER, rows))
    assert snapshot() == before
    assert [(p.row, p.field) for p in caught.value.problems] == [(11, "local_authority")]
