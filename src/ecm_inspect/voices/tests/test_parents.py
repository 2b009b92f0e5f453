"""A parent or carer answering the review's questionnaire: anonymity, screening for harm,
suppression of small groups, and results as evidence without their words."""

import uuid
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.models import EvidenceItem, Indication, Origin
from ecm_inspect.voices.evidence import evidence_from_parents
from ecm_inspect.voices.models import (
    Concern,
    ConcernSource,
    ParentResponse,
    ParentsProforma,
    SurveyStatus,
)
from ecm_inspect.voices.parents import (
    QUESTIONS,
    SurveyClosed,
    parent_answers_clean,
    parent_response_submit,
    parents_proforma_close,
    parents_proforma_create,
    parents_proforma_open,
)
from ecm_inspect.voices.parents_results import parents_results, parents_results_as_dict

from .conftest import SurveyWorld

IP = "198.51.100.23"
AGENT = "Mozilla/5.0 (iPhone) ParentPhone/4.2"
NAMED = "Mrs Jones at Elm Street is lovely"


def parent() -> Client:
    return Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)


@pytest.fixture
def proforma(sw: SurveyWorld) -> ParentsProforma:
    return parents_proforma_open(proforma=parents_proforma_create(survey=sw.survey), by=None)


def answers(**overrides: str) -> dict[str, str]:
    data = {
        "relationship": "parent",
        "child_age_band": "8_10",
        "child_disabled": "no",
        "child_in_care": "no",
        **{q.name: "agree" for q in QUESTIONS},
    }
    data.update(overrides)
    return data


def many(proforma: ParentsProforma, count: int, **overrides: str) -> None:
    for _ in range(count):
        # Straight in, as the demo's made-up answers go: past the rate limit and the screen.
        ParentResponse.objects.create(
            proforma=proforma,
            submitted_on=timezone.localdate(),
            is_synthetic=True,
            **parent_answers_clean(answers(**overrides)),
        )


@pytest.mark.django_db
def test_a_parent_answers_on_one_page_with_no_account(proforma: ParentsProforma) -> None:
    client = parent()
    start = client.get(reverse("voices:parents-start", args=[proforma.code.lower()]))
    assert start.status_code == 200
    assert b"Tell us about services for your child" in start.content
    page = client.get(reverse("voices:parents-questions", args=[proforma.code]))
    assert page.status_code == 200
    r = client.post(
        reverse("voices:parents-questions", args=[proforma.code]),
        answers(works_well=NAMED, could_be_better="Shorter waits for speech therapy."),
    )
    assert r.status_code == 302
    assert r["Location"].endswith("/sent/")
    # Nothing to come back to: no cookie but the form's security one.
    assert set(client.cookies) <= {"csrftoken"}
    response = ParentResponse.objects.get()
    assert isinstance(response.pk, uuid.UUID)
    assert response.submitted_on == timezone.localdate()
    assert response.answers["safe"] == "agree"


@pytest.mark.django_db
def test_the_two_questions_about_who_answers_are_needed(proforma: ParentsProforma) -> None:
    r = parent().post(
        reverse("voices:parents-questions", args=[proforma.code]),
        {"safe": "agree", "works_well": "Kept this"},
    )
    assert r.status_code == 422
    assert b"There is a problem" in r.content
    assert b"Choose how old your child is" in r.content
    assert b"Kept this" in r.content  # what was typed is kept
    assert b'value="agree" checked' in r.content
    assert not ParentResponse.objects.exists()


@pytest.mark.django_db
def test_nothing_that_identifies_a_parent_is_stored(proforma: ParentsProforma) -> None:
    """No column for an address, a device or a time; keyed by a UUID; dates only; no history
    table of responses; the IP address and user agent sent appear in no table."""
    parent().post(reverse("voices:parents-questions", args=[proforma.code]), answers())
    assert ParentResponse.objects.count() == 1
    for f in ParentResponse._meta.concrete_fields:
        assert f.get_internal_type() not in {
            "DateTimeField",
            "TimeField",
            "GenericIPAddressField",
        }, f.name
    assert ParentResponse._meta.pk is not None
    assert ParentResponse._meta.pk.get_internal_type() == "UUIDField"
    assert not hasattr(ParentResponse, "history")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        assert not [t for t in tables if "historicalparentresponse" in t]
        names = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, ParentResponse._meta.db_table
            )
        }
        assert not names & {"ip", "ip_address", "user_agent", "device", "created_at", "time"}
        for table in tables:
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_t = connection.ops.quote_name(table)
                quoted_c = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted_t} WHERE CAST({quoted_c} AS TEXT) LIKE %s"  # noqa: S608
                    f" OR CAST({quoted_c} AS TEXT) LIKE %s",
                    [f"%{IP}%", "%ParentPhone%"],
                )
                assert cursor.fetchone()[0] == 0, f"{table}.{column.name}"


@pytest.mark.django_db
def test_words_suggesting_harm_reach_the_safeguarding_contact(
    sw: SurveyWorld, proforma: ParentsProforma, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        parent().post(
            reverse("voices:parents-questions", args=[proforma.code]),
            answers(could_be_better="Her step dad hit her and nobody came."),
        )
    concern = Concern.objects.get()
    assert concern.source == ConcernSource.PARENT
    assert concern.school is None
    assert concern.survey == sw.survey
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sw.contact.email]
    assert "parents' and carers' proforma" in mail.outbox[0].body
    # The concerns page shows it, without a school.
    page = client_for(sw.contact).get(reverse("voices:concerns", args=[sw.rw.review.pk]))
    assert page.status_code == 200
    assert b"Parents' and carers' proforma" in page.content


@pytest.mark.django_db
def test_a_closed_questionnaire_takes_no_more(proforma: ParentsProforma) -> None:
    parents_proforma_close(proforma=proforma)
    proforma.refresh_from_db()
    assert proforma.status == SurveyStatus.CLOSED
    r = parent().get(reverse("voices:parents-questions", args=[proforma.code]))
    assert r.status_code == 410
    with pytest.raises(SurveyClosed):
        parent_response_submit(proforma=proforma, data=answers())
    assert parent().get(reverse("voices:parents-start", args=["PNOSUCH"])).status_code == 404


@pytest.mark.django_db
def test_small_groups_are_suppressed(proforma: ParentsProforma) -> None:
    """12 parents: 10 agree on safety, 2 disagree (hidden, and so is a second figure), and 3
    parents of children in care: their breakdown is hidden everywhere."""
    many(proforma, 9)
    many(proforma, 1, child_in_care="yes")
    many(proforma, 2, child_in_care="yes", safe="disagree", child_disabled="yes")
    results = parents_results(proforma)
    assert results.respondents == 12
    safe = next(q for q in results.questions if q.question.name == "safe")
    cells = dict(safe.choices)
    assert not cells["Disagree"].shown
    # A second figure is hidden with it (else 12 - 10 - 0 = 2 disagree).
    assert sum(not c.shown for c in cells.values()) >= 2
    assert all(not c.shown for _, c in safe.groups)
    in_care = dict(results.who["child_in_care"][1])
    assert not in_care["Yes"].shown
    assert sum(not c.shown for c in in_care.values()) >= 2  # else 12 - 9 - 0 = 3 in care
    data = parents_results_as_dict(results)
    assert data["respondents"] == 12
    assert data["questions"][1]["groups"]["Parents and carers of children in care"] == {
        "suppressed": True
    }


@pytest.mark.django_db
def test_groups_over_the_floor_are_shown(proforma: ParentsProforma) -> None:
    many(proforma, 20)
    many(proforma, 10, child_in_care="yes", healthy="agree")
    many(proforma, 10, child_in_care="yes", healthy="disagree")
    results = parents_results(proforma)
    healthy = next(q for q in results.questions if q.question.name == "healthy")
    assert healthy.positive.percent == 75.0
    groups = dict(healthy.groups)
    assert groups["Parents and carers of children in care"].percent == 50.0
    # No disabled children at all: the group is empty, not shown.
    assert groups[next(k for k in groups if "disabled" in k)].percent is None


@pytest.mark.django_db
def test_results_become_evidence_counts_without_their_words(
    sw: SurveyWorld, proforma: ParentsProforma
) -> None:
    many(proforma, 20, works_well=NAMED)
    many(proforma, 10, safe="disagree", could_be_better="The bus to school is unsafe at night.")
    items = evidence_from_parents(proforma=proforma)
    assert len(items) == 5
    again = evidence_from_parents(proforma=proforma)
    assert {i.pk for i in again} == {i.pk for i in items}  # idempotent
    evidence = EvidenceItem.objects.filter(origin=Origin.VOICES, origin_key__startswith="parents:")
    assert evidence.count() == 5
    safe = evidence.get(origin_key=f"parents:{proforma.pk}:SS")
    assert "66.7% agree of 30" in safe.summary
    assert safe.indication == Indication.NEUTRAL
    healthy = evidence.get(origin_key=f"parents:{proforma.pk}:BH")
    assert healthy.indication == Indication.STRENGTH
    codes = set(safe.key_judgements.values_list("code", flat=True))
    assert codes
    assert all(c.startswith("SS.") for c in codes)
    for item in evidence:
        assert "Jones" not in item.summary
        assert "bus" not in item.summary.lower()


@pytest.mark.django_db
def test_the_team_sees_results_and_others_do_not(
    sw: SurveyWorld, proforma: ParentsProforma, client: Client
) -> None:
    many(proforma, 12, works_well=NAMED)
    url = reverse("voices:parents", args=[sw.rw.review.pk])
    team = client_for(sw.rw.people.users[Role.REVIEW_TEAM_LEADER])
    r = team.get(url)
    assert r.status_code == 200
    assert proforma.code.encode() in r.content
    assert b"/p/" + proforma.code.encode() + b"/" in r.content  # the leaflet's address
    assert b"12 parents and carers answered" in r.content
    assert b"Mrs Jones" not in r.content  # redacted
    api = team.get(f"/api/voices/reviews/{sw.rw.review.pk}/parents/results/")
    assert api.status_code == 200
    assert api.json()["respondents"] == 12
    assert "Jones" not in api.content.decode()
    # The area's director may see the review, not the parents' results.
    dcs = client_for(sw.rw.people.users[Role.DCS])
    assert dcs.get(url).status_code in {403, 404}
    api_url = f"/api/voices/reviews/{sw.rw.review.pk}/parents/results/"
    assert dcs.get(api_url).status_code in {403, 404}


@pytest.mark.django_db
def test_the_demo_parents_pass_suppression_and_are_made_once(sw: SurveyWorld) -> None:
    from ecm_inspect.voices.demo import _parents

    _parents(sw.survey, 160)
    _parents(sw.survey, 160)  # idempotent
    proforma = ParentsProforma.objects.get(survey=sw.survey)
    assert proforma.is_open
    assert proforma.responses.count() == 160
    assert not proforma.responses.filter(is_synthetic=False).exists()
    results = parents_results(proforma)
    for field in ("child_in_care", "child_disabled"):
        group = results.group_count(field)
        assert group is not None
        assert group.shown
        assert group.count >= 20
    shown = [c for q in results.questions for _, c in q.groups if c.shown]
    assert len(shown) >= 5  # the groups' shares show on most questions
    assert all(q.positive.shown for q in results.questions)
    assert (
        EvidenceItem.objects.filter(origin_key__startswith=f"parents:{proforma.pk}:").count() == 5
    )


@pytest.mark.django_db
def test_the_command_opens_prints_and_closes(sw: SurveyWorld) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    review = str(sw.rw.review.pk)
    out = StringIO()
    call_command("parents", "open", review, stdout=out)
    proforma = ParentsProforma.objects.get(survey=sw.survey)
    assert proforma.code in out.getvalue()
    many(proforma, 11, could_be_better=NAMED)
    out = StringIO()
    call_command("parents", "results", review, stdout=out)
    data = json.loads(out.getvalue())
    assert data["respondents"] == 11
    assert "Jones" not in out.getvalue()
    out = StringIO()
    call_command("parents", "urls", review, "--base", "https://ecm.example", stdout=out)
    assert f"https://ecm.example/p/{proforma.code}/" in out.getvalue()
    out = StringIO()
    call_command("parents", "coverage", review, stdout=out)
    assert "parents and carers\t11" in out.getvalue()
    assert "children in care\t0\tnot heard yet  GAP" in out.getvalue()
    call_command("parents", "close", review, stdout=StringIO())
    proforma.refresh_from_db()
    assert proforma.status == SurveyStatus.CLOSED
