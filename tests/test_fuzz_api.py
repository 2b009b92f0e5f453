"""No server error from the API: schemathesis against its own OpenAPI schema.

Every operation of `/api/schema/` gets a bounded number of generated requests (valid and
invalid path and query parameters and bodies, derandomised so each run sends the same), each
sent anonymously and as the national lead through the second factor; any status but a 5xx
is fine. The requests go through Django's test handler inside the test's transaction, each
rolled back after it, so the suite's database is untouched and one failure cannot hide the
next (an error leaves PostgreSQL's transaction aborted until rolled back).
"""

from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.db import transaction
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, client_for, world_build
from ecm_inspect.config.api import api
from ecm_inspect.framework.services import framework_load

EXAMPLES = 20  # per operation, each sent twice (anonymous, national lead)


class _Undo(Exception):
    pass


def _application(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    """A WSGI application around Django's test handler (which, unlike the production one,
    keeps the test's database connection open between requests)."""
    try:
        with transaction.atomic():
            response = ClientHandler(enforce_csrf_checks=False)(environ)
            raise _Undo(response, b"".join(response))
    except _Undo as undo:
        response, body = undo.args
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [body]


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = _application


@pytest.fixture
def lead_session(db: None) -> dict[str, str]:
    framework_load()
    world: World = world_build()
    client = client_for(world.users[Role.NATIONAL_LEAD])
    name = django_settings.SESSION_COOKIE_NAME
    return {name: client.cookies[name].value}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_request_gives_a_server_error(case: Any, lead_session: dict[str, str]) -> None:
    case.call_and_validate(checks=[not_a_server_error])
    case.call_and_validate(checks=[not_a_server_error], cookies=lead_session)
