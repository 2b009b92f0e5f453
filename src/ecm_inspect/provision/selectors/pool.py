"""The evidence of setting inspections pooled for each area, in named steps: the latest
findings (distribution, dates, children), the judgements not made, conflicting findings, coverage
gaps, the findings themselves for one area's page, and the pools by vulnerable group and outcome.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import (
    KeyJudgement,
    Outcome,
    ProviderKind,
    Relevance,
    VulnerableGroupCode,
)
from ecm_inspect.framework.selectors import in_force_code
from ecm_inspect.registry.models import Area, Provider, provider_display_name

from ..models import InspectionStatus, Judgement
from .queries import _as_date, _children_by_provider, _latest_aggregates, _latest_findings
from .records import (
    CONFLICT_GAP,
    GRADES,
    RECENT_YEARS,
    AreaPool,
    Conflict,
    Finding,
    Gap,
    GroupPool,
    KeyJudgementPool,
    OutcomePool,
    years_before,
)

# The pools of each area, by key judgement id.
Pools = dict[int, dict[int, KeyJudgementPool]]


@dataclass(frozen=True)
class _Kinds:
    """The kinds of provider: name and code by id, and code by name."""

    names: dict[int, str]
    codes: dict[int, str]
    code_by_name: dict[str, str]


@dataclass
class _Latest:
    """What the one aggregate statement says besides the pools it fills."""

    recently_judged: set[tuple[int, int, int]]  # (area, kind, key judgement)
    group_providers: dict[tuple[int, str], int]
    once: dict[tuple[int, int], dict[Grade, int]]


@dataclass
class _OpenProviders:
    """Per (area, kind): the open providers and the children known at them; every provider's
    name by id."""

    counts: dict[tuple[int, int], int]
    children_known: dict[tuple[int, int], int]
    names: dict[int, str]


def areas_pool(
    *,
    areas: Iterable[Area] | None = None,
    as_of: datetime.date | None = None,
    with_findings: bool = False,
) -> dict[int, AreaPool]:
    """The pooled evidence of setting inspections for each area (every area if none given),
    keyed by area id. See `area_pool`; `with_findings` also lists each provider's latest
    finding per key judgement (for one area's page; the national run leaves it out)."""
    as_of = as_of or timezone.localdate()
    recent_since = years_before(as_of, RECENT_YEARS)
    area_ids = (
        [a.pk for a in areas]
        if areas is not None
        else list(Area.objects.values_list("pk", flat=True))
    )
    kjs = list(
        KeyJudgement.objects.filter(version__code=in_force_code())
        .select_related("outcome")
        .order_by("outcome__order", "order")
    )
    kinds = _read_kinds()
    pools: Pools = {a: _fresh_pools(kjs) for a in area_ids}
    everywhere = areas is None
    in_areas = None if everywhere else area_ids

    # 1. Distribution, dates and children of each provider's latest finding, and the distinct
    # providers judged on each vulnerable group's key judgements: one statement.
    latest = _read_latest(pools, area_ids=in_areas, recent_since=recent_since)
    # 2. Not judged, with a reason (recent ones count as inspected, for the coverage gaps).
    _add_not_judged(pools, latest, area_ids=in_areas, recent_since=recent_since)
    # 3. Conflicts: recent findings on one provider and judgement, CONFLICT_GAP or more apart.
    conflicting = _read_conflicts(area_ids=in_areas, recent_since=recent_since)
    # 4. Coverage gaps and the children at relevant providers.
    open_providers = _read_open_providers(area_ids)
    _add_conflicts(pools, conflicting, open_providers.names)
    _add_gaps(pools, open_providers, kinds, latest.recently_judged)
    _sort_conflicts_and_gaps(pools)
    # 5. The findings themselves, for one area's page.
    if with_findings:
        _add_findings(pools, area_ids, recent_since=recent_since, kinds=kinds)
        _count_spread(pools, area_ids)
    # 6. By vulnerable group and by outcome.
    outcomes = list(Outcome.objects.filter(version__code=in_force_code()).order_by("order"))
    result: dict[int, AreaPool] = {}
    for area_id in area_ids:
        by_kj = pools[area_id]
        ordered = [by_kj[kj.pk] for kj in kjs]
        result[area_id] = AreaPool(
            area_id=area_id,
            as_of=as_of,
            recent_since=recent_since,
            key_judgements=ordered,
            groups=_group_pools(ordered, area_id, latest.group_providers),
            outcomes=_outcome_pools(ordered, area_id, outcomes, latest.once),
        )
    return result


def _read_kinds() -> _Kinds:
    kinds = dict(ProviderKind.objects.values_list("pk", "name"))
    kind_codes = dict(ProviderKind.objects.values_list("pk", "code"))
    kind_by_name = {name: kind_codes[pk] for pk, name in kinds.items()}
    return _Kinds(names=kinds, codes=kind_codes, code_by_name=kind_by_name)


def _fresh_pools(kjs: list[KeyJudgement]) -> dict[int, KeyJudgementPool]:
    return {
        kj.pk: KeyJudgementPool(
            code=kj.code,
            text=kj.text,
            outcome_code=kj.outcome.code,
            vulnerable_group=kj.vulnerable_group,
        )
        for kj in kjs
    }


def _published_judgements(area_ids: list[int] | None) -> models.QuerySet[Judgement]:
    """Published judgements in the areas pooled (None: everywhere), unordered (so grouping adds
    no columns)."""
    qs = Judgement.objects.filter(inspection__status=InspectionStatus.PUBLISHED).order_by()
    return qs if area_ids is None else qs.filter(provider__area_id__in=area_ids)


def _read_latest(
    pools: Pools, *, area_ids: list[int] | None, recent_since: datetime.date
) -> _Latest:
    """Step 1: fill each pool's distribution, dates, stale count and children from the latest
    findings; return the providers judged per vulnerable group, each inspection's grade per
    outcome, and which (area, kind, key judgement) were judged recently."""
    latest = _Latest(
        recently_judged=set(),
        group_providers={},
        once=defaultdict(lambda: dict.fromkeys(Grade, 0)),
    )
    for aggregate in _latest_aggregates(area_ids=area_ids, recent_since=recent_since):
        area_id, kind_id, kj_id, group, grade, n, newest, oldest, stale, children, outcome = (
            aggregate
        )
        if outcome is not None:
            latest.once[(area_id, outcome)][GRADES[int(grade)]] += n
            continue
        if group is not None:
            latest.group_providers[(area_id, group)] = n
            continue
        if stale < n:
            latest.recently_judged.add((area_id, kind_id, kj_id))
        pool = pools[area_id].get(kj_id)
        if pool is None:
            continue
        pool.distribution[GRADES[grade]] += n
        pool.providers_judged += n
        pool.stale += stale
        pool.children_covered += children or 0
        newest, oldest = _as_date(newest), _as_date(oldest)
        pool.newest = newest if pool.newest is None else max(pool.newest, newest)
        pool.oldest = oldest if pool.oldest is None else min(pool.oldest, oldest)
    return latest


def _add_not_judged(
    pools: Pools, latest: _Latest, *, area_ids: list[int] | None, recent_since: datetime.date
) -> None:
    """Step 2: count the judgements not made (with a reason); a recent one counts as inspected,
    for the coverage gaps."""
    for row in (
        _published_judgements(area_ids)
        .filter(grade__isnull=True)
        .values("provider__area_id", "provider__kind_id", "key_judgement_id")
        .annotate(
            n=Count("id"), recent=Count("id", filter=Q(inspection__ends_on__gte=recent_since))
        )
    ):
        if row["recent"]:
            latest.recently_judged.add(
                (row["provider__area_id"], row["provider__kind_id"], row["key_judgement_id"])
            )
        pool = pools[row["provider__area_id"]].get(row["key_judgement_id"])
        if pool is not None:
            pool.not_judged += row["n"]


def _read_conflicts(
    *, area_ids: list[int] | None, recent_since: datetime.date
) -> list[tuple[int, int, int, int, int]]:
    """Step 3: (area, key judgement, provider, lowest, highest) of recent findings on one
    provider and judgement CONFLICT_GAP or more apart (grouped without the provider's name,
    which comes from the providers read in step 4)."""
    conflicts = (
        _published_judgements(area_ids)
        .filter(
            grade__isnull=False,
            inspection__ends_on__gte=recent_since,
        )
        .values("provider__area_id", "key_judgement_id", "provider_id")
        .annotate(
            lowest=Min("grade", output_field=models.IntegerField()),
            highest=Max("grade", output_field=models.IntegerField()),
        )
        .filter(highest__gte=F("lowest") + CONFLICT_GAP)
        .values_list("provider__area_id", "key_judgement_id", "provider_id", "lowest", "highest")
    )
    return list(conflicts)


def _read_open_providers(area_ids: list[int]) -> _OpenProviders:
    """Step 4: the open providers of each kind in each area, the children known at them, and
    every provider's name."""
    open_providers: dict[tuple[int, int], int] = {}
    children_known: dict[tuple[int, int], int] = defaultdict(int)
    children = _children_by_provider(area_ids)
    names: dict[int, str] = {}
    provider_rows = Provider.objects.filter(area_id__in=area_ids).values_list(
        "pk", "area_id", "kind_id", "name", "closed_on"
    )
    for pk, area_id, kind_id, name, closed_on in provider_rows.iterator(chunk_size=5000):
        names[pk] = name
        if closed_on is not None:
            continue
        key = (area_id, kind_id)
        open_providers[key] = open_providers.get(key, 0) + 1
        if pk in children:
            children_known[key] += children[pk]
    return _OpenProviders(counts=open_providers, children_known=children_known, names=names)


def _add_conflicts(
    pools: Pools, conflicting: list[tuple[int, int, int, int, int]], names: dict[int, str]
) -> None:
    for area_id, kj_id, provider_id, lowest, highest in conflicting:
        pool = pools[area_id].get(kj_id)
        if pool is not None:
            pool.conflicts.append(
                Conflict(provider_id, names[provider_id], GRADES[lowest], GRADES[highest])
            )


def _add_gaps(
    pools: Pools,
    open_providers: _OpenProviders,
    kinds: _Kinds,
    recently_judged: set[tuple[int, int, int]],
) -> None:
    """Step 4: the children at providers each key judgement is relevant to, and the relevant
    kinds of provider in the area none of which was judged on it recently."""
    relevant: dict[int, set[int]] = defaultdict(set)  # kind -> key judgements
    for kind_id, kj_id in Relevance.objects.values_list("provider_kind_id", "key_judgement_id"):
        relevant[kind_id].add(kj_id)
    children_known = open_providers.children_known
    for (area_id, kind_id), count in open_providers.counts.items():
        for kj_id in relevant.get(kind_id, ()):
            pool = pools[area_id].get(kj_id)
            if pool is None:
                continue
            if (area_id, kind_id) in children_known:
                pool.children_in_relevant_providers = (
                    pool.children_in_relevant_providers or 0
                ) + children_known[(area_id, kind_id)]
            if (area_id, kind_id, kj_id) not in recently_judged:
                pool.gaps.append(Gap(kinds.names[kind_id], count, kinds.codes[kind_id]))


def _sort_conflicts_and_gaps(pools: Pools) -> None:
    for by_kj in pools.values():
        for pool in by_kj.values():
            pool.gaps.sort(key=lambda g: g.kind)
            pool.conflicts.sort(key=lambda c: (c.provider_name, c.provider_id))


def _add_findings(
    pools: Pools, area_ids: list[int], *, recent_since: datetime.date, kinds: _Kinds
) -> None:
    """Step 5: each provider's latest graded finding on each key judgement, by provider name."""
    rows = (
        _latest_findings(area_ids)
        .values(
            "provider__area_id",
            "key_judgement_id",
            "provider_id",
            "provider__name",
            "provider__urn",
            "provider__sub_type",
            "provider__area__name",
            "provider__kind__name",
            "grade",
            "inspection__ends_on",
            "inspection__date_is_estimate",
            "inspectorate__short_name",
            "inspection_id",
        )
        .order_by("provider__name")
    )
    for found in rows:
        pool = pools[found["provider__area_id"]].get(found["key_judgement_id"])
        if pool is not None and found["grade"] is not None:
            pool.findings.append(
                Finding(
                    provider_id=found["provider_id"],
                    provider_name=provider_display_name(
                        name=found["provider__name"],
                        urn=found["provider__urn"],
                        sub_type=found["provider__sub_type"],
                        kind_name=found["provider__kind__name"],
                        area_name=found["provider__area__name"],
                    ),
                    kind=found["provider__kind__name"],
                    grade=Grade(found["grade"]),
                    inspected_on=found["inspection__ends_on"],
                    date_is_estimate=found["inspection__date_is_estimate"],
                    inspectorate=found["inspectorate__short_name"],
                    inspection_id=found["inspection_id"],
                    is_stale=found["inspection__ends_on"] < recent_since,
                    kind_code=kinds.code_by_name.get(found["provider__kind__name"], ""),
                )
            )


def _count_spread(pools: Pools, area_ids: list[int]) -> None:
    """Step 5: inspections that gave one grade to several key judgements (a spread overall
    grade)."""
    for area_id in area_ids:
        grades_of: dict[tuple[int, int], set[Grade]] = defaultdict(set)
        judged: dict[tuple[int, int], int] = defaultdict(int)
        for pool in pools[area_id].values():
            for f in pool.findings:
                grades_of[(f.inspection_id, f.provider_id)].add(f.grade)
                judged[(f.inspection_id, f.provider_id)] += 1
        spread = {k for k, g in grades_of.items() if len(g) == 1 and judged[k] > 1}
        for pool in pools[area_id].values():
            pool.spread = sum(
                1 for f in pool.findings if (f.inspection_id, f.provider_id) in spread
            )


def _group_pools(
    ordered: list[KeyJudgementPool], area_id: int, group_providers: dict[tuple[int, str], int]
) -> list[GroupPool]:
    """Step 6: the area's pools by vulnerable group."""
    groups = []
    for code in VulnerableGroupCode:
        members = [p for p in ordered if p.vulnerable_group == code]
        group = GroupPool(
            code=code.value,
            title=str(code.label),
            key_judgements=[p.code for p in members],
            providers_judged=group_providers.get((area_id, code.value), 0),
            conflicts=sum(len(p.conflicts) for p in members),
            gaps=sum(len(p.gaps) for p in members),
        )
        for p in members:
            for grade, n in p.distribution.items():
                group.distribution[grade] += n
        groups.append(group)
    return groups


def _outcome_pools(
    ordered: list[KeyJudgementPool],
    area_id: int,
    outcomes: list[Outcome],
    once: dict[tuple[int, int], dict[Grade, int]],
) -> list[OutcomePool]:
    """Step 6: the area's pools by outcome."""
    by_outcome = []
    for outcome in outcomes:
        op = OutcomePool(code=outcome.code, title=outcome.title)
        op.by_inspection.update(once.get((area_id, outcome.pk), {}))
        for p in ordered:
            if p.outcome_code == outcome.code:
                for grade, n in p.distribution.items():
                    op.distribution[grade] += n
        by_outcome.append(op)
    return by_outcome


def area_pool(*, area: Area, as_of: datetime.date | None = None) -> AreaPool:
    """The evidence from setting inspections in `area`, pooled for each key judgement: the
    providers judged and the distribution of their latest grades, the share of children
    covered where known, the date of each finding and how many are stale (older than
    RECENT_YEARS), conflicting recent findings, and coverage gaps (relevant kinds of provider
    in the area with no recent inspection on it). Also pooled for each vulnerable group and
    for each outcome. Used by the area page and, later, by APA and joint area reviews.

    Only published inspections count: the pool is public, and an outcome is not evidence until
    its inspectorate has published it."""
    return areas_pool(areas=[area], as_of=as_of, with_findings=True)[area.pk]
