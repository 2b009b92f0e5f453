from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from ecm_inspect.framework.selectors import outcomes_for_version
from ecm_inspect.voices.analysis import min_cell
from ecm_inspect.voices.child_views import COOKIE as SURVEY_COOKIE

from .navigation import work_of

# A start page item due within this many days is tagged "Due soon".
DUE_SOON_DAYS = 7


def home(request: HttpRequest) -> HttpResponse:
    """The public home page; for a person signed in with a role, their start page: their own
    work, what is overdue and what is due, each linking to where it is done."""
    work = work_of(request)
    if work is not None:
        user: Any = request.user
        today = timezone.localdate()
        return render(
            request,
            "web/start.html",
            {
                "work": work,
                "today": today,
                "soon": today + timedelta(days=DUE_SOON_DAYS),
                "role": user.get_role_display(),
            },
        )
    return render(request, "web/home.html", {"outcomes": outcomes_for_version()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


def _duration(seconds: int) -> str:
    """A period in words: "8 hours", "1 year" (Django's 52 weeks too), "60 seconds"."""
    if seconds >= 52 * 7 * 86400:
        count, unit = max(round(seconds / (365 * 86400)), 1), "year"
    else:
        count, unit = seconds, "second"
        for name, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size and seconds % size == 0:
                count, unit = seconds // size, name
                break
    return f"{count} {unit}{pluralize(count)}"


def _limits() -> dict[str, Any]:
    """The periods after which things end by themselves, from the settings in force."""
    return {
        "session": _duration(settings.SESSION_COOKIE_AGE),
        "csrf": _duration(settings.CSRF_COOKIE_AGE),
        "download": _duration(settings.ECM_DOWNLOAD_LINK_SECONDS),
        "lockout": _duration(int(settings.AXES_COOLOFF_TIME.total_seconds())),
        "min_cell": min_cell(),
        "retention": {
            kind: _duration(days * 86400) for kind, days in settings.ECM_RETENTION_DAYS.items()
        },
    }


def privacy(request: HttpRequest) -> HttpResponse:
    """What the service keeps about people, why, who sees it and for how long. Public."""
    return render(request, "web/privacy.html", {"limits": _limits()})


def cookies(request: HttpRequest) -> HttpResponse:
    """The cookies the service sets, by the names in force. Public."""
    limits = _limits()
    rows = [
        (
            settings.SESSION_COOKIE_NAME,
            "Keeps you signed in. Set when you sign in; it holds a random number, not your name.",
            f"After {limits['session']}, or when you close your browser, or when you sign out",
        ),
        (
            settings.CSRF_COOKIE_NAME,
            "Stops other websites sending forms to this service in your name.",
            f"After {limits['csrf']}",
        ),
        (
            CookieStorage.cookie_name,
            "Carries a message, such as “You have signed out”, to the next page you see.",
            "When the message has been shown, or when you close your browser",
        ),
        (
            SURVEY_COOKIE,
            "Lets a child or young person answering their school’s survey finish it later. "
            "Only on that school’s survey pages; it holds a random code, not who they are.",
            "The day after the survey closes",
        ),
    ]
    return render(request, "web/cookies.html", {"rows": rows})
