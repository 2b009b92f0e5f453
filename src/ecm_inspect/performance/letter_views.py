"""The APA letter's pages: the draft for the assessing inspector and lead, the moves from draft to
issued and published, the council's representations, the PDF and the public letter."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.core.concurrency import EditConflict

from .calendar import calendar_for
from .forms import (
    LetterConfirmForm,
    RepresentationAnswerForm,
    RepresentationForm,
)
from .letters import (
    letter_issue,
    letter_publish,
    representation_answer,
    representation_make,
)
from .models import (
    Assessment,
    LetterStatus,
    Representation,
)
from .selectors import (
    assessment_get_for_user,
    judgements_in_order,
    letter_addressee,
    letter_paragraphs,
)
from .services import (
    AssessmentRefused,
)


def _letter_context(assessment: Any) -> dict[str, Any]:
    words = letter_paragraphs(assessment)
    issued_by = assessment.letter_issued_by
    return {
        "assessment": assessment,
        "area": assessment.area,
        "letter": words,
        "addressee": letter_addressee(assessment.area),
        "signatory": issued_by,
        "signatory_role": _signatory_role(issued_by),
        "draft": assessment.letter_status == LetterStatus.DRAFT,
        "dated": timezone.localtime(assessment.letter_published_at or assessment.letter_issued_at)
        if (assessment.letter_published_at or assessment.letter_issued_at)
        else timezone.localdate(),
    }


def _signatory_role(user: Any) -> str:
    if user is None:
        return ""
    role = user.get_role_display() if user.role else ""
    org = str(user.organisation) if user.organisation else ""
    title = "Assessing inspector" if user.role == "inspector" else role
    return ", ".join(p for p in (title, org) if p)


def _letter_page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    representation_form: Any = None,
    answer_forms: dict[int, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    answer_forms = answer_forms or {}
    representations = []
    for r in assessment.representations.select_related("made_by", "answered_by"):
        form = answer_forms.get(r.pk) or RepresentationAnswerForm(
            initial={"representation": r.pk, "version": r.version}, prefix=f"r{r.pk}"
        )
        representations.append((r, form))
    context = _letter_context(assessment)
    context.update(
        {
            "representations": representations,
            "representation_form": representation_form or RepresentationForm(),
            "can_represent": user.has_perm("performance.make_representation", assessment),
            "can_answer": user.has_perm("performance.answer_representation", assessment.area)
            and assessment.letter_status == LetterStatus.ISSUED,
            "can_issue": user.has_perm("performance.issue_letter", assessment.area)
            and assessment.letter_status == LetterStatus.DRAFT,
            "can_publish": user.has_perm("performance.publish_letter", assessment.area)
            and assessment.letter_status == LetterStatus.ISSUED,
            "unanswered": sum(1 for r, _ in representations if not r.answered),
            "representations_due": calendar_for(assessment.year)["representations"],
        }
    )
    return render(request, "performance/letter_page.html", context, status=status)


def _letter_assessment(request: HttpRequest, year: int, gss_code: str) -> Assessment:
    assessment = assessment_get_for_user(user=request.user, year=year, gss_code=gss_code)
    if not request.user.has_perm("performance.view_letter", assessment):
        raise PermissionDenied(
            "The letter is the assessing inspector's draft until it is issued to the council."
        )
    return assessment


@staff_required
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, year: int, gss_code: str) -> HttpResponse:
    """The letter, with the council's representations on its factual accuracy and the
    inspector's answers; the DCS makes a representation here while the letter is issued."""
    assessment = _letter_assessment(request, year, gss_code)
    if request.method == "POST":
        if not request.user.has_perm("performance.make_representation", assessment):
            raise PermissionDenied
        form = RepresentationForm(request.POST)
        if form.is_valid():
            try:
                representation_make(
                    assessment=assessment,
                    text=form.cleaned_data["text"],
                    section=form.cleaned_data["section"],
                    by=request.user,
                )
            except AssessmentRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Sent your representation to the assessing inspector.")
                return redirect("performance:letter", year, gss_code)
        return _letter_page(request, assessment, representation_form=form, status=422)
    return _letter_page(request, assessment)


@staff_required
@require_POST
def representation_answer_view(
    request: HttpRequest, year: int, gss_code: str, representation_id: int
) -> HttpResponse:
    assessment = _letter_assessment(request, year, gss_code)
    if not request.user.has_perm("performance.answer_representation", assessment.area):
        raise PermissionDenied
    found = Representation.objects.filter(pk=representation_id, assessment=assessment).first()
    if found is None:
        raise Http404("No such representation.")
    form = RepresentationAnswerForm(request.POST, prefix=f"r{found.pk}")
    if form.is_valid():
        try:
            representation_answer(
                representation=found,
                answer=form.cleaned_data["answer"],
                reasons=form.cleaned_data["reasons"],
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except AssessmentRefused as exc:
            form.add_error(None, str(exc))
        except EditConflict as exc:
            form.add_error(None, str(exc))
            return _letter_page(request, assessment, answer_forms={found.pk: form}, status=409)
        else:
            messages.success(request, "Answered the representation.")
            return redirect("performance:letter", year, gss_code)
    return _letter_page(request, assessment, answer_forms={found.pk: form}, status=422)


LETTER_MOVES = {
    "issue": (
        "performance.issue_letter",
        LetterStatus.DRAFT,
        "Issue the letter to the council",
        [
            "The letter goes to the council's director of children's services for factual "
            "accuracy, dated today and signed by you as the assessing inspector.",
            "The DCS and the council's partners see the letter and the grades you recorded "
            "(never the proposals or their reasons).",
            "The DCS may make representations on factual accuracy; each needs your answer, "
            "with reasons, before the letter can be published.",
            "The letter cannot go back to draft.",
        ],
    ),
    "publish": (
        "performance.publish_letter",
        LetterStatus.ISSUED,
        "Publish the letter",
        [
            "The letter becomes public, dated today; anyone may read it.",
            "Its grades can no longer change; the overall grade is the council's children and "
            "young people block score in the comprehensive performance assessment.",
            "Publication cannot be undone.",
        ],
    ),
}


@staff_required
@require_http_methods(["GET", "POST"])
def letter_move(request: HttpRequest, year: int, gss_code: str, move: str) -> HttpResponse:
    """Check before issuing or publishing the letter: what will happen, and every reason it
    cannot yet; the move happens only when confirmed."""
    if move not in LETTER_MOVES:
        raise Http404("No such step.")
    perm, source, action, happens = LETTER_MOVES[move]
    assessment = _letter_assessment(request, year, gss_code)
    if not request.user.has_perm(perm, assessment.area):
        raise PermissionDenied
    refusals = []
    if assessment.letter_status != source:
        refusals.append(f"The letter is {assessment.get_letter_status_display().lower()}.")
    judgements = judgements_in_order(assessment)
    missing = [j.get_kind_display() for j in judgements if not j.recorded_grade]
    if move == "issue" and missing:
        refusals.append("Record every grade first; not yet recorded: " + ", ".join(missing) + ".")
    open_ = assessment.representations.filter(answer="").count()
    if move == "publish" and open_:
        refusals.append(
            f"Answer the council's {open_} outstanding representation{pluralize(open_)}"
            " on factual accuracy first."
        )
    form = LetterConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and not refusals:
            try:
                (letter_issue if move == "issue" else letter_publish)(
                    assessment=assessment, by=request.user
                )
            except AssessmentRefused as exc:
                refusals.append(str(exc))
                status = 409
            else:
                messages.success(
                    request,
                    "Issued the letter to the council."
                    if move == "issue"
                    else "Published the letter.",
                )
                return redirect("performance:letter", year, gss_code)
        else:
            status = 422
    return render(
        request,
        "performance/letter_confirm.html",
        {
            "assessment": assessment,
            "area": assessment.area,
            "move": move,
            "action": action,
            "happens": happens,
            "refusals": refusals,
            "form": form,
        },
        status=status,
    )


@staff_required
def letter_pdf(request: HttpRequest, year: int, gss_code: str) -> HttpResponse:
    assessment = _letter_assessment(request, year, gss_code)
    return _pdf(request, assessment)


def _pdf(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("performance/letter.html", _letter_context(assessment))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"apa-{assessment.year}-{assessment.area.gss_code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _published(year: int, gss_code: str) -> Assessment:
    found = (
        Assessment.objects.filter(
            year=year, area__gss_code=gss_code, letter_status=LetterStatus.PUBLISHED
        )
        .select_related("area", "letter_issued_by", "letter_published_by")
        .prefetch_related("judgements")
        .first()
    )
    if found is None:
        raise Http404("No APA letter of that council and year has been published.")
    return found


@require_GET
def letter_public(request: HttpRequest, year: int, gss_code: str) -> HttpResponse:
    """A published APA letter, for anyone."""
    assessment = _published(year, gss_code)
    context = _letter_context(assessment)
    context["public"] = True
    return render(request, "performance/letter_public.html", context)


@require_GET
def letter_public_pdf(request: HttpRequest, year: int, gss_code: str) -> HttpResponse:
    return _pdf(request, _published(year, gss_code))
