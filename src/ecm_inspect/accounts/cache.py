"""The shared cache store when no Redis is configured: Django's DatabaseCache, with one change.

Django's `DatabaseCache.incr` reads the value and writes it back in two statements, so two
processes counting at once both read 5 and both write 6: a rate limit counted that way lets
through more than its limit. Here `incr` is one transaction that writes before it reads: the
first statement takes the row's lock (PostgreSQL) or the database's write lock (SQLite), so a
second process waits for the first and then reads its value. Everything else is Django's.
"""

import base64
import pickle
import time
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import OperationalError, connections, models, router, transaction
from django.utils.timezone import now as tz_now

TABLE = "ecm_cache"  # settings.CACHES and the migration that creates it (accounts 0003)
_TRIES = 100  # SQLite's shared-cache memory database (the tests) refuses at once when locked


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        for attempt in range(_TRIES):
            try:
                return self._incr(db, key, delta)
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == _TRIES - 1:
                    raise
                time.sleep(0.01)
        raise AssertionError("unreachable")  # pragma: no cover

    def _incr(self, db: str, key: str, delta: int) -> Any:
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key = quote(self._table), quote("cache_key")  # type: ignore[attr-defined]
        value_column, expires_column = quote("value"), quote("expires")
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # Write first: the lock is taken before the value is read.
            cursor.execute(
                f"UPDATE {table} SET {expires_column} = {expires_column} "  # noqa: S608
                f"WHERE {cache_key} = %s",
                [key],
            )
            if cursor.rowcount != 1:
                raise ValueError(f"Key '{key}' not found")
            cursor.execute(
                f"SELECT {value_column}, {expires_column} FROM {table} "  # noqa: S608
                f"WHERE {cache_key} = %s",
                [key],
            )
            stored, expires = cursor.fetchone()
            expression = models.Expression(output_field=models.DateTimeField())
            for converter in connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection):
                expires = converter(expires, expression, connection)
            if expires < tz_now():
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(stored)
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s",  # noqa: S608
                [encoded, key],
            )
        return value
