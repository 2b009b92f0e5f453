"""Recording setting inspections and their judgements: the relevance matrix decides what may
be judged; a coordinated inspection covers each service's relevant judgements."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.provision.models import ContactKind, InspectionStatus, Judgement
from ecm_inspect.provision.selectors import burden_ledger, relevant_judgements
from ecm_inspect.provision.services import (
    inspection_contact_record,
    judgement_record,
    setting_inspection_create,
    setting_inspection_publish,
    setting_inspection_update,
)
from ecm_inspect.registry.models import Provider

from .conftest import DAY, Place


def kj(code: str) -> KeyJudgement:
    return KeyJudgement.objects.get(code=code)


def home_inspection(place: Place):
    return setting_inspection_create(
        providers=[place.home],
        lead_inspectorate=place.csci,
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=1),
        statutory_framework="Children's Homes Regulations",
    )


def test_a_judgement_outside_the_relevance_matrix_is_refused_with_a_clear_message(
    place: Place,
) -> None:
    inspection = home_inspection(place)
    # EA.1 (parents supported to help their children enjoy and achieve) is not a judgement
    # CSCI makes about a children's home.
    with pytest.raises(ValidationError) as caught:
        judgement_record(
            inspection=inspection,
            provider=place.home,
            inspectorate=place.csci,
            key_judgement=kj("EA.1"),
            grade=Grade.GOOD,
        )
    message = caught.value.message_dict["key_judgement"][0]
    assert message.startswith("EA.1 is not relevant to a children's home inspected by CSCI")
    assert "it may judge only BH.2, BH.3" in message
    assert Judgement.objects.count() == 0


def test_a_relevant_judgement_is_recorded_with_its_author_and_history(place: Place) -> None:
    inspection = home_inspection(place)
    judgement = judgement_record(
        inspection=inspection,
        provider=place.home,
        inspectorate=place.csci,
        key_judgement=kj("SS.7"),
        grade=Grade.GOOD,
        evidence_notes="Case files of four children; interviews with staff.",
        criteria="National minimum standards 1-5",
    )
    assert judgement.grade is Grade.GOOD
    judgement.refresh_from_db()
    assert isinstance(judgement.grade, Grade)
    assert judgement.history.count() == 1  # type: ignore[attr-defined]


def test_a_body_not_taking_part_and_a_provider_not_covered_are_refused(place: Place) -> None:
    inspection = home_inspection(place)
    with pytest.raises(ValidationError) as caught:
        judgement_record(
            inspection=inspection,
            provider=place.home2,
            inspectorate=place.ofsted,
            key_judgement=kj("SS.7"),
            grade=Grade.GOOD,
        )
    errors = caught.value.message_dict
    assert errors["provider"] == ["Elm House is not covered by this inspection."]
    assert errors["inspectorate"] == ["Ofsted is not taking part in this inspection."]


def test_not_judged_needs_a_reason_and_a_reason_needs_no_grade(place: Place) -> None:
    inspection = home_inspection(place)
    args = {
        "inspection": inspection,
        "provider": place.home,
        "inspectorate": place.csci,
        "key_judgement": kj("EW.6"),
    }
    with pytest.raises(ValidationError) as caught:
        judgement_record(**args, grade=None)
    assert "say why" in caught.value.message_dict["grade"][0]
    with pytest.raises(ValidationError):
        judgement_record(**args, grade=Grade.GOOD, not_judged_reason="No care leavers")
    judgement = judgement_record(**args, grade=None, not_judged_reason="No young people over 16")
    assert not judgement.is_judged


def test_changing_a_judgement_checks_the_version(place: Place) -> None:
    inspection = home_inspection(place)
    args = {
        "inspection": inspection,
        "provider": place.home,
        "inspectorate": place.csci,
        "key_judgement": kj("SS.2"),
    }
    first = judgement_record(**args, grade=Grade.GOOD)
    with pytest.raises(ValidationError):
        judgement_record(**args, grade=Grade.ADEQUATE)  # no version: already recorded
    changed = judgement_record(**args, grade=Grade.ADEQUATE, seen_version=first.version)
    assert changed.version == 2
    with pytest.raises(EditConflict):
        judgement_record(**args, grade=Grade.INADEQUATE, seen_version=first.version)
    changed.refresh_from_db()
    assert changed.grade is Grade.ADEQUATE


def test_a_coordinated_inspection_covers_each_services_relevant_judgements(place: Place) -> None:
    """A children's centre and an extended school under one roof, Ofsted leading with CSCI and
    the Healthcare Commission: each service is offered what each body may judge of it."""
    inspection = setting_inspection_create(
        providers=[place.centre, place.extended],
        lead_inspectorate=place.ofsted,
        other_inspectorates=[place.csci, place.hc],
        starts_on=DAY,
        ends_on=DAY,
        statutory_framework="Children's centres and extended schools, coordinated",
        visit_plan="Day 1: centre (Ofsted, HC); day 1 afternoon: school (Ofsted, CSCI).",
    )
    offered = {
        (c.provider.name, c.inspectorate.code): [k.code for k in c.key_judgements]
        for c in relevant_judgements(inspection=inspection)
    }
    assert offered[("Riverside Centre", "HEALTHCARE_COMMISSION")] == [
        "BH.1",
        "BH.2",
        "BH.3",
        "BH.4",
        "BH.6",
    ]
    assert offered[("Riverside School", "CSCI")] == ["SS.3", "SS.4", "SS.6"]
    assert ("Riverside School", "HEALTHCARE_COMMISSION") not in offered
    judgement_record(
        inspection=inspection,
        provider=place.centre,
        inspectorate=place.hc,
        key_judgement=kj("BH.1"),
        grade=Grade.OUTSTANDING,
    )
    with pytest.raises(ValidationError):
        judgement_record(
            inspection=inspection,
            provider=place.extended,
            inspectorate=place.hc,
            key_judgement=kj("BH.1"),
            grade=Grade.GOOD,
        )


def test_an_inspection_is_refused_when_nobody_taking_part_may_judge_the_provider(
    place: Place,
) -> None:
    with pytest.raises(ValidationError) as caught:
        setting_inspection_create(
            providers=[place.home],
            lead_inspectorate=place.ofsted,
            starts_on=DAY,
            ends_on=DAY - datetime.timedelta(days=1),
            statutory_framework="",
        )
    errors = caught.value.message_dict
    assert "Oak House: no inspectorate taking part (Ofsted)" in errors["providers"][0]
    assert errors["ends_on"] == ["The inspection must end on or after its start."]
    assert errors["statutory_framework"]
    with pytest.raises(ValidationError) as caught:
        setting_inspection_create(
            providers=[place.home, place.far_home],
            lead_inspectorate=place.csci,
            starts_on=DAY,
            ends_on=DAY,
            statutory_framework="x",
        )
    assert "same area" in caught.value.message_dict["providers"][0]


def test_publishing_needs_a_judgement_and_a_current_version(place: Place) -> None:
    inspection = home_inspection(place)
    with pytest.raises(ValidationError):
        setting_inspection_publish(inspection=inspection, seen_version=1, published_on=DAY, by=None)
    judgement_record(
        inspection=inspection,
        provider=place.home,
        inspectorate=place.csci,
        key_judgement=kj("SS.2"),
        grade=Grade.GOOD,
    )
    moved = setting_inspection_update(
        inspection=inspection, seen_version=1, changes={"visit_plan": "Two days"}
    )
    with pytest.raises(EditConflict):
        setting_inspection_publish(inspection=inspection, seen_version=1, published_on=DAY, by=None)
    published = setting_inspection_publish(
        inspection=inspection, seen_version=moved.version, published_on=DAY, by=None
    )
    assert published.status == InspectionStatus.PUBLISHED


def test_a_published_inspection_can_no_longer_be_changed(place: Place) -> None:
    inspection = home_inspection(place)
    args = {"inspection": inspection, "provider": place.home, "inspectorate": place.csci}
    first = judgement_record(**args, key_judgement=kj("SS.2"), grade=Grade.GOOD)
    with pytest.raises(ValidationError) as caught:
        setting_inspection_update(
            inspection=inspection, seen_version=1, changes={"status": InspectionStatus.PUBLISHED}
        )
    assert caught.value.message_dict["status"] == [
        "Publish the inspection with its publish action."
    ]
    published = setting_inspection_publish(
        inspection=inspection, seen_version=1, published_on=DAY, by=None
    )
    assert (published.status, published.published_on) == (InspectionStatus.PUBLISHED, DAY)
    final = "This inspection is published: its record and judgements can no longer be changed."
    for attempt in (
        lambda: judgement_record(**args, key_judgement=kj("SS.7"), grade=Grade.GOOD),
        lambda: judgement_record(
            **args, key_judgement=kj("SS.2"), grade=Grade.ADEQUATE, seen_version=first.version
        ),
        lambda: setting_inspection_update(
            inspection=published, seen_version=published.version, changes={"visit_plan": "x"}
        ),
        lambda: setting_inspection_publish(
            inspection=published, seen_version=published.version, published_on=DAY, by=None
        ),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.message_dict["status"] == [final]
    first.refresh_from_db()
    assert first.grade is Grade.GOOD


def test_a_visit_or_request_goes_in_the_ledger_and_must_belong_to_the_provider(
    place: Place,
) -> None:
    inspection = home_inspection(place)
    with pytest.raises(ValidationError) as caught:
        inspection_contact_record(
            provider=place.home2,
            inspectorate=place.csci,
            kind=ContactKind.VISIT,
            starts_on=DAY,
            ends_on=DAY - datetime.timedelta(days=1),
            description=" ",
            inspection=inspection,
        )
    assert caught.value.message_dict == {
        "ends_on": ["It must end on or after its start."],
        "description": ["Say what was asked for or visited."],
        "inspection": ["That inspection does not cover Elm House."],
    }
    inspection_contact_record(
        provider=place.home,
        inspectorate=place.csci,
        kind=ContactKind.INFORMATION_REQUEST,
        starts_on=DAY - datetime.timedelta(days=30),
        description="Staff rota and training records",
        inspection=inspection,
    )
    ledger = burden_ledger(providers=Provider.objects.filter(pk=place.home.pk), today=DAY)
    assert [(e.what, e.description, e.is_planned) for e in ledger.entries] == [
        ("Information request", "Staff rota and training records", False),
        ("Inspection", "Children's Homes Regulations", True),
    ]
