"""The programme's test world: a few areas and a dozen inspectors (solver runs of seconds)."""

from datetime import date

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.services import organisation_for, user_create
from ecm_inspect.accounts.tests.world import ORGANISATIONS, PASSWORD, client_for
from ecm_inspect.framework.models import Outcome
from ecm_inspect.framework.services import framework_load
from ecm_inspect.programme import problem as p
from ecm_inspect.programme.checker import context_build
from ecm_inspect.programme.models import CorporateAssessment, Sequencing
from ecm_inspect.programme.services import document_build
from ecm_inspect.programme.solver import solve
from ecm_inspect.registry.models import Area, AreaType, Inspector, Inspectorate
from ecm_inspect.registry.services import inspectorates_load

from .solver_world import small_problem


@pytest.fixture
def small_world(db: None) -> list[Area]:
    """Six areas and fifteen inspectors of three bodies. The last two areas' corporate
    assessments (option 2) put their reviews after April 2027, so when the financial year
    2026-27 is confirmed four reviews are confirmed and two stay indicative."""
    framework_load()
    inspectorates_load()
    areas = [
        Area.objects.create(
            gss_code=f"E0600009{k}",
            la_code=f"9{k}0",
            name=f"Test area {k}",
            region_code="E12000001",
            region_name="North East",
            area_type=AreaType.UNITARY,
        )
        for k in range(6)
    ]
    for area in areas[4:]:
        CorporateAssessment.objects.create(
            area=area,
            starts_on=date(2026, 9, 21),
            ends_on=date(2026, 10, 2),
            option=Sequencing.CA_THEN_JAR,
        )
    outcomes = list(Outcome.objects.filter(version__code="2005"))
    for body in ("OFSTED", "CSCI", "HEALTHCARE_COMMISSION"):
        for k in range(5):
            inspector = Inspector.objects.create(
                full_name=f"{body} inspector {k}",
                inspectorate=Inspectorate.objects.get(code=body),
                grade="lead" if k < 2 else "inspector",
                home_region_code="E12000001",
            )
            inspector.outcome_expertise.set(outcomes)
    return areas


@pytest.fixture
def national_lead(db: None) -> Client:
    """A client signed in (through the second factor) as the national lead."""
    user = user_create(
        username="test-national-lead",
        role=Role.NATIONAL_LEAD,
        organisation=organisation_for(ORGANISATIONS[Role.NATIONAL_LEAD]),
        password=PASSWORD,
        full_name="Test National lead",
    )
    StaticDevice.objects.create(user=user, name="Backup codes")
    return client_for(user)


@pytest.fixture(scope="module")
def solved() -> tuple[p.Problem, dict, dict]:
    """The small problem (solver_world.py) solved, as a programme document and its context."""
    problem = small_problem()
    result = solve(problem, time_limit=10, workers=1)
    assert result.feasible, result.reasons
    return problem, document_build(problem, result), context_build(problem)
