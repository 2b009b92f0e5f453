from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ecm_inspect.framework.selectors import outcomes_for_version

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
