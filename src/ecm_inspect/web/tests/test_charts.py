"""Every server-drawn chart speaks the service's font, has a title and a description for screen
readers (role="img"), and a legend when it draws several series; the chart templates too."""

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils.safestring import SafeString

from ecm_inspect.core.charts import FONT
from ecm_inspect.national.selectors import stacked_svg
from ecm_inspect.performance.calendar import StepState
from ecm_inspect.performance.calendar import timeline_svg as apa_calendar_svg
from ecm_inspect.performance.charts import neighbours_svg, spread_svg
from ecm_inspect.programme.charts import timeline_svg as programme_svg
from ecm_inspect.reports.charts import grades_svg, indicators_svg
from ecm_inspect.reports.selectors import IndicatorPosition
from ecm_inspect.reviews.charts import timeline_svg as review_svg
from ecm_inspect.reviews.models import MilestoneKind
from ecm_inspect.reviews.timetable import MilestoneStatus

SRC = Path(__file__).resolve().parents[2]
D = date(2026, 3, 2)


def _charts() -> dict[str, tuple[str, bool]]:
    """Each chart function drawn on a little data: (its SVG, whether it has several series)."""
    position = IndicatorPosition(
        code="X",
        label="Re-referrals",
        title="Re-referrals",
        unit="%",
        better="lower",
        year=2025,
        value=20,
        england=22,
        neighbours=[("Sunderland", 18), ("Durham", 25)],
    )
    kinds = list(MilestoneKind)
    statuses = [
        MilestoneStatus(k, date(2026, 3, 2 + n), None, 0, False) for n, k in enumerate(kinds)
    ]
    return {
        "spread": (spread_svg({4: 20, 3: 50, 2: 30}, {4: 10, 3: 60, 2: 30}, "Spread"), True),
        "neighbours": (
            neighbours_svg(
                {"Being healthy": [SimpleNamespace(against_neighbours="better")]}, "Neighbours"
            ),
            True,
        ),
        "apa calendar": (
            apa_calendar_svg(
                [
                    StepState("a", "Data", D, True, D),
                    StepState("b", "Letter", date(2026, 9, 1), False, None),
                ],
                "The year",
            ),
            True,
        ),
        "programme": (
            programme_svg(
                [
                    {
                        "analysis_start": D,
                        "fieldwork_start": date(2026, 4, 6),
                        "fieldwork_end": date(2026, 4, 17),
                        "region": "North East",
                        "area": "Gateshead",
                        "fixity": "confirmed",
                    }
                ],
                "Programme",
            ),
            True,
        ),
        "review timeline": (review_svg(statuses, D, "Timetable"), True),
        "report grades": (
            grades_svg([SimpleNamespace(title="Being healthy", grade=3)], "Grades"),
            False,
        ),
        "report indicators": (indicators_svg([position], "Indicators", "Gateshead"), True),
        "national composite": (stacked_svg({"North East": {3: 2, 2: 1}}, "Grades"), True),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "spread",
        "neighbours",
        "apa calendar",
        "programme",
        "review timeline",
        "report grades",
        "report indicators",
        "national composite",
    ],
)
def test_every_chart_has_the_font_a_title_a_description_and_a_legend(name: str) -> None:
    svg, several_series = _charts()[name]
    opening = svg[: svg.index(">")]
    assert FONT in opening, name
    assert 'role="img"' in opening, name
    assert 'class="ecm-chart"' in opening, name
    assert "<title id=" in svg, name
    assert "<desc id=" in svg, name
    assert "-desc" in opening  # the description is part of its accessible name
    if several_series:
        assert "ecm-chart__legend" in svg, name
    assert "style=" not in svg  # the pages' Content Security Policy forbids inline styles


@pytest.mark.parametrize(
    "template",
    [
        "programme/templates/programme/calibration.svg",
        "programme/templates/programme/weights.svg",
        "provision/templates/provision/area.html",
        "voices/templates/voices/results.html",
        "voices/templates/voices/parents/team.html",
    ],
)
def test_chart_templates_have_the_font_a_title_and_a_description(template: str) -> None:
    text = (SRC / template).read_text()
    opening = text[text.index("<svg") :]
    opening = opening[: opening.index(">")]
    assert FONT in opening, template
    assert 'role="img"' in opening, template
    chart = text[text.index("<svg") : text.index("</svg>")]
    assert "<title" in chart, template
    assert "<desc" in chart, template


HOSTILE = '<script>alert("x")</script> & "quoted"'


def _hostile_charts() -> dict[str, str]:
    """Each kit chart drawn with a hostile title and hostile labels (an area's, a region's, an
    outcome's name as an import or a user could supply it)."""
    position = IndicatorPosition(
        code="X", label=HOSTILE, title=HOSTILE, unit="%", better="higher", year=2025, value=20,
        england=22, neighbours=[(HOSTILE, 18)],
    )  # fmt: skip
    statuses = [MilestoneStatus(MilestoneKind.NOTIFICATION, D, None, 0, False)]
    return {
        "spread": spread_svg({4: 100}, {3: 100}, HOSTILE),
        "neighbours": neighbours_svg(
            {HOSTILE: [SimpleNamespace(against_neighbours="worse")]}, HOSTILE
        ),
        "apa calendar": apa_calendar_svg([StepState("a", HOSTILE, D, True, D)], HOSTILE),
        "programme": programme_svg(
            [
                {
                    "analysis_start": D,
                    "fieldwork_start": D,
                    "fieldwork_end": D,
                    "region": HOSTILE,
                    "area": HOSTILE,
                    "fixity": "confirmed",
                }
            ],
            HOSTILE,
        ),  # fmt: skip
        "review timeline": review_svg(statuses, D, HOSTILE),
        "report grades": grades_svg([SimpleNamespace(title=HOSTILE, grade=2)], HOSTILE),
        "report indicators": indicators_svg([position], HOSTILE, HOSTILE),
        "national composite": stacked_svg({HOSTILE: {1: 1}}, HOSTILE),
    }


@pytest.mark.django_db
def test_every_chart_escapes_what_it_is_given_and_is_safe_to_place_in_a_page() -> None:
    """The charts are drawn by the kit's template with autoescaping: a name holding markup is
    shown as text, never run; the SVG comes back marked safe, so pages place it without |safe."""
    for name, svg in _hostile_charts().items():
        assert isinstance(svg, SafeString), name
        assert "<script>" not in svg, name
        assert "&lt;script&gt;" in svg, name
        assert "&amp;" in svg, name
        assert svg.count("<svg") == 1, name
        assert svg.rstrip().endswith("</svg>"), name


def test_no_page_marks_a_chart_safe() -> None:
    """Pages place the kit's charts as they are; `|safe` on a chart would hide a chart drawn
    without the kit."""
    marked = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("templates/**/*.html")
        if re.search(r"chart\w*\|safe", p.read_text())
    ]
    assert marked == []
