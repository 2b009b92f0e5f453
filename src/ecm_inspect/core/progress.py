"""Progress of long work, written where the web can read it while the work goes on.

Long work (a plan, the APA of every area) runs inside one transaction, or in threads the ORM
does not own (the solver's); what it writes there is invisible until it ends. A
`ProgressWriter` writes the fields of one row (a job's progress, message, heartbeat) on a
database connection of its own, in autocommit, at most once every `every` seconds: the page
that follows the work reads them at once, and the write is the work's heartbeat.
"""

from __future__ import annotations

import logging
import time
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import NO_RESULTS

logger = logging.getLogger(__name__)


class ProgressWriter:
    """Writes `values` to the row of `model` with primary key `pk` (and `only_if`, e.g. still
    running) on a connection of its own. Safe to call from a thread that is not the worker's
    own (the connection is shared for that); close it when the work ends."""

    def __init__(
        self,
        model: type[models.Model],
        pk: Any,
        *,
        every: float = 1.0,
        only_if: dict[str, Any] | None = None,
    ) -> None:
        self.rows = model._default_manager.filter(pk=pk, **(only_if or {}))
        self.every = every
        self.written: float | None = None
        self.connection: Any = connections.create_connection(DEFAULT_DB_ALIAS)
        self.connection.inc_thread_sharing()
        if self.connection.vendor == "sqlite":
            # One writer at a time: while the work's own transaction holds the file, a report
            # is skipped at once rather than waiting out the lock.
            self.connection.ensure_connection()
            with self.connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 50")

    def due(self) -> bool:
        """Whether a write now would be past the interval since the last one."""
        return self.written is None or time.monotonic() - self.written >= self.every

    def write(self, values: dict[str, Any], *, force: bool = False) -> bool:
        """Write `values` now if the interval has passed (or `force`); whether it wrote."""
        if self.connection is None or not (force or self.due()):
            return False
        self.written = time.monotonic()
        query = cast(UpdateQuery, self.rows.query.chain(UpdateQuery))
        query.add_update_values(values)
        try:
            query.get_compiler(connection=self.connection).execute_sql(NO_RESULTS)
        except DatabaseError as exc:  # progress is best effort; the work's result is not
            logger.info("progress of %s not written: %s", self.rows.model.__name__, exc)
            return False
        return True

    def close(self) -> None:
        if self.connection is not None:
            self.connection.dec_thread_sharing()
            self.connection.close()
            self.connection = None


def work_claim(model: type[models.Model], pk: Any, *, message: str) -> bool:
    """Take queued work for this worker: the row of `model` moves from queued to running (with
    its start, heartbeat and `message`) only if still queued, so two workers never both run it.
    Whether this worker took it."""
    from django.utils import timezone

    now = timezone.now()
    return bool(
        model._default_manager.filter(pk=pk, status=WorkStatus.QUEUED).update(
            status=WorkStatus.RUNNING, started_at=now, heartbeat_at=now, message=message
        )
    )


class WorkStatus(models.TextChoices):
    """Where a piece of background work is: the status of every job row the web follows."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE_WORK = (WorkStatus.QUEUED, WorkStatus.RUNNING)
