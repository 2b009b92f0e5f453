"""`ecm retention [--apply] [--yes] [--today YYYY-MM-DD]`: what the retention timetable says is
past its time, and (with --apply, after confirming) erase it. Run daily by the administrators'
scheduler (docs/retention.md)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ecm_inspect.web.retention import retention_apply, retention_due


class Command(BaseCommand):
    help = "Show what the retention timetable says is past its time; --apply erases it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Erase what is past its time.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before erasing (for the scheduler)."
        )
        parser.add_argument("--today", help="The day to count from (YYYY-MM-DD); today if unset.")

    def handle(self, *args: Any, **o: Any) -> None:
        today = self._today(o["today"])
        due = retention_due(today=today)
        self.stdout.write(f"Past its time on {today:%d %B %Y}:")
        for line in due.lines():
            self.stdout.write(f"  {line}")
        if not o["apply"]:
            self.stdout.write("Nothing erased: add --apply to erase it.")
            return
        if due.total == 0:
            self.stdout.write("Nothing to erase.")
            return
        if (
            not o["yes"]
            and input(
                f"Erase these {due.total} records? This cannot be undone. Type yes to go on: "
            )
            .strip()
            .lower()
            != "yes"
        ):
            raise CommandError("Nothing erased: not confirmed.")
        done = retention_apply(today=today)
        self.stdout.write(self.style.SUCCESS(f"Erased {done.total} records."))

    @staticmethod
    def _today(value: str | None) -> date:
        if not value:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--today: {value!r} is not a date (YYYY-MM-DD)") from exc
