"""Messages after an action look like what they say: a refusal as an error, never as a
success banner (issue 17: refusals shown in a green "Success" banner)."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory

from ecm_inspect.accounts.templatetags.text import breakable


def _page(level: int, text: str) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return render_to_string("base.html", {"messages": [Message(level, text)]}, request=request)


@pytest.mark.django_db
def test_an_error_is_shown_as_an_error() -> None:
    page = _page(messages.ERROR, "The request was refused.")
    assert "govuk-error-summary" in page
    assert "There is a problem" in page
    assert "Success" not in page
    assert "The request was refused." in page


@pytest.mark.django_db
def test_a_success_is_shown_as_a_success_and_a_note_as_important() -> None:
    assert "govuk-notification-banner--success" in _page(messages.SUCCESS, "Saved.")
    note = _page(messages.INFO, "Nothing to do.")
    assert "Important" in note
    assert "Success" not in note


def test_breakable_keeps_the_text_and_escapes_it() -> None:
    out = breakable("<b>" + "x" * 20, 8)
    assert out.replace("<wbr>", "") == "&lt;b&gt;" + "x" * 20
    assert out.count("<wbr>") == 2
