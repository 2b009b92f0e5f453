from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ecm_inspect.framework.selectors import outcomes_for_version


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"outcomes": outcomes_for_version()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")
