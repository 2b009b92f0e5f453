"""Pages of the Framework catalogue, readable by anyone (it is a published document)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .grades import Grade
from .models import (
    EvidenceSource,
    FrameworkVersion,
    InspectorateCode,
    Principle,
    ServiceManagementAspect,
    VulnerableGroup,
)
from .selectors import (
    CURRENT_VERSION,
    descriptor_set_in_force,
    descriptors_of,
    outcome_get,
    outcomes_for_version,
    relevance_by_judgement,
    relevance_matrix,
)


def index(request: HttpRequest) -> HttpResponse:
    version = FrameworkVersion.objects.filter(code=CURRENT_VERSION).first()
    return render(
        request,
        "framework/index.html",
        {
            "version": version,
            "outcomes": outcomes_for_version(),
            "grades": list(Grade),
            "descriptor_set": descriptor_set_in_force(framework_code=CURRENT_VERSION),
        },
    )


def outcome(request: HttpRequest, code: str) -> HttpResponse:
    found = outcome_get(code=code)
    if found is None:
        raise Http404(f"There is no outcome {code!r} in the Framework.")
    earlier = outcome_get(code=code, version="2004")
    relevance = relevance_by_judgement(outcome=found)
    descriptor_set = descriptor_set_in_force(version_id=found.version_id)
    descriptors = descriptors_of(descriptor_set) if descriptor_set else {}
    return render(
        request,
        "framework/outcome.html",
        {
            "outcome": found,
            "judgements": [
                (kj, relevance[kj.code], descriptors.get(kj.code, {}))
                for kj in found.key_judgements.all()
            ],
            "descriptor_set": descriptor_set,
            "contributions": list(earlier.contributions.all()) if earlier else [],
            "earlier": earlier,
        },
    )


def principles(request: HttpRequest) -> HttpResponse:
    items = Principle.objects.filter(version__code=CURRENT_VERSION).prefetch_related("statements")
    return render(request, "framework/principles.html", {"principles": items})


def relevance(request: HttpRequest) -> HttpResponse:
    rows = relevance_matrix()
    labels = {c.value: c.label for c in InspectorateCode}
    for row in rows:
        row["bodies"] = [(labels[b], codes) for b, codes in sorted(row["relevance"].items())]
    return render(request, "framework/relevance.html", {"rows": rows})


def proposals_2004(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "framework/proposals_2004.html",
        {
            "version": FrameworkVersion.objects.filter(code="2004").first(),
            "outcomes": outcomes_for_version(version="2004"),
            "groups": VulnerableGroup.objects.prefetch_related("statements"),
            "aspects": ServiceManagementAspect.objects.all(),
            "sources": EvidenceSource.objects.all(),
            "principles": Principle.objects.filter(version__code="2004"),
        },
    )
