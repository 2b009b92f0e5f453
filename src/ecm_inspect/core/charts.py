"""The chart kit every server-drawn chart uses. A chart is a list of shapes (bars, lines, dots,
words) that one template, core/chart.svg, draws with Django's autoescaping, so no text a user
or an import supplied can break out of the drawing. Every chart speaks the service's font, has a
title and a description for screen readers (role="img"), and a legend when it draws several
series; each page shows the same figures in a table beside it, which phones show instead.
Presentation attributes only: the pages run under a strict Content Security Policy."""

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .grades import Grade

FONT_FAMILY = "GDS Transport, arial, sans-serif"
FONT = f'font-family="{FONT_FAMILY}"'
LEGEND_HEIGHT = 24
TEXT, GREY, LIGHT, FAINT, BLUE = "#0b0c0c", "#505a5f", "#b1b4b6", "#f3f2f1", "#1d70b8"
GRADE_COLOURS = {
    Grade.OUTSTANDING: "#00703c",
    Grade.GOOD: BLUE,
    Grade.ADEQUATE: "#f47738",
    Grade.INADEQUATE: "#d4351c",
}
GRADES_BEST_FIRST = (Grade.OUTSTANDING, Grade.GOOD, Grade.ADEQUATE, Grade.INADEQUATE)


def _n(value: float) -> str:
    """A coordinate as SVG wants it: one decimal at most (12.0 -> "12", -0.04 -> "0")."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _geometry(**numbers: float) -> SafeString:
    """A shape's numeric attributes, written once in Python: numbers only, so nothing in them
    needs escaping, and the template resolves one value per shape instead of four to six."""
    return SafeString(
        " ".join(f'{name.replace("_", "-")}="{_n(v)}"' for name, v in numbers.items())
    )


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""  # shown on hover
    stroke: str = ""
    kind: ClassVar[str] = "rect"

    @property
    def geometry(self) -> SafeString:
        return _geometry(x=self.x, y=self.y, width=self.width, height=self.height)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = LIGHT
    width: float = 1
    dash: str = ""  # stroke-dasharray, e.g. "3 3"
    kind: ClassVar[str] = "line"

    @property
    def geometry(self) -> SafeString:
        return _geometry(x1=self.x1, y1=self.y1, x2=self.x2, y2=self.y2, stroke_width=self.width)


@dataclass(frozen=True)
class Dot:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str = ""
    title: str = ""
    kind: ClassVar[str] = "circle"

    @property
    def geometry(self) -> SafeString:
        return _geometry(cx=self.cx, cy=self.cy, r=self.r)


@dataclass(frozen=True)
class Words:
    x: float
    y: float
    text: str
    size: int = 12
    fill: str = TEXT
    anchor: str = ""  # text-anchor: "end", "middle"
    bold: bool = False
    kind: ClassVar[str] = "text"

    @property
    def geometry(self) -> SafeString:
        return _geometry(x=self.x, y=self.y, font_size=self.size)


Shape = Rect | Line | Dot | Words


@dataclass
class Chart:
    """One drawing: `ident` makes its title and description ids unique on the page."""

    ident: str
    title: str
    description: str
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
    legend: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)

    @property
    def viewbox(self) -> str:
        return f"{_n(self.width)} {_n(self.height)}"

    @property
    def drawn(self) -> list[dict[str, Any]]:
        """What the template draws in order: the legend in its own group, then the shapes;
        each as a dict, which the template engine reads several times faster than attributes
        (it tries an item lookup first)."""
        marks = [{"kind": "legend"}, *map(_drawn, self.legend), {"kind": "end"}]
        return [*(marks if self.legend else []), *map(_drawn, self.shapes)]


def _drawn(shape: Shape) -> dict[str, Any]:
    return {**shape.__dict__, "kind": shape.kind, "geometry": shape.geometry}


def legend(items: list[tuple[str, str]], x: float, y: float, step: float = 130) -> list[Shape]:
    """A row of (colour, label) swatches with its top at y, one every `step` units from x."""
    out: list[Shape] = []
    for n, (colour, label) in enumerate(items):
        left = x + n * step
        out.append(Rect(left, y + 4, 12, 12, colour))
        out.append(Words(left + 16, y + 14, label))
    return out


def grade_legend(x: float, y: float, step: float = 130, numbered: bool = False) -> list[Shape]:
    """The four grades' swatches, best first ("Outstanding", or "4 outstanding" if numbered)."""
    return legend(
        [
            (GRADE_COLOURS[g], f"{int(g)} {str(g.label).lower()}" if numbered else str(g.label))
            for g in GRADES_BEST_FIRST
        ],
        x,
        y,
        step,
    )


def chart_svg(chart: Chart) -> SafeString:
    """The chart as SVG markup, drawn by core/chart.svg with every text escaped."""
    return SafeString(render_to_string("core/chart.svg", {"chart": chart, "font": FONT_FAMILY}))
