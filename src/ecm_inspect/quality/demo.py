"""The demo's evaluation and complaints: questionnaires about Gateshead's review answered by the
council, a partner and children (made-up answers), and one complaint handled end to end."""

import random
from datetime import timedelta

from ecm_inspect.accounts.models import User
from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reviews.models import Review

from .models import Complaint, Questionnaire
from .services import (
    complaint_acknowledge,
    complaint_assign,
    complaint_decide,
    complaint_receive,
    criteria_for,
    questionnaire_answer,
    questionnaire_send,
)


def demo_quality_ensure() -> None:
    review = Review.objects.filter(is_synthetic=True, area__gss_code="E08000037").first()
    if review is None or Questionnaire.objects.filter(review=review).exists():
        return
    ofsted = Inspectorate.objects.get(code="OFSTED")
    start = review.analysis_starts_on
    rng = random.Random(8)  # noqa: S311 (made-up answers)
    for respondent, count in (("inspected_body", 6), ("child", 12)):
        q = questionnaire_send(
            inspectorate=ofsted,
            review=review,
            inspection_label=str(review),
            respondent=respondent,
            stage="process",
            today=start + timedelta(weeks=6),
        )
        for n in range(count):
            scores = {k: rng.choice([2, 3, 3, 4, 4]) for k in criteria_for("process")}
            questionnaire_answer(
                questionnaire=q, scores=scores, today=q.sent_on + timedelta(days=n)
            )
    if Complaint.objects.filter(review=review).exists():
        return
    lead = User.objects.filter(username="demo-national-lead").first()
    investigator = User.objects.filter(username="demo-ofsted-lead").first()
    received = start + timedelta(weeks=10)
    complaint = complaint_receive(
        name="Head teacher (demo)",
        email="head@school.example",
        inspectorate=ofsted,
        review=review,
        about=str(review),
        description="The draft report says our school was not visited; it was. (Demo.)",
        today=received,
    )
    complaint = complaint_acknowledge(
        complaint=complaint, by=lead, today=received + timedelta(days=1)
    )
    if investigator is not None:
        complaint = complaint_assign(complaint=complaint, investigator=investigator, by=lead)
        complaint_decide(
            complaint=complaint,
            outcome="upheld",
            reasons="The visit is in the fieldwork record; the draft was wrong. (Demo.)",
            report_change="The report now lists the visit to the school.",
            by=lead,
            today=received + timedelta(days=12),
        )
