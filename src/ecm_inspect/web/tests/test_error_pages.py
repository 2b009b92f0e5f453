"""403, 404 and 500 pages: the service's layout, plain words, never a stack trace."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

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
    assert_service_page(response.content.decode(), "Sorry, there is a problem with the service")


@override_settings(DEBUG=False)
def test_not_found_and_forbidden_are_the_services_pages() -> None:
    client = Client(raise_request_exception=False)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_service_page(missing.content.decode(), "Page not found")
    refused = client.get("/refuses/")
    assert refused.status_code == 403
    assert_service_page(refused.content.decode(), "You cannot do this")
