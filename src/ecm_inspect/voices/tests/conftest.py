"""A survey world: the review world of reviews' tests with a team, and an open survey of five
hand-built schools whose safeguarding contact is the test inspector."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import caches

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.reviews.tests.conftest import ReviewWorld, rw, team_set  # noqa: F401
from ecm_inspect.voices.models import Survey, SurveySchool
from ecm_inspect.voices.sampling import FrameSchool
from ecm_inspect.voices.services import survey_create, survey_open, survey_sample


def frame_make(prefix: str = "9") -> list[FrameSchool]:
    phases = ["primary"] * 5 + ["secondary"] * 4 + ["special", "college"]
    return [
        FrameSchool(f"{prefix}{n:05d}", f"School {n}", phase, False, 200 + 50 * n, Decimal(n * 4))
        for n, phase in enumerate(phases)
    ]


@dataclass
class SurveyWorld:
    rw: ReviewWorld
    survey: Survey

    @property
    def contact(self) -> User:
        return self.rw.people.users[Role.INSPECTOR]

    @property
    def school(self) -> SurveySchool:
        return self.survey.schools.order_by("pk")[0]

    @property
    def code(self) -> str:
        return self.school.code


@pytest.fixture
def sw(rw: ReviewWorld) -> SurveyWorld:  # noqa: F811
    team_set(rw)
    contact = rw.people.users[Role.INSPECTOR]
    contact.email = "safe@example.org"
    contact.save(update_fields=["email"])
    survey = survey_create(
        review=rw.review,
        opens_on=date(2020, 1, 1),
        closes_on=date(2099, 12, 31),
        safeguarding_contact=contact,
        seed=7,
    )
    survey_sample(survey=survey, size=5, frame=frame_make())
    caches["default"].clear()  # rate-limit counters
    caches["clients"].clear()
    return SurveyWorld(rw, survey_open(survey=survey, by=None))
