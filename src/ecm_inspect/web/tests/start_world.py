"""A world of everyone's work, for the start pages' tests (unit and browser): the accounts'
world (Gateshead the users' own area, Sunderland another), and

- Gateshead's review in fieldwork: the team leader user leads it, the inspector user leads its
  staying-safe judgements (one drafted, for the leader to moderate); a request to the area is
  overdue;
- Gateshead's earlier review, its draft report out for accuracy comments;
- Gateshead's review before those, published 200 days ago: its statement of proposed action is
  overdue, with an action of the partner contributor's body;
- Sunderland's review in fieldwork with a request of its own, and its issued APA letter: none of
  it the users' work (no one of theirs is on its team or works there);
- Gateshead's APA letter issued; an intervention alert;
- for the pages a crawl must read in plain words: the fieldwork review's children's survey,
  closed (its schools' answer links answer 410 and must not be shown); its list of case files
  (every vulnerable group), a reading of one and a tracked child with a step of their journey;
  a school the register names only by its URN and a children's home with its own name, each
  with a published inspection.

Dates are relative to today, so the world is the same whenever it runs."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, world_build
from ecm_inspect.evidence.case_files import case_files_import, child_track, journey_add
from ecm_inspect.evidence.fieldwork.findings import finding_record
from ecm_inspect.evidence.models import EvidenceKind, EvidenceRequest, Indication
from ecm_inspect.evidence.tests.conftest import case_list
from ecm_inspect.followup.services import action_write, statement_get
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import ProviderKind
from ecm_inspect.framework.services import framework_load
from ecm_inspect.performance.models import AlertKind, Assessment, InterventionAlert, LetterStatus
from ecm_inspect.provision.tests.test_pool import inspect
from ecm_inspect.registry.models import Inspectorate, Provider
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reports.services import judgements_propose, outcome_lead_set
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.services import national_themes_ensure, review_create, review_team_set
from ecm_inspect.reviews.tests.conftest import inspector_make
from ecm_inspect.voices.services import survey_close, survey_create, survey_open, survey_sample
from ecm_inspect.voices.tests.conftest import frame_make


@dataclass
class StartWorld:
    people: World
    today: date
    fieldwork: Review  # Gateshead's, in fieldwork
    draft_out: Review  # Gateshead's, draft sent for accuracy comments
    published: Review  # Gateshead's, published, statement overdue
    elsewhere: Review  # Sunderland's, in fieldwork
    request: EvidenceRequest  # to Gateshead, overdue
    letter: Assessment  # Gateshead's APA letter, issued


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _review(world: World, area: Any, analysis: date, leader: Any, members: list[Any]) -> Review:
    review = review_create(
        area=area,
        analysis_starts_on=analysis,
        dcs_name="Dana Director",
        dcs_email="dcs@example.org",
    )
    review_team_set(review=review, leader=leader, members=members)
    return review


def start_world_build() -> StartWorld:
    framework_load()
    people = world_build()
    national_themes_ensure()
    today = timezone.localdate()
    leader = inspector_make("Lena Leader", "OFSTED", people.users[Role.REVIEW_TEAM_LEADER])
    member = inspector_make("Team Inspector", "OFSTED", people.users[Role.INSPECTOR])
    csci = [inspector_make(f"CSCI Inspector {n}", "CSCI") for n in range(1, 5)]
    ofsted = [inspector_make(f"Ofsted Inspector {n}", "OFSTED") for n in range(1, 3)]
    gateshead, sunderland = people.own_area, people.other_area

    # In fieldwork today: analysis began three weeks ago last Monday.
    fieldwork = _review(
        people, gateshead, _monday(today) - timedelta(weeks=3), leader, [member, *csci[:2]]
    )
    Review.objects.filter(pk=fieldwork.pk).update(stage=Stage.FIELDWORK)
    fieldwork.refresh_from_db()
    judgements_propose(review=fieldwork)
    outcome_lead_set(
        review=fieldwork,
        outcome_code="SS",
        member=fieldwork.team.get(inspector=member),
        by=None,
    )
    ReviewJudgement.objects.filter(review=fieldwork, code="SS.1").update(
        finding="Children are safe at home and at school.", recorded_at=timezone.now()
    )
    request = EvidenceRequest.objects.create(
        review=fieldwork,
        kind=EvidenceKind.CASE_FILE_SAMPLE,
        what="The list of children in care",
        due_on=today - timedelta(days=3),
    )

    draft_out = _review(
        people, gateshead, _monday(today) - timedelta(weeks=20), leader, [member, *csci[2:]]
    )
    Review.objects.filter(pk=draft_out.pk).update(stage=Stage.DRAFT_SENT)
    draft_out.refresh_from_db()

    published = _review(
        people, gateshead, _monday(today) - timedelta(weeks=60), leader, [member, *csci[:2]]
    )
    Review.objects.filter(pk=published.pk).update(stage=Stage.FOLLOW_UP)
    published.refresh_from_db()
    Publication.objects.create(
        review=published,
        published_on=today - timedelta(days=200),
        html="",
        children_html="",
        grades={"SS": 2},
        reading_grade=3,
    )
    recommendation = Recommendation.objects.create(
        review=published,
        text="Review referral thresholds",
        body="Gateshead council",
        priority="immediately",
        order=0,
    )
    statement = statement_get(review=published)
    action_write(
        statement=statement,
        recommendation=recommendation,
        text="Screen young people entering youth justice for a referral",
        owner_body="Gateshead Youth Offending Team",
        service="youth_justice",
        deadline=today + timedelta(days=30),
        by=people.users[Role.PARTNER_CONTRIBUTOR],
    )

    elsewhere = _review(
        people,
        sunderland,
        _monday(today) - timedelta(weeks=3) + timedelta(weeks=6),
        ofsted[0],
        [ofsted[1], *csci[2:]],
    )
    Review.objects.filter(pk=elsewhere.pk).update(stage=Stage.FIELDWORK)
    EvidenceRequest.objects.create(
        review=elsewhere,
        kind=EvidenceKind.CASE_FILE_SAMPLE,
        what="Sunderland's list of children in need",
        due_on=today - timedelta(days=3),
    )

    letter = Assessment.objects.create(area=gateshead, year=today.year - 1)
    Assessment.objects.filter(pk=letter.pk).update(letter_status=LetterStatus.ISSUED)
    letter.refresh_from_db()
    other = Assessment.objects.create(area=sunderland, year=today.year - 1)
    Assessment.objects.filter(pk=other.pk).update(letter_status=LetterStatus.ISSUED)
    InterventionAlert.objects.create(
        area=sunderland,
        kind=AlertKind.DETERIORATION,
        year=today.year - 1,
        message="Sunderland: staying safe inadequate.",
    )
    _fieldwork_records(fieldwork, people, today)
    _providers_inspected(people, today)
    return StartWorld(people, today, fieldwork, draft_out, published, elsewhere, request, letter)


def _fieldwork_records(review: Review, people: World, today: date) -> None:
    """A closed survey, the list of case files with a reading, a tracked child's journey."""
    contact = people.users[Role.INSPECTOR]
    contact.email = "safe@example.org"
    contact.save(update_fields=["email"])
    survey = survey_create(
        review=review,
        opens_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=1),
        safeguarding_contact=contact,
        seed=7,
    )
    survey_sample(survey=survey, size=5, frame=frame_make())
    survey_close(survey=survey_open(survey=survey, by=None))
    case_files_import(review=review, text=case_list(20))
    case_file = review.case_files.order_by("area_reference").first()
    finding_record(
        review=review,
        found="Plans were reviewed on time and the child's views were recorded.",
        key_judgement_codes=["SS.1"],
        indication=Indication.STRENGTH,
        found_on=today - timedelta(days=2),
        case_file=case_file,
    )
    child = child_track(review=review, case_file=case_file, summary="In care since infancy.")
    journey_add(
        child=child,
        on=today - timedelta(days=40),
        service="Children's social care",
        what_happened="Moved to a new foster home.",
    )


def _providers_inspected(people: World, today: date) -> None:
    """A school named only by its URN in the register, and a children's home with its name,
    each inspected (by Ofsted and CSCI) and published."""
    school = Provider.objects.create(
        urn="138213",
        name="Academy converter 138213",
        kind=ProviderKind.objects.get(code="primary_school"),
        sub_type="Academy converter, Primary",
        area=people.own_area,
    )
    home = Provider.objects.create(
        urn="SC023023",
        name="Riverside House",
        kind=ProviderKind.objects.get(code="childrens_home"),
        area=people.own_area,
    )
    for provider, body in ((school, "OFSTED"), (home, "CSCI")):
        inspect(
            cast(Any, None),  # the provision tests' place is not needed here
            provider,
            Inspectorate.objects.get(code=body),
            today - timedelta(days=90),
            {"SS.1": Grade.GOOD, "BH.2": Grade.ADEQUATE},
        )
