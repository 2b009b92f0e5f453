"""Registry pages: areas and providers. Public information, readable without signing in."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ecm_inspect.framework.models import ProviderKind

from .models import AreaType
from .selectors import (
    area_get,
    area_neighbours,
    area_partners,
    area_provider_kinds,
    areas_list,
    provider_get,
    providers_search,
    regions_list,
)

PROVIDERS_PER_PAGE = 50


def area_list(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")
    area_type = request.GET.get("type", "")
    q = request.GET.get("q", "")
    areas = list(areas_list(region=region, area_type=area_type, q=q))
    groups: dict[str, list[object]] = {}
    for area in sorted(areas, key=lambda a: (a.region_name, a.name)):
        groups.setdefault(area.region_name, []).append(area)
    return render(
        request,
        "registry/area_list.html",
        {
            "groups": list(groups.items()),
            "count": len(areas),
            "regions": regions_list(),
            "types": AreaType.choices,
            "region": region,
            "type": area_type,
            "q": q,
        },
    )


def area_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    area = area_get(gss_code=gss_code)
    if area is None:
        raise Http404(f"There is no area with the code {gss_code!r}.")
    kinds = area_provider_kinds(area=area)
    return render(
        request,
        "registry/area_detail.html",
        {
            "area": area,
            "neighbours": area_neighbours(area=area),
            "kinds": kinds,
            "provider_total": sum(k.count for k in kinds),
            "partners": area_partners(area=area),
        },
    )


def provider_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    area = request.GET.get("area", "")
    kind = request.GET.get("kind", "")
    providers = providers_search(q=q, area=area, kind=kind)
    page = Paginator(providers, PROVIDERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/provider_list.html",
        {
            "page": page,
            "q": q,
            "area": area_get(gss_code=area) if area else None,
            "area_code": area,
            "kind": kind,
            "kinds": ProviderKind.objects.order_by("order").values_list("code", "name"),
            "query": query.urlencode(),
        },
    )


def provider_detail(request: HttpRequest, urn: str) -> HttpResponse:
    provider = provider_get(urn=urn)
    if provider is None:
        raise Http404(f"There is no provider with the URN {urn!r}.")
    return render(request, "registry/provider_detail.html", {"provider": provider})
