"""Framework versions in force: a status and an effective date per version, and codes of aims,
key judgements and scope rules unique within their version (so a revision can restate them).
docs/adr/0005-framework-versions-in-force.md."""

import datetime

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Version = apps.get_model("framework", "FrameworkVersion")
    for model in ("Aim", "KeyJudgement"):
        Model = apps.get_model("framework", model)
        for version_id in Version.objects.values_list("pk", flat=True):
            Model.objects.filter(outcome__version_id=version_id).update(version_id=version_id)
    # The 2005 Framework applied from 1 September 2005, when the first joint area reviews began.
    Version.objects.filter(code="2005").update(effective_from=datetime.date(2005, 9, 1))


class Migration(migrations.Migration):
    dependencies = [("framework", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="frameworkversion",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft: being reviewed, not used by any inspection"),
                    ("published", "Published"),
                ],
                default="published",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="frameworkversion",
            name="effective_from",
            field=models.DateField(
                blank=True,
                null=True,
                help_text="Inspections starting on or after this day use this version. Empty for "
                "a reference version that is never in force (the 2004 proposals).",
            ),
        ),
        migrations.AddField(
            model_name="frameworkversion",
            name="supersedes",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="superseded_by",
                to="framework.frameworkversion",
            ),
        ),
        migrations.AddField(
            model_name="aim",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="aims",
                to="framework.frameworkversion",
            ),
        ),
        migrations.AddField(
            model_name="keyjudgement",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="key_judgements",
                to="framework.frameworkversion",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="aim",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="aims",
                to="framework.frameworkversion",
            ),
        ),
        migrations.AlterField(
            model_name="keyjudgement",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="key_judgements",
                to="framework.frameworkversion",
            ),
        ),
        migrations.AlterField(model_name="aim", name="code", field=models.CharField(max_length=8)),
        migrations.AlterField(
            model_name="keyjudgement", name="code", field=models.CharField(max_length=8)
        ),
        migrations.AlterField(
            model_name="scoperule", name="code", field=models.CharField(max_length=8)
        ),
        migrations.AddConstraint(
            model_name="aim",
            constraint=models.UniqueConstraint(fields=("version", "code"), name="aim_code_unique"),
        ),
        migrations.AddConstraint(
            model_name="keyjudgement",
            constraint=models.UniqueConstraint(
                fields=("version", "code"), name="key_judgement_code_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="scoperule",
            constraint=models.UniqueConstraint(
                fields=("version", "code"), name="scope_rule_code_unique"
            ),
        ),
    ]
