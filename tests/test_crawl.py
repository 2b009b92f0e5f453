"""The per-role crawl (issue 23): signed in as each demo role, and as the public, start at `/`
and follow every same-site link breadth-first with Django's test client. Fails on any 5xx, on
any link a page shows that answers 403, 404 or 410 for that person (naming the page and the
link), and on raw codes in a page's visible text: enum values with underscores, UPPER_CASE
identifiers, Python model names, plurals made by hand ("1 providers", "agencys") and a
provider's made-up register name ("Academy converter 138213").
Numeric ids are normalised so each URL pattern is visited a few times, not once per record;
each role's crawl stops at `CAP` pages. Runs on the start pages' world
(`web/tests/start_world.py`), which has work of every kind."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.test import Client

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.registry.models import Provider
from ecm_inspect.web.tests.start_world import StartWorld, start_world_build

pytestmark = pytest.mark.django_db

CAP = 400  # pages per role
PER_PATTERN = 3  # pages visited per URL pattern (ids replaced by N)
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/sign-out/", "/admin/")
# Downloads: their status is checked, their body is not crawled.
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".ics", ".xlsx", ".json", ".zip", ".png", ".svg")
BROKEN = {403, 404, 410}

# Raw codes in visible text. GSS codes (E08000037), URNs and other codes with digits are the
# thing shown where they appear, so upper-case words need no digits and at least one underscore.
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
UPPER = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
# Allowed: words with underscores that are genuinely what is shown (none yet).
ALLOWED: set[str] = set()
# Plurals made by hand: a plural after "1" ("1 providers"; words ending in s that are singular
# too are left alone), and "ys" after a consonant ("2 adoption agencys").
ONE_PLURAL = re.compile(
    r"(?<![.\w])1 (?!(?:of|in|is|has|was|as|plus|across|this|its|class|process|access|analysis|"
    r"business|address|progress|status|campus|news|yes)\b)[a-z]+s\b"
)
BAD_PLURAL = re.compile(r"\b[a-z]+[^aeiou\s]ys\b")


def _model_names() -> re.Pattern[str]:
    """Model class names and app labels ("HistoricalReview", "reviews.review")."""
    names: set[str] = set()
    for model in apps.get_models():
        meta = model._meta
        names.add(re.escape(f"{meta.app_label}.{meta.model_name}"))
        # Only the names no English sentence uses: CamelCase with two capitals or more.
        if re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+", model.__name__):
            names.add(re.escape(model.__name__))
    return re.compile(r"\b(?:" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")


def _nameless_providers() -> list[str]:
    """The names an import mapping made from a template and a URN ("Academy converter 138213")."""
    return [p.name for p in Provider.objects.all() if not p.has_own_name]


class _Page(HTMLParser):
    """The links (a[href]) and visible text of a page: no tags, attribute values, scripts,
    styles or code samples (code, pre, kbd, samp)."""

    HIDDEN = {"script", "style", "code", "pre", "kbd", "samp", "template", "noscript", "textarea"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _same_site(page: str, href: str) -> str | None:
    """The path (and query) of a same-site link, or None."""
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    url = urlsplit(urljoin(f"http://testserver{page}", href))
    if url.netloc != "testserver":
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path.split("?")[0])


def crawl(
    client: Client, models: re.Pattern[str], own: str = "", visited: list[str] | None = None
) -> tuple[int, list[str]]:
    """Pages crawled, and what is wrong (each a line naming the page). `own` is the user's
    username, shown on their account page (the test world's have underscores). The path of
    each HTML page read is added to `visited` if given."""
    problems: list[str] = []
    nameless = _nameless_providers()
    seen: set[str] = {"/"}
    per_pattern: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    pages = 0
    while queue and pages < CAP:
        path, found_on = queue.popleft()
        download = urlsplit(path).path.endswith(DOWNLOAD_SUFFIXES)
        response = client.get(path)
        status = response.status_code
        if status >= 500:
            problems.append(f"{status} at {path} (linked from {found_on})")
            continue
        if status in BROKEN:
            problems.append(f"{found_on} links to {path}, which answers {status}")
            continue
        if status in (301, 302, 303, 307, 308) or download:
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        if visited is not None:
            visited.append(path)
        parser = _Page()
        parser.feed(response.content.decode())
        text = " ".join(" ".join(parser.text).split())
        if own:
            text = text.replace(own, "")
        raw = {m for m in SNAKE.findall(text) + UPPER.findall(text) if m not in ALLOWED}
        raw |= set(models.findall(text))
        raw |= {f"plural {m!r}" for m in ONE_PLURAL.findall(text) + BAD_PLURAL.findall(text)}
        # A provider the register names only by its URN is described in words instead.
        raw |= {f"register name {n!r}" for n in nameless if n in text}
        if raw:
            problems.append(f"{path} shows raw codes: {', '.join(sorted(raw))}")
        for href in parser.links:
            target = _same_site(path, href)
            if target is None or target in seen or target.startswith(SKIP_PREFIXES):
                continue
            seen.add(target)
            key = _pattern(target)
            per_pattern[key] = per_pattern.get(key, 0) + 1
            if per_pattern[key] > PER_PATTERN:
                continue
            queue.append((target, path))
    return pages, problems


@pytest.fixture(scope="module")
def models() -> re.Pattern[str]:
    return _model_names()


@pytest.fixture
def sw() -> StartWorld:
    return start_world_build()


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_reachable_page_opens_and_speaks_plainly(
    sw: StartWorld, models: re.Pattern[str], role: str | None
) -> None:
    user = None if role is None else sw.people.users[role]
    pages, problems = crawl(client_for(user), models, user.username if user else "")
    print(f"{role or 'public'}: {pages} pages")
    assert pages > 1
    assert problems == [], "\n".join(problems)
