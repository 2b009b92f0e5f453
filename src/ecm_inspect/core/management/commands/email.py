"""`ecm email retry [--failed]`: queue again the e-mails whose next attempt is due (where the
task backend cannot defer a task, this is how retries happen: run it from cron), and with
`--failed` the ones not delivered after their last attempt. `ecm email list`: the undelivered."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.template.defaultfilters import pluralize

from ecm_inspect.core.models import OutgoingEmail
from ecm_inspect.core.services import email_retry


class Command(BaseCommand):
    help = "Outgoing e-mail: retry what is due, list what was not delivered."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{retry,list}")
        retry = sub.add_parser("retry", help="Queue again the e-mails whose next attempt is due.")
        retry.add_argument(
            "--failed", action="store_true", help="Also those not delivered after the last attempt."
        )
        sub.add_parser("list", help="The e-mails not delivered and not yet handled.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retry":
            count = email_retry(failed_too=options["failed"])
            self.stdout.write(f"Queued {count} e-mail{pluralize(count)} again.")
            return
        for email in OutgoingEmail.objects.undelivered():
            self.stdout.write(
                f"{email.pk}\t{email.failed_at:%Y-%m-%d %H:%M}\t{email.purpose}\t{email.to}\t"
                f"{email.last_error}"
            )
