"""REST API of the registry: areas, providers and inspectorates. Public and read-only.

Lists take `offset` and `limit` (at most 200) and return `count`, `offset`, `limit`, `items`.
"""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from ecm_inspect.core.inputs import Offset

from .models import Area, Inspectorate, Provider
from .selectors import (
    area_get,
    area_neighbours,
    area_partners,
    area_provider_kinds,
    areas_list,
    provider_get,
    providers_search,
)

router = Router(tags=["registry"])

MAX_LIMIT = 200


class PageQuery(Schema):
    offset: Offset = 0
    limit: int = 50


class AreaQuery(PageQuery):
    region: str = ""
    type: str = ""
    q: str = ""


class ProviderQuery(PageQuery):
    q: str = ""
    area: str = ""
    kind: str = ""
    region: str = ""


class AreaOut(Schema):
    gss_code: str
    gss_code_dfe: str
    la_code: str
    name: str
    region_code: str
    region_name: str
    area_type: str
    url: str


class AreaPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[AreaOut]


class ProviderKindCountOut(Schema):
    kind: str
    name: str
    count: int
    open: int


class PartnerOut(Schema):
    kind: str
    name: str


class AreaDetailOut(AreaOut):
    ofsted_urn: str
    population_0_25: int | None
    website: str
    statistical_neighbours: list[AreaOut]
    providers_by_kind: list[ProviderKindCountOut]
    partners: list[PartnerOut]


class ProviderOut(Schema):
    urn: str
    name: str
    kind: str
    sub_type: str
    area: str
    area_name: str
    postcode: str
    registered_on: date | None
    closed_on: date | None
    is_open: bool
    url: str


class ProviderDetailOut(ProviderOut):
    address: str
    source: str
    version: int


class ProviderPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ProviderOut]


class InspectorateOut(Schema):
    code: str
    name: str
    short_name: str
    remit: str
    takes_part_in_joint_area_reviews: bool


def _window(query: PageQuery) -> tuple[int, int]:
    return max(query.offset, 0), max(1, min(query.limit, MAX_LIMIT))


def _area_out(area: Area) -> dict[str, Any]:
    return {
        "gss_code": area.gss_code,
        "gss_code_dfe": area.gss_code_dfe,
        "la_code": area.la_code,
        "name": area.name,
        "region_code": area.region_code,
        "region_name": area.region_name,
        "area_type": area.area_type,
        "url": f"/api/registry/areas/{area.gss_code}/",
    }


def _provider_out(provider: Provider) -> dict[str, Any]:
    return {
        "urn": provider.urn,
        "name": provider.name,
        "kind": provider.kind.code,
        "sub_type": provider.sub_type,
        "area": provider.area.gss_code,
        "area_name": provider.area.name,
        "postcode": provider.postcode,
        "registered_on": provider.registered_on,
        "closed_on": provider.closed_on,
        "is_open": provider.is_open,
        "url": f"/api/registry/providers/{provider.urn}/",
    }


@router.get("/areas/", response=AreaPage, url_name="registry_areas")
def area_list(request: HttpRequest, query: Query[AreaQuery]) -> dict[str, Any]:
    """Children's services authorities, by name; filter by region (code or name), type
    (e.g. `county council`) or `q` (name, GSS code or DfE LA code)."""
    areas = areas_list(region=query.region, area_type=query.type, q=query.q)
    offset, limit = _window(query)
    return {
        "count": areas.count(),
        "offset": offset,
        "limit": limit,
        "items": [_area_out(a) for a in areas[offset : offset + limit]],
    }


@router.get("/areas/{gss_code}/", response=AreaDetailOut, url_name="registry_area")
def area_detail(request: HttpRequest, gss_code: str) -> dict[str, Any]:
    """One area by GSS code (either code of a recoded area): codes, statistical neighbours,
    providers by kind with counts, partner bodies."""
    area = area_get(gss_code=gss_code)
    if area is None:
        raise Http404(f"There is no area with the code {gss_code!r}.")
    return {
        **_area_out(area),
        "ofsted_urn": area.ofsted_urn,
        "population_0_25": area.population_0_25,
        "website": area.website,
        "statistical_neighbours": [_area_out(n) for n in area_neighbours(area=area)],
        "providers_by_kind": [
            {"kind": k.code, "name": k.name, "count": k.count, "open": k.open_count}
            for k in area_provider_kinds(area=area)
        ],
        "partners": [{"kind": p.kind, "name": p.name} for p in area_partners(area=area)],
    }


@router.get("/providers/", response=ProviderPage, url_name="registry_providers")
def provider_list(request: HttpRequest, query: Query[ProviderQuery]) -> dict[str, Any]:
    """Providers, by name; `q` searches name, URN and postcode; filter by area (GSS code),
    kind (provider kind code) or region."""
    providers = providers_search(q=query.q, area=query.area, kind=query.kind, region=query.region)
    offset, limit = _window(query)
    return {
        "count": providers.count(),
        "offset": offset,
        "limit": limit,
        "items": [_provider_out(p) for p in providers[offset : offset + limit]],
    }


@router.get("/providers/{urn}/", response=ProviderDetailOut, url_name="registry_provider")
def provider_detail(request: HttpRequest, urn: str) -> dict[str, Any]:
    provider = provider_get(urn=urn)
    if provider is None:
        raise Http404(f"There is no provider with the URN {urn!r}.")
    return {
        **_provider_out(provider),
        "address": provider.address,
        "source": provider.source,
        "version": provider.version,
    }


@router.get("/inspectorates/", response=list[InspectorateOut], url_name="registry_inspectorates")
def inspectorate_list(request: HttpRequest) -> list[Inspectorate]:
    """The ten inspectorates of the Framework (paragraph 2) and their remits."""
    return list(Inspectorate.objects.order_by("name"))
