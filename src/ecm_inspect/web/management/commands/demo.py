"""`ecm demo`: load the Framework and every reference and demo data set (idempotent)."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ecm_inspect.accounts.demo import demo_accounts
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
        if settings.ECM_DEMO_USERS:
            self._print_demo_accounts()

    def _print_demo_accounts(self) -> None:
        self.stdout.write(
            "\nDemo accounts (sign in at /sign-in/; the second factor takes a backup code, each "
            "works once and `ecm demo` tops them up):"
        )
        for account in demo_accounts():
            codes = ", ".join(account.backup_codes[:3])
            self.stdout.write(
                f"  {account.role.label:<32} {account.username:<20} "
                f"password {account.password:<28} codes {codes} ..."
            )
