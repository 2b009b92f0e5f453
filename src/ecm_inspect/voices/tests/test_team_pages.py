"""The team's pages: setting up a survey, results by audience, concerns, feedback to children,
other views gathered; and `ecm survey urls`, whose every page answers."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.models import EvidenceItem, Origin
from ecm_inspect.reviews.models import Stage
from ecm_inspect.voices.concerns import concern_raise
from ecm_inspect.voices.models import Concern, GatheredViews, Survey

from .conftest import SurveyWorld


@pytest.mark.django_db
def test_ecm_survey_urls_lists_every_page_a_child_can_reach_and_each_answers(
    sw: SurveyWorld,
) -> None:
    out = io.StringIO()
    call_command("survey", "urls", str(sw.rw.review.pk), "--base", "http://testserver", stdout=out)
    lines = out.getvalue().strip().splitlines()
    paths = [line.split("\t")[0].removeprefix("http://testserver") for line in lines]
    definition = sw.survey.proforma.parsed
    expected_pages = sum(len(definition.pages_for(v)) for v in definition.versions)
    assert (
        sum(
            "/secondary/" in p or "/primary/" in p or "/pictures/" in p or "/easy/" in p
            for p in paths
        )
        == expected_pages
    )
    from django.test import Client

    for path in paths:
        response = Client().get(path)
        assert response.status_code == 200, path
        if "/s/" in path and path != "/s/":
            assert b"I want to talk to someone" in response.content, path


@pytest.mark.django_db
def test_the_team_leader_sets_up_a_survey_with_fifteen_schools(rw) -> None:
    from ecm_inspect.registry.services import areas_load

    from .conftest import frame_make

    areas_load()
    from ecm_inspect.reviews.tests.conftest import team_set

    team_set(rw)
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    contact = rw.people.users[Role.INSPECTOR]
    contact.email = "contact@example.org"
    contact.save()
    client = client_for(leader)
    page = client.get(reverse("voices:survey", args=[rw.review.pk]))
    assert b"Set up the survey" in page.content
    import ecm_inspect.voices.services as services

    frame = frame_make() + frame_make("7")
    original = services.sampling_frame
    services.sampling_frame = lambda area, extract=None: frame  # type: ignore[assignment]
    try:
        r = client.post(
            reverse("voices:survey", args=[rw.review.pk]),
            {
                "action": "create",
                "opens_on": "2026-09-01",
                "closes_on": "2026-08-01",
                "safeguarding_contact": contact.pk,
                "schools": 15,
            },
        )
        assert r.status_code == 422
        assert b"on or after the opening date" in r.content
        r = client.post(
            reverse("voices:survey", args=[rw.review.pk]),
            {
                "action": "create",
                "opens_on": "2026-09-01",
                "closes_on": "2026-10-01",
                "safeguarding_contact": contact.pk,
                "schools": 15,
            },
        )
    finally:
        services.sampling_frame = original
    assert r.status_code == 302
    survey = Survey.objects.get(review=rw.review)
    assert survey.schools.count() == 15
    assert len({s.code for s in survey.schools.all()}) == 15
    # An inspector on the team sees it; may not open it.
    inspector = client_for(rw.people.users[Role.INSPECTOR])
    assert inspector.get(reverse("voices:survey", args=[rw.review.pk])).status_code == 200
    assert (
        inspector.post(
            reverse("voices:survey", args=[rw.review.pk]), {"action": "open"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("voices:survey", args=[rw.review.pk]), {"action": "open"}).status_code
        == 302
    )
    survey.refresh_from_db()
    assert survey.status == "open"
    assert survey.history.count() >= 2  # type: ignore[attr-defined]  # opening is audited


@pytest.mark.django_db
def test_the_area_sees_only_published_figures(sw: SurveyWorld) -> None:
    from ecm_inspect.reviews.services import review_advance

    review = sw.rw.review
    review_advance(review=review, to=Stage.NOTIFIED, on=date(2026, 7, 1), by=None, confirmed=True)
    dcs = client_for(sw.rw.people.users[Role.DCS])
    page = dcs.get(reverse("voices:results", args=[review.pk]))
    assert page.status_code == 200
    assert b"As published" in page.content
    assert b"Team view" not in page.content
    assert (
        dcs.get(reverse("voices:results", args=[review.pk]) + "?format=json").json()["audience"]
        == "published"
    )
    assert dcs.get(reverse("voices:survey", args=[review.pk])).status_code == 403
    team = client_for(sw.rw.people.users[Role.INSPECTOR])
    assert b"Team view" in team.get(reverse("voices:results", args=[review.pk])).content
    api = dcs.get(f"/api/voices/reviews/{review.pk}/survey/results/?exact=true")
    assert api.status_code == 403


@pytest.mark.django_db
def test_concerns_are_for_the_contact_and_the_leader(sw: SurveyWorld) -> None:
    concern = concern_raise(school=sw.school, source="asked", text="Help")
    url = reverse("voices:concerns", args=[sw.rw.review.pk])
    contact = client_for(sw.contact)
    assert b"Help" in contact.get(url).content
    assert client_for(sw.rw.people.users[Role.REVIEW_TEAM_LEADER]).get(url).status_code == 200
    assert client_for(sw.rw.people.users[Role.NATIONAL_LEAD]).get(url).status_code == 403
    missing = contact.post(url, {"concern": concern.pk, "status": "passed_on", "action": ""})
    assert missing.status_code == 422
    assert b"Say what you did" in missing.content
    contact.post(
        url, {"concern": concern.pk, "status": "passed_on", "action": "Rang the school's DSL."}
    )
    concern.refresh_from_db()
    assert concern.status == "passed_on"
    assert concern.handled_on is not None
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_feedback_to_children_is_screened_and_shown_on_the_summary(sw: SurveyWorld) -> None:
    from ecm_inspect.voices.services import survey_close

    leader = client_for(sw.rw.people.users[Role.REVIEW_TEAM_LEADER])
    url = reverse("voices:feedback", args=[sw.rw.review.pk])
    bad = leader.post(
        url, {"version": sw.survey.version, "did_SS": "We told Mrs Patel at 12 High Street"}
    )
    assert bad.status_code == 422
    leader.post(url, {"version": sw.survey.version, "did_SS": "We asked for better street lights."})
    survey_close(survey=Survey.objects.get(pk=sw.survey.pk))
    summary = leader.get(reverse("voices:summary", args=[sw.code]))
    assert b"We asked for better street lights." in summary.content


@pytest.mark.django_db
def test_views_gathered_in_fieldwork_become_evidence(sw: SurveyWorld) -> None:
    inspector = client_for(sw.rw.people.users[Role.INSPECTOR])
    from ecm_inspect.framework.models import Outcome

    ss = Outcome.objects.get(version__code="2005", code="SS")
    data = {
        "kind": "interview_group",
        "title": "Care leavers' group",
        "gathered_on": "2026-10-01",
        "by_whom": "Inspectors",
        "children": 5,
        "summary": "They felt listened to.",
        "outcomes": [ss.pk],
    }
    r = inspector.post(reverse("voices:views", args=[sw.rw.review.pk]), data)
    assert r.status_code == 302
    views = GatheredViews.objects.get()
    item = EvidenceItem.objects.get(origin=Origin.VOICES, origin_key=f"views:{views.pk}")
    assert set(item.key_judgements.values_list("outcome__code", flat=True)) == {"SS"}
    named = inspector.post(
        reverse("voices:views", args=[sw.rw.review.pk]),
        {**data, "summary": "Jessica Smith said so."},
    )
    assert named.status_code == 422
    assert GatheredViews.objects.count() == 1
