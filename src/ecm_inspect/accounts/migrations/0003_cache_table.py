"""The database cache's table (settings.CACHES, accounts/cache.py), so that `ecm migrate` alone
makes a new database ready: rate limits count there until Redis is configured."""

from django.core.management import call_command
from django.db import migrations

from ecm_inspect.accounts.cache import TABLE


def create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles_and_organisations")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
