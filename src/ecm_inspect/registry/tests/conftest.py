"""Fixtures for the registry tests: the Framework's provider kinds and the shipped areas."""

import pytest

from ecm_inspect.framework.services import framework_load
from ecm_inspect.registry.imports import ImportResult, areas_import, providers_import

from .helpers import AREAS_FILE, CSC_FILE


@pytest.fixture
def kinds(db: None) -> None:
    """The Framework catalogue: provider kinds are what provider types map to."""
    framework_load()


@pytest.fixture
def areas(kinds: None) -> ImportResult:
    """The 153 shipped areas, imported."""
    return areas_import(path=AREAS_FILE)


@pytest.fixture
def csc_providers(areas: ImportResult) -> ImportResult:
    """The shipped North East children's social care providers, imported."""
    return providers_import(path=CSC_FILE)


@pytest.fixture
def registry(csc_providers: ImportResult) -> None:
    """The shipped areas and North East providers (social care and schools), and the ten
    inspectorates."""
    from ecm_inspect.registry.services import inspectorates_load

    from .helpers import SCHOOLS_FILE

    providers_import(path=SCHOOLS_FILE)
    inspectorates_load()
