"""`ecm users create|list|grant`: user administration from the command line.

Run on the server, the command acts as the administrator. With `--by USERNAME` it acts as that
person and the policy decides, as it would in the web app (an inspectorate lead may add and
change only their own body's inspectors and review team leaders)."""

import getpass
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.accounts.rules import acting_on_the_server
from ecm_inspect.accounts.services import AccountError, organisation_for, user_create, user_grant
from ecm_inspect.core.concurrency import EditConflict

ORGANISATION_HELP = (
    "inspectorate:CODE (e.g. inspectorate:OFSTED), council:GSS_CODE (e.g. council:E08000037) "
    "or partner:GSS_CODE:NAME"
)


class Command(BaseCommand):
    help = "Create, list and grant roles to users."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,grant}")
        create = sub.add_parser("create", help="Create a user with a role and an organisation.")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--organisation", required=True, help=ORGANISATION_HELP)
        create.add_argument("--full-name", default="")
        create.add_argument("--email", default="")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (otherwise it is asked for).",
        )
        create.add_argument("--by", help="Act as this user; the permission policy applies.")

        listing = sub.add_parser("list", help="List users.")
        listing.add_argument("--role", choices=Role.values)
        listing.add_argument("--format", choices=["table", "json"], default="table")

        grant = sub.add_parser("grant", help="Give a user a role (and optionally move them).")
        grant.add_argument("username")
        grant.add_argument("--role", required=True, choices=Role.values)
        grant.add_argument("--organisation", help=ORGANISATION_HELP)
        grant.add_argument("--by", help="Act as this user; the permission policy applies.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (AccountError, EditConflict) as exc:
            raise CommandError(str(exc)) from exc

    def _acting(self, username: str | None) -> User | None:
        if not username:
            return None
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"--by: no active user {username!r}")
        actor = acting_on_the_server(actor)  # the operator's shell stands in for their 2nd factor
        return actor

    def _create(self, options: dict[str, Any]) -> None:
        actor = self._acting(options["by"])
        organisation = organisation_for(options["organisation"])
        proposed = User(username=options["username"], role=options["role"])
        proposed.organisation = organisation
        if actor is not None and not actor.has_perm("accounts.add_user", proposed):
            raise CommandError(
                f"{actor.username} may not create a {Role(options['role']).label.lower()} "
                f"at {organisation}"
            )
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("the passwords do not match")
        user = user_create(
            username=options["username"],
            role=options["role"],
            organisation=organisation,
            password=password,
            full_name=options["full_name"],
            email=options["email"],
            by=actor,
        )
        self.stdout.write(
            f"Created {user.username}: {user.get_role_display()}, {user.organisation}. "
            "They set up their second factor when they first sign in."
        )

    def _list(self, options: dict[str, Any]) -> None:
        users = User.objects.select_related(
            "organisation__inspectorate", "organisation__area", "organisation__partner"
        ).order_by("username")
        if options["role"]:
            users = users.filter(role=options["role"])
        rows: list[dict[str, Any]] = [
            {
                "username": u.username,
                "full_name": u.full_name,
                "role": u.role,
                "organisation": str(u.organisation) if u.organisation else "",
                "active": u.is_active,
                "demo": u.is_demo,
            }
            for u in users
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        width = max([len(r["username"]) for r in rows] + [8])
        for r in rows:
            flags = ("" if r["active"] else " (inactive)") + (" (demo)" if r["demo"] else "")
            self.stdout.write(
                f"{r['username']:<{width}}  {r['role'] or '-':<20}  {r['organisation']}{flags}"
            )
        self.stdout.write(f"{len(rows)} user{pluralize(len(rows))}")

    def _grant(self, options: dict[str, Any]) -> None:
        actor = self._acting(options["by"])
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        spec = options["organisation"]
        organisation = organisation_for(spec) if spec else None
        if actor is not None:
            proposed = User(pk=user.pk, username=user.username, role=options["role"])
            proposed.organisation = organisation or user.organisation
            if not (
                actor.has_perm("accounts.change_user", user)
                and actor.has_perm("accounts.change_user", proposed)
            ):
                raise CommandError(f"{actor.username} may not change {user.username}")
        user = user_grant(user=user, role=options["role"], organisation=organisation, by=actor)
        self.stdout.write(f"{user.username} is now {user.get_role_display()}, {user.organisation}.")
