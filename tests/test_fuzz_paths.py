"""No server error from a path parameter: every URL pattern, every parameter, hostile values.

Walks every URL pattern (as the permission matrix does) and, one parameter at a time, puts a
hostile value in its place (a NUL byte, integers past the database's range, years 0 and 99999,
very long and unicode strings) while the other parameters keep a value that exists (the
matrix's own objects), so each hostile value reaches as deep as it can. Each URL is asked for
with GET and with an empty POST, anonymously and as the national lead (through the second
factor). Any answer is fine (404, 400, a redirect to sign in, 405...) except a server error.
"""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import get_converters
from django.urls.resolvers import RoutePattern

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, client_for
from tests import test_permission_matrix as matrix

world = matrix.world  # the permission matrix's objects, one of each kind

HOSTILE: list[Any] = [
    "\x00",  # PostgreSQL refuses NUL in text; SQLite does not
    "%00",  # the same, typed literally
    0,
    1,
    2**31,  # past PostgreSQL's integer
    2**63,  # past bigint
    2**64,
    99999,  # a year far off
    "9" * 40,
    "x" * 3000,  # longer than any field
    "²",  # a unicode digit: isdigit() but not int()
    "١٢",  # Arabic-Indic digits: int() takes them, the database does not see them as numbers
    "é\u202e💥",
    "'\";--",
]
# Route parameters (<conv:name>) and regex groups ((?P<name>...) or (...)).
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?[^()]*\)")


def _patterns(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, bool]]:
    """(route or regex so far, full URL name, whether the whole path is a route)."""
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            for route, name, is_route in _patterns(
                p.url_patterns, prefix + str(p.pattern), inner or namespace
            ):
                yield route, name, is_route and isinstance(p.pattern, RoutePattern)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name, isinstance(p.pattern, RoutePattern)


def _slots(route: str, is_route: bool) -> tuple[list[str], list[str]]:
    """A pattern's literal pieces and its parameter slots (pieces[0] slot pieces[1] ...)."""
    if is_route:
        return ROUTE_PARAM.split(route)[::3], [m.group(0) for m in ROUTE_PARAM.finditer(route)]
    plain = route.replace("^", "").replace("$", "")
    return REGEX_GROUP.split(plain), REGEX_GROUP.findall(plain)


def _url(pieces: list[str], values: list[Any]) -> str:
    out = pieces[0]
    for value, piece in zip(values, pieces[1:], strict=True):
        out += quote(str(value), safe="") + piece
    return "/" + out


def _reaching(slot: str, is_route: bool) -> list[Any]:
    """The hostile values a slot's converter lets through to the view (the others are 404s
    of Django's resolver, before any of the service's code)."""
    match = ROUTE_PARAM.fullmatch(slot)
    if not (is_route and match and match["converter"]):
        return HOSTILE
    regex = get_converters()[match["converter"]].regex
    return [v for v in HOSTILE if re.fullmatch(regex, str(v))]


def _cases(world: World) -> Iterator[tuple[str, str]]:
    """(pattern's name, URL) with one parameter hostile and the others existing."""
    lead = world.users[Role.NATIONAL_LEAD]
    existing = {e.name: e.args for e in matrix.ENDPOINTS}
    for route, name, is_route in _patterns(get_resolver().url_patterns):
        pieces, slots = _slots(route, is_route)
        if not slots:
            continue
        baseline: list[Any] = ["1"] * len(slots)
        if name in existing:
            baseline = [*existing[name](world, matrix.OWN, lead), *baseline][: len(slots)]
        for n in range(len(slots)):
            for value in _reaching(slots[n], is_route):
                values = list(baseline)
                values[n] = value
                yield name or route, _url(pieces, values)


class _Undo(Exception):
    """Leaves the test's world as it was after each request (and clears PostgreSQL's aborted
    transaction after an error, so one failure does not hide the next)."""


def _ask(client: Client, method: str, url: str) -> Any:
    try:
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, {})
            raise _Undo(response)
    except _Undo as undo:
        return undo.args[0]


def test_no_path_parameter_gives_a_server_error(world: World) -> None:
    clients = {"anonymous": Client(), "national lead": client_for(world.users[Role.NATIONAL_LEAD])}
    for client in clients.values():
        client.raise_request_exception = False
    errors = []
    for name, url in list(_cases(world)):
        for who, client in clients.items():
            for method in ("GET", "POST"):
                response = _ask(client, method, url)
                if response.status_code >= 500:
                    exc = getattr(response, "exc_info", None)
                    why = f"{exc[0].__name__}: {str(exc[1])[:80]}" if exc else ""
                    errors.append(
                        f"{response.status_code} {method} {url[:90]} ({who}) {name} {why}"
                    )
    assert errors == [], f"{len(errors)} server errors:\n" + "\n".join(errors)
