"""REST API of joint area reviews: list, detail with the timetable (planned and actual), the
team, and moving a review to its next stage. Staff only, through the policy."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from ecm_inspect.accounts.api import staff
from ecm_inspect.core.inputs import ObjectId

from .selectors import review_dashboard, review_get_for_user, reviews_for_user
from .services import ReviewRefused, review_advance

router = Router(tags=["reviews"], auth=staff)


class MilestoneOut(Schema):
    kind: str
    label: str
    planned: date
    actual: date | None
    slip_days: int
    overdue: bool


class ReviewOut(Schema):
    id: int
    area_gss_code: str
    area: str
    stage: str
    scope: str
    is_synthetic: bool
    milestones: list[MilestoneOut]


class TeamMemberOut(Schema):
    inspector_id: int
    full_name: str
    inspectorate: str
    role: str


class ReviewDetailOut(ReviewOut):
    next_stage: str | None
    refusals: list[str]
    team: list[TeamMemberOut] | None


def review_out(review: Any, today: date, *, with_team: bool = False) -> dict[str, Any]:
    board = review_dashboard(review=review, today=today)
    out: dict[str, Any] = {
        "id": review.pk,
        "area_gss_code": review.area.gss_code,
        "area": review.area.name,
        "stage": review.stage,
        "scope": review.scope,
        "is_synthetic": review.is_synthetic,
        "milestones": [
            {
                "kind": m.kind.value,
                "label": m.label,
                "planned": m.planned,
                "actual": m.actual,
                "slip_days": m.slip_days,
                "overdue": m.overdue,
            }
            for m in board.milestones
        ],
        "next_stage": board.next_transition.target.value if board.next_transition else None,
        "refusals": board.refusals,
        "team": [
            {
                "inspector_id": m.inspector_id,
                "full_name": m.inspector.full_name,
                "inspectorate": m.inspector.inspectorate.code,
                "role": m.role,
            }
            for m in board.team
        ]
        if with_team
        else None,
    }
    return out


@router.get("/", response=list[ReviewOut], url_name="reviews")
def review_list(request: HttpRequest) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [review_out(r, today) for r in reviews_for_user(user=request.user)]


@router.get("/{review_id}/", response=ReviewDetailOut, url_name="review")
def review_detail(request: HttpRequest, review_id: ObjectId) -> dict[str, Any]:
    review = review_get_for_user(user=request.user, review_id=review_id)
    workings = request.user.has_perm("reviews.view_review_workings", review)
    return review_out(review, timezone.localdate(), with_team=workings)


class AdvanceIn(Schema):
    to: str
    on: date | None = None
    note: str = ""
    # Notifying the DCS, sending the draft, closing comments and publishing leave the team or
    # cannot be undone: the caller confirms it has shown what they do (GET .../confirmation/).
    confirmed: bool = False


class ReviewRefusedOut(Schema):
    detail: str
    reasons: list[str]


@router.post(
    "/{review_id}/advance/",
    response={200: ReviewDetailOut, 409: ReviewRefusedOut},
    url_name="review_advance",
)
def advance(request: HttpRequest, review_id: ObjectId, body: AdvanceIn) -> Any:
    review = review_get_for_user(
        user=request.user, review_id=review_id, perm="reviews.advance_review"
    )
    try:
        review = review_advance(
            review=review,
            to=body.to,
            on=body.on,
            note=body.note,
            by=request.user,
            confirmed=body.confirmed,
        )
    except ReviewRefused as exc:
        return Status(
            409, {"detail": "The review cannot move to that stage.", "reasons": exc.reasons}
        )
    return review_out(review, timezone.localdate(), with_team=True)
