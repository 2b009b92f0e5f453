"""403, 404 and 500 pages: the service's layout, plain words, never a stack trace."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.views.defaults import server_error

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for, world_build
from ecm_inspect.config.urls import urlpatterns as service_urlpatterns

INTERNAL_DETAIL = "internal detail: /srv/ecm/settings.py line 42"


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(INTERNAL_DETAIL)


def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(INTERNAL_DETAIL)


urlpatterns = [path("fails/", fails), path("refuses/", refuses), *service_urlpatterns]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def assert_service_page(content: str, heading: str) -> None:
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in content
    # The base layout, with its styles, header and footer.
    assert "govuk-frontend.min.css" in content
    assert "govuk-template__header" in content
    assert "Accessibility statement" in content
    assert INTERNAL_DETAIL not in content
    assert "Traceback" not in content
    assert "RuntimeError" not in content


@override_settings(DEBUG=False)
def test_a_server_error_is_the_services_page_without_a_stack_trace() -> None:
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    content = response.content.decode()
    assert_service_page(content, "Sorry, there is a problem with the service")
    assert 'href="/">Go to the start of the service</a>' in content


@override_settings(DEBUG=False)
def test_not_found_and_forbidden_are_the_services_pages() -> None:
    client = Client(raise_request_exception=False)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_service_page(missing.content.decode(), "Page not found")
    refused = client.get("/refuses/")
    assert refused.status_code == 403
    assert_service_page(refused.content.decode(), "You cannot do this")


@override_settings(DEBUG=False)
def test_a_signed_in_person_refused_a_page_sees_the_services_page() -> None:
    w = world_build()
    inspector = client_for(w.users[Role.INSPECTOR])
    inspector.raise_request_exception = False
    response = inspector.get("/complaints/")  # national and inspectorate leads only
    assert response.status_code == 403
    content = response.content.decode()
    assert_service_page(content, "You cannot do this")
    assert "Your account does not allow you to see this page" in content
    assert 'href="/">Go to the start of the service</a>' in content
    assert "You may need to" not in content  # they are signed in already


@override_settings(DEBUG=False)
def test_an_unknown_address_is_the_services_not_found_page() -> None:
    response = Client(raise_request_exception=False).get("/reviews/none/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert_service_page(content, "Page not found")
    assert "If you typed the web address, check it is correct." in content
    assert 'href="/">Go to the start of the service</a>' in content


def test_the_server_error_page_renders_with_no_request_context() -> None:
    """Django's handler500 renders 500.html with no context at all: no request, no context
    processors, no navigation. The page must still be the service's, in plain words."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert_service_page(content, "Sorry, there is a problem with the service")
    assert "Try again later." in content
    assert 'href="/">Go to the start of the service</a>' in content
    assert "Sign out" not in content
