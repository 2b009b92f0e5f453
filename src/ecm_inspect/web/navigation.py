"""The service navigation shown on every page: public sections, then the staff sections the
person's role may see (the policy decides), then their account. For a person signed in with a
role, "Home" is their start page, "Your work (N)", N the things to do on it."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from ecm_inspect.accounts.rules import passed_second_factor

from .selectors import Work, work_for_user

# (text, url name, permission needed or None for everyone). Later features add their sections.
SECTIONS: list[tuple[str, str, str | None]] = [
    ("Home", "web:home", None),
    ("Framework", "framework:index", None),
    ("Areas", "registry:areas", None),
    ("Providers", "registry:providers", None),
    ("Reports", "reports:published-list", None),
    ("Setting inspections", "provision:index", None),
    ("APA", "performance:list", "performance.view_assessment_list"),
    ("Reviews", "reviews:list", "reviews.view_review_list"),
    ("Programme", "programme:index", "programme.view_programme"),
    ("Inspectors", "accounts:inspectors", "registry.view_inspector"),
    ("Audit trail", "accounts:audit", "accounts.view_audit"),
    ("Follow-up", "followup:overview", "followup.view_overview"),
    ("Complaints", "quality:complaints", "quality.view_complaints"),
    ("Evaluation", "quality:evaluation", "quality.view_evaluation"),
    ("Undelivered e-mail", "national:undelivered-email", "national.view_undelivered_email"),
]


def work_of(request: HttpRequest) -> Work | None:
    """The signed-in person's work (None for anyone without a role through the second factor),
    gathered once per request: the start page and the navigation's count share it."""
    user: Any = getattr(request, "user", None)
    if not passed_second_factor(user) or not user.role:
        return None
    cached: Work | None = getattr(request, "_ecm_work", None)
    if cached is None:
        cached = work_for_user(user=user, today=timezone.localdate())
        request._ecm_work = cached  # type: ignore[attr-defined]
    return cached


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    items = []
    for text, name, perm in SECTIONS:
        if perm is not None and (user is None or not user.has_perm(perm)):
            continue
        href = reverse(name)
        if name == "web:home" and (work := work_of(request)) is not None:
            text = f"Your work ({work.count})"
        active = request.path == href if href == "/" else request.path.startswith(href)
        items.append({"text": text, "href": href, "active": active})
    signed_in = user is not None and user.is_authenticated
    text, name = (
        ("Your account", "accounts:account") if signed_in else ("Sign in", "accounts:sign-in")
    )
    href = reverse(name)
    items.append({"text": text, "href": href, "active": request.path.startswith(href)})
    return {"navigation": items}
