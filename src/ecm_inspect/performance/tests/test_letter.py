"""The APA letter as a letter and as a process: draft, issued to the council for factual
accuracy, representations answered with reasons, published; proposals kept from the council;
the year's calendar; indicators against statistical neighbours."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, area_make, client_for, world_build
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.framework.services import framework_load
from ecm_inspect.performance.calendar import CalendarError, calendar_for, calendar_progress
from ecm_inspect.performance.letters import (
    letter_issue,
    letter_publish,
    representation_answer,
    representation_make,
)
from ecm_inspect.performance.models import (
    Assessment,
    AssessmentJudgement,
    IndicatorDefinition,
    IndicatorValue,
    LetterStatus,
    Representation,
)
from ecm_inspect.performance.services import AssessmentRefused, apa_run, judgement_record
from ecm_inspect.registry.models import StatisticalNeighbour

YEAR = 2024
GSS = "E08000037"
# Text of the proposal machinery that must never reach a letter.
MACHINE = re.compile(r"score|Only \d+ indicator|indicator score|proposed \d|\+0\.|-0\.\d")


@pytest.fixture
def world(db: None) -> World:
    framework_load()
    people = world_build()
    for n, group in enumerate(["BH", "SS", "EA", "PC", "EW", "SM"] * 2):
        d = IndicatorDefinition.objects.create(
            code=f"X{n}", title=f"Indicator {n}", outcome=group, polarity="higher"
        )
        for area, value in ((None, 50), (people.own_area, 60), (people.other_area, 40)):
            IndicatorValue.objects.create(
                indicator=d, area=area, year=YEAR, period=str(YEAR), value=value
            )
    apa_run(year=YEAR)
    return people


def _assessment(world: World) -> Assessment:
    return Assessment.objects.get(area=world.own_area, year=YEAR)


def _record_all(world: World, assessment: Assessment) -> None:
    inspector = world.users[Role.INSPECTOR]
    for j in assessment.judgements.all():
        judgement_record(
            judgement=j,
            grade=j.proposed_grade or 2,
            rationale=f"Plain words about {j.get_kind_display().lower()}.",
            override_reason="" if j.proposed_grade else "Seen at the meeting.",
            seen_version=j.version,
            by=inspector,
        )


def test_the_letter_reads_as_a_letter(world: World) -> None:
    assessment = _assessment(world)
    # The machinery's reasons carry scores; the letter must not.
    reasons = " ".join(r for j in assessment.judgements.all() for r in j.reasons)
    assert "score" in reasons
    _record_all(world, assessment)
    letter_issue(assessment=assessment, by=world.users[Role.INSPECTOR])
    dcs = client_for(world.users[Role.DCS])
    page = dcs.get(f"/apa/{YEAR}/{GSS}/letter/").content.decode()
    dcs_name = world.users[Role.DCS].full_name
    assert f"Dear {dcs_name}," in page.replace("&#x27;", "'")
    assert "Director of Children’s Services<br>Gateshead Council" in page
    inspector = world.users[Role.INSPECTOR]
    signatory = re.search(r'id="signatory">(.*?)</p>', page, re.S)
    assert signatory
    assert inspector.full_name in signatory.group(1)
    assert "Assessing inspector" in signatory.group(1)
    assert timezone.localdate().strftime("%-d %B %Y") in page
    assert "Key strengths" in page
    assert "Plain words about staying safe." in page
    assert "keeping children and young people safe is outstanding" in page
    body = re.sub(r"<[^>]+>", " ", page.split('class="govuk-grid-column-two-thirds app-letter"')[1])
    assert not MACHINE.search(body), MACHINE.search(body)
    assert "DRAFT" not in body


def test_the_demo_letter_of_gateshead_reads_as_a_letter(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gateshead's letter as the performance demo builds it (the demo's functions, with this
    world's indicators in place of the shipped LAIT file)."""
    from ecm_inspect.accounts.demo import demo_users_ensure
    from ecm_inspect.performance import demo

    with override_settings(ECM_DEMO_USERS=True):
        demo_users_ensure()
    # The demo's own DCS is Gateshead's only one, as in the demo.
    world.users[Role.DCS].is_active = False
    world.users[Role.DCS].save()
    for d in IndicatorDefinition.objects.all():  # a year before, so the demo has two
        IndicatorValue.objects.create(
            indicator=d, area=world.own_area, year=YEAR + 1, period=str(YEAR + 1), value=55
        )
    monkeypatch.setattr(demo, "indicators_load", lambda: None)
    monkeypatch.setattr(demo, "area_inspections_load", lambda: [])  # needs every area
    demo.demo_performance_ensure()
    demo.demo_performance_ensure()  # idempotent
    assessment = _assessment(world)
    assert assessment.letter_status == LetterStatus.ISSUED
    from django.template.loader import render_to_string

    from ecm_inspect.performance.letter_views import _letter_context

    text = render_to_string("performance/letter.html", _letter_context(assessment))
    plain = re.sub(r"<[^>]+>", " ", text.split("<body>")[1])
    assert "Dear Dana Director (demo)," in plain
    assert "Ian Spector (demo)" in plain
    assert not MACHINE.search(plain), MACHINE.search(plain)
    assert "Gateshead Council" in plain


def test_issue_represent_answer_publish(world: World) -> None:
    assessment = _assessment(world)
    inspector, dcs = world.users[Role.INSPECTOR], world.users[Role.DCS]
    with pytest.raises(AssessmentRefused, match="Record every grade"):
        letter_issue(assessment=assessment, by=inspector)
    with pytest.raises(AssessmentRefused, match="Representations are made while"):
        representation_make(assessment=assessment, text="Wrong", by=dcs)
    _record_all(world, assessment)
    issued = letter_issue(assessment=assessment, by=inspector)
    assert (issued.letter_status, issued.letter_issued_by) == (LetterStatus.ISSUED, inspector)
    with pytest.raises(AssessmentRefused, match="already been issued"):
        letter_issue(assessment=assessment, by=inspector)
    with pytest.raises(AssessmentRefused, match="What is inaccurate"):
        representation_make(assessment=assessment, text="  ", by=dcs)
    made = representation_make(
        assessment=assessment, section="SS", text="The re-referral rate is 18%, not 22%.", by=dcs
    )
    with pytest.raises(AssessmentRefused, match="1 outstanding representation"):
        letter_publish(assessment=assessment, by=inspector)
    with pytest.raises(AssessmentRefused, match="Reasons"):
        representation_answer(
            representation=made, answer="accepted", reasons="", seen_version=1, by=inspector
        )
    answered = representation_answer(
        representation=made, answer="accepted", reasons="Checked against the return; corrected.",
        seen_version=1, by=inspector,
    )  # fmt: skip
    with pytest.raises(EditConflict):
        representation_answer(
            representation=made, answer="rejected", reasons="x", seen_version=1, by=inspector
        )
    last = answered.history.latest()  # type: ignore[attr-defined]
    assert last.history_user == inspector
    assert last.answer == "accepted"
    published = letter_publish(assessment=assessment, by=inspector)
    assert published.letter_status == LetterStatus.PUBLISHED
    assert published.history.latest().history_user == inspector  # type: ignore[attr-defined]
    # Closed once published: no representations, no answers, no grade changes.
    with pytest.raises(AssessmentRefused):
        representation_make(assessment=assessment, text="Late", by=dcs)
    judgement = AssessmentJudgement.objects.get(assessment=assessment, kind="SS")
    with pytest.raises(AssessmentRefused, match="published"):
        judgement_record(
            judgement=judgement, grade=judgement.recorded_grade or 2, rationale="x",
            seen_version=judgement.version, by=inspector,
        )  # fmt: skip


def test_issuing_and_publishing_ask_for_confirmation(world: World) -> None:
    assessment = _assessment(world)
    _record_all(world, assessment)
    inspector = client_for(world.users[Role.INSPECTOR])
    url = f"/apa/{YEAR}/{GSS}/letter/issue/"
    page = inspector.get(url)
    assert page.status_code == 200
    assert "Check before you issue the letter to the council" in page.content.decode()
    refused = inspector.post(url, {})  # not confirmed
    assert refused.status_code == 422
    assert "Confirm: tick to confirm." in refused.content.decode()
    assessment.refresh_from_db()
    assert assessment.letter_status == LetterStatus.DRAFT
    assert inspector.post(url, {"confirm": "on"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.letter_status == LetterStatus.ISSUED
    # The DCS represents through the page; a blank one comes back with the error.
    dcs = client_for(world.users[Role.DCS])
    letter_url = f"/apa/{YEAR}/{GSS}/letter/"
    assert "by 11 November 2024 (the APA calendar)" in dcs.get(letter_url).content.decode()
    blank = dcs.post(letter_url, {"section": "SS", "text": ""})
    assert blank.status_code == 422
    assert dcs.post(letter_url, {"section": "SS", "text": "A wrong figure."}).status_code == 302
    made = Representation.objects.get()
    # Publishing is refused while it is unanswered: no confirm button, the reason shown.
    publish = inspector.get(f"/apa/{YEAR}/{GSS}/letter/publish/").content.decode()
    assert "Answer the council's 1 outstanding representation" in publish.replace("&#x27;", "'")
    assert inspector.post(f"/apa/{YEAR}/{GSS}/letter/publish/", {"confirm": "on"}).status_code == (
        422
    )
    # Only the assessing inspector answers.
    answer_url = f"/apa/{YEAR}/{GSS}/letter/representations/{made.pk}/answer/"
    answer = {f"r{made.pk}-representation": made.pk, f"r{made.pk}-version": 1}
    assert dcs.post(answer_url, {**answer, f"r{made.pk}-answer": "accepted"}).status_code == 403
    no_reasons = inspector.post(answer_url, {**answer, f"r{made.pk}-answer": "rejected"})
    assert no_reasons.status_code == 422
    done = inspector.post(
        answer_url,
        {**answer, f"r{made.pk}-answer": "rejected", f"r{made.pk}-reasons": "The return says so."},
    )
    assert done.status_code == 302
    assert inspector.post(f"/apa/{YEAR}/{GSS}/letter/publish/", {"confirm": "on"}).status_code == (
        302
    )
    # Now public, for anyone; the DCS cannot represent any more.
    public = Client().get(f"/apa/letters/{YEAR}/{GSS}/")
    assert public.status_code == 200
    assert "Yours sincerely" in public.content.decode()
    assert dcs.post(letter_url, {"text": "Late"}).status_code == 403


def test_a_draft_letter_is_not_public(world: World) -> None:
    assert Client().get(f"/apa/letters/{YEAR}/{GSS}/").status_code == 404
    assert Client().get(f"/apa/letters/{YEAR}/{GSS}/letter.pdf").status_code == 404


def test_the_council_never_sees_proposals(world: World) -> None:
    assessment = _assessment(world)
    for role in (Role.DCS, Role.PARTNER_CONTRIBUTOR):
        client = client_for(world.users[role])
        page = client.get(f"/apa/{YEAR}/{GSS}/").content.decode()
        assert "Proposed" not in page
        assert "score" not in page
        assert "still deciding the grades" in page
        assert client.get(f"/apa/{YEAR}/{GSS}/letter/").status_code == 403
        api = client.get(f"/api/apa/{YEAR}/{GSS}/").json()
        assert all(
            j["proposed"] is None and j["reasons"] == [] and j["recorded"] is None
            for j in api["judgements"].values()
        )
    _record_all(world, assessment)
    inspector_view = client_for(world.users[Role.INSPECTOR]).get(f"/apa/{YEAR}/{GSS}/")
    assert "Proposed" in inspector_view.content.decode()
    # Recorded but not issued: still nothing for the council.
    dcs = client_for(world.users[Role.DCS])
    assert "Plain words" not in dcs.get(f"/apa/{YEAR}/{GSS}/").content.decode()
    letter_issue(assessment=assessment, by=world.users[Role.INSPECTOR])
    for role in (Role.DCS, Role.PARTNER_CONTRIBUTOR):
        client = client_for(world.users[role])
        page = client.get(f"/apa/{YEAR}/{GSS}/").content.decode()
        assert "Plain words about staying safe." in page
        assert "Proposed" not in page
        assert "score" not in page
        assert client.get(f"/apa/{YEAR}/{GSS}/letter/").status_code == 200
        api = client.get(f"/api/apa/{YEAR}/{GSS}/").json()
        assert api["judgements"]["SS"]["recorded"] == 4
        assert api["judgements"]["SS"]["proposed"] is None
        assert api["judgements"]["SS"]["reasons"] == []


def test_the_calendar_of_the_year(world: World) -> None:
    due = calendar_for(YEAR)
    assert due["self_assessment"] == date(YEAR, 7, 29)
    assert list(due) == [
        "dataset", "self_assessment", "scrutiny", "meeting", "draft_letter",
        "representations", "letter_published", "cpa_block",
    ]  # fmt: skip
    with override_settings(ECM_APA_CALENDAR={YEAR: {"self_assessment": "2024-08-01"}}):
        assert calendar_for(YEAR)["self_assessment"] == date(2024, 8, 1)
        assert calendar_for(YEAR)["dataset"] == date(YEAR, 6, 1)
    with override_settings(ECM_APA_CALENDAR={YEAR: {"sometime": "2024-08-01"}}):
        with pytest.raises(CalendarError, match="no step is called 'sometime'"):
            calendar_for(YEAR)
    with override_settings(ECM_APA_CALENDAR={YEAR: {"meeting": "30/09/2024"}}):
        with pytest.raises(CalendarError, match="is not a date"):
            calendar_for(YEAR)
    states = {s.code: s for s in calendar_progress(area=world.own_area, year=YEAR)}
    assert states["dataset"].done
    assert states["scrutiny"].done
    assert not states["self_assessment"].done
    assert states["self_assessment"].overdue  # 2024 is past
    assert not states["letter_published"].done
    assert states["letter_published"].overdue
    page = client_for(world.users[Role.INSPECTOR]).get(f"/apa/{YEAR}/{GSS}/").content.decode()
    assert 'id="step-self_assessment"' in page
    assert "Overdue" in page
    assert 'aria-labelledby="apa-calendar-title apa-calendar-desc"' in page
    # A year still to come: nothing overdue yet.
    future = timezone.localdate().year + 1
    with override_settings(
        ECM_APA_CALENDAR={future: {"dataset": str(timezone.localdate() + timedelta(days=1))}}
    ):
        ahead = calendar_progress(area=world.own_area, year=future)
        assert not any(s.overdue for s in ahead)


def test_the_national_lead_sets_the_years_dates(world: World) -> None:
    url = f"/apa/calendar/{YEAR}/"
    dates = {code: str(day) for code, day in calendar_for(YEAR).items()}
    inspector = client_for(world.users[Role.INSPECTOR])
    page = inspector.get(url)
    assert page.status_code == 200
    assert "29 July 2024" in page.content.decode()
    assert "Save the dates" not in page.content.decode()
    assert inspector.post(url, {**dates, "self_assessment": "2024-08-02"}).status_code == 403
    lead = client_for(world.users[Role.NATIONAL_LEAD])
    wrong = lead.post(url, {**dates, "meeting": "2030-09-30"})
    assert wrong.status_code == 422
    assert "Assessment meeting with the council: choose a date in 2024 or 2025." in (
        wrong.content.decode()
    )
    assert 'value="2030-09-30"' in wrong.content.decode()  # what was typed, kept
    typo = lead.post(url, {**dates, "meeting": "30th September"})
    assert typo.status_code == 422
    assert lead.post(url, {**dates, "self_assessment": "2024-08-02"}).status_code == 302
    assert calendar_for(YEAR)["self_assessment"] == date(2024, 8, 2)
    # The national lead's date wins over the setting's.
    with override_settings(ECM_APA_CALENDAR={YEAR: {"self_assessment": "2024-07-01"}}):
        assert calendar_for(YEAR)["self_assessment"] == date(2024, 8, 2)
    from ecm_inspect.performance.models import CalendarDate

    saved = CalendarDate.objects.get(year=YEAR, step="self_assessment")
    assert saved.history.latest().history_user == world.users[Role.NATIONAL_LEAD]  # type: ignore[attr-defined]
    assert CalendarDate.objects.count() == 1  # unchanged dates are not stored


def test_the_meeting_and_the_letter_tick_off_the_calendar(world: World) -> None:
    assessment = _assessment(world)
    inspector = client_for(world.users[Role.INSPECTOR])
    future = inspector.post(
        f"/apa/{YEAR}/{GSS}/",
        {"action": "meeting", "held_on": str(timezone.localdate() + timedelta(days=3))},
    )
    assert future.status_code == 422
    assert "cannot be in the future" in future.content.decode()
    ok = inspector.post(f"/apa/{YEAR}/{GSS}/", {"action": "meeting", "held_on": "2024-09-24"})
    assert ok.status_code == 302
    _record_all(world, assessment)
    letter_issue(assessment=assessment, by=world.users[Role.INSPECTOR])
    letter_publish(assessment=assessment, by=world.users[Role.INSPECTOR])
    states = {s.code: s for s in calendar_progress(area=world.own_area, year=YEAR)}
    assert states["meeting"].done
    assert states["meeting"].done_on == date(2024, 9, 24)
    assert states["draft_letter"].done
    assert states["representations"].done
    assert states["letter_published"].done
    assert states["cpa_block"].done
    assert not states["self_assessment"].done


def test_self_assessment_shows_indicators_against_england_and_neighbours(world: World) -> None:
    neighbours = [
        area_make(f"E0600000{n}", f"80{n}", name) for n, name in
        enumerate(["Hartlepool", "Middlesbrough", "Stockton-on-Tees"], start=1)
    ]  # fmt: skip
    for rank, (near, value) in enumerate(zip(neighbours, (70, 80, 90), strict=True), start=1):
        StatisticalNeighbour.objects.create(area=world.own_area, neighbour=near, rank=rank)
        for d in IndicatorDefinition.objects.all():
            IndicatorValue.objects.create(
                indicator=d, area=near, year=YEAR, period=str(YEAR), value=value
            )
    page = client_for(world.users[Role.DCS]).get(f"/apa/{YEAR}/{GSS}/self-assessment/")
    text = page.content.decode()
    assert "Statistical neighbours (mean)" in text
    assert ">80 <span" in text.replace("\n", "")  # the mean of 70, 80 and 90
    sections = re.findall(r'govuk-table__caption--s">([^<]+)<', text)
    assert sections == [
        "Being healthy", "Staying safe", "Enjoying and achieving",
        "Making a positive contribution", "Achieving economic well-being", "Service management",
    ]  # fmt: skip
    assert "worse" in text  # 60 against a mean of 80, higher being better
    assert 'aria-labelledby="neighbours-title neighbours-desc"' in text


def test_fewer_than_three_neighbours_give_no_mean(world: World) -> None:
    from ecm_inspect.performance.selectors import indicator_rows

    near = area_make("E06000001", "801", "Hartlepool")
    StatisticalNeighbour.objects.create(area=world.own_area, neighbour=near, rank=1)
    d = IndicatorDefinition.objects.first()
    assert d is not None
    IndicatorValue.objects.create(indicator=d, area=near, year=YEAR, period=str(YEAR), value=1)
    rows = [r for rs in indicator_rows(area=world.own_area, year=YEAR).values() for r in rs]
    assert all(r.neighbours is None and r.against_neighbours == "" for r in rows)
