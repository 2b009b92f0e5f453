"""Running the area survey and recording other views of children and young people.

Every write is here, named `<entity>_<action>`; views, the API and the CLI call these.
"""

import hashlib
import json
import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ecm_inspect.accounts.ratelimit import Rate, rate_allow
from ecm_inspect.core.concurrency import record_update
from ecm_inspect.framework.models import Outcome
from ecm_inspect.reviews.models import Review

from .models import (
    ConcernSource,
    GatheredViews,
    Proforma,
    Response,
    Survey,
    SurveySchool,
    SurveyStatus,
)
from .proforma import AGE_BANDS, DEFAULT_PROFORMA, TEXT_LIMIT, proforma_read
from .sampling import FrameSchool, sample_draw, sampling_frame
from .screening import disclosures_find

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to type from a board


class SurveyRefused(Exception):
    """What a person asked for cannot be done; the message says why in plain words."""


class SurveyClosed(SurveyRefused):
    pass


class TooManyResponses(SurveyRefused):
    pass


def _today() -> date:
    return timezone.localdate()


def proforma_load(path: Any = DEFAULT_PROFORMA) -> Proforma:
    """Load a proforma version from YAML (idempotent: a version already loaded is kept as it
    is, so surveys that use it keep their wording)."""
    raw = proforma_read(path)
    proforma, _ = Proforma.objects.get_or_create(
        code=raw["code"],
        version=str(raw["version"]),
        defaults={"title": raw["title"], "definition": raw},
    )
    return proforma


def survey_create(
    *,
    review: Review,
    opens_on: date,
    closes_on: date,
    safeguarding_contact: Any,
    proforma: Proforma | None = None,
    seed: int | None = None,
    by: Any = None,
) -> Survey:
    if hasattr(review, "survey"):
        raise SurveyRefused("This review already has a survey.")
    if closes_on < opens_on:
        raise SurveyRefused("The closing date must be on or after the opening date.")
    if not safeguarding_contact.email:
        raise SurveyRefused(
            f"{safeguarding_contact.get_full_name() or safeguarding_contact} has no email "
            "address: the safeguarding contact must be reachable at once."
        )
    return Survey.objects.create(
        review=review,
        proforma=proforma or proforma_load(),
        opens_on=opens_on,
        closes_on=closes_on,
        safeguarding_contact=safeguarding_contact,
        sample_seed=seed if seed is not None else secrets.randbelow(1_000_000),
        is_synthetic=review.is_synthetic,
    )


# Codes are six characters of CODE_ALPHABET: 31^6, about 887 million. A free one comes up at
# the first try all but always; the tries are bounded all the same, so nothing can spin.
CODE_TRIES = 100


def _school_code(taken: set[str]) -> str:
    for _ in range(CODE_TRIES):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if code not in taken and not SurveySchool.objects.filter(code=code).exists():
            taken.add(code)
            return code
    raise SurveyRefused(f"No free school code came up in {CODE_TRIES} tries; try again.")


@transaction.atomic
def survey_sample(
    *, survey: Survey, size: int = 15, frame: list[FrameSchool] | None = None
) -> list[SurveySchool]:
    """Choose the schools and colleges (sampling.py) and give each a code. Only before any
    child has answered: afterwards the sample is fixed."""
    if survey.responses.exists():
        raise SurveyRefused("Children have already answered: the schools can no longer change.")
    chosen = sample_draw(
        frame if frame is not None else sampling_frame(survey.review.area),
        size=size,
        seed=survey.sample_seed,
    )
    survey.schools.all().delete()
    taken: set[str] = set()
    schools = [
        SurveySchool.objects.create(
            survey=survey,
            provider_id=s.provider_id,
            urn=s.urn,
            name=s.name,
            phase=s.phase,
            phase_estimated=s.phase_estimated,
            pupils=s.pupils,
            free_school_meals_percent=s.free_school_meals_percent,
            deprivation=s.deprivation,
            code=_school_code(taken),
        )
        for s in chosen
    ]
    Survey.objects.filter(pk=survey.pk).update(sampled_on=_today())
    return schools


def survey_open(*, survey: Survey, by: Any) -> Survey:
    if not survey.schools.exists():
        raise SurveyRefused("Choose the schools and colleges before opening the survey.")
    if survey.status == SurveyStatus.CLOSED:
        raise SurveyRefused("A closed survey cannot be opened again: its answers are frozen.")
    return record_update(
        record=survey, seen_version=survey.version, changes={"status": SurveyStatus.OPEN}, by=by
    )


def survey_close(*, survey: Survey, by: Any = None) -> Survey:
    """Close the survey and freeze its answers: no page accepts answers afterwards, and
    unfinished responses are never counted."""
    return record_update(
        record=survey,
        seen_version=survey.version,
        changes={"status": SurveyStatus.CLOSED, "closed_on": _today()},
        by=by,
    )


def survey_accepting(survey: Survey, on: date | None = None) -> None:
    """Raise SurveyClosed unless children may answer today."""
    on = on or _today()
    if survey.status != SurveyStatus.OPEN:
        raise SurveyClosed(
            "This survey is closed."
            if survey.status == SurveyStatus.CLOSED
            else "This survey has not opened yet."
        )
    if on > survey.closes_on:
        raise SurveyClosed(f"This survey closed on {survey.closes_on:%-d %B %Y}.")
    if on < survey.opens_on:
        raise SurveyClosed(f"This survey opens on {survey.opens_on:%-d %B %Y}.")


def _rate(setting: str) -> Rate:
    return Rate.parse(getattr(settings, setting))


def _rate_check(school: SurveySchool) -> None:
    """New responses per school code, over a sliding window counted in the store every web
    process shares (accounts/ratelimit.py; docs/voices.md, "Abuse resistance")."""
    if not rate_allow(key=f"voices:start:{school.code}", rate=_rate("ECM_SURVEY_RATE_LIMIT")):
        raise TooManyResponses(
            "A lot of people from your school are starting the survey right now. "
            "Please wait a few minutes and try again."
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def response_start(
    *, school: SurveySchool, age_band: str, easy_read: bool = False
) -> tuple[Response, str]:
    """Begin one child's answers; returns the response and the token for their cookie."""
    survey = school.survey
    survey_accepting(survey)
    if age_band not in AGE_BANDS:
        raise SurveyRefused("Choose how old you are.")
    _rate_check(school)
    version = survey.proforma.parsed.version_for(age_band, easy_read)
    token = secrets.token_urlsafe(32)
    response = Response.objects.create(
        survey=survey,
        school=school,
        version=version,
        age_band=age_band,
        started_on=_today(),
        token_sha256=token_hash(token),
    )
    return response, token


def response_find(*, school: SurveySchool, token: str | None) -> Response | None:
    if not token:
        return None
    return Response.objects.filter(school=school, token_sha256=token_hash(token)).first()


def response_about_save(*, response: Response, in_care: str, disability: str) -> Response:
    survey_accepting(response.survey)
    _check_unsent(response)
    response.in_care = in_care
    response.disability = disability
    response.save(update_fields=["in_care", "disability"])
    return response


def _check_unsent(response: Response) -> None:
    if response.submitted_on is not None:
        raise SurveyRefused("You have already sent your answers. Thank you!")


def answers_clean(response: Response, page_number: int, data: dict[str, str]) -> dict[str, str]:
    """The page's answers, checked against the proforma: a choice must be one offered, text
    is cut to TEXT_LIMIT characters; blank means skipped."""
    definition = response.survey.proforma.parsed
    pages = definition.pages_for(response.version)
    if not 1 <= page_number <= len(pages):
        raise SurveyRefused("There is no such page in this survey.")
    cleaned: dict[str, str] = {}
    for item in pages[page_number - 1].items_for(response.version):
        value = (data.get(item.name) or "").strip()
        if not value:
            continue
        if item.kind == "select_one" and value not in {c.value for c in item.choices}:
            raise SurveyRefused(f"Choose one of the answers for: {item.label(response.version)}")
        cleaned[item.name] = value[:TEXT_LIMIT]
    return cleaned


@transaction.atomic
def response_page_save(*, response: Response, page_number: int, data: dict[str, str]) -> Response:
    """Save one page of answers (progress is kept: a child can come back to finish)."""
    survey_accepting(response.survey)
    response = Response.objects.select_for_update().get(pk=response.pk)
    _check_unsent(response)
    definition = response.survey.proforma.parsed
    page = definition.pages_for(response.version)[page_number - 1] if page_number >= 1 else None
    cleaned = answers_clean(response, page_number, data)
    answers = dict(response.answers)
    if page is not None:
        for item in page.items:
            answers.pop(item.name, None)
    answers.update(cleaned)
    response.answers = answers
    response.pages_done = max(response.pages_done, page_number)
    response.save(update_fields=["answers", "pages_done"])
    return response


def answers_applicable(response: Response) -> dict[str, str]:
    """The answers to the questions the child was actually asked (skip logic applied in page
    order: an answer to a question its condition now skips is dropped)."""
    definition = response.survey.proforma.parsed
    kept: dict[str, str] = {}
    for page in definition.pages_for(response.version):
        for item in page.items_for(response.version):
            if item.name in response.answers and item.applies(kept):
                kept[item.name] = response.answers[item.name]
    return kept


def _fingerprint(response: Response, answers: dict[str, str]) -> str:
    payload = [
        response.school_id,
        response.version,
        response.age_band,
        response.in_care,
        response.disability,
        sorted(answers.items()),
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


@transaction.atomic
def response_submit(*, response: Response) -> Response:
    """Send the answers: skip logic applied, free text screened for harm (flagged at once to
    the safeguarding contact), and the same answers sent twice from one school on one day
    marked as a possible duplicate when they include words (identical free text is not a
    coincidence; identical ticks can be).

    Sending twice is not an error: a second press of "Send" (two requests in flight, the
    second read the response before the first committed) finds it sent and returns it as it
    is, so the child sees the thank-you page again and nothing is screened or sent twice."""
    from .concerns import concern_raise  # concerns.py builds on this module

    survey_accepting(response.survey)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.submitted_on is not None:
        return response
    answers = answers_applicable(response)
    today = _today()
    fingerprint = _fingerprint(response, answers)
    definition = response.survey.proforma.parsed
    texts = [v for k, v in answers.items() if definition.items[k].kind == "text"]
    duplicate = bool(texts) and (
        Response.objects.filter(
            survey=response.survey,
            school=response.school,
            submitted_on=today,
            answers_sha256=fingerprint,
        ).exists()
    )
    response.answers = answers
    response.submitted_on = today
    response.answers_sha256 = fingerprint
    response.possible_duplicate = duplicate
    response.save(update_fields=["answers", "submitted_on", "answers_sha256", "possible_duplicate"])
    if not duplicate:
        for text in texts:
            found = disclosures_find(text)
            if found:
                concern_raise(
                    school=response.school,
                    source=ConcernSource.SCREENED,
                    text=text,
                    matched="; ".join(f"{d.label}: {d.text!r}" for d in found),
                )
    return response


def feedback_write(
    *, survey: Survey, feedback: dict[str, str], by: Any, expected_version: int
) -> Survey:
    """What the inspectors did with what children said, per outcome, for the summary schools
    share with their pupils."""
    cleaned = {code: text.strip() for code, text in feedback.items() if text.strip()}
    return record_update(
        record=survey, seen_version=expected_version, changes={"feedback": cleaned}, by=by
    )


def views_record(
    *, review: Review, outcomes: list[Outcome], by: Any = None, **fields: Any
) -> GatheredViews:
    """Record views gathered by a service, an earlier setting inspection or a fieldwork
    interview; they become an evidence item of the review (evidence_from_views)."""
    from .evidence import evidence_from_views

    views = GatheredViews(review=review, recorded_by=by, **fields)
    views.full_clean(exclude=["outcomes"])
    with transaction.atomic():
        views.save()
        views.outcomes.set(outcomes)
        evidence_from_views(views=views, by=by)
    return views
