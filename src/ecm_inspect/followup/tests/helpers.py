"""Small builders for the follow-up tests: a published review with three recommendations, the
area's statement with an action for each, a user of the other area, and verified users for
asking the policy directly."""

from datetime import date
from typing import Any

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.accounts.services import organisation_for, user_create
from ecm_inspect.accounts.tests.world import BACKUP_CODE, PASSWORD, verified
from ecm_inspect.followup.models import Action, Service, StatementOfAction
from ecm_inspect.followup.services import action_write, add_months, statement_get
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.tests.conftest import ReviewWorld

PUBLISHED = date(2027, 1, 20)
SERVICES = [Service.COUNCIL_SOCIAL_CARE, Service.HEALTH, Service.COUNCIL_EDUCATION]


def publish(
    rw: ReviewWorld,
    *,
    review: Review | None = None,
    on: date = PUBLISHED,
    grades: dict[str, int] | None = None,
) -> Review:
    """The review published on `on` with three recommendations (one of each priority) and an
    outcome judgement for each of `grades` (code: grade)."""
    review = review or rw.review
    Review.objects.filter(pk=review.pk).update(stage=Stage.FOLLOW_UP)
    review.refresh_from_db()
    grades = {"SS": 3} if grades is None else grades
    Publication.objects.create(
        review=review, published_on=on, html="", children_html="", grades=grades, reading_grade=3
    )
    for code, grade in grades.items():
        ReviewJudgement.objects.create(
            review=review, level="outcome", code=code, title=f"Title of {code}", grade=grade
        )
    for order, (text, body, priority) in enumerate(
        (
            ("review referral thresholds", "Gateshead council", "immediately"),
            ("shorten waits for mental health assessment", "The primary care trust", "six_months"),
            ("plan transition to adult services", "Gateshead council", "longer_term"),
        )
    ):
        Recommendation.objects.create(
            review=review, text=text, body=body, priority=priority, order=order
        )
    return review


def recommendations(review: Review) -> list[Recommendation]:
    return list(Recommendation.objects.filter(review=review).order_by("order"))


def written(
    rw: ReviewWorld, review: Review | None = None, on: date = PUBLISHED
) -> StatementOfAction:
    """The area's statement with an action of the DCS's for every recommendation (deadlines 3,
    6 and 18 months after `on`)."""
    review = review or rw.review
    statement = statement_get(review=review)
    for rec, service, months in zip(recommendations(review), SERVICES, (3, 6, 18), strict=True):
        action_write(
            statement=statement,
            recommendation=rec,
            text=f"We will {rec.text}.",
            owner_body=rec.body,
            service=service,
            deadline=add_months(on, months),
            by=rw.people.users[Role.DCS],
        )
    statement.refresh_from_db()
    return statement


def action_kwargs(rec: Recommendation, **changes: Any) -> dict[str, Any]:
    """Arguments of a valid action for `rec`, with `changes`."""
    return {
        "recommendation": rec,
        "text": "We will agree new thresholds.",
        "owner_body": "Gateshead council",
        "service": Service.COUNCIL_SOCIAL_CARE,
        "deadline": date(2027, 4, 20),
        **changes,
    }


def other_area_user(role: str = Role.DCS) -> User:
    """A DCS (or another area role) of Sunderland, the area not reviewed."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    user = user_create(
        username=f"sunderland-{role}",
        role=role,
        organisation=organisation_for("council:E08000024"),
        password=PASSWORD,
        full_name=f"Sunderland {role}",
    )
    device = StaticDevice.objects.create(user=user, name="Backup codes")
    StaticToken.objects.create(device=device, token=BACKUP_CODE)
    return user


def as_verified(rw: ReviewWorld, role: str) -> User:
    return verified(User.objects.get(pk=rw.people.users[role].pk))


def counts() -> tuple[int, ...]:
    from ecm_inspect.followup.models import InterventionCase, Progress

    return (
        Action.objects.count(),
        Progress.objects.count(),
        StatementOfAction.objects.count(),
        InterventionCase.objects.count(),
    )
