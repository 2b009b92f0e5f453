"""The service navigation shown on every page."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

SECTIONS = [
    ("Home", "web:home"),
    ("Framework", "framework:index"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = []
    for text, name in SECTIONS:
        href = reverse(name)
        active = request.path == href if href == "/" else request.path.startswith(href)
        items.append({"text": text, "href": href, "active": active})
    return {"navigation": items}
