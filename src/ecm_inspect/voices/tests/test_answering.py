"""A child answering: the whole path through the pages, skip logic, safety, anonymity and the
abuse guards, through the web pages as a child's browser would use them."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from ecm_inspect.voices.models import Concern, ConcernSource, Response, SurveyStatus
from ecm_inspect.voices.services import survey_close

from .conftest import SurveyWorld

IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (Linux; Android 14) ChildPhone/9.9"


def child() -> Client:
    return Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)


def answer_all(client: Client, sw: SurveyWorld, code: str, **overrides: str) -> None:
    """Start as an 11-15 year old and answer every page of the secondary version."""
    r = client.post(reverse("voices:start", args=[code]), {"age_band": "11_15"})
    assert r.status_code == 302
    client.post(reverse("voices:about", args=[code]), {"in_care": "yes", "disability": "no"})
    definition = sw.survey.proforma.parsed
    for number, page in enumerate(definition.pages_for("secondary"), start=1):
        data = {"go": "next"}
        for item in page.items_for("secondary"):
            if item.kind == "select_one":
                data[item.name] = item.choices[0].value
            else:
                data[item.name] = "More buses please."
        data.update({k: v for k, v in overrides.items() if k in {i.name for i in page.items}})
        r = client.post(reverse("voices:page", args=[code, "secondary", number]), data)
        assert r.status_code == 302, r.content[:500]


@pytest.mark.django_db
def test_a_child_answers_every_page_and_sends(sw: SurveyWorld) -> None:
    code = sw.code
    client = child()
    answer_all(client, sw, code, bullied_currently="no", bullied_told="yes")
    check = client.get(reverse("voices:check", args=[code]))
    assert check.status_code == 200
    assert b"Check your answers" in check.content
    r = client.post(reverse("voices:check", args=[code]))
    assert r.status_code == 302
    assert r["Location"].endswith("/sent/")
    response = Response.objects.get()
    assert response.submitted_on == timezone.localdate()
    assert response.in_care == "yes"
    assert response.version == "secondary"
    # Skip logic: "have you told an adult" was answered, but "being bullied" was "no".
    assert response.answers["bullied_currently"] == "no"
    assert "bullied_told" not in response.answers
    assert "bullied_helped" not in response.answers
    # Sent is sent: the same browser cannot send again.
    again = client.post(reverse("voices:check", args=[code]))
    assert again.status_code == 302
    assert again["Location"].endswith("/sent/")
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1


@pytest.mark.django_db
def test_progress_is_saved_to_finish_later(sw: SurveyWorld) -> None:
    code = sw.code
    client = child()
    client.post(reverse("voices:start", args=[code]), {"age_band": "8_10"})
    r = client.post(
        reverse("voices:page", args=[code, "primary", 1]), {"life_satisfied": "high", "go": "later"}
    )
    assert r["Location"].endswith("/saved/")
    start = client.get(reverse("voices:start", args=[code]))
    assert b"Carry on where you stopped" in start.content
    assert reverse("voices:page", args=[code, "primary", 2]).encode() in start.content
    assert Response.objects.get().answers == {"life_satisfied": "high"}


@pytest.mark.django_db
def test_a_choice_not_offered_is_refused_and_nothing_saved(sw: SurveyWorld) -> None:
    code = sw.code
    client = child()
    client.post(reverse("voices:start", args=[code]), {"age_band": "11_15"})
    r = client.post(
        reverse("voices:page", args=[code, "secondary", 1]), {"life_satisfied": "ecstatic"}
    )
    assert r.status_code == 200
    assert b"Choose one of the answers for" in r.content
    assert Response.objects.get().answers == {}


@pytest.mark.django_db
def test_nothing_that_identifies_a_child_is_stored(sw: SurveyWorld) -> None:
    """At the database level: no column could hold an address, a device or a time of day,
    and the IP address and user agent the child's browser sent appear in no table."""
    code = sw.code
    client = child()
    answer_all(client, sw, code)
    client.post(reverse("voices:check", args=[code]))
    client.post(reverse("voices:talk", args=[code]), {"text": "I am worried about my friend"})
    with connection.cursor() as cursor:
        for table in ("voices_response", "voices_concern"):
            columns = connection.introspection.get_table_description(cursor, table)
            names = {c.name for c in columns}
            assert not names & {"ip", "ip_address", "user_agent", "device", "created_at", "time"}
            model = Response if table == "voices_response" else Concern
            for f in model._meta.concrete_fields:
                assert f.get_internal_type() not in {
                    "DateTimeField",
                    "TimeField",
                    "GenericIPAddressField",
                }, f.name
        # Every text column of every table: the child's IP address and user agent are nowhere.
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_t, quoted_c = (
                    connection.ops.quote_name(table),
                    connection.ops.quote_name(column.name),
                )
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted_t} WHERE CAST({quoted_c} AS TEXT) LIKE %s"  # noqa: S608
                    f" OR CAST({quoted_c} AS TEXT) LIKE %s",
                    [f"%{IP}%", "%ChildPhone%"],
                )
                assert cursor.fetchone()[0] == 0, (
                    f"{table}.{column.name} holds the child's IP or device"
                )
    # The response's key is random, not a sequence that gives away the order of arrival.
    assert len(str(Response.objects.get().pk)) == 36


@pytest.mark.django_db
def test_the_talk_to_someone_path_reaches_the_contact_at_once(
    sw: SurveyWorld, django_capture_on_commit_callbacks: Any
) -> None:
    school = sw.school
    client = child()
    page = client.get(reverse("voices:page", args=[school.code, "secondary", 2]))
    assert b"I want to talk to someone about something that worries me" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("voices:talk", args=[school.code]), {"text": "Something at home"})
    assert r.status_code == 302
    told = client.get(r["Location"])
    assert b"We have told someone" in told.content
    assert b"0800 1111" in told.content
    concern = Concern.objects.get()
    assert concern.source == ConcernSource.ASKED
    assert concern.school == school
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [sw.contact.email]
    assert school.code in message.subject
    assert "Something at home" in message.body
    assert IP not in message.body
    assert "ChildPhone" not in message.body


@pytest.mark.django_db
def test_free_text_suggesting_harm_is_flagged_to_the_contact(
    sw: SurveyWorld, django_capture_on_commit_callbacks: Any
) -> None:
    code = sw.code
    client = child()
    answer_all(client, sw, code, anything_else="My dad hits me and I am scared to go home")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("voices:check", args=[code]))
    concern = Concern.objects.get()
    assert concern.source == ConcernSource.SCREENED
    assert "Being hurt by someone" in concern.matched
    assert "Afraid at home" in concern.matched
    assert len(mail.outbox) == 1
    assert "may disclose harm" in mail.outbox[0].body


@pytest.mark.django_db
@override_settings(ECM_SURVEY_RATE_LIMIT="2/600")
def test_new_responses_per_school_code_are_rate_limited(sw: SurveyWorld) -> None:
    code = sw.code
    for _ in range(2):
        assert (
            child().post(reverse("voices:start", args=[code]), {"age_band": "8_10"}).status_code
            == 302
        )
    refused = child().post(reverse("voices:start", args=[code]), {"age_band": "8_10"})
    assert refused.status_code == 429
    assert b"try again" in refused.content
    assert Response.objects.count() == 2
    # Another school's code has its own allowance.
    other = sw.survey.schools.exclude(code=code)[0].code
    assert (
        child().post(reverse("voices:start", args=[other]), {"age_band": "8_10"}).status_code == 302
    )


@pytest.mark.django_db
def test_a_closed_survey_refuses_answers_and_keeps_them_frozen(sw: SurveyWorld) -> None:
    code = sw.code
    client = child()
    client.post(reverse("voices:start", args=[code]), {"age_band": "11_15"})
    client.post(reverse("voices:page", args=[code, "secondary", 1]), {"life_satisfied": "high"})
    survey_close(survey=sw.survey)
    r = client.post(reverse("voices:page", args=[code, "secondary", 1]), {"life_satisfied": "low"})
    assert r.status_code == 410
    assert b"This survey is closed" in r.content
    assert client.post(reverse("voices:check", args=[code])).status_code == 410
    assert (
        child().post(reverse("voices:start", args=[code]), {"age_band": "8_10"}).status_code == 410
    )
    response = Response.objects.get()
    assert response.answers == {"life_satisfied": "high"}
    assert response.submitted_on is None
    # A child can still ask to talk to someone: that is not an answer.
    assert client.post(reverse("voices:talk", args=[code]), {}).status_code == 302


@pytest.mark.django_db
def test_after_the_closing_date_the_survey_refuses_answers(sw: SurveyWorld) -> None:
    sw.survey.closes_on = timezone.localdate() - timedelta(days=1)
    sw.survey.save()
    code = sw.code
    r = child().post(reverse("voices:start", args=[code]), {"age_band": "8_10"})
    assert r.status_code == 410
    assert b"closed on" in r.content
    assert sw.survey.status == SurveyStatus.OPEN
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_the_same_words_sent_twice_from_a_school_in_a_day_count_once(sw: SurveyWorld) -> None:
    from ecm_inspect.voices.analysis import survey_results

    code = sw.code
    for _ in range(2):
        client = child()
        answer_all(client, sw, code)
        client.post(reverse("voices:check", args=[code]))
    first, second = Response.objects.order_by("possible_duplicate")
    assert not first.possible_duplicate
    assert second.possible_duplicate
    results = survey_results(sw.survey, audience="team")
    assert results.respondents == 1
    assert results.excluded_duplicates == 1


@pytest.mark.django_db
def test_a_double_send_shows_the_thank_you_page(sw: SurveyWorld, monkeypatch) -> None:
    """Two presses of "Send my answers" in flight at once: the second request read the
    response before the first one committed. It must thank the child, not show an error."""
    from ecm_inspect.voices import child_views

    code = sw.code
    client = child()
    answer_all(client, sw, code)
    stale = Response.objects.get()  # as the second request read it, still unsent
    assert client.post(reverse("voices:check", args=[code]))["Location"].endswith("/sent/")
    monkeypatch.setattr(child_views, "_response", lambda request, school: stale)
    again = client.post(reverse("voices:check", args=[code]), follow=True)
    assert again.status_code == 200
    assert b"Thank you: your answers have been sent" in again.content
    sent = Response.objects.get()
    assert sent.submitted_on == timezone.localdate()
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1
    # Going back to the first page after sending and pressing its button: thanked, not an error.
    monkeypatch.undo()
    back = client.post(reverse("voices:about", args=[code]), {"in_care": "no"})
    assert back["Location"].endswith("/sent/")
    assert Response.objects.get().in_care == "yes"


def _talk_100(sw: SurveyWorld, addresses: list[str]) -> list[bytes]:
    """100 anonymous "talk to someone" posts; the confirmation page each child sees."""
    url = reverse("voices:talk", args=[sw.code])
    seen = []
    for n in range(100):
        client = Client(REMOTE_ADDR=addresses[n % len(addresses)], HTTP_USER_AGENT=AGENT)
        r = client.post(url, {"text": f"I am worried {n}"}, follow=True)
        assert r.status_code == 200
        seen.append(r.content)
    return seen


def _held_on_the_team_pages(sw: SurveyWorld, held: int) -> None:
    from ecm_inspect.accounts.tests.world import client_for

    contact = client_for(sw.contact)
    page = contact.get(reverse("voices:concerns", args=[sw.rw.review.pk])).content.decode()
    assert f"{held} held concerns to read" in page
    assert page.count(">Held</strong>") == held
    assert "I am worried 99" in page  # the last, held, is there to read
    survey = contact.get(reverse("voices:survey", args=[sw.rw.review.pk])).content.decode()
    assert f"{held} held" in survey


@pytest.mark.django_db
@override_settings(ECM_SURVEY_TALK_CLIENT_LIMIT="3/600", ECM_SURVEY_TALK_LIMIT="10/600")
def test_a_hundred_talk_posts_from_one_device_are_all_recorded_and_four_emailed(
    sw: SurveyWorld, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 17: 100 anonymous posts made 100 concerns and 100 e-mails. Every concern is still
    recorded (a genuine one may be among them) and the child always sees the same page, but
    past the limit per client they are held for the team: 3 e-mails, then one summary."""
    with django_capture_on_commit_callbacks(execute=True):
        seen = _talk_100(sw, [IP])
    assert len(set(seen)) == 1  # the same reassuring page every time
    assert b"We have told someone" in seen[-1]
    assert Concern.objects.count() == 100
    assert Concern.objects.filter(held=False).count() == 3
    assert len(mail.outbox) == 4
    summary = mail.outbox[-1]
    assert summary.to == [sw.contact.email]
    assert "1 concern held" in summary.subject  # at the first held; the page has the rest
    assert "without another e-mail" in summary.body
    assert IP not in summary.body
    _held_on_the_team_pages(sw, 97)


@pytest.mark.django_db
@override_settings(ECM_SURVEY_TALK_CLIENT_LIMIT="3/600", ECM_SURVEY_TALK_LIMIT="10/600")
def test_a_hundred_talk_posts_from_many_devices_are_limited_per_school_code(
    sw: SurveyWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seen = _talk_100(sw, [f"198.51.100.{n}" for n in range(100)])
    assert len(set(seen)) == 1
    assert Concern.objects.count() == 100
    assert Concern.objects.filter(held=False).count() == 10
    assert len(mail.outbox) == 11  # 10 concerns, one summary
    _held_on_the_team_pages(sw, 90)
    # Another school's children are not held by this school's flood.
    other = sw.survey.schools.exclude(code=sw.code)[0]
    with django_capture_on_commit_callbacks(execute=True):
        Client(REMOTE_ADDR="192.0.2.1").post(
            reverse("voices:talk", args=[other.code]), {"text": "x"}
        )
    assert Concern.objects.get(school=other).held is False
    assert len(mail.outbox) == 12
