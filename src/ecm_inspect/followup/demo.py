"""The demo's follow-up: Gateshead's statement of proposed action from its published report,
with progress reported by the council (made up), and the council's APA of the year of
publication, which follows the statement up (its overall judgement says how many of the
council's actions are done)."""

from datetime import timedelta

from ecm_inspect.accounts.models import User
from ecm_inspect.performance.models import Assessment
from ecm_inspect.performance.services import apa_run
from ecm_inspect.reports.models import Publication

from .models import Action
from .services import progress_add, statement_make


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


def _statement_with_progress(publication: Publication) -> None:
    dcs = User.objects.filter(username="demo-dcs").first()
    actions = statement_make(review=publication.review)
    start = publication.published_on
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
