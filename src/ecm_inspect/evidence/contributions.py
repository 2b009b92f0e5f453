"""Appendix 2 of the 2004 proposals put to work at the analysis: for each key judgement in
scope, the service contributions bearing on it (framework/data/contributions-2005.yaml), the
evidence one would expect from each contributing kind of provider, what was found and what is
missing. A missing expected source is a reason for fieldwork (analysis.py)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from ecm_inspect.framework.models import Relevance, ServiceContribution
from ecm_inspect.provision.selectors import AreaPool, KeyJudgementPool, area_pool
from ecm_inspect.registry.models import Provider
from ecm_inspect.reviews.models import Review

from .models import EvidenceItem, EvidenceKind

# A missing expected source forces fieldwork when the kinds missing hold at least this share of
# the area's providers of the kinds expected to contribute to the judgement, and at least
# MIN_MISSING_PROVIDERS of them: one day nursery not inspected barely contributes.
MISSING_SHARE = 0.25
MIN_MISSING_PROVIDERS = 3

# Evidence other than setting inspections that comes from a kind of provider: the council's
# education and social care services are assessed in the APA (with its indicators and the
# self-assessment), health services by the Healthcare Commission, the police by HMIC (2004
# proposals, "Differentiating fieldwork": "similar assessments of relevant health and police
# services").
OTHER_EVIDENCE: dict[str, frozenset[str]] = {
    "council_childrens_services": frozenset(
        {
            EvidenceKind.APA_FINDINGS,
            EvidenceKind.PERFORMANCE_DATA,
            EvidenceKind.SELF_ASSESSMENT,
            EvidenceKind.PLAN,
        }
    ),
    "primary_care_trust": frozenset({EvidenceKind.HEALTH_ASSESSMENT}),
    "hospital": frozenset({EvidenceKind.HEALTH_ASSESSMENT}),
    "police_force": frozenset({EvidenceKind.POLICE_ASSESSMENT}),
}


@dataclass
class SourceCheck:
    """One kind of provider expected to contribute to a key judgement, and what was found."""

    kind_code: str
    kind: str
    inspectorates: list[str]
    expected: str
    providers: int  # open providers of the kind in the area (at least those found)
    inspections: int  # distinct recent inspections of them on the key judgement
    other_evidence: list[str]  # titles of other evidence from that service

    @property
    def status(self) -> str:
        if self.inspections or self.other_evidence:
            return "found"
        return "missing" if self.providers else "none in the area"


@dataclass
class ContributionCheck:
    code: str
    text: str
    sources: list[SourceCheck]


@dataclass
class ExpectedEvidence:
    """For one key judgement: the Appendix 2 contributions bearing on it and their sources."""

    key_judgement: str
    contributions: list[ContributionCheck]
    missing_share: float
    forces_fieldwork: bool

    @property
    def missing(self) -> list[SourceCheck]:
        seen: dict[str, SourceCheck] = {}
        for c in self.contributions:
            for s in c.sources:
                if s.status == "missing":
                    seen.setdefault(s.kind_code, s)
        return list(seen.values())

    @property
    def found(self) -> list[SourceCheck]:
        seen: dict[str, SourceCheck] = {}
        for c in self.contributions:
            for s in c.sources:
                if s.status == "found":
                    seen.setdefault(s.kind_code, s)
        return list(seen.values())

    def describe_missing(self) -> str:
        return "; ".join(
            f"{s.kind} ({s.providers} in the area): none inspected on {self.key_judgement} in "
            "the last three years, and no other evidence from that service"
            for s in self.missing
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "missing_share": round(self.missing_share, 2),
            "forces_fieldwork": self.forces_fieldwork,
            "contributions": [
                {
                    "code": c.code,
                    "text": c.text,
                    "sources": [
                        {
                            "provider_kind": s.kind_code,
                            "name": s.kind,
                            "inspectorates": s.inspectorates,
                            "expected": s.expected,
                            "providers_in_area": s.providers,
                            "recent_inspections": s.inspections,
                            "other_evidence": s.other_evidence,
                            "status": s.status,
                        }
                        for s in c.sources
                    ],
                }
                for c in self.contributions
            ],
        }


def expected_evidence(
    *, review: Review, pool: AreaPool | None = None, items: list[EvidenceItem] | None = None
) -> dict[str, ExpectedEvidence]:
    """Per key judgement in scope (by code): the evidence one would expect from each service
    that Appendix 2 says contributes to it, what was found (recent inspections of that kind of
    provider in the area on it, from the pool; other evidence from that service) and what is
    missing. Computed on the fly from the Framework, the pool and the evidence held."""
    pool = pool or area_pool(area=review.area, as_of=review.analysis_starts_on)
    if items is None:
        items = list(EvidenceItem.objects.filter(review=review).prefetch_related("key_judgements"))
    by_code: dict[str, KeyJudgementPool] = {p.code: p for p in pool.key_judgements}
    kinds_of_items: dict[str, list[EvidenceItem]] = defaultdict(list)
    for item in items:
        for kj in item.key_judgements.all():
            kinds_of_items[kj.code].append(item)
    from .analysis import in_scope_judgements  # the analysis reads this module

    judgements = in_scope_judgements(review)
    open_providers = dict(
        Provider.objects.filter(area=review.area, closed_on__isnull=True)
        .values_list("kind__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    relevance: dict[tuple[str, str], list[str]] = defaultdict(list)  # (kind, kj) -> bodies
    for kind_code, body, code in Relevance.objects.filter(
        key_judgement__version__code=review.framework_code
    ).values_list("provider_kind__code", "inspectorate", "key_judgement__code"):
        relevance[(kind_code, code)].append(body)
    contributions = (
        ServiceContribution.objects.filter(key_judgements__version__code=review.framework_code)
        .prefetch_related("key_judgements", "provider_kinds")
        .order_by("outcome__order", "order")
        .distinct()
    )
    per_kj: dict[str, list[ServiceContribution]] = defaultdict(list)
    for c in contributions:
        for kj in c.key_judgements.all():
            per_kj[kj.code].append(c)
    out: dict[str, ExpectedEvidence] = {}
    for kj in judgements:
        kj_pool = by_code.get(kj.code)
        gaps = {g.kind_code: g.providers for g in kj_pool.gaps} if kj_pool else {}
        recent: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for f in kj_pool.findings if kj_pool else []:
            if not f.is_stale:
                recent[f.kind_code].add((f.inspection_id, f.provider_id))
        mine = kinds_of_items.get(kj.code, [])
        checks = []
        providers_by_kind: dict[str, SourceCheck] = {}
        for c in per_kj.get(kj.code, []):
            sources = []
            for kind in c.provider_kinds.all():
                judging = [b for b in relevance.get((kind.code, kj.code), []) if b]
                other_kinds = OTHER_EVIDENCE.get(kind.code, frozenset())
                if not judging and not other_kinds:
                    continue  # neither inspected on it nor assessed otherwise: not expected
                bodies = sorted(set(judging) & set(c.inspectorates)) or sorted(
                    set(judging) or set(c.inspectorates)
                )
                names = [_body_name(b) for b in bodies]
                expected = (
                    f"Recent inspections of {kind.name.lower()} by {' or '.join(names)} on "
                    f"{kj.code}"
                    if judging
                    else ""
                )
                if other_kinds:
                    others = ", ".join(sorted(EvidenceKind(k).label.lower() for k in other_kinds))
                    expected = f"{expected}; or {others}" if expected else others.capitalize()
                found = recent.get(kind.code, set())
                source = SourceCheck(
                    kind_code=kind.code,
                    kind=kind.name,
                    inspectorates=names,
                    expected=expected,
                    providers=max(
                        open_providers.get(kind.code, 0),
                        gaps.get(kind.code, 0),
                        len({p for _, p in found}),
                    ),
                    inspections=len(found),
                    other_evidence=[i.title for i in mine if i.kind in other_kinds],
                )
                if kind.code == "council_childrens_services" and not source.providers:
                    source.providers = 1  # every area has its council
                sources.append(source)
                providers_by_kind.setdefault(kind.code, source)
            checks.append(ContributionCheck(c.code, c.text, sources))
        total = sum(s.providers for s in providers_by_kind.values())
        missing = sum(s.providers for s in providers_by_kind.values() if s.status == "missing")
        share = missing / total if total else 0.0
        forces = share >= MISSING_SHARE and missing >= MIN_MISSING_PROVIDERS
        out[kj.code] = ExpectedEvidence(kj.code, checks, share, forces)
    return out


# The inspectorates as the text names them.
BODY_NAMES = {
    "OFSTED": "Ofsted",
    "CSCI": "CSCI",
    "HEALTHCARE_COMMISSION": "the Healthcare Commission",
    "AUDIT_COMMISSION": "the Audit Commission",
    "ALI": "ALI",
    "HMIC": "HMIC",
    "HMI_PROBATION": "HMI Probation",
    "HMI_PRISONS": "HMI Prisons",
    "HMCPSI": "HMCPSI",
    "HMICA": "HMICA",
}


def _body_name(code: str) -> str:
    return BODY_NAMES.get(code, code)
