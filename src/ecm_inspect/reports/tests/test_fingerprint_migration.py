"""The data migration that carries standing sign-offs over to the new fingerprint."""

import hashlib
import importlib
import json

from django.apps import apps

from ecm_inspect.reports.models import ReviewJudgement
from ecm_inspect.reports.services import is_signed_off
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .test_reports import _ready

carry = importlib.import_module(
    "ecm_inspect.reports.migrations.0004_sign_offs_carried_to_the_new_fingerprint"
).carry


def _old(j: ReviewJudgement) -> str:
    items = sorted(j.evidence.values_list("pk", "version"))
    parts = [j.grade, j.finding, j.rationale, sorted(j.statement_findings.items()), items]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def test_standing_sign_offs_are_carried_and_stale_ones_stay_stale(rw: ReviewWorld) -> None:
    signed = _ready(rw)
    standing, stale = signed[0], signed[1]
    ReviewJudgement.objects.filter(pk=standing.pk).update(signed_off_fingerprint=_old(standing))
    # Signed off under the old fingerprint, then changed: the sign-off no longer stood.
    ReviewJudgement.objects.filter(pk=stale.pk).update(signed_off_fingerprint=_old(stale))
    ReviewJudgement.objects.filter(pk=stale.pk).update(finding="Changed after sign-off.")
    assert not is_signed_off(ReviewJudgement.objects.get(pk=standing.pk))
    carry(apps, None)
    assert is_signed_off(ReviewJudgement.objects.get(pk=standing.pk))
    assert not is_signed_off(ReviewJudgement.objects.get(pk=stale.pk))
