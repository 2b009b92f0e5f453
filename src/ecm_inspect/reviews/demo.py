"""Demo reviews: one of Gateshead walked through every stage, one of Sunderland in fieldwork
today. Both are marked synthetic: the areas are real, the meetings, plans and findings are
made up. Idempotent: a demo review already there is left as it is."""

from datetime import date, timedelta

from django.utils import timezone

from ecm_inspect.accounts.models import User
from ecm_inspect.registry.models import Area, Inspector

from .models import (
    STAGE_ORDER,
    MeetingKind,
    Milestone,
    MilestoneKind,
    Review,
    Stage,
    TeamRole,
)
from .services import (
    fieldwork_feedback_record,
    fieldwork_plan_record,
    linked_inspection_add,
    meeting_record,
    national_themes_ensure,
    review_advance,
    review_create,
    review_team_set,
)
from .stages import next_transition

MADE_UP = "Demo review: the area is real, these notes are made up."
# Gateshead's draft went two days late; every other milestone on its planned day.
DEMO_SLIPS = {MilestoneKind.DRAFT_SENT: 2}


def _inspector(name: str) -> Inspector:
    return Inspector.objects.get(full_name=name)


def _leader(fallback: str) -> Inspector:
    user = User.objects.filter(username="demo-team-leader").first()
    inspector = Inspector.objects.filter(user=user).first() if user else None
    return inspector or _inspector(fallback)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def walk(review: Review, until: Stage, slips: dict[MilestoneKind, int]) -> Review:
    """Move the review on stage by stage, each on its planned date (plus any slippage, in
    days), doing what each stage needs."""
    planned = dict(Milestone.objects.filter(review=review).values_list("kind", "planned"))
    leader_user = User.objects.filter(username="demo-team-leader").first()
    while review.stage != until:
        stage = Stage(review.stage)
        if stage == Stage.NOTIFIED:
            meeting_record(
                review=review, kind=MeetingKind.SET_UP,
                held_on=planned[MilestoneKind.SET_UP_MEETING],
                attendees="Director of children's services\nTeam leader\nHead of safeguarding",
                basis_for_planning=f"{MADE_UP} APA 2005 grades; the council's self-assessment.",
                fieldwork_issues="Safeguarding: thresholds for referral. Children in care: "
                "placement stability. Learning difficulties and/or disabilities: transition.",
                timetable_confirmed=True,
            )  # fmt: skip
        if stage == Stage.ANALYSIS:
            fieldwork_plan_record(
                review=review,
                hypotheses=f"{MADE_UP}\n1. Referral thresholds are applied inconsistently.\n"
                "2. Placement moves for children in care are above similar areas.",
                activities="Track 10 children's cases; one neighbourhood study; meetings with "
                "members, officers and front-line staff; visits to 6 settings.",
                agree_on=planned[MilestoneKind.ANALYSIS_END],
            )
        if stage == Stage.FIELDWORK:
            fieldwork_feedback_record(
                review=review, given_on=planned[MilestoneKind.FIELDWORK_END],
                given_to="Director of children's services\nHead of safeguarding",
                findings=f"{MADE_UP} Children are safe; referral thresholds vary between "
                "agencies; placements of children in care are stable.",
                by=leader_user,
            )  # fmt: skip
        if stage == Stage.COMMENTS_CLOSED:
            meeting_record(
                review=review, kind=MeetingKind.FINDINGS,
                held_on=planned[MilestoneKind.FINDINGS_MEETING],
                attendees="Chief executive\nLeader of the council\nLocal strategic partnership",
                changes_agreed="None: the findings stand as drafted.",
                notes=MADE_UP,
            )  # fmt: skip
        target = STAGE_ORDER[STAGE_ORDER.index(stage) + 1]
        transition = next_transition(stage)
        kind = transition.milestone if transition else None
        if kind is not None:
            on = planned[kind] + timedelta(days=slips.get(kind, 0))
        else:  # follow-up begins a week after publication
            on = planned[MilestoneKind.PUBLICATION] + timedelta(days=7)
        # The demo's team leader has seen each confirmation page's answers: these are its steps.
        review = review_advance(review=review, to=target, on=on, by=leader_user, confirmed=True)
    return review


def demo_reviews_ensure() -> None:
    national_themes_ensure()
    if not Review.objects.filter(is_synthetic=True, area__gss_code="E08000037").exists():
        gateshead = Area.objects.get(gss_code="E08000037")
        review = review_create(
            area=gateshead,
            analysis_starts_on=date(2025, 9, 8),
            dcs_name="Dana Director (demo)",
            dcs_email="dcs@gateshead.example",
            local_groups={"young_offenders": f"{MADE_UP} First-time entrants above the region."},
            theme_codes=["youth-offending-teams"],
            is_synthetic=True,
        )
        review_team_set(
            review=review,
            leader=_leader("Ada Lovegood (demo)"),
            members=[
                _inspector(n)
                for n in (
                    "Ada Lovegood (demo)",
                    "Dev Casefile (demo)",
                    "Gita Clinic (demo)",
                    "Mo Beat (demo)",
                    "Pia Order (demo)",
                )
            ],
        )
        linked_inspection_add(
            review=review,
            title="Inspection of the youth offending team (demo)",
            inspectorate_id=_inspector("Pia Order (demo)").inspectorate_id,
            starts_on=date(2025, 9, 29),
            ends_on=date(2025, 10, 10),
            findings_summary=f"{MADE_UP} Good partnership work; assessments not always timely.",
        )
        # Walked through fieldwork; the report feature records the judgements, agrees the
        # findings, makes the draft and the publication and takes the review on from there.
        walk(review, Stage.FIELDWORK, DEMO_SLIPS)
    if not Review.objects.filter(is_synthetic=True, area__gss_code="E08000024").exists():
        sunderland = Area.objects.get(gss_code="E08000024")
        # In fieldwork today: analysis began three weeks ago last Monday.
        start = _monday(timezone.localdate()) - timedelta(weeks=3)
        review = review_create(
            area=sunderland,
            analysis_starts_on=start,
            dcs_name="Sunderland DCS (demo)",
            dcs_email="dcs@sunderland.example",
            theme_codes=["lscb"],
            is_synthetic=True,
        )
        # The demo team leader leads it and the two demo inspectors draft on it, so each can
        # sign in and do their part of the judgements.
        on_team = list(
            Inspector.objects.filter(
                user__username__in=["demo-inspector", "demo-health-inspector"]
            ).order_by("full_name")
        )
        members = [
            _inspector(n)
            for n in ("Cara Notebook (demo)", "Huw Ward (demo)", "Femi Register (demo)")
        ]
        review_team_set(
            review=review,
            leader=_leader("Dev Casefile (demo)"),
            members=members + on_team,
        )
        target = (
            Stage.FIELDWORK
            if timezone.localdate() >= start + timedelta(weeks=3)
            else Stage.ANALYSIS
        )
        walk(review, target, {})
    demo_leader_leads_fieldwork()


def demo_leader_leads_fieldwork() -> None:
    """The demo team leader leads Sunderland's review (in fieldwork), so they can sign in and
    run it. A review made before the demo accounts existed (or while they were turned off) was
    given a made-up leader with no account: the demo team leader takes over, the rest of the
    team staying on it."""
    user = User.objects.filter(username="demo-team-leader").first()
    inspector = Inspector.objects.filter(user=user).first() if user else None
    review = Review.objects.filter(is_synthetic=True, area__gss_code="E08000024").first()
    if inspector is None or review is None or review.stage in (Stage.PUBLISHED, Stage.FOLLOW_UP):
        return
    team = list(review.team.select_related("inspector"))
    if any(m.inspector_id == inspector.pk and m.role == TeamRole.LEADER for m in team):
        return
    review_team_set(review=review, leader=inspector, members=[m.inspector for m in team])
