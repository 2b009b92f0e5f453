"""The demo's follow-up: Gateshead's statement of proposed action on its published report,
written by the council (made up) and found adequate by the review's leader, with progress
reported by the council; and the council's APA of the year of publication, which follows the
statement up (its overall judgement says how many of the council's actions are done)."""

from datetime import timedelta

from django.conf import settings

from ecm_inspect.accounts.models import User
from ecm_inspect.performance.models import Assessment
from ecm_inspect.performance.services import apa_run
from ecm_inspect.reports.models import Publication, Recommendation

from .models import Action, Service
from .services import (
    add_months,
    progress_add,
    statement_decide,
    statement_get,
    statement_submit,
)


def demo_followup_ensure() -> None:
    publication = Publication.objects.filter(
        review__is_synthetic=True, review__area__gss_code="E08000037"
    ).first()
    if publication is None:
        return
    if not Action.objects.filter(review=publication.review).exists():
        _statement_with_progress(publication)
    area = publication.review.area
    year = publication.published_on.year
    if not Assessment.objects.filter(area=area, year=year).exists():
        apa_run(year=year, areas=[area])


def _service_of(body: str) -> str:
    lowered = body.lower()
    if "health" in lowered or "trust" in lowered:
        return Service.HEALTH
    if "police" in lowered:
        return Service.POLICE
    if "council" in lowered:
        return Service.COUNCIL_SOCIAL_CARE
    return Service.PARTNERSHIP


def _statement_with_progress(publication: Publication) -> None:
    from .services import action_write

    dcs = User.objects.filter(username="demo-dcs").first()
    leader = User.objects.filter(username="demo-team-leader").first()
    review = publication.review
    statement = statement_get(review=review)
    months = settings.ECM_FOLLOW_UP_MONTHS
    actions = [
        action_write(
            statement=statement,
            recommendation=rec,
            text=f"We will {rec.text[0].lower()}{rec.text[1:].rstrip('.')}. (Demo: made up.)",
            owner_body=rec.body,
            service=_service_of(rec.body),
            deadline=add_months(publication.published_on, months.get(rec.priority, 6)),
            by=dcs,
        )
        for rec in Recommendation.objects.filter(review=review)
    ]
    partner = User.objects.filter(username="demo-partner").first()
    recommendations = list(Recommendation.objects.filter(review=review)[:1])
    if partner is not None and recommendations:
        # The youth offending team adds its own action, so the demo partner has one to report on.
        actions.append(
            action_write(
                statement=statement,
                recommendation=recommendations[0],
                text="Screen every young person entering the youth justice system for a "
                "referral to children's social care. (Demo: made up.)",
                owner_body="Gateshead Youth Offending Team",
                service=Service.YOUTH_JUSTICE,
                deadline=add_months(publication.published_on, 12),
                by=partner,
            )
        )
    start = publication.published_on
    statement_submit(statement=statement, by=dcs, today=start + timedelta(days=40))
    statement_decide(
        statement=statement,
        adequate=True,
        reasons="Every recommendation has an owned, dated action. (Demo.)",
        by=leader,
        today=start + timedelta(days=50),
    )
    if actions:
        progress_add(
            action=actions[0],
            text="New referral thresholds agreed by the LSCB. (Demo.)",
            done=True,
            by=dcs,
            on=start + timedelta(days=60),
        )
    if len(actions) > 1:
        progress_add(
            action=actions[1],
            text="Extra clinics running since the spring. (Demo.)",
            by=dcs,
            on=start + timedelta(days=120),
        )
