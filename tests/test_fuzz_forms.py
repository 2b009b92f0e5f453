"""No server error from a web form: every form on every page, one field at a time, hostile values.

Each page of the permission matrix is opened as someone who may use it (anonymous where the page
is public: the quality questionnaire, the complaint form, the children's survey and "talk to
someone"; otherwise the first role allowed). Every `<form method="post">` on it is sent back
with its own values, except one field, which gets a hostile value: a unicode digit that passes
`isdigit()` but not `int()`, a NUL, numbers past the database's integers, NaN, a date in year
99999, very long text. Any answer but a server error is fine (the form again with a message,
400, a redirect...).
"""

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.test import Client
from django.urls import reverse

from ecm_inspect.accounts.tests.world import ROLES, World, client_for
from tests import test_permission_matrix as matrix

world = matrix.world  # the permission matrix's objects, one of each kind

HOSTILE = [
    "²",
    "١٢",
    "\x00",
    "2147483648",
    "9223372036854775808",
    "1e400",
    "99999-01-01",
    "x" * 5000,
]


class _Forms(HTMLParser):
    """The page's POST forms: action and fields (name, value) as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, bool, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = []
            multipart = a.get("enctype", "") == "multipart/form-data"
            self.forms.append((a.get("action", ""), multipart, self._fields))
        if self._fields is None or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") not in {"radio", "checkbox"} or "checked" in a:
                self._fields.append((a["name"], a.get("value", "")))
            elif not any(name == a["name"] for name, _ in self._fields):
                self._fields.append((a["name"], a.get("value", "on")))  # choose the first
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            if not any(name == self._select for name, _ in self._fields):
                self._fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._fields.append((a["name"], ""))
        elif tag == "button" and a.get("value"):
            self._fields.append((a["name"], a["value"]))

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields:
            name, value = self._fields[-1]
            self._fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class _Undo(Exception):
    pass


def _post(client: Client, url: str, data: dict[str, Any], multipart: bool) -> Any:
    """POST as a browser sends the form: multipart only where the form says so."""
    try:
        with transaction.atomic():
            if multipart:
                raise _Undo(client.post(url, data))
            body = urlencode(data, doseq=True)
            raise _Undo(client.post(url, body, "application/x-www-form-urlencoded"))
    except _Undo as undo:
        return undo.args[0]


def test_no_form_gives_a_server_error(world: World) -> None:
    errors: list[str] = []
    sent = 0
    for endpoint in matrix.ENDPOINTS:
        if endpoint.method != "GET" or endpoint.name.startswith(("api:", "admin:")):
            continue
        role = next((r for r in ROLES if endpoint.allowed(r, matrix.OWN)), None)
        if role is None:
            continue
        user = None if role == "anonymous" else world.users[role]
        client = client_for(user)
        client.raise_request_exception = False
        url = reverse(endpoint.name, args=endpoint.args(world, matrix.OWN, user))
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(page.content.decode())
        for action, multipart, fields in parser.forms:
            target = action or url
            if target.startswith(("/sign-out", "/accounts/sign-out")):
                continue
            for n, (name, _) in enumerate(fields):
                if name == "csrfmiddlewaretoken":
                    continue
                for value in HOSTILE:
                    data: dict[str, Any] = {}
                    for m, (key, kept) in enumerate(fields):
                        data.setdefault(key, []).append(value if m == n else kept)
                    response = _post(client, target, data, multipart)
                    sent += 1
                    if response.status_code >= 500:
                        exc = getattr(response, "exc_info", None)
                        why = f"{exc[0].__name__}: {str(exc[1])[:80]}" if exc else ""
                        errors.append(f"{target} ({role}) {name}={value[:12]!r}: {why}")
    assert sent > 1000, sent  # the forms were found
    assert errors == [], f"{len(errors)} server errors:\n" + "\n".join(errors)
