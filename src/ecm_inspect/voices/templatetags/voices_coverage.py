"""`{% coverage_panel review %}`: the coverage panel (coverage.py) on pages outside the voices
app, such as the review's dashboard, for those who may see the team's views."""

from typing import Any

from django import template

from ecm_inspect.voices.coverage import review_coverage

register = template.Library()


@register.inclusion_tag("voices/_coverage.html", takes_context=True)
def coverage_panel(context: dict[str, Any], review: Any) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("voices.view_parents_results", review):
        return {"coverage": None}
    return {
        "coverage": review_coverage(review),
        "review": review,
        "on_team": user.has_perm("evidence.view_case_files", review),
    }
