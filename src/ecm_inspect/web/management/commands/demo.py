"""`ecm demo`: load the Framework and every reference and demo data set (idempotent)."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from ecm_inspect.web.services import demo_steps


class Command(BaseCommand):
    help = "Load the Framework and all reference and demo data; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        steps = demo_steps()
        for number, (title, step) in enumerate(steps, 1):
            started = time.perf_counter()
            self.stdout.write(f"[{number}/{len(steps)}] {title} ...", ending="")
            self.stdout.flush()
            step()
            self.stdout.write(f" done in {time.perf_counter() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
