"""`ecm fieldwork findings|record|meetings`: a review's fieldwork findings from the command line.

Findings are listed by reference and tags only: what was found, meeting notes, journeys and
neighbourhood descriptions stay in the team's confidential area and are never printed. With
`--by USERNAME` a command acts as that person and the permission policy decides, as in the web
app (the review's team only); without it, it acts as the administrator on the server."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ecm_inspect.accounts.commands import command_actor
from ecm_inspect.core.inputs import MAX_ID, whole_number
from ecm_inspect.evidence.api import finding_out, meeting_out
from ecm_inspect.evidence.fieldwork import finding_record
from ecm_inspect.evidence.models import (
    CaseFile,
    FieldworkFinding,
    FieldworkMeeting,
    Indication,
    NeighbourhoodStudy,
    ServiceAspect,
    Severity,
    TrackedChild,
)
from ecm_inspect.evidence.services import EvidenceRefused, PersonalDataFound
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.selectors import review_for_command


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _id(text: str) -> int:
    number = whole_number(text, low=1, high=MAX_ID)
    if number is None:
        raise CommandError(f"{text!r} is not an id")
    return number


class Command(BaseCommand):
    help = "List and record a review's fieldwork findings and list its meetings (never their text)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{findings,record,meetings}"
        )
        findings = sub.add_parser(
            "findings", help="The review's findings: reference, source, tags; never the text."
        )
        findings.add_argument("review", type=int)
        findings.add_argument("--format", choices=["text", "json"], default="text")
        findings.add_argument("--by", help="Act as this user; the permission policy applies.")

        record = sub.add_parser("record", help="Record what fieldwork found.")
        record.add_argument("review", type=int)
        where = record.add_mutually_exclusive_group(required=True)
        where.add_argument("--case-file", metavar="PSEUDONYM", help="A case file read.")
        where.add_argument("--tracked-child", metavar="PSEUDONYM", help="A child tracked.")
        where.add_argument("--neighbourhood", metavar="LSOA", help="A neighbourhood studied.")
        where.add_argument("--meeting", metavar="ID", type=_id, help="A meeting or focus group.")
        record.add_argument(
            "--kj", action="append", required=True, metavar="CODE",
            help="A key judgement it bears on, e.g. SS.4 (again for more).",
        )  # fmt: skip
        record.add_argument("--direction", required=True, choices=Indication.values)
        record.add_argument("--severity", choices=Severity.values, default="")
        record.add_argument("--found", required=True, help="What was found; names no one.")
        record.add_argument("--service", default="", help="The service it is about.")
        record.add_argument("--aspect", choices=ServiceAspect.values, default="")
        record.add_argument("--on", type=_date, help="The day it was found (default today).")
        record.add_argument(
            "--confirm-no-personal-data", action="store_true",
            help="Confirm that text flagged as possibly naming someone names no one.",
        )  # fmt: skip
        record.add_argument("--by", help="Act as this user; the permission policy applies.")

        meetings = sub.add_parser(
            "meetings", help="The review's meetings and focus groups; never their notes."
        )
        meetings.add_argument("review", type=int)
        meetings.add_argument("--format", choices=["text", "json"], default="text")
        meetings.add_argument("--by", help="Act as this user; the permission policy applies.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (EvidenceRefused, PersonalDataFound) as exc:
            raise CommandError(f"Refused: {exc}") from exc

    def _findings(self, o: dict[str, Any]) -> None:
        review = review_for_command(o["review"])
        command_actor(o["by"], "evidence.view_case_files", review)
        found = list(
            FieldworkFinding.objects.filter(review=review)
            .select_related("case_file", "tracked_child", "neighbourhood", "meeting")
            .prefetch_related("key_judgements__outcome")
        )
        if o["format"] == "json":
            self.stdout.write(json.dumps([finding_out(f) for f in found], default=str, indent=2))
            return
        if not found:
            self.stdout.write(f"{review}: no fieldwork findings yet.")
            return
        rows = [
            (
                f.reference,
                _where(f),
                ", ".join(r["key_judgements"]),
                f.indication,
                f.severity or "-",
                f.found_on.isoformat(),
            )
            for f, r in ((f, finding_out(f)) for f in found)
        ]
        heading = ("Reference", "Source", "Key judgements", "Direction", "Severity", "Found on")
        widths = [max(len(str(row[n])) for row in [heading, *rows]) for n in range(len(heading))]
        self.stdout.write(f"{review}: {len(found)} fieldwork finding{'s' * (len(found) != 1)}")
        for row in [heading, *rows]:
            line = "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())

    def _record(self, o: dict[str, Any]) -> None:
        review = review_for_command(o["review"])
        actor = command_actor(o["by"], "evidence.change_case_files", review)
        finding = finding_record(
            review=review,
            found=o["found"],
            key_judgement_codes=o["kj"],
            indication=o["direction"],
            severity=o["severity"],
            found_on=o["on"] or timezone.localdate(),
            service=o["service"],
            aspect=o["aspect"],
            confirm_no_personal_data=o["confirm_no_personal_data"],
            by=actor,
            **self._source(review, o),
        )
        item = finding.evidence
        self.stdout.write(
            f"Recorded {finding.reference}; its evidence item {item.pk if item else '-'} reads: "
            f"{item.title if item else ''}"
        )

    def _source(self, review: Review, o: dict[str, Any]) -> dict[str, Any]:
        """Where the finding was found, looked up in this review only."""
        if o["case_file"]:
            case = CaseFile.objects.filter(review=review, pseudonym=o["case_file"]).first()
            if case is None:
                raise CommandError(f"--case-file: this review has no case file {o['case_file']}")
            return {"case_file": case}
        if o["tracked_child"]:
            child = TrackedChild.objects.filter(review=review, pseudonym=o["tracked_child"]).first()
            if child is None:
                raise CommandError(
                    f"--tracked-child: this review tracks no child {o['tracked_child']}"
                )
            return {"tracked_child": child}
        if o["neighbourhood"]:
            code = o["neighbourhood"].strip().upper()
            studies = NeighbourhoodStudy.objects.filter(review=review).order_by("pk")
            study = next((s for s in studies if code in s.codes), None)
            if study is None:
                raise CommandError(f"--neighbourhood: this review studies no place with {code}")
            return {"neighbourhood": study}
        meeting = FieldworkMeeting.objects.filter(review=review, pk=o["meeting"]).first()
        if meeting is None:
            raise CommandError(f"--meeting: this review has no meeting {o['meeting']}")
        return {"meeting": meeting}

    def _meetings(self, o: dict[str, Any]) -> None:
        review = review_for_command(o["review"])
        command_actor(o["by"], "evidence.view_case_files", review)
        meetings = list(
            FieldworkMeeting.objects.filter(review=review).prefetch_related(
                "vulnerable_groups", "findings"
            )
        )
        out = [meeting_out(m) for m in meetings]
        if o["format"] == "json":
            self.stdout.write(json.dumps(out, default=str, indent=2))
            return
        if not out:
            self.stdout.write(f"{review}: no meetings or focus groups recorded yet.")
            return
        self.stdout.write(f"{review}: {len(out)} meeting{'s' * (len(out) != 1)}")
        for m in out:
            speaks_for = ", ".join(
                [*m["groups"], *(["under-8s"] if m["under_eights"] else [])]
                + ([m["hard_to_reach"]] if m["hard_to_reach"] else [])
            )
            self.stdout.write(
                f"{m['id']:>5}  {m['held_on']}  {m['kind']:<9} {m['title']} "
                f"({m['attendees']} took part"
                + (f"; for {speaks_for}" if speaks_for else "")
                + f"): {len(m['findings'])} finding{'s' * (len(m['findings']) != 1)}"
                + (f" ({', '.join(m['findings'])})" if m["findings"] else "")
            )


def _where(finding: FieldworkFinding) -> str:
    """Which case file, child, place or meeting: its pseudonym, name or title, never text."""
    if finding.case_file is not None:
        return f"case file {finding.case_file.pseudonym}"
    if finding.tracked_child is not None:
        return f"tracked child {finding.tracked_child.pseudonym}"
    if finding.neighbourhood is not None:
        return f"neighbourhood {finding.neighbourhood.name}"
    if finding.meeting is not None:
        return f"meeting {finding.meeting.pk} ({finding.meeting.get_kind_display().lower()})"
    return ""
