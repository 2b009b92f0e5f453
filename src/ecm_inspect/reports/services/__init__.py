"""Writes and workflows of the reports app, by sub-domain: the judgements (`judgements`:
recording and moderation; `proposals`: proposed from the evidence; `corrections`: errata, gaps
and recommendations), the accuracy cycle (`drafts`) and publication (`publication`); the
rendering of the report (`reports.document`) is here too, for the other apps that print
through it."""

from ..document import (
    CHILDREN_MAX_GRADE,
    children_paragraphs,
    reading_grade,
    render_children,
    render_html,
    render_pdf,
)
from .corrections import erratum_check, erratum_record, gap_record, recommendation_add
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
    can_bulk_sign_off,
    fingerprint,
    group_statements,
    is_read_only,
    is_signed_off,
    is_team_leader,
    judgement_record,
    judgement_return,
    judgement_sign_off,
    judgement_status,
    judgements_missing,
    judgements_sign_off_all,
    key_judgements_unrecorded,
    outcome_lead_set,
    relevant_items,
)
from .proposals import judgements_propose, points_the_other_way
from .publication import (
    confidentiality_problems,
    publication_freeze,
    publication_pdf_print,
    publication_pdf_print_on_commit,
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
    "can_bulk_sign_off",
    "erratum_check",
    "erratum_record",
    "fingerprint",
    "gap_record",
    "group_statements",
    "is_signed_off",
    "is_read_only",
    "is_team_leader",
    "judgement_record",
    "judgement_return",
    "judgement_sign_off",
    "judgement_status",
    "judgements_missing",
    "judgements_propose",
    "judgements_sign_off_all",
    "key_judgements_unrecorded",
    "outcome_lead_set",
    "points_the_other_way",
    "relevant_items",
    "open_comments",
    "publication_freeze",
    "publication_pdf_print",
    "publication_pdf_print_on_commit",
    "publication_problems",
    "published_grades",
    "readability_problem",
    "recommendation_add",
]
