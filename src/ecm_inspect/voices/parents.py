"""The parents' and carers' proforma: what is asked, taking answers, and opening and closing it.

The 2004 proposals (section 5, "The views of children and young people") make gathering the
views of children and young people, "as well as of their parents and carers", part of every
review; the Framework's principles ask inspectors to take account of users' views. The
proforma is short (one page), anonymous (models.py says what is not stored) and reached by a
code per review, printed on a leaflet the team hands out. Its questions are fixed here, not in
YAML: one short question per outcome on whether services help the parent's child, two on
getting help, and two free-text boxes screened for harm (screening.py) like children's words.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ecm_inspect.accounts.ratelimit import Rate, rate_allow
from ecm_inspect.core.concurrency import record_update

from .concerns import concern_raise
from .models import (
    ConcernSource,
    InCare,
    ParentResponse,
    ParentsProforma,
    Relationship,
    Survey,
    SurveyStatus,
)
from .proforma import AGE_BANDS, TEXT_LIMIT
from .screening import disclosures_find
from .services import CODE_ALPHABET, SurveyClosed, SurveyRefused, TooManyResponses


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    choices: tuple[tuple[str, str], ...]
    positive: tuple[str, ...]
    outcome: str = ""  # the outcome whose key judgements it bears on, if any


AGREE = (("agree", "Agree"), ("disagree", "Disagree"), ("not_sure", "Not sure"))

# One short question per outcome of the Framework (2005), in its order.
OUTCOME_QUESTIONS = (
    Question("healthy", "Services help my child to be healthy.", AGREE, ("agree",), "BH"),
    Question("safe", "Services help to keep my child safe.", AGREE, ("agree",), "SS"),
    Question(
        "learning",
        "Services help my child to learn and to enjoy what they do.",
        AGREE,
        ("agree",),
        "EA",
    ),
    Question(
        "listened",
        "People who work with my child listen to my child and to me.",
        AGREE,
        ("agree",),
        "PC",
    ),
    Question(
        "money_housing",
        "Our family gets the help we need with money, work or housing.",
        AGREE,
        ("agree",),
        "EW",
    ),
)
# Access and co-ordination (the Framework's service-management aspects, 2004 proposals
# section 5 on tracking: access, timeliness, co-ordination).
HELP_QUESTIONS = (
    Question(
        "easy_to_get_help",
        "When my child needed help, it was easy to get.",
        AGREE,
        ("agree",),
    ),
    Question(
        "worked_together",
        "The services my child uses work well together.",
        AGREE,
        ("agree",),
    ),
)
QUESTIONS = OUTCOME_QUESTIONS + HELP_QUESTIONS
TEXTS = {
    "works_well": "What works well for your child?",
    "could_be_better": "What could be better?",
}
ABOUT_CHILD = {
    "child_disabled": "Is your child disabled, or do they have learning difficulties?",
    "child_in_care": (
        "Is your child in care (looked after by the council), for example living with "
        "foster carers or in a children's home?"
    ),
}
RATE_SETTING = "ECM_SURVEY_RATE_LIMIT"  # the same limit as a school code's


def _today() -> date:
    return timezone.localdate()


def _code() -> str:
    for _ in range(100):
        code = "P" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not ParentsProforma.objects.filter(code=code).exists():
            return code
    raise SurveyRefused("No free code came up; try again.")


def parents_proforma_create(*, survey: Survey, by: Any = None) -> ParentsProforma:
    """The review's parents' and carers' proforma, with its code (idempotent: one per
    review). It needs the review's survey: the survey's safeguarding contact is told of
    concerns, and the concerns page is the survey's."""
    existing = ParentsProforma.objects.filter(survey=survey).first()
    if existing is not None:
        return existing
    return ParentsProforma.objects.create(
        survey=survey, code=_code(), is_synthetic=survey.is_synthetic
    )


def parents_proforma_open(*, proforma: ParentsProforma, by: Any) -> ParentsProforma:
    if proforma.status == SurveyStatus.CLOSED:
        raise SurveyRefused("A closed proforma cannot be opened again: its answers are frozen.")
    if proforma.status == SurveyStatus.OPEN:
        return proforma
    return record_update(
        record=proforma,
        seen_version=proforma.version,
        changes={"status": SurveyStatus.OPEN, "opened_on": _today()},
        by=by,
    )


def parents_proforma_close(*, proforma: ParentsProforma, by: Any = None) -> ParentsProforma:
    """Close it and freeze its answers: the pages take no more."""
    if proforma.status == SurveyStatus.CLOSED:
        return proforma
    return record_update(
        record=proforma,
        seen_version=proforma.version,
        changes={"status": SurveyStatus.CLOSED, "closed_on": _today()},
        by=by,
    )


def parents_accepting(proforma: ParentsProforma) -> None:
    """Raise SurveyClosed unless parents may answer today."""
    if proforma.status != SurveyStatus.OPEN:
        raise SurveyClosed(
            "This questionnaire is closed."
            if proforma.status == SurveyStatus.CLOSED
            else "This questionnaire has not opened yet."
        )


class ParentAnswersInvalid(SurveyRefused):
    """What is wrong, by field name, in plain words."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parent_answers_clean(data: dict[str, str]) -> dict[str, Any]:
    """The answers as the model keeps them: the two questions about who answers are needed,
    everything else may be left blank; a choice must be one offered; text is cut to
    TEXT_LIMIT characters."""
    errors: dict[str, str] = {}

    def pick(name: str, allowed: set[str], required: str = "") -> str:
        value = (data.get(name) or "").strip()
        if not value:
            if required:
                errors[name] = required
            return ""
        if value not in allowed:
            errors[name] = "Choose one of the answers."
            return ""
        return value

    cleaned: dict[str, Any] = {
        "relationship": pick(
            "relationship",
            set(Relationship.values),
            "Choose whether you are a parent, a carer, or a foster or kinship carer.",
        ),
        "child_age_band": pick("child_age_band", set(AGE_BANDS), "Choose how old your child is."),
        "child_disabled": pick("child_disabled", set(InCare.values)),
        "child_in_care": pick("child_in_care", set(InCare.values)),
    }
    answers = {}
    for question in QUESTIONS:
        value = pick(question.name, {v for v, _ in question.choices})
        if value:
            answers[question.name] = value
    cleaned["answers"] = answers
    for name in TEXTS:
        cleaned[name] = (data.get(name) or "").strip()[:TEXT_LIMIT]
    if errors:
        raise ParentAnswersInvalid(errors)
    return cleaned


@transaction.atomic
def parent_response_submit(*, proforma: ParentsProforma, data: dict[str, str]) -> ParentResponse:
    """Take one parent's or carer's answers (one page, sent at once: nothing to come back
    to, so no cookie). Free text that suggests a child at risk is raised at once with the
    review's safeguarding contact, by the children's survey's concern path."""
    parents_accepting(proforma)
    cleaned = parent_answers_clean(data)
    if not rate_allow(
        key=f"voices:parents:{proforma.code}", rate=Rate.parse(getattr(settings, RATE_SETTING))
    ):
        raise TooManyResponses(
            "A lot of people are answering right now. Please wait a few minutes and try again."
        )
    response = ParentResponse.objects.create(proforma=proforma, submitted_on=_today(), **cleaned)
    for name in TEXTS:
        text = cleaned[name]
        found = disclosures_find(text) if text else []
        if found:
            concern_raise(
                survey=proforma.survey,
                source=ConcernSource.PARENT,
                text=text,
                matched="; ".join(f"{d.label}: {d.text!r}" for d in found),
            )
    return response


def survey_hard_to_reach_set(
    *, survey: Survey, groups: str, by: Any, expected_version: int
) -> Survey:
    """Name the hard-to-reach groups whose views the review means to hear, one a line; each
    becomes a row of the coverage panel (coverage.py)."""
    lines = [line.strip()[:80] for line in groups.splitlines() if line.strip()]
    unique = list(dict.fromkeys(lines))[:20]
    return record_update(
        record=survey,
        seen_version=expected_version,
        changes={"hard_to_reach": "\n".join(unique)},
        by=by,
    )
