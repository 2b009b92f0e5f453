"""The APA as an annual process: the year's calendar of steps with their due dates, and for one
council which steps are done and which are overdue.

The due dates default to the timetable below (the data year's summer to winter, as the first
APAs ran in 2005); a year's dates can be set in the setting `ECM_APA_CALENDAR`, for example
`{2025: {"self_assessment": "2025-08-01"}}`, and by the national lead on the year's calendar
page (`CalendarDate`), which wins over both. Any step not set keeps its default.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from ecm_inspect.core import charts as kit
from ecm_inspect.registry.models import Area

from .models import (
    Assessment,
    CalendarDate,
    IndicatorValue,
    LetterStatus,
    SelfAssessment,
    SelfAssessmentStatus,
)


@dataclass(frozen=True)
class CalendarStep:
    code: str
    title: str
    month: int
    day: int


# In order; (month, day) of the APA's year.
STEPS: tuple[CalendarStep, ...] = (
    CalendarStep("dataset", "Performance dataset available", 6, 1),
    CalendarStep("self_assessment", "Council's self-assessment due", 7, 29),
    CalendarStep("scrutiny", "Scrutiny of the evidence (judgements proposed)", 8, 31),
    CalendarStep("meeting", "Assessment meeting with the council", 9, 30),
    CalendarStep("draft_letter", "Draft letter (every grade recorded)", 10, 21),
    CalendarStep("representations", "Council's representations on factual accuracy", 11, 11),
    CalendarStep("letter_published", "Letter published", 11, 30),
    CalendarStep("cpa_block", "CPA children and young people block published", 12, 15),
)


class CalendarError(ValueError):
    """The setting ECM_APA_CALENDAR names an unknown step or a date that is not one."""


def calendar_for(year: int) -> dict[str, date]:
    """Each step's due date in `year`: the default, or the one set in ECM_APA_CALENDAR."""
    configured = getattr(settings, "ECM_APA_CALENDAR", {}) or {}
    given = configured.get(year) or configured.get(str(year)) or {}
    known = {s.code for s in STEPS}
    out = {s.code: date(year, s.month, s.day) for s in STEPS}
    for code, value in given.items():
        if code not in known:
            raise CalendarError(f"ECM_APA_CALENDAR[{year}]: no step is called {code!r}.")
        try:
            out[code] = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise CalendarError(
                f"ECM_APA_CALENDAR[{year}][{code!r}]: {value!r} is not a date (YYYY-MM-DD)."
            ) from None
    for step, due in CalendarDate.objects.filter(year=year).values_list("step", "due"):
        if step in known:
            out[step] = due
    return out


STEP_CODES = frozenset(s.code for s in STEPS)


@dataclass(frozen=True)
class StepState:
    code: str
    title: str
    due: date
    done: bool
    done_on: date | None

    @property
    def overdue(self) -> bool:
        return not self.done and self.due < timezone.localdate()


def _letter_ready(a: Assessment | None) -> bool:
    return a is not None and all(j.recorded_grade for j in a.judgements.all())


def calendar_progress(*, area: Area, year: int) -> list[StepState]:
    """Each step of the area's APA of `year`: its due date, whether it is done (and when, if
    known) and whether it is overdue."""
    due = calendar_for(year)
    assessment = (
        Assessment.objects.filter(area=area, year=year).prefetch_related("judgements").first()
    )
    found = SelfAssessment.objects.filter(area=area, year=year).first()
    representations = list(assessment.representations.all()) if assessment else []
    published = assessment is not None and assessment.letter_status == LetterStatus.PUBLISHED
    issued_on = assessment.letter_issued_at if assessment else None
    published_on = assessment.letter_published_at if assessment else None

    answered = [r.answered_at for r in representations if r.answered_at]

    def day(moment: object) -> date | None:
        return timezone.localtime(moment).date() if moment else None  # type: ignore[arg-type]

    checks: dict[str, Callable[[], tuple[bool, date | None]]] = {
        "dataset": lambda: (
            IndicatorValue.objects.filter(area=area, year=year).exists(),
            None,
        ),
        "self_assessment": lambda: (
            found is not None and found.status == SelfAssessmentStatus.SUBMITTED,
            day(found.submitted_at) if found else None,
        ),
        "scrutiny": lambda: (
            assessment is not None and assessment.proposed_at is not None,
            day(assessment.proposed_at) if assessment else None,
        ),
        "meeting": lambda: (
            assessment is not None and assessment.meeting_held_on is not None,
            assessment.meeting_held_on if assessment else None,
        ),
        "draft_letter": lambda: (_letter_ready(assessment), None),
        "representations": lambda: (
            issued_on is not None
            and not any(not r.answered for r in representations)
            and (published or due["representations"] <= timezone.localdate()),
            day(max(answered)) if answered else None,
        ),
        "letter_published": lambda: (published, day(published_on)),
        "cpa_block": lambda: (
            published and due["cpa_block"] <= timezone.localdate(),
            due["cpa_block"] if published else None,
        ),
    }
    states = []
    for step in STEPS:
        done, done_on = checks[step.code]()
        states.append(StepState(step.code, step.title, due[step.code], bool(done), done_on))
    return states


def timeline_svg(states: list[StepState], title: str) -> SafeString:
    """The year's steps on a line from the first due date to the last, each a dot: green when
    done, red when overdue, grey when still to come; today marked."""
    if not states:
        return SafeString("")
    first, last = states[0].due, states[-1].due
    span = max((last - first).days, 1)
    width, left, right = 640, 20, 20
    today = timezone.localdate()
    height = 40 + 22 * len(states)

    def state_of(s: StepState) -> str:
        return "done" if s.done else ("overdue" if s.overdue else "to come")

    colours = {"done": "#00703c", "overdue": "#d4351c", "to come": kit.GREY}
    chart = kit.Chart(
        "apa-calendar",
        title,
        "; ".join(f"{s.title}: due {s.due:%-d %B %Y}, {state_of(s)}" for s in states),
        width + 260,
        height + kit.LEGEND_HEIGHT,
        legend=kit.legend([(c, k.capitalize()) for k, c in colours.items()], 280, height),
    )

    def x(d: date) -> float:
        share = min(max((d - first).days / span, 0.0), 1.0)
        return 260 + left + share * (width - left - right)

    for n, s in enumerate(states):
        y = 24 + 22 * n
        chart.add(
            kit.Words(0, y + 4, s.title[:40]),
            kit.Line(260 + left, y, 260 + width - right, y, kit.LIGHT),
            kit.Dot(
                x(s.due), y, 6, colours[state_of(s)],
                title=f"{s.title}: due {s.due:%d %B %Y}, {state_of(s)}",
            ),
        )  # fmt: skip
    if first <= today <= last:
        chart.add(
            kit.Line(x(today), 10, x(today), height - 8, kit.BLUE, dash="4 3"),
            kit.Words(x(today) + 3, height - 2, "today", size=11, fill=kit.BLUE),
        )
    return kit.chart_svg(chart)
