"""The service's own pages and the parts of every page around them: sign-out in the header,
the phase banner, the privacy notice and the cookies page."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for, world_build

pytestmark = pytest.mark.django_db

SIGN_OUT_FORM = re.compile(
    r'<form method="post" action="/sign-out/" class="ecm-header-form">\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="(?P<token>[^"]+)">\s*'
    r'<button type="submit" class="govuk-service-navigation__link ecm-link-button">'
    r"Sign out</button>"
)


def test_the_header_signs_a_signed_in_person_out() -> None:
    w = world_build()
    client = client_for(w.users[Role.INSPECTOR])
    client.handler.enforce_csrf_checks = True  # as a browser: the form must carry its token
    page = client.get("/framework/").content.decode()
    form = SIGN_OUT_FORM.search(page)
    assert form is not None, "no sign-out form in the header"
    assert page.index("govuk-template__header") < form.start() < page.index("</header>")
    assert client.post("/sign-out/").status_code == 403  # no token: refused, still signed in
    assert SESSION_KEY in client.session
    response = client.post("/sign-out/", {"csrfmiddlewaretoken": form["token"]}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You have signed out." in response.content.decode()
    assert SESSION_KEY not in client.session
    assert SIGN_OUT_FORM.search(response.content.decode()) is None
    assert client.get("/complaints/")["Location"].startswith("/sign-in/")


def test_sign_out_is_only_for_people_signed_in_and_only_by_post() -> None:
    w = world_build()
    public = Client().get("/").content.decode()
    assert "Sign out" not in public
    assert 'href="/sign-in/"' in public
    assert client_for(w.users[Role.DCS]).get("/sign-out/").status_code == 405
