"""The parents' and carers' proforma: the pages parents answer on (no account, no cookie, one
code per review, printed on the team's leaflet), and the team's page for it: its code and
address, opening and closing, results with small numbers suppressed, evidence."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.core.inputs import whole_number
from ecm_inspect.reviews.selectors import review_for_request

from .analysis import min_cell
from .charts import parents_chart
from .evidence import evidence_from_parents
from .models import InCare, ParentsProforma, Relationship, Survey
from .parents import (
    ABOUT_CHILD,
    AGREE,
    HELP_QUESTIONS,
    OUTCOME_QUESTIONS,
    TEXTS,
    ParentAnswersInvalid,
    parent_response_submit,
    parents_accepting,
    parents_proforma_close,
    parents_proforma_create,
    parents_proforma_open,
    survey_hard_to_reach_set,
)
from .parents_results import parents_results, parents_results_as_dict
from .proforma import AGE_BANDS, TEXT_LIMIT
from .services import SurveyClosed, SurveyRefused, TooManyResponses


def _proforma(code: str) -> ParentsProforma:
    proforma = (
        ParentsProforma.objects.filter(code=code.upper())
        .select_related("survey__review__area", "survey__safeguarding_contact")
        .first()
    )
    if proforma is None:
        raise Http404("No questionnaire has that code.")
    return proforma


def _message(
    request: HttpRequest,
    proforma: ParentsProforma | None,
    heading: str,
    paragraphs: list[str],
    status: int = 200,
    panel: bool = False,
) -> HttpResponse:
    return render(
        request,
        "voices/parents/message.html",
        {"proforma": proforma, "heading": heading, "paragraphs": paragraphs, "panel": panel},
        status=status,
    )


def parents_code(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "").strip().upper().replace(" ", "")
    errors = []
    if code:
        if ParentsProforma.objects.filter(code=code).exists():
            return redirect("voices:parents-start", code=code)
        errors.append(
            {"text": "That code is not right. Check it on your leaflet.", "anchor": "code"}
        )
    return render(request, "voices/parents/code.html", {"code": code, "errors": errors})


def parents_start(request: HttpRequest, code: str) -> HttpResponse:
    proforma = _proforma(code)
    try:
        parents_accepting(proforma)
    except SurveyClosed as exc:
        return _message(request, proforma, "This questionnaire is closed", [str(exc)], 410)
    return render(
        request,
        "voices/parents/start.html",
        {"proforma": proforma, "area": proforma.survey.review.area},
    )


def _questions(data: dict[str, str], errors: dict[str, str]) -> dict[str, object]:
    def radios(name: str, label: str, choices: list[tuple[str, str]], hint: str = "") -> dict:
        return {
            "name": name,
            "label": label,
            "hint": hint,
            "choices": choices,
            "value": data.get(name, ""),
            "error": errors.get(name, ""),
        }

    return {
        "about": [
            radios("relationship", "Are you a parent or a carer?", Relationship.choices),
            radios(
                "child_age_band",
                "How old is your child?",
                list(AGE_BANDS.items()),
                "If you have more than one child, answer about one of them.",
            ),
            *[radios(n, label, InCare.choices) for n, label in ABOUT_CHILD.items()],
        ],
        "outcomes": [radios(q.name, q.label, list(AGREE)) for q in OUTCOME_QUESTIONS],
        "help": [radios(q.name, q.label, list(AGREE)) for q in HELP_QUESTIONS],
        "texts": [
            {"name": n, "label": label, "value": data.get(n, "")} for n, label in TEXTS.items()
        ],
    }


@require_http_methods(["GET", "POST"])
def parents_questions(request: HttpRequest, code: str) -> HttpResponse:
    proforma = _proforma(code)
    try:
        parents_accepting(proforma)
    except SurveyClosed as exc:
        return _message(request, proforma, "This questionnaire is closed", [str(exc)], 410)
    errors: dict[str, str] = {}
    data = request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            parent_response_submit(proforma=proforma, data=data)
        except ParentAnswersInvalid as exc:
            errors = exc.errors
        except TooManyResponses as exc:
            return _message(request, proforma, "Please try again in a few minutes", [str(exc)], 429)
        except SurveyClosed as exc:
            return _message(request, proforma, "This questionnaire is closed", [str(exc)], 410)
        else:
            return redirect("voices:parents-sent", code=proforma.code)
    return render(
        request,
        "voices/parents/questions.html",
        {
            "proforma": proforma,
            **_questions(data, errors),
            "errors": [{"text": text, "anchor": f"{name}-1"} for name, text in errors.items()],
            "text_limit": TEXT_LIMIT,
        },
        status=422 if errors else 200,
    )


def parents_sent(request: HttpRequest, code: str) -> HttpResponse:
    proforma = _proforma(code)
    return _message(
        request,
        proforma,
        "Thank you: your answers have been sent",
        [
            "The inspectors will read what parents and carers said, together, with what "
            "children and young people told them, before they visit services in your area.",
            "Nobody will know which answers are yours.",
            "If you are worried about a child's safety, contact the council's children's "
            "services. If a child is in danger now, call 999.",
        ],
        panel=True,
    )


def parents_privacy(request: HttpRequest, code: str) -> HttpResponse:
    proforma = _proforma(code)
    return _message(
        request,
        proforma,
        "What we do with your answers",
        [
            "We do not ask your name or your child's name. We do not keep your computer's "
            "address, what kind of device you use, or the time you answered: only the day.",
            "The only cookie on these pages is a security one that stops other websites "
            "sending answers in your name. It does not say who you are.",
            "The inspection team reads everyone's answers together. When they use the answers "
            f"as evidence, or tell anyone else, they never show a number made from fewer than "
            f"{min_cell()} people, and never what you wrote.",
            "Do not write names in the boxes. If you do, the inspection team sees them hidden.",
            "If what you write makes us think a child is being hurt, we will tell the person "
            "on the inspection team whose job is to keep children safe. We cannot tell them "
            "who you are, because we do not know.",
        ],
    )


# -- the review team's page ----------------------------------------------------------------


def _leaflet_url(request: HttpRequest, proforma: ParentsProforma) -> str:
    return request.build_absolute_uri(reverse("voices:parents-start", args=[proforma.code]))


@staff_required
@require_http_methods(["GET", "POST"])
def parents_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "voices.view_parents_results")
    survey = Survey.objects.filter(review=review).first()
    proforma = ParentsProforma.objects.filter(survey__review=review).first()
    can_manage = request.user.has_perm("voices.manage_survey", review)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "create" and survey is not None:
                proforma = parents_proforma_create(survey=survey, by=request.user)
                done = "Set up the parents' and carers' questionnaire. Open it when it is ready."
            elif action == "open" and proforma is not None:
                parents_proforma_open(proforma=proforma, by=request.user)
                done = "Opened the questionnaire: parents and carers can answer."
            elif action == "close" and proforma is not None:
                parents_proforma_close(proforma=proforma, by=request.user)
                done = "Closed the questionnaire: its answers are frozen."
            elif action == "evidence" and proforma is not None:
                items = evidence_from_parents(proforma=proforma, by=request.user)
                done = f"Recorded {len(items)} evidence items from parents' and carers' views."
            else:
                raise SurveyRefused("Choose what to do.")
        except (SurveyRefused, EditConflict) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return redirect("voices:parents", review.pk)
    results = parents_results(proforma, with_words=True) if proforma else None
    if results is not None and request.GET.get("format") == "json":
        return JsonResponse(parents_results_as_dict(results))
    return render(
        request,
        "voices/parents/team.html",
        {
            "review": review,
            "survey": survey,
            "proforma": proforma,
            "results": results,
            "chart": parents_chart(results) if results else None,
            "leaflet_url": _leaflet_url(request, proforma) if proforma else "",
            "can_manage": can_manage,
        },
    )


@staff_required
@require_http_methods(["POST"])
def hard_to_reach(request: HttpRequest, review_id: int) -> HttpResponse:
    """The hard-to-reach groups the team means to hear (rows of the coverage panel)."""
    review = review_for_request(request, review_id, "voices.record_views")
    survey = Survey.objects.filter(review=review).first()
    if survey is None:
        raise Http404("This review has no survey.")
    try:
        survey_hard_to_reach_set(
            survey=survey,
            groups=request.POST.get("hard_to_reach", ""),
            by=request.user,
            expected_version=whole_number(request.POST.get("version")) or 0,
        )
    except EditConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Saved the hard-to-reach groups.")
    return redirect("voices:views", review.pk)
