"""Judgements, the accuracy cycle and publication of a review's report."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.formulas import PAYLOADS, csv_unsafe_cells
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.case_files import case_files_import, case_note_write
from ecm_inspect.evidence.fieldwork import finding_record, meeting_record
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.evidence.services import evidence_record
from ecm_inspect.registry.models import Area
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reports.services import (
    CHILDREN_MAX_GRADE,
    ReportRefused,
    children_paragraphs,
    comment_add,
    comment_decide,
    confidentiality_problems,
    draft_changes,
    draft_diff,
    draft_make,
    group_statements,
    is_signed_off,
    judgement_record,
    judgement_sign_off,
    judgements_propose,
    publication_problems,
    reading_grade,
    render_html,
    render_pdf,
)
from ecm_inspect.reviews.models import NoMoreComments, Review, Stage
from ecm_inspect.reviews.services import ReviewRefused, review_advance
from ecm_inspect.reviews.tests.conftest import ReviewWorld, team_set


def _send(rw: ReviewWorld) -> None:
    """The draft is out for comments (the workflow's own moves are tested in reviews)."""
    rw.review.stage = Stage.DRAFT_SENT
    rw.review.save()


def _publish(rw: ReviewWorld) -> Publication:
    """Publish through the review's confirmed move, the earlier moves taken as done (they are
    tested in reviews): findings meeting held, the area has no more comments, a
    recommendation made."""
    if not rw.review.recommendations.exists():
        Recommendation.objects.create(
            review=rw.review, text="act on referrals", body="The council", priority="immediately"
        )
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.FINDINGS_MEETING_HELD)
    NoMoreComments.objects.get_or_create(review=rw.review)
    review_advance(review=rw.review, to=Stage.PUBLISHED, confirmed=True)
    rw.review.refresh_from_db()
    return Publication.objects.get(review=rw.review)


def _ready(rw: ReviewWorld) -> list[ReviewJudgement]:
    """Every judgement recorded with evidence and signed off by the team leader."""
    team_set(rw)
    leader = rw.people.users[Role.REVIEW_TEAM_LEADER]
    item = evidence_record(
        review=rw.review,
        kind="meeting_members_officers",
        title="Meeting with officers",
        source="Team",
        dated=date(2026, 10, 6),
        key_judgement_codes=["SS.4"],
        grade=3,
    )
    out = []
    for j in judgements_propose(review=rw.review):
        j = judgement_record(
            judgement=j,
            grade=3 if j.is_graded else None,
            finding="Services are good.",
            rationale="Evidence.",
            evidence_ids=[item.pk],
            evidence_reasons={i: "Weighed across the review." for i in [item.pk]},
            statement_findings={s.code: "Mostly in place." for s in group_statements(j)},
            seen_version=j.version,
            by=leader,
        )
        out.append(judgement_sign_off(judgement=j, by=leader))
    return out


def test_no_grade_without_evidence(rw: ReviewWorld) -> None:
    team_set(rw)
    judgement = next(j for j in judgements_propose(review=rw.review) if j.code == "SS")
    with pytest.raises(ReportRefused, match="No grade without evidence"):
        judgement_record(
            judgement=judgement,
            grade=3,
            finding="Good.",
            rationale="",
            evidence_ids=[],
            seen_version=judgement.version,
            by=rw.people.users[Role.REVIEW_TEAM_LEADER],
        )


def test_sign_off_is_lost_when_the_judgement_or_its_evidence_changes(rw: ReviewWorld) -> None:
    judgements = _ready(rw)
    ss = next(j for j in judgements if j.code == "SS")
    assert is_signed_off(ss)
    item = EvidenceItem.objects.get(title="Meeting with officers")
    item.version += 1
    item.save()
    ss.refresh_from_db()
    assert not is_signed_off(ss)
    with pytest.raises(ReportRefused, match="Only the review's team leader"):
        judgement_sign_off(judgement=ss, by=rw.people.users[Role.INSPECTOR])


def test_publication_is_refused_while_comments_are_open_or_a_judgement_is_missing(
    rw: ReviewWorld,
) -> None:
    team_set(rw)
    judgements_propose(review=rw.review)
    assert "SS is not recorded." in publication_problems(rw.review)
    _ready(rw)
    draft = draft_make(review=rw.review)
    _send(rw)
    comment = comment_add(
        draft=draft,
        paragraph="S1",
        organisation="Gateshead council",
        text="A figure is out of date.",
        by=rw.people.users[Role.DCS],
    )
    assert "1 accuracy comments are still open." in publication_problems(rw.review)
    with pytest.raises(ReviewRefused, match="1 accuracy comment is not answered yet"):
        _publish(rw)
    assert not Publication.objects.filter(review=rw.review).exists()
    comment_decide(comment=comment, accept=False, reason="The figure is right.", by=None)
    publication = _publish(rw)
    assert publication.grades["SS"] == 3
    assert publication.reading_grade <= CHILDREN_MAX_GRADE


def test_the_confidentiality_check_catches_pseudonyms_and_note_sentences(rw: ReviewWorld) -> None:
    _ready(rw)
    case_files_import(
        review=rw.review, text="reference,age,categories,services\nA1,9,looked_after,school\n"
    )
    case = rw.review.case_files.get()
    note = case_note_write(
        case_file=case, text="The social worker visited only twice in the whole year."
    )
    html = render_html(rw.review)
    assert confidentiality_problems(rw.review, [html]) == []
    assert confidentiality_problems(
        rw.review, [html + f"<p>{case.pseudonym} moved school.</p>"]
    ) == [f"the pseudonym {case.pseudonym!r} of a child"]
    planted = confidentiality_problems(rw.review, [html + f"<p>{note.text}</p>"])
    assert planted
    assert planted[0].startswith("a sentence of a case-file note")
    # So is every other kind of writing in the confidential area.
    today = timezone.localdate()
    finding = finding_record(
        review=rw.review, case_file=case, found="No record of the child's wishes at any review.",
        key_judgement_codes=["SS.4"], indication="weakness", severity="minor", found_on=today,
    )  # fmt: skip
    meeting = meeting_record(
        review=rw.review, kind="parents", title="Carers", attendees=4, held_on=today,
        notes="Carers said respite stopped without warning last spring.",
    )  # fmt: skip
    for text, what in (
        (finding.found, "a fieldwork finding (case-file reading)"),
        (meeting.notes, "the notes of a meeting"),
    ):
        found = confidentiality_problems(rw.review, [html + f"<p>{text}</p>"])
        assert [p.split(" (")[0] for p in found] == [f"a sentence of {what}".split(" (")[0]]
    # fmt: skip
    # Planted in a recommendation, it stops publication.
    Recommendation.objects.create(
        review=rw.review, text=note.text, body="The council", priority="immediately"
    )
    assert any(
        p.startswith("It would publish a sentence of a case-file note")
        for p in publication_problems(rw.review)
    )
    with pytest.raises(ReviewRefused, match="It would publish a sentence of a case-file note"):
        _publish(rw)


def test_the_childrens_version_reads_easily(rw: ReviewWorld) -> None:
    _ready(rw)
    Recommendation.objects.create(
        review=rw.review, text="act on referrals", body="The council", priority="immediately"
    )
    paragraphs = children_paragraphs(rw.review)
    assert reading_grade(paragraphs) <= CHILDREN_MAX_GRADE
    adult = [
        "The contribution of statutory agencies to safeguarding outcomes demonstrates considerable "
        "inconsistency attributable to organisational fragmentation and insufficient "
        "multi-agency governance."
    ]
    assert reading_grade(adult) > CHILDREN_MAX_GRADE  # the measure can fail


def test_drafts_are_kept_and_compared(rw: ReviewWorld) -> None:
    _ready(rw)
    first = draft_make(review=rw.review)
    ss = ReviewJudgement.objects.get(review=rw.review, code="SS")
    judgement_record(
        judgement=ss,
        grade=2,
        finding="Some children wait too long.",
        rationale="Thresholds.",
        evidence_ids=list(ss.evidence.values_list("pk", flat=True)),
        evidence_reasons={
            i: "Weighed across the review." for i in list(ss.evidence.values_list("pk", flat=True))
        },
        seen_version=ss.version,
        by=None,
    )
    second = draft_make(review=rw.review)
    diff = "\n".join(draft_diff(first, second))
    assert "-[O-SS] Staying safe: good. Services are good." in diff
    assert "+[O-SS] Staying safe: adequate. Some children wait too long." in diff
    changed = {c.id: c for c in draft_changes(first, second)}
    assert set(changed) >= {"O-SS", "S1"}
    assert [(p.op, p.text) for p in changed["O-SS"].pieces] == [
        ("equal", "Staying safe:"),
        ("delete", "good. Services are good."),
        ("insert", "adequate. Some children wait too long."),
    ]
    assert (first.number, second.number) == (1, 2)


def test_the_published_report_is_public_with_open_data_and_a_pdf(rw: ReviewWorld) -> None:
    _ready(rw)
    # The area sees the drafts only once sent.
    dcs = client_for(rw.people.users[Role.DCS])
    assert dcs.get(f"/reviews/{rw.review.pk}/report/").status_code == 403
    _publish(rw)
    public = Client()
    page = public.get(f"/reports/{rw.review.pk}/")
    assert page.status_code == 200
    assert "Gateshead" in page.content.decode()
    assert public.get(f"/reports/{rw.review.pk}/children/").status_code == 200
    pdf = public.get(f"/reports/{rw.review.pk}/report.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    rows = public.get("/reports/open-data/grades.json").json()["grades"]
    assert {"area_gss_code": "E08000037", "judgement": "SS", "grade": 3}.items() <= rows[
        -1
    ].items() or any(r["judgement"] == "SS" and r["grade"] == 3 for r in rows)
    assert (
        '"area_gss_code","area","published_on","judgement","judgement_title","grade"'
        in public.get("/reports/open-data/grades.csv").content.decode()
    )
    # Drafts are not public.
    assert public.get(f"/reviews/{rw.review.pk}/report/").status_code == 302


def test_the_open_data_csv_runs_no_formula_and_keeps_grades_numeric(rw: ReviewWorld) -> None:
    _ready(rw)
    _publish(rw)
    public = Client()
    for payload in PAYLOADS:
        Area.objects.filter(pk=rw.review.area_id).update(name=payload)
        text = public.get("/reports/open-data/grades.csv").content.decode()
        assert csv_unsafe_cells(text) == [], payload
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["area"][:1] for r in rows} == {"'"}
        assert "3" in {r["grade"] for r in rows}
        assert ",3\r\n" in text  # a grade is a number, unquoted


def test_pdf_render(rw: ReviewWorld) -> None:
    _ready(rw)
    assert render_pdf(render_html(rw.review), "Report").startswith(b"%PDF")
