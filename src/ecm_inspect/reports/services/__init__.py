"""Writes and workflows of the reports app, by sub-domain: the judgements (`judgements`), the
accuracy cycle (`drafts`) and publication (`publication`); the rendering of the report
(`reports.document`) is here too, for the other apps that print through it."""

from ..document import (
    CHILDREN_MAX_GRADE,
    children_paragraphs,
    reading_grade,
    render_children,
    render_html,
    render_pdf,
)
from .drafts import (
    comment_add,
    comment_decide,
    draft_changes,
    draft_circulate,
    draft_diff,
    draft_make,
    open_comments,
)
from .judgements import (
    ReportRefused,
    fingerprint,
    gap_record,
    group_statements,
    is_signed_off,
    is_team_leader,
    judgement_record,
    judgement_sign_off,
    judgements_missing,
    judgements_propose,
    recommendation_add,
)
from .publication import (
    confidentiality_problems,
    publication_freeze,
    publication_problems,
    published_grades,
    readability_problem,
)

__all__ = [
    "CHILDREN_MAX_GRADE",
    "children_paragraphs",
    "reading_grade",
    "render_children",
    "render_html",
    "render_pdf",
    "ReportRefused",
    "comment_add",
    "comment_decide",
    "confidentiality_problems",
    "draft_changes",
    "draft_circulate",
    "draft_diff",
    "draft_make",
    "fingerprint",
    "gap_record",
    "group_statements",
    "is_signed_off",
    "is_team_leader",
    "judgement_record",
    "judgement_sign_off",
    "judgements_missing",
    "judgements_propose",
    "open_comments",
    "publication_freeze",
    "publication_problems",
    "published_grades",
    "readability_problem",
    "recommendation_add",
]
