"""Fixtures for the Framework tests: the loaded catalogue, copies of the shipped files, sources."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import transaction

from ecm_inspect.framework.services import LoadResult, framework_load

from .helpers import SHIPPED, SOURCES_DIR, shipped_text


@pytest.fixture
def framework(db: None) -> LoadResult:
    """The shipped catalogue (2005, 2004 and the relevance matrix), loaded afresh for the test.

    For tests of loading itself; other tests use the cheaper `catalogue`.
    """
    return framework_load()


@pytest.fixture(scope="module")
def _module_catalogue(django_db_setup: None, django_db_blocker) -> Iterator[LoadResult]:
    """Load the shipped catalogue once per module, in a transaction rolled back at the end of
    the module. Each test's own transaction (the `db` fixture) is a savepoint inside it, so what
    a test writes is still undone after the test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            result = framework_load()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield result
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def catalogue(_module_catalogue: LoadResult, db: None) -> LoadResult:
    """The shipped catalogue, loaded once for the whole test module.

    Once a test of a module has used it, every later test of that module sees it: keep tests of
    an empty database in modules that do not use it (test_empty.py, test_errors.py).
    """
    return _module_catalogue


@pytest.fixture
def data_copy(tmp_path: Path) -> Callable[..., list[Path]]:
    """Copy the shipped files into tmp_path, replacing some with edited text.

    `data_copy(**{"framework-2005.yaml": text})` returns the three paths in load order.
    """

    def make(**edited: str) -> list[Path]:
        unknown = set(edited) - set(SHIPPED)
        assert not unknown, f"not a shipped file: {unknown}"
        paths = []
        for name in SHIPPED:
            path = tmp_path / name
            path.write_text(edited.get(name, shipped_text(name)), encoding="utf-8")
            paths.append(path)
        return paths

    return make


@pytest.fixture(scope="session")
def source_2005() -> str:
    return (SOURCES_DIR / "2005-framework-for-inspection-of-childrens-services.txt").read_text(
        encoding="utf-8"
    )


@pytest.fixture(scope="session")
def source_2004() -> str:
    return (SOURCES_DIR / "2004-every-child-matters-inspecting-services.txt").read_text(
        encoding="utf-8"
    )
