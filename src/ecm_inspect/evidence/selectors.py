"""Reads of a review's evidence for people's start pages, each asking the policy."""

from datetime import date
from typing import Any

from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.rules import passed_second_factor
from ecm_inspect.core.work import WorkItem, work_item
from ecm_inspect.reviews.models import Stage

from .models import EvidenceRequest, RequestStatus

# Once published, a review asks the area for nothing more.
_CLOSED = (Stage.PUBLISHED, Stage.FOLLOW_UP)


def request_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """Requests to the area that are `user`'s work, each linking to the review's requests page:

    - for the area's DCS and partner contributors, those still to be supplied
      (`evidence.supply_request`), due on the date asked;
    - for a review's team, those still awaited from the area (due on their date) and those
      supplied and waiting for the team to accept (`evidence.change_evidence`)."""
    if not passed_second_factor(user):
        return []
    found = EvidenceRequest.objects.exclude(status=RequestStatus.ACCEPTED).exclude(
        review__stage__in=_CLOSED
    )
    area_staff = user.role in {Role.DCS, Role.PARTNER_CONTRIBUTOR}
    if area_staff:
        found = found.filter(review__area_id=user.area_id, status=RequestStatus.REQUESTED)
    else:
        found = found.filter(review__team__inspector__user=user).distinct()
    found = found.select_related("review__area").order_by("due_on", "pk")
    items = []
    allowed: dict[int, bool] = {}
    perm = "evidence.supply_request" if area_staff else "evidence.view_requests"
    for request in found:
        review = request.review
        if review.pk not in allowed:
            # The requests page asks for the review first, then the requests.
            allowed[review.pk] = bool(
                user.has_perm("reviews.view_review", review)
                and user.has_perm("evidence.view_requests", review)
                and user.has_perm(perm, review)
            )
        if not allowed[review.pk]:
            continue
        href = reverse("evidence:requests", args=[review.pk])
        if area_staff:
            items.append(
                work_item(
                    "Information requested",
                    f"Send: {request.what}",
                    href,
                    today=today,
                    due=request.due_on,
                    detail=f"Asked by the joint area review of {review.area.name}.",
                )
            )
        elif request.status == RequestStatus.SUPPLIED:
            items.append(
                work_item(
                    "Evidence requested",
                    f"Accept what was supplied: {request.what}",
                    href,
                    today=today,
                    detail=f"Supplied by {review.area.name}.",
                )
            )
        else:
            items.append(
                work_item(
                    "Evidence requested",
                    f"Awaited from {review.area.name}: {request.what}",
                    href,
                    today=today,
                    due=request.due_on,
                    detail="Chase the area if it is late.",
                    is_task=request.due_on < today,  # late: chasing it is work
                )
            )
    return items
