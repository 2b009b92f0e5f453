"""The demo's surveys of children and young people (all responses made up, marked synthetic):

- Gateshead's review (published): a closed survey of 15 real schools and colleges of the area
  with 2,400 synthetic responses, analysed, recorded as evidence, with feedback to children.
- Sunderland's review: a survey kept open so that the children's pages can be tried, with
  1,200 synthetic responses to compare with; and its questionnaire for parents and carers,
  open, with 160 synthetic responses (parents of children in care and of disabled children
  among them, enough to pass suppression), recorded as evidence.
"""

from datetime import timedelta

from django.utils import timezone

from ecm_inspect.framework.models import Outcome
from ecm_inspect.reviews.models import Review, TeamRole

from .evidence import evidence_from_parents, evidence_from_survey
from .models import Survey, SurveyStatus, ViewsKind
from .parents import parents_proforma_create, parents_proforma_open
from .services import proforma_load, survey_create, survey_open, survey_sample, views_record
from .synthetic import parent_responses_generate, responses_generate

FEEDBACK = {
    "BH": "You told us it can take a long time to get help with worries and mental health. "
    "We looked at how quickly children get that help, and asked the council and the NHS to make "
    "it quicker.",
    "SS": "Many of you feel safe in the day but not after dark. We talked to the police and the "
    "council about lighting and safe places, and it is in our report.",
    "EA": "You said there are not enough places to go and things to do. We checked what youth "
    "services there are, and asked the council to plan more with you.",
    "PC": "Some of you do not feel listened to. We asked the council to show how it uses "
    "children's views when it makes decisions.",
    "EW": "You asked for better advice about jobs and training. We looked at careers advice and "
    "asked for it to start earlier.",
}


def _contact(review: Review):  # type: ignore[no-untyped-def]
    members = review.team.select_related("inspector__user").order_by("role")
    leader = [m for m in members if m.role == TeamRole.LEADER]
    for member in leader + list(members):
        user = member.inspector.user
        if user is not None and not user.email and getattr(user, "is_demo", False):
            user.email = f"{user.username}@ecm-inspect.example"  # demo accounts have none
            user.save(update_fields=["email"])
        if user is not None and user.email:
            return user
    return None


def _survey(gss: str, responses: int, *, closed: bool) -> Survey | None:
    review = Review.objects.filter(is_synthetic=True, area__gss_code=gss).first()
    if review is None:
        return None
    existing = Survey.objects.filter(review=review).first()
    if existing is not None:
        return existing
    contact = _contact(review)
    if contact is None:
        return None  # no account to receive concerns (demo accounts off): no survey
    today = timezone.localdate()
    if closed:
        opens_on = review.analysis_starts_on - timedelta(weeks=4)
        closes_on = review.analysis_starts_on + timedelta(days=4)
    else:
        opens_on, closes_on = today - timedelta(days=14), today + timedelta(days=28)
    survey = survey_create(
        review=review,
        opens_on=opens_on,
        closes_on=closes_on,
        safeguarding_contact=contact,
        proforma=proforma_load(),
        seed=2005,
    )
    survey_sample(survey=survey)
    survey = survey_open(survey=survey, by=None)
    responses_generate(survey=survey, count=responses, seed=int(gss[-4:]), on=opens_on)
    if closed:
        Survey.objects.filter(pk=survey.pk).update(
            status=SurveyStatus.CLOSED, closed_on=closes_on, feedback=FEEDBACK
        )
        survey.refresh_from_db()
        evidence_from_survey(survey=survey)
        outcomes = {o.code: o for o in Outcome.objects.filter(version__code="2005")}
        views_record(
            review=review,
            outcomes=[outcomes["SS"], outcomes["BH"]],
            kind=ViewsKind.INTERVIEW_GROUP,
            title="Group interview with looked-after young people (made up)",
            gathered_on=review.analysis_starts_on + timedelta(weeks=5),
            by_whom="Inspectors on fieldwork",
            children=6,
            age_group="13 to 17",
            group="Looked-after children",
            summary="They valued their social workers but said changes of worker were frequent; "
            "two said they did not know how to complain.",
        )
        views_record(
            review=review,
            outcomes=[outcomes["PC"]],
            kind=ViewsKind.SERVICE_CONSULTATION,
            title="Youth council consultation on youth services (made up)",
            gathered_on=review.analysis_starts_on - timedelta(weeks=10),
            by_whom="The council's participation team",
            children=140,
            age_group="11 to 19",
            summary="Young people asked for more open-access youth provision in the evenings.",
            used="The council kept two youth centres open on Friday evenings.",
        )
    return survey


def _parents(survey: Survey | None, responses: int) -> None:
    """The review's questionnaire for parents and carers, open, with made-up answers (once:
    a proforma that has answers is left as it is)."""
    if survey is None:
        return
    proforma = parents_proforma_open(proforma=parents_proforma_create(survey=survey), by=None)
    if not proforma.responses.exists():
        parent_responses_generate(proforma=proforma, count=responses, seed=2024)
    evidence_from_parents(proforma=proforma)


def demo_voices_ensure() -> None:
    _survey("E08000037", 2400, closed=True)
    _parents(_survey("E08000024", 1200, closed=False), 160)
