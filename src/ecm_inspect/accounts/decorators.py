"""Guards for staff pages: signed in, and through the second factor."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Send anyone not signed in to the sign-in page, and anyone signed in with a password only
    to the second factor (or to set one up), then back to the page they asked for."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        query = urlencode({"next": request.get_full_path()})
        if not user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('accounts:sign-in')}?{query}")
        if not user.is_verified():
            step = "two-factor" if user_has_device(user) else "two-factor-setup"
            return HttpResponseRedirect(f"{reverse('accounts:' + step)}?{query}")
        return view(request, *args, **kwargs)

    return guarded
