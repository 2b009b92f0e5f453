"""The service's own pages and the parts of every page around them: sign-out in the header,
the phase banner, the privacy notice and the cookies page."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

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


def test_the_phase_banner_says_beta_and_where_to_report_a_problem() -> None:
    page = Client().get("/").content.decode()
    banner = page[page.index('class="govuk-phase-banner"') : page.index('id="main-content"')]
    assert '<strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>' in banner
    assert "This is a new service." in banner
    assert 'href="/accessibility/#reporting-problems"' in banner
    assert 'href="/complaints/new/"' in banner
    assert "in development" not in page
    accessibility = Client().get("/accessibility/").content.decode()
    assert 'id="reporting-problems"' in accessibility


@pytest.mark.parametrize(
    "url", ["/", "/framework/", "/no-such-page/", "/s/", "/p/", "/privacy/", "/cookies/"]
)
def test_every_page_links_the_privacy_notice_and_cookies_from_its_footer(url: str) -> None:
    client = Client(raise_request_exception=False)
    page = client.get(url).content.decode()
    footer = page[page.index('<footer class="govuk-footer">') :]
    assert '<a class="govuk-footer__link" href="/privacy/">Privacy notice</a>' in footer
    assert '<a class="govuk-footer__link" href="/cookies/">Cookies</a>' in footer


def test_the_privacy_notice_is_public_and_says_what_is_kept_why_who_sees_it_and_how_long() -> None:
    response = Client().get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Privacy notice</h1>' in page
    for heading in (
        "Inspectors and other people who sign in",
        "Councils and their partners",
        "Children and young people",
        "Parents and carers",
        "How long we keep it",
        "Your rights",
    ):
        assert heading in page
    assert "section 20 of the Children Act 2004" in page  # why
    assert "Child KD417" in page  # case files are pseudonymised
    assert "no number made from fewer than 10 children" in page  # ECM_SURVEY_MIN_CELL
    # The periods come from the settings in force.
    assert "a signed-in session, after 8 hours or when you close your browser" in page
    assert "a link to download a confidential export, after 1 minute" in page
    assert "after too many wrong passwords, after 15 minutes" in page
    # The retention timetable, from ECM_RETENTION_DAYS.
    assert "1 year after the report is published" in page
    assert "2 years after they were sent" in page


@override_settings(SESSION_COOKIE_AGE=2 * 3600, ECM_DOWNLOAD_LINK_SECONDS=120)
def test_the_privacy_notice_follows_the_settings() -> None:
    page = Client().get("/privacy/").content.decode()
    assert "a signed-in session, after 2 hours" in page
    assert "a link to download a confidential export, after 2 minutes" in page


def test_the_cookies_page_lists_the_cookies_the_service_sets_and_no_analytics() -> None:
    response = Client().get("/cookies/")
    assert response.status_code == 200
    page = response.content.decode()
    cells = re.findall(r"<code>([^<]+)</code>", page)
    assert cells == ["sessionid", "csrftoken", "messages", "ecm_survey"]
    assert "After 8 hours, or when you close your browser" in page
    assert "After 1 year" in page  # Django's CSRF cookie: 52 weeks
    assert "We do not use analytics cookies" in page


def test_the_cookies_listed_are_the_ones_a_signed_in_visit_sets() -> None:
    """Signing in, a page with a form and signing out set no cookie the page does not list."""
    w = world_build()
    client = client_for(w.users[Role.INSPECTOR])
    listed = set(re.findall(r"<code>([^<]+)</code>", client.get("/cookies/").content.decode()))
    client.get("/account/")
    client.post("/sign-out/")
    assert set(client.cookies) <= listed
    assert {"sessionid", "csrftoken", "messages"} <= set(client.cookies)
