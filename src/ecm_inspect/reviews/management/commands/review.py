"""`ecm review create|advance|status|list`: joint area reviews from the command line.

With `--by USERNAME` a command acts as that person and the permission policy decides, as in the
web app; without it, it acts as the administrator on the server."""

import json
from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ecm_inspect.accounts.commands import command_actor
from ecm_inspect.registry.models import Area, Inspector
from ecm_inspect.reviews.api import review_out
from ecm_inspect.reviews.models import Review, ScopeKind, Stage
from ecm_inspect.reviews.selectors import review_dashboard, review_for_command
from ecm_inspect.reviews.services import (
    ReviewRefused,
    milestones_plan,
    review_advance,
    review_create,
    review_team_set,
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Create joint area reviews, move them through their stages, and report on them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{create,advance,status,analyse,list}"
        )
        create = sub.add_parser("create", help="Plan a review of an area.")
        create.add_argument("--area", required=True, help="The area's GSS code, e.g. E08000037.")
        create.add_argument("--analysis", required=True, type=_date, help="First day of analysis.")
        create.add_argument("--dcs-name", required=True)
        create.add_argument("--dcs-email", required=True)
        create.add_argument("--scope", choices=ScopeKind.values, default=ScopeKind.FULL)
        create.add_argument(
            "--outcome", action="append", default=[], help="Outcome code (narrowed)."
        )
        create.add_argument("--narrowed-because", default="")
        create.add_argument("--reason", default="", help="Why the scope is what it is.")
        create.add_argument("--theme", action="append", default=[], help="National theme code.")
        create.add_argument("--leader", type=int, help="Team leader (inspector id).")
        create.add_argument("--member", type=int, action="append", default=[], help="Inspector id.")
        create.add_argument("--by", help="Act as this user; the permission policy applies.")

        advance = sub.add_parser("advance", help="Move a review to its next stage.")
        advance.add_argument("review", type=int)
        advance.add_argument("--to", required=True, choices=Stage.values)
        advance.add_argument("--on", type=_date, help="The day it happened (default today).")
        advance.add_argument("--note", default="")
        advance.add_argument(
            "--confirm",
            action="store_true",
            help="Confirm a move that leaves the team or cannot be undone (notify, send the "
            "draft, close comments, publish); without it those moves are refused.",
        )
        advance.add_argument("--by", help="Act as this user; the permission policy applies.")

        status = sub.add_parser("status", help="A review's stage, timetable and what blocks it.")
        status.add_argument("review", type=int)
        status.add_argument("--format", choices=["text", "json"], default="text")

        analyse = sub.add_parser(
            "analyse", help="Run the analysis and print the fieldwork specification."
        )
        analyse.add_argument("review", type=int)
        analyse.add_argument("--format", choices=["text", "json"], default="text")

        listing = sub.add_parser("list", help="Every review with its stage and milestone dates.")
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ReviewRefused as exc:
            raise CommandError("Refused: " + " ".join(exc.reasons)) from exc

    def _create(self, o: dict[str, Any]) -> None:
        actor = command_actor(o["by"], "reviews.add_review")
        area = Area.objects.filter(gss_code=o["area"]).first()
        if area is None:
            raise CommandError(f"--area: no area with GSS code {o['area']!r}")
        review = review_create(
            area=area, analysis_starts_on=o["analysis"], dcs_name=o["dcs_name"],
            dcs_email=o["dcs_email"], scope=o["scope"], outcome_codes=o["outcome"],
            narrowed_because=o["narrowed_because"], scope_reason=o["reason"],
            theme_codes=o["theme"], by=actor,
        )  # fmt: skip
        if o["leader"]:
            ids = [o["leader"], *o["member"]]
            found = {i.pk: i for i in Inspector.objects.filter(pk__in=ids)}
            missing = [str(i) for i in ids if i not in found]
            if missing:
                raise CommandError(f"no inspector with id {', '.join(missing)}")
            review_team_set(
                review=review, leader=found[o["leader"]],
                members=[found[i] for i in o["member"]], by=actor,
            )  # fmt: skip
        for warning in milestones_plan(review=review):
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(f"Created review {review.pk}: {review}.")

    def _advance(self, o: dict[str, Any]) -> None:
        review = review_for_command(o["review"])
        actor = command_actor(o["by"], "reviews.advance_review", review)
        review = review_advance(
            review=review, to=o["to"], on=o["on"], note=o["note"], by=actor,
            confirmed=o["confirm"],
        )  # fmt: skip
        self.stdout.write(
            f"Review {review.pk} ({review.area.name}) is now {review.stage_label.lower()}."
        )

    def _status(self, o: dict[str, Any]) -> None:
        review = review_for_command(o["review"])
        today = timezone.localdate()
        if o["format"] == "json":
            self.stdout.write(
                json.dumps(review_out(review, today, with_team=True), default=str, indent=2)
            )
            return
        board = review_dashboard(review=review, today=today)
        self.stdout.write(f"{review} [{review.stage_label}]")
        for m in board.milestones:
            flag = (
                " OVERDUE"
                if m.overdue
                else (f" {m.slip_days} working days late" if m.slip_days > 0 else "")
            )
            actual = f"actual {m.actual}" if m.actual else ""
            self.stdout.write(f"  {m.label:<36} planned {m.planned}  {actual}{flag}")
        if board.next_transition:
            self.stdout.write(f"Next: {board.next_transition.target.label}")
            for reason in board.refusals:
                self.stdout.write(f"  blocked: {reason}")

    def _analyse(self, o: dict[str, Any]) -> None:
        # The analysis is the evidence app's, which sits above reviews: `ecm analysis` runs it.
        call_command("analysis", str(o["review"]), format=o["format"], stdout=self.stdout)

    def _list(self, o: dict[str, Any]) -> None:
        today = timezone.localdate()
        reviews = Review.objects.select_related("area").order_by("analysis_starts_on")
        rows = [review_out(r, today) for r in reviews]
        if o["format"] == "json":
            out = [
                {
                    "id": r["id"],
                    "area_gss_code": r["area_gss_code"],
                    "area": r["area"],
                    "stage": r["stage"],
                    "milestones": {
                        m["kind"]: {"planned": m["planned"], "actual": m["actual"]}
                        for m in r["milestones"]
                    },
                }
                for r in rows
            ]
            self.stdout.write(json.dumps(out, default=str, indent=2))
            return
        for r in rows:
            stage = Stage(r["stage"]).label  # in words: the JSON keeps the code
            self.stdout.write(f"{r['id']:>4}  {r['area_gss_code']}  {r['area']:<30} {stage}")
