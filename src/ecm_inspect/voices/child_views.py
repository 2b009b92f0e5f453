"""The pages a child answers the survey on: no account, no JavaScript, one school code.

The child's way back to unfinished answers is a random token in a cookie scoped to their
school's pages; nothing else identifies them (models.py says what is not stored)."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.ratelimit import client_key

from .analysis import min_cell
from .concerns import concern_raise
from .models import ConcernSource, InCare, Response, SurveySchool
from .proforma import AGE_BANDS, Page
from .services import (
    SurveyClosed,
    SurveyRefused,
    TooManyResponses,
    response_about_save,
    response_find,
    response_page_save,
    response_start,
    response_submit,
    survey_accepting,
)

COOKIE = "ecm_survey"


def _school(code: str) -> SurveySchool:
    school = (
        SurveySchool.objects.filter(code=code.upper())
        .select_related("survey__proforma", "survey__review__area")
        .first()
    )
    if school is None:
        raise Http404("No school has that code.")
    return school


def _closed(request: HttpRequest, school: SurveySchool, why: str) -> HttpResponse:
    return render(
        request,
        "voices/message.html",
        {
            "school": school,
            "heading": "This survey is closed",
            "paragraphs": [why, "Thank you to everyone who took part."],
        },
        status=410,
    )


def _page_url(school: SurveySchool, version: str, number: int) -> str:
    return reverse("voices:page", args=[school.code, version, number])


def _response(request: HttpRequest, school: SurveySchool) -> Response | None:
    return response_find(school=school, token=request.COOKIES.get(COOKIE))


def _answering_elsewhere(
    request: HttpRequest, school: SurveySchool, response: Response | None
) -> HttpResponse | None:
    """Where a child belongs instead of a page of their answers: the closed page, the start
    (sending with nothing begun) or the thank-you page (already sent); None to stay."""
    try:
        survey_accepting(school.survey)
    except SurveyClosed as exc:
        return _closed(request, school, str(exc))
    if response is None and request.method == "POST":
        return redirect("voices:start", code=school.code)
    if response is not None and response.submitted_on:
        return redirect("voices:sent", code=school.code)
    return None


def _answering(
    request: HttpRequest, code: str
) -> tuple[SurveySchool, Response | None, HttpResponse | None]:
    """The school, the child's answers so far, and where the child belongs instead (or None)."""
    school = _school(code)
    response = _response(request, school)
    return school, response, _answering_elsewhere(request, school, response)


def _resume_url(school: SurveySchool, response: Response) -> str:
    pages = school.survey.proforma.parsed.pages_for(response.version)
    if response.pages_done >= len(pages):
        return reverse("voices:check", args=[school.code])
    return _page_url(school, response.version, response.pages_done + 1)


def _version_asked(request: HttpRequest, school: SurveySchool) -> str:
    """Without a response (someone checking the pages from outside), ?version= says which."""
    asked = request.GET.get("version", "")
    return asked if asked in school.survey.proforma.parsed.versions else "secondary"


def code_entry(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "").strip().upper().replace(" ", "")
    errors = []
    if code:
        if SurveySchool.objects.filter(code=code).exists():
            return redirect("voices:start", code=code)
        errors.append(
            {"text": "That code is not right. Check it with your teacher.", "anchor": "code"}
        )
    return render(request, "voices/code.html", {"code": code, "errors": errors})


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(code)
    survey = school.survey
    try:
        survey_accepting(survey)
    except SurveyClosed as exc:
        return _closed(request, school, str(exc))
    existing = _response(request, school)
    errors = []
    age_band = request.POST.get("age_band", "")
    if request.method == "POST":
        try:
            response, token = response_start(
                school=school, age_band=age_band, easy_read=request.POST.get("easy_read") == "yes"
            )
        except TooManyResponses as exc:
            return render(
                request,
                "voices/message.html",
                {
                    "school": school,
                    "heading": "Please try again in a few minutes",
                    "paragraphs": [str(exc)],
                },
                status=429,
            )
        except SurveyClosed as exc:
            return _closed(request, school, str(exc))
        except SurveyRefused as exc:
            errors.append({"text": str(exc), "anchor": "age-1"})
        else:
            reply = HttpResponseRedirect(reverse("voices:about", args=[school.code]))
            _set_cookie(reply, school, token)
            return reply
    return render(
        request,
        "voices/start.html",
        {
            "school": school,
            "survey": survey,
            "definition": survey.proforma.parsed,
            "age_bands": list(AGE_BANDS.items()),
            "age_band": age_band,
            "errors": errors,
            "resume": _resume_url(school, existing)
            if existing and not existing.submitted_on
            else None,
        },
    )


def _set_cookie(reply: HttpResponse, school: SurveySchool, token: str) -> None:
    closes = school.survey.closes_on + timedelta(days=1)
    seconds = max(int((closes - timezone.localdate()).total_seconds()), 3600)
    reply.set_cookie(
        COOKIE,
        token,
        max_age=seconds,
        path=f"/s/{school.code}/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


ABOUT = [
    {
        "name": "in_care",
        "label": (
            "Do you live with foster carers, in a children's home, "
            "or are you looked after by the council?"
        ),
        "hint": "",
    },
    {
        "name": "disability",
        "label": "Do you have a disability, or special educational needs?",
        "hint": (
            "For example, you find it hard to see, hear, move about or learn, "
            "or you have extra help at school."
        ),
    },
]


@require_http_methods(["GET", "POST"])
def about(request: HttpRequest, code: str) -> HttpResponse:
    school, response, elsewhere = _answering(request, code)
    if elsewhere is not None:
        return elsewhere
    if request.method == "POST" and response is not None:
        valid = set(InCare.values)
        in_care = request.POST.get("in_care", "")
        disability = request.POST.get("disability", "")
        response_about_save(
            response=response,
            in_care=in_care if in_care in valid else "",
            disability=disability if disability in valid else "",
        )
        return redirect(_page_url(school, response.version, 1))
    questions = [
        {**q, "choices": InCare.choices, "value": getattr(response, q["name"], "")} for q in ABOUT
    ]
    version = response.version if response else _version_asked(request, school)
    steps = len(school.survey.proforma.parsed.pages_for(version)) + 2
    return render(
        request, "voices/about.html", {"school": school, "questions": questions, "steps": steps}
    )


def _questions(page: Page, version: str, answers: dict[str, str]) -> list[dict[str, object]]:
    """The page's questions for this version. A question whose condition is on an earlier
    page is left out when that answer rules it out; one that depends on a question on this
    page is shown with its condition said in words (no JavaScript needed to hide it)."""
    on_page = {item.name for item in page.items}
    out = []
    for item in page.items_for(version):
        condition = ""
        if item.relevant:
            target = item.relevant["item"]
            if target not in on_page and not item.applies(answers):
                continue
            if target in on_page:
                parent = next(i for i in page.items if i.name == target)
                wanted = " or ".join(parent.choice_label(v) for v in item.relevant["in"])
                condition = f"Only answer this if you said {wanted!r} to the question above."
        out.append(
            {
                "name": item.name,
                "kind": item.kind,
                "label": item.label(version),
                "choices": item.choices,
                "pictures": version == "pictures",
                "value": answers.get(item.name, ""),
                "condition": condition,
                "error": "",
            }
        )
    return out


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, code: str, version: str, number: int) -> HttpResponse:
    school = _school(code)
    survey = school.survey
    try:
        survey_accepting(survey)
    except SurveyClosed as exc:
        return _closed(request, school, str(exc))
    definition = survey.proforma.parsed
    if version not in definition.versions:
        raise Http404("No such version of the survey.")
    pages = definition.pages_for(version)
    if not 1 <= number <= len(pages):
        raise Http404("No such page.")
    response = _response(request, school)
    if response is not None and response.submitted_on:
        return redirect("voices:sent", code=school.code)
    if response is not None and response.version != version:
        return redirect(_page_url(school, response.version, number))
    current = pages[number - 1]
    answers = dict(response.answers) if response else {}
    errors = []
    if request.method == "POST":
        if response is None:
            return redirect("voices:start", code=school.code)
        try:
            response = response_page_save(
                response=response, page_number=number, data=request.POST.dict()
            )
        except SurveyClosed as exc:
            return _closed(request, school, str(exc))
        except SurveyRefused as exc:
            errors.append({"text": str(exc)})
            answers.update({k: v for k, v in request.POST.items() if k in definition.items})
        else:
            if request.POST.get("go") == "later":
                return redirect("voices:saved", code=school.code)
            if number < len(pages):
                return redirect(_page_url(school, version, number + 1))
            return redirect("voices:check", code=school.code)
    back = (
        _page_url(school, version, number - 1)
        if number > 1
        else reverse("voices:about", args=[school.code])
    )
    return render(
        request,
        "voices/page.html",
        {
            "school": school,
            "title": current.title(version),
            "intro": definition.versions[version].get("intro", ""),
            "questions": _questions(current, version, answers),
            "number": number,
            "step": number + 1,
            "steps": len(pages) + 2,
            "back": back,
            "errors": errors,
        },
    )


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, code: str) -> HttpResponse:
    school, response, elsewhere = _answering(request, code)
    if elsewhere is not None:
        return elsewhere
    if request.method == "POST" and response is not None:
        try:
            response_submit(response=response)
        except SurveyClosed as exc:
            return _closed(request, school, str(exc))
        reply = redirect("voices:sent", code=school.code)
        return reply
    definition = school.survey.proforma.parsed
    version = response.version if response else _version_asked(request, school)
    given = response.answers if response else {}
    pages = []
    answered: dict[str, str] = {}
    for number, p in enumerate(definition.pages_for(version), start=1):
        rows = []
        for item in p.items_for(version):
            if not item.applies(answered) and item.relevant:
                continue
            value = given.get(item.name, "")
            if value:
                answered[item.name] = value
            rows.append(
                {
                    "label": item.label(version),
                    "answer": item.choice_label(value) if item.kind == "select_one" else value,
                }
            )
        pages.append(
            {
                "title": p.title(version),
                "rows": rows,
                "href": _page_url(school, version, number),
            }
        )
    last = len(definition.pages_for(version))
    return render(
        request,
        "voices/check.html",
        {"school": school, "pages": pages, "back": _page_url(school, version, last)},
    )


def sent(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(code)
    return render(
        request,
        "voices/message.html",
        {
            "school": school,
            "panel": True,
            "heading": "Thank you: your answers have been sent",
            "paragraphs": [
                "The inspectors will read what children and young people said, together, "
                "before they visit services in your area. "
                "Nobody will know which answers are yours.",
                "When the inspection is finished, your school will get a short report for "
                "children saying what you told us and what the inspectors did about it.",
                "If something is worrying you, you can still tell someone: "
                "use the link at the top of this page.",
            ],
        },
    )


def saved(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(code)
    response = _response(request, school)
    return render(
        request,
        "voices/message.html",
        {
            "school": school,
            "heading": "Your answers are saved",
            "paragraphs": [
                "You can finish later on this device, in the same browser. Go back to your "
                f"school's survey page before {school.survey.closes_on:%-d %B %Y}.",
                "Your answers are not sent until you press 'Send my answers' at the end.",
            ],
            "link": {"href": _resume_url(school, response), "text": "Carry on now"}
            if response
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def talk(request: HttpRequest, code: str) -> HttpResponse:
    """On every page: a child can ask to talk to someone. This works even after the survey
    has closed: it is not an answer to the survey."""
    school = _school(code)
    if request.method == "POST":
        concern_raise(
            school=school,
            source=ConcernSource.ASKED,
            text=request.POST.get("text", "").strip(),
            client=client_key(request.META.get("REMOTE_ADDR"), purpose="voices-talk"),
        )
        return redirect("voices:talk-sent", code=school.code)
    response = _response(request, school)
    back = _resume_url(school, response) if response and not response.submitted_on else None
    return render(request, "voices/talk.html", {"school": school, "back": back})


def talk_sent(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(code)
    contact = school.survey.safeguarding_contact
    return render(
        request,
        "voices/message.html",
        {
            "school": school,
            "panel": True,
            "heading": "We have told someone",
            "paragraphs": [
                f"{contact.get_full_name() or 'The person who keeps children safe here'} "
                "has been told that a child at your school would like to talk.",
                "They will ask your school to make sure you can talk to someone there in private. "
                "You can also tell a teacher or another adult you trust at any time.",
                "If you are in danger now, call 999. Childline is free on 0800 1111, any time.",
            ],
        },
    )


def privacy(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(code)
    return render(
        request,
        "voices/message.html",
        {
            "school": school,
            "heading": "What we do with your answers",
            "paragraphs": [
                "We do not ask your name. We do not keep your computer's address "
                "or what kind of device "
                "you use, or the time you answered: only the day.",
                "We keep a random code in your browser so you can finish later. "
                "It does not say who you are.",
                "Inspectors read everyone's answers together. "
                "When they tell anyone else, such as the "
                f"council, they never show a number made from fewer than {min_cell()} children, "
                "so nobody can work out what one child said.",
                "If you write something that makes us think you or someone else is being hurt, "
                "we will tell a person whose job is to keep children safe, "
                "with the name of your school, so that your "
                "school can make sure you can talk to someone.",
            ],
        },
    )
