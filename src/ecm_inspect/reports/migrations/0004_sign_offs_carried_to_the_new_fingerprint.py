"""Sign-offs that still stood before the fingerprint took in "not judged" and the reasons for
evidence are carried over: where the old fingerprint still matches, the new one is stored (the
new fields are empty then, so nothing signed off has changed). A sign-off that no longer stood
stays stale."""

import hashlib
import json

from django.db import migrations


def _digest(parts: list) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def carry(apps, schema_editor):
    judgements = apps.get_model("reports", "ReviewJudgement")
    for j in judgements.objects.exclude(signed_off_fingerprint="").iterator():
        items = sorted(j.evidence.values_list("pk", "version"))
        old = [j.grade, j.finding, j.rationale, sorted(j.statement_findings.items()), items]
        if _digest(old) != j.signed_off_fingerprint:
            continue
        new = [
            *old,
            j.not_judged,
            j.not_judged_reason,
            sorted((str(k), v) for k, v in j.evidence_reasons.items()),
        ]
        judgements.objects.filter(pk=j.pk).update(signed_off_fingerprint=_digest(new))


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_judged_by_the_team_errata")]
    operations = [migrations.RunPython(carry, migrations.RunPython.noop)]
