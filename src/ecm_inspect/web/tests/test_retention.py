"""The retention timetable: a review's confidential fieldwork records and the surveys' own words
are erased once its report has been published for the set time, delivered e-mails' words once
they are old enough; nothing younger, nothing still being worked, nothing twice, and never
without confirmation."""

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from ecm_inspect.core.models import EmailStatus, OutgoingEmail
from ecm_inspect.evidence.models import CaseFile, CaseFileNote, JourneyStep, TrackedChild
from ecm_inspect.reports.models import Publication
from ecm_inspect.reviews.tests.conftest import rw  # noqa: F401
from ecm_inspect.voices.models import ParentResponse, Response
from ecm_inspect.voices.parents import parents_proforma_create
from ecm_inspect.voices.tests.conftest import SurveyWorld, sw  # noqa: F401
from ecm_inspect.web.retention import retention_apply, retention_due

pytestmark = pytest.mark.django_db

TODAY = date(2027, 6, 1)
DAYS = {"fieldwork_records": 365, "own_words": 365, "email_bodies": 730}


def _records(sw: SurveyWorld, published_days_ago: int) -> None:  # noqa: F811
    review = sw.rw.review
    Publication.objects.create(
        review=review,
        published_on=TODAY - timedelta(days=published_days_ago),
        html="",
        children_html="",
        grades={"SS": 2},
        reading_grade=3,
    )
    case_file = CaseFile.objects.create(
        review=review, area_reference="GH-20931", pseudonym="Child KD417", age=9
    )
    CaseFileNote.objects.create(case_file=case_file, text="Plan reviewed late twice.")
    child = TrackedChild.objects.create(
        review=review, case_file=case_file, pseudonym="Child KD417", summary="Moved school."
    )
    JourneyStep.objects.create(
        child=child, on=date(2025, 3, 1), service="Social care", what_happened="Referred."
    )
    Response.objects.create(
        survey=sw.survey,
        school=sw.school,
        version="secondary",
        age_band="11_15",
        answers={"healthy_text": "More clubs after school", "mental_accessed": "yes"},
        started_on=date(2026, 9, 1),
        submitted_on=date(2026, 9, 1),
        token_sha256="r".ljust(64, "x"),
    )
    ParentResponse.objects.create(
        proforma=parents_proforma_create(survey=sw.survey),
        relationship="parent",
        child_age_band="11_15",
        works_well="The school nurse",
        could_be_better="Waiting lists",
        submitted_on=date(2026, 9, 1),
    )


def _email(days_ago: int, status: str = EmailStatus.SENT) -> OutgoingEmail:
    at = timezone.now() - timedelta(days=days_ago)
    return OutgoingEmail.objects.create(
        to="dcs@example.org",
        subject="Your review",
        body="The words of the letter.",
        purpose="Review notification",
        status=status,
        sent_at=at if status == EmailStatus.SENT else None,
    )


@override_settings(ECM_RETENTION_DAYS=DAYS)
def test_a_report_published_over_a_year_ago_loses_its_childrens_records_and_words(
    sw: SurveyWorld,  # noqa: F811
) -> None:
    _records(sw, published_days_ago=366)
    old = _email(days_ago=(timezone.localdate() - TODAY).days + 731)
    queued = _email(days_ago=(timezone.localdate() - TODAY).days + 900, status=EmailStatus.QUEUED)
    due = retention_due(today=TODAY)
    assert (due.fieldwork_records, due.own_words, due.email_bodies) == (4, 2, 1)

    done = retention_apply(today=TODAY)

    assert done == due
    case_file = CaseFile.objects.get()
    assert "GH-20931" not in case_file.area_reference
    assert (case_file.pseudonym, case_file.age) == ("Child KD417", 9)  # the evidence trail
    erased = "Erased on 1 June 2027 under the retention timetable."
    assert CaseFileNote.objects.get().text == erased
    assert TrackedChild.objects.get().summary == erased
    assert JourneyStep.objects.get().what_happened == erased
    assert Response.objects.get().answers == {"mental_accessed": "yes"}
    parent = ParentResponse.objects.get()
    assert (parent.works_well, parent.could_be_better) == ("", "")
    old.refresh_from_db()
    queued.refresh_from_db()
    assert (old.body, old.to, old.subject) == (erased, "dcs@example.org", "Your review")
    assert queued.body == "The words of the letter."  # still work: never erased
    # Nothing twice.
    assert retention_due(today=TODAY).total == 0
    assert retention_apply(today=TODAY).total == 0


@override_settings(ECM_RETENTION_DAYS=DAYS)
def test_a_report_published_less_than_a_year_ago_keeps_everything(
    sw: SurveyWorld,  # noqa: F811
) -> None:
    _records(sw, published_days_ago=364)
    _email(days_ago=(timezone.localdate() - TODAY).days + 729)
    assert retention_apply(today=TODAY).total == 0
    assert CaseFile.objects.get().area_reference == "GH-20931"
    assert CaseFileNote.objects.get().text == "Plan reviewed late twice."
    assert Response.objects.get().answers["healthy_text"] == "More clubs after school"
    assert OutgoingEmail.objects.get().body == "The words of the letter."


@override_settings(ECM_RETENTION_DAYS=DAYS)
def test_the_command_shows_first_and_erases_only_when_confirmed(
    sw: SurveyWorld,  # noqa: F811
) -> None:
    _records(sw, published_days_ago=400)
    out = StringIO()
    call_command("retention", "--today", TODAY.isoformat(), stdout=out)
    assert "Confidential fieldwork records" in out.getvalue()
    assert "publication: 4" in out.getvalue()
    assert "Nothing erased" in out.getvalue()
    assert CaseFileNote.objects.get().text == "Plan reviewed late twice."

    with mock.patch("builtins.input", return_value="no"), pytest.raises(CommandError):
        call_command("retention", "--apply", "--today", TODAY.isoformat(), stdout=StringIO())
    assert CaseFileNote.objects.get().text == "Plan reviewed late twice."

    with mock.patch("builtins.input", return_value="yes"):
        call_command("retention", "--apply", "--today", TODAY.isoformat(), stdout=out)
    assert "Erased 6 records." in out.getvalue()
    assert CaseFileNote.objects.get().text.startswith("Erased on")

    with pytest.raises(CommandError, match="--today: 'June' is not a date"):
        call_command("retention", "--today", "June", stdout=StringIO())
