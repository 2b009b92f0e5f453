"""Safeguarding concerns raised in the survey and the parents' proforma: the e-mail to the
review's safeguarding contact, held past the limits, and what the team did about it."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from ecm_inspect.accounts.ratelimit import clients_store, rate_allow
from ecm_inspect.core.models import OutgoingEmail
from ecm_inspect.core.services import email_queue

from .models import Concern, ConcernSource, ConcernStatus, Survey, SurveySchool
from .proforma import TEXT_LIMIT
from .services import SurveyRefused, _rate, _today

SAFEGUARDING_ALERT = "Safeguarding concern"  # the purpose of the alert e-mails (core.OutgoingEmail)


def _concern_mail_allowed(key: str, client: str | None) -> bool:
    """Within the limits on e-mails about concerns: per client (when the concern comes from a
    child's own request) and per code (a school's, or the parents' proforma's)."""
    if client is not None and not rate_allow(
        key=f"voices:talk:{client}",
        rate=_rate("ECM_SURVEY_TALK_CLIENT_LIMIT"),
        store=clients_store(),
    ):
        return False
    return rate_allow(key=f"voices:concern:{key}", rate=_rate("ECM_SURVEY_TALK_LIMIT"))


_CONCERN_WHAT = {
    ConcernSource.ASKED: "A child asked to talk to someone about something that worries them.",
    ConcernSource.SCREENED: "A child's answer to the survey may disclose harm ({matched}).",
    ConcernSource.PARENT: "A parent's or carer's answer to the review's proforma may disclose "
    "harm to a child ({matched}).",
}


@transaction.atomic
def concern_raise(
    *,
    school: SurveySchool | None = None,
    survey: Survey | None = None,
    source: str,
    text: str = "",
    matched: str = "",
    client: str | None = None,
) -> Concern:
    """Tell the review's safeguarding contact at once: the school and its code (none for the
    parents' and carers' proforma), what was written if anything, never who wrote it (the
    survey and the proforma do not know). Give `school` for a child's concern, `survey` for a
    parent's.

    Every concern is recorded. Past the limits (ECM_SURVEY_TALK_LIMIT per school code,
    ECM_SURVEY_TALK_CLIENT_LIMIT per `client`, a keyed hash of the address that is never
    stored), a concern is **held**: recorded and shown to the safeguarding contact and the team
    leader on the survey's concerns page, not e-mailed one by one; the contact gets one summary
    e-mail per window saying how many are held. A flood cannot send 100 e-mails, and a genuine
    concern among the flood is never dropped."""
    if school is not None:
        survey = school.survey
    if survey is None:
        raise ValueError("A concern needs the school it came from, or the survey.")
    contact = survey.safeguarding_contact
    held = not _concern_mail_allowed(school.code if school else f"parents-{survey.pk}", client)
    concern = Concern.objects.create(
        survey=survey,
        school=school,
        source=source,
        raised_on=_today(),
        text=text[:TEXT_LIMIT],
        matched=matched[:300],
        notified_to=contact.email,
        held=held,
    )
    if held:
        concern.alert = _held_summary_send(survey)
        if concern.alert is not None:
            concern.save(update_fields=["alert"])
        return concern
    what = _CONCERN_WHAT[ConcernSource(source)].format(matched=matched)
    where = (
        f"School or college: {school.display_name}, survey code {school.code}\n"
        if school is not None
        else "From: the parents' and carers' proforma\n"
    )
    ask = (
        "The survey is anonymous: it does not know who the child is. Please contact the "
        "school's designated safeguarding lead today so that every pupil who took part is "
        "told how to ask for a quiet word, and record what you did in ECM Inspect.\n"
        if school is not None
        else "The proforma is anonymous: it does not know who the parent or the child is. "
        "Please pass this to the area's children's social care duty team today, and record "
        "what you did in ECM Inspect.\n"
    )
    body = (
        f"{what}\n\n"
        f"Review: {survey.review}\n"
        f"{where}"
        f"Date: {concern.raised_on:%-d %B %Y}\n"
        + (f"\nWhat they wrote:\n{concern.text}\n" if concern.text else "")
        + "\n"
        + ask
    )
    concern.alert = email_queue(
        to=contact.email,
        subject=f"Safeguarding: a child at {school.display_name} ({school.code})"
        if school is not None
        else f"Safeguarding: a parent's or carer's answer in {survey.review}",
        body=body,
        purpose=SAFEGUARDING_ALERT,
    )
    concern.save(update_fields=["alert"])
    return concern


def _held_summary_send(survey: Survey) -> OutgoingEmail | None:
    """At most one e-mail per window (ECM_SURVEY_TALK_LIMIT's seconds) per survey, at the
    first concern held in that window, saying how many are held and waiting."""
    rate = _rate("ECM_SURVEY_TALK_LIMIT")
    window = int(timezone.now().timestamp()) // rate.seconds
    if not cache.add(f"voices:held-summary:{survey.pk}:{window}", 1, timeout=rate.seconds + 60):
        return None
    waiting = survey.concerns.filter(held=True, status=ConcernStatus.NEW)
    schools = sorted({c.where for c in waiting.select_related("school")})
    minutes = max(rate.seconds // 60, 1)
    count = waiting.count()
    return email_queue(
        subject=f"Safeguarding: {count} concern{pluralize(count)} held in {survey.review}",
        body=(
            f"More concerns were raised in {survey.review} in {minutes} minutes than are "
            "e-mailed one by one (at one school, or from one device): "
            f"{count} held and waiting on the survey's concerns page, from "
            f"{', '.join(schools)}.\n\n"
            "Every one is recorded: read each, since a genuine concern may be among them, and "
            "record what you did. Concerns held in the next "
            f"{minutes} minutes are added to the page without another e-mail.\n"
        ),
        to=survey.safeguarding_contact.email,
        purpose=SAFEGUARDING_ALERT,
    )


def concern_handle(*, concern: Concern, status: str, action: str, by: Any) -> Concern:
    if status not in ConcernStatus.values or status == ConcernStatus.NEW:
        raise SurveyRefused("Say whether the concern was passed on or closed.")
    if not action.strip():
        raise SurveyRefused("Say what you did.")
    concern.status = status
    concern.action = action.strip()
    concern.handled_on = _today()
    concern.save(update_fields=["status", "action", "handled_on"])
    return concern
