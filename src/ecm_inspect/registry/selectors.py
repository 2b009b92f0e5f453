"""Reads of the registry for pages and the API: areas by region, an area with its providers
by kind, provider search. All public information."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ecm_inspect.framework.models import ProviderKind

from .models import Area, PartnerBody, Provider, StatisticalNeighbour

POSTCODE_LIKE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?( ?[0-9][A-Z]{0,2})?$")


def areas_list(*, region: str = "", area_type: str = "", q: str = "") -> QuerySet[Area]:
    """Areas, filtered by region (code or name), type and a search of name or codes."""
    areas = Area.objects.current().annotate(provider_count=Count("providers"))
    if region:
        areas = areas.filter(Q(region_code=region) | Q(region_name__iexact=region))
    if area_type:
        areas = areas.filter(area_type=area_type)
    q = q.strip()
    if q:
        areas = areas.filter(
            Q(name__icontains=q) | Q(gss_code__iexact=q) | Q(gss_code_dfe__iexact=q) | Q(la_code=q)
        )
    return areas.order_by("name")


def regions_list() -> list[tuple[str, str]]:
    """(code, name) of every region with an area, by name."""
    return list(
        Area.objects.current()
        .order_by("region_name")
        .values_list("region_code", "region_name")
        .distinct()
    )


def area_get(*, gss_code: str) -> Area | None:
    """An area by its GSS code, or by the superseded code DfE statistics still use."""
    return (
        Area.objects.filter(Q(gss_code=gss_code.upper()) | Q(gss_code_dfe=gss_code.upper()))
        .order_by("gss_code")
        .first()
    )


@dataclass(frozen=True)
class KindCount:
    code: str
    name: str
    count: int
    open_count: int


def area_provider_kinds(*, area: Area) -> list[KindCount]:
    """The area's providers, counted by kind, in the Framework's order of kinds."""
    rows = (
        ProviderKind.objects.filter(providers__area=area)
        .annotate(
            count=Count("providers"),
            open_count=Count("providers", filter=Q(providers__closed_on__isnull=True)),
        )
        .order_by("order")
        .values_list("code", "name", "count", "open_count")
    )
    return [KindCount(*row) for row in rows]


def area_neighbours(*, area: Area) -> list[Area]:
    links = StatisticalNeighbour.objects.filter(area=area).select_related("neighbour")
    return [link.neighbour for link in links.order_by("rank")]


def area_partners(*, area: Area) -> QuerySet[PartnerBody]:
    return PartnerBody.objects.filter(area=area).order_by("kind", "name")


def providers_search(
    *, q: str = "", area: str = "", kind: str = "", region: str = ""
) -> QuerySet[Provider]:
    """Providers by name, URN or postcode (a full postcode or its outward part), optionally in
    one area (GSS code), of one kind (code) or in one region (code or name)."""
    providers = Provider.objects.select_related("kind", "area")
    if area:
        providers = providers.filter(
            Q(area__gss_code=area.upper()) | Q(area__gss_code_dfe=area.upper())
        )
    if kind:
        providers = providers.filter(kind__code=kind)
    if region:
        providers = providers.filter(
            Q(area__region_code=region) | Q(area__region_name__iexact=region)
        )
    q = " ".join(q.split())
    if q:
        upper = q.upper()
        match = Q(name__icontains=q) | Q(urn__iexact=q)
        if POSTCODE_LIKE.match(upper):
            match |= Q(postcode__iexact=upper)
            if " " not in upper and len(upper) > 4:
                match |= Q(postcode__iexact=f"{upper[:-3]} {upper[-3:]}")
            match |= Q(postcode__istartswith=f"{upper} ")
        providers = providers.filter(match)
    return providers.order_by("name", "urn")


def provider_get(*, urn: str) -> Provider | None:
    return Provider.objects.select_related("kind", "area").filter(urn=urn).first()
