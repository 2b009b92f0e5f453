"""Access-checked fetches of setting inspections, the key judgements each body may make at one,
and a provider's history of inspections."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from ecm_inspect.framework.models import KeyJudgement, Relevance
from ecm_inspect.framework.selectors import in_force_code
from ecm_inspect.registry.models import Provider

from ..models import Judgement, SettingInspection


def setting_inspection_get_for_user(
    *, user: Any, inspection_id: int, perm: str = "provision.view_settinginspection"
) -> SettingInspection:
    """The inspection, if `user` holds `perm` on it: 404 if there is none (or it may not be
    seen at all), 403 if it may be seen but not acted on."""
    inspection = (
        SettingInspection.objects.select_related("lead_inspectorate")
        .prefetch_related("other_inspectorates", "inspectors", "inspected__provider__kind")
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None or not user.has_perm("provision.view_settinginspection", inspection):
        raise Http404("No such inspection.")
    if perm != "provision.view_settinginspection" and not user.has_perm(perm, inspection):
        raise PermissionDenied
    return inspection


def setting_inspections_for_user(*, user: Any) -> models.QuerySet[SettingInspection]:
    """Inspections `user` may see: published ones for everyone, all for inspectorate staff."""
    qs = SettingInspection.objects.select_related("lead_inspectorate").prefetch_related(
        "inspected__provider"
    )
    if user.has_perm("provision.view_settinginspection"):
        return qs
    return qs.published()


def judgements_of(inspection: SettingInspection) -> list[Judgement]:
    return list(
        inspection.judgements.select_related(
            "provider", "inspectorate", "key_judgement__outcome", "author"
        )
    )


@dataclass(frozen=True)
class JudgementChoice:
    provider: Provider
    inspectorate: Any
    key_judgements: list[KeyJudgement]


def relevant_judgements(*, inspection: SettingInspection) -> list[JudgementChoice]:
    """For each provider of the inspection and each body taking part: the key judgements the
    relevance matrix lets that body make about that kind of provider (what the form offers)."""
    bodies = [inspection.lead_inspectorate, *inspection.other_inspectorates.all()]
    providers = [
        ip.provider
        for ip in inspection.inspected.select_related("provider__kind", "provider__area")
    ]
    cells: dict[tuple[int, str], list[int]] = defaultdict(list)
    for kind_id, body, kj_id in Relevance.objects.filter(
        provider_kind_id__in={p.kind_id for p in providers},
        inspectorate__in=[b.code for b in bodies],
    ).values_list("provider_kind_id", "inspectorate", "key_judgement_id"):
        cells[(kind_id, str(body))].append(kj_id)
    # The Framework in force when the inspection started (ADR 0005).
    judgements = {
        kj.pk: kj
        for kj in KeyJudgement.objects.filter(version__code=in_force_code(inspection.starts_on))
    }
    choices = []
    for provider in providers:
        for inspectorate in bodies:
            ids = cells.get((provider.kind_id, inspectorate.code), [])
            if ids:
                kjs = sorted((judgements[i] for i in ids if i in judgements), key=_kj_order)
                choices.append(JudgementChoice(provider, inspectorate, kjs))
    return choices


def _kj_order(kj: KeyJudgement) -> tuple[int, int]:
    return (kj.outcome.order, kj.order)


def provider_history(*, provider: Provider, user: Any) -> list[SettingInspection]:
    """The provider's inspections the user may see, newest first, with their judgements."""
    qs = setting_inspections_for_user(user=user).filter(inspected__provider=provider)
    return list(
        qs.prefetch_related(
            models.Prefetch(
                "judgements",
                queryset=Judgement.objects.filter(provider=provider).select_related(
                    "key_judgement__outcome", "inspectorate"
                ),
            ),
            "other_inspectorates",
        ).distinct()
    )
