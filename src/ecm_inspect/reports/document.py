"""The report, built only from the recorded judgements, gaps and recommendations, in the
structure of the 2004 proposals ("Reporting the findings"): Summary (outcomes, the
effectiveness and efficiency of services, what needs to be done), Context (the area and how
its services are organised), Outcomes, Service contribution to outcomes (the two vulnerable
groups evaluated specifically; gaps and very good services), Service management (the nine
aspects) and Recommendations; a grades table and charts. Rendered as HTML, as PDF
(WeasyPrint) and as a version for children and young people."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import VulnerableGroupStatement
from ecm_inspect.registry.models import Provider
from ecm_inspect.reviews.models import Review
from ecm_inspect.voices.analysis import min_cell, survey_results
from ecm_inspect.voices.models import Survey

from .charts import grades_svg, indicators_svg
from .models import GRADED_LEVELS, Gap, GapKind, Level, Priority, Recommendation, ReviewJudgement
from .selectors import indicator_positions

# Reading age a 12-year-old manages: Flesch-Kincaid grade 7 (US school grade 7 is ages 12-13).
CHILDREN_MAX_GRADE = 7.0

SECTIONS = (
    "Summary",
    "Context",
    "Outcomes",
    "Service contribution to outcomes",
    "Service management",
    "Recommendations",
)


def words(grade: int | None) -> str:
    return str(Grade(grade).label).lower() if grade else "not graded"


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph: chief officers comment on accuracy paragraph by paragraph."""

    id: str
    heading: str
    text: str
    subheading: str = ""


@dataclass
class _Builder:
    paras: list[Paragraph] = field(default_factory=list)

    def add(self, pid: str, heading: str, text: str, subheading: str = "") -> None:
        # Numbered ids ("C3") count the paragraphs of their series actually written, so a
        # paragraph left out (no partners on the register) leaves no gap in the numbering.
        series = re.fullmatch(r"([A-Z]+)\d+", pid)
        if series:
            prefix = series.group(1)
            done = sum(1 for p in self.paras if re.fullmatch(rf"{prefix}\d+", p.id))
            pid = f"{prefix}{done + 1}"
        self.paras.append(Paragraph(pid, heading, " ".join(text.split()), subheading))


def _plural(kind: str, n: int) -> str:
    """A provider kind's name without its gloss, plural when there are several."""
    name = kind.split(" (")[0].lower()
    if n == 1 or name.endswith("s"):
        return name
    if re.search(r"[^aeiou]y$", name):
        return name[:-1] + "ies"  # adoption agency, adoption agencies
    if re.search(r"(ch|sh|x)$", name):
        return name + "es"
    return name + "s"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?)" else text + "."


@dataclass
class _Report:
    """What the report is written from."""

    review: Review
    judgements: list[ReviewJudgement]
    by_code: dict[str, ReviewJudgement]
    gaps: list[Gap]
    recs: list[Recommendation]
    area: Any
    outcomes: list[ReviewJudgement]
    sm: ReviewJudgement | None
    cap: ReviewJudgement | None


def _summary(b: "_Builder", r: _Report) -> None:
    """S1-S6: the outcomes' grades, management, capacity, very good services, and what
    needs to be done."""
    by_code, gaps, recs, area = r.by_code, r.gaps, r.recs, r.area
    outcomes, sm, cap = r.outcomes, r.sm, r.cap
    if outcomes:
        graded = "; ".join(f"{j.title.lower()}, {words(j.grade)}" for j in outcomes)
        council = "; ".join(
            f"{j.title.lower()}, {words(j.council_grade)}"
            for j in outcomes
            if j.council_grade is not None and j.council_grade != j.grade
        )
        if council:
            graded += f". For the council's own services, where graded apart: {council}"
        b.add("S1", "Summary", f"Outcomes for children and young people in {area.name}: {graded}.")
    if sm is not None:
        b.add(
            "S2",
            "Summary",
            f"The management of services is {words(sm.grade)}. {_sentence(sm.finding)}",
        )
    efficiency = by_code.get("SM.7")
    if efficiency is not None and efficiency.finding:
        b.add("S3", "Summary", f"Effectiveness and efficiency: {_sentence(efficiency.finding)}")
    if cap is not None:
        b.add(
            "S4",
            "Summary",
            f"The capacity to improve is {words(cap.grade)}. {_sentence(cap.finding)}",
        )
    very_good = [g for g in gaps if g.kind == GapKind.VERY_GOOD]
    if very_good:
        b.add(
            "S5",
            "Summary",
            "Very good services: "
            + " ".join(f"{g.service}. {_sentence(g.description)}" for g in very_good),
        )
    if recs:
        b.add(
            "S6",
            "Summary",
            "What needs to be done: "
            + " ".join(
                f"{r.body} should {r.text} ({r.get_priority_display().lower()})." for r in recs
            ),
        )


def _context(b: "_Builder", r: _Report) -> None:
    """C1-C4: the area, its settings, its partners, and what children told the inspectors."""
    area, review = r.area, r.review
    b.add(
        "C1",
        "Context",
        f"{area.name} is a {area.get_area_type_display().lower()} in the "
        f"{area.region_name} region."
        + (
            f" About {area.population_0_25:,} children and young people aged 0 to 25 live there."
            if area.population_0_25
            else ""
        ),
    )
    kinds = Counter(
        Provider.objects.filter(area=area, closed_on__isnull=True).values_list(
            "kind__name", flat=True
        )
    )
    if kinds:
        listed = ", ".join(f"{n:,} {_plural(k, n)}" for k, n in kinds.most_common(8))
        b.add(
            "C2",
            "Context",
            f"Services are provided through {sum(kinds.values()):,} open "
            f"settings on the register, among them {listed}.",
        )
    partners = list(area.partners.values_list("name", flat=True)[:8])
    if partners:
        b.add("C3", "Context", "The council works with its partners: " + "; ".join(partners) + ".")
    told = survey_told(review)
    if told is not None:
        b.add("C4", "Context", told)


def _outcomes(b: "_Builder", r: _Report) -> None:
    """An outcome's grade and finding, each."""
    outcomes = r.outcomes
    for j in outcomes:
        b.add(f"O-{j.code}", "Outcomes", f"{j.title}: {words(j.grade)}. {_sentence(j.finding)}")


def _contribution(b: "_Builder", r: _Report) -> None:
    """Key judgements by outcome, the vulnerable groups, gaps and very good services."""
    judgements, gaps, outcomes = r.judgements, r.gaps, r.outcomes
    # Service contribution to outcomes: key judgements by outcome; the vulnerable groups.
    titles = {j.code: j.title for j in outcomes}
    for j in judgements:
        if j.level == Level.KEY_JUDGEMENT and j.finding:
            b.add(
                f"K-{j.code}",
                "Service contribution to outcomes",
                f"{_sentence(_capital(j.title))} {_sentence(j.finding)}",
                titles.get(j.code.split(".")[0], ""),
            )
    statements = {s.code: s.text for s in VulnerableGroupStatement.objects.all()}
    for j in judgements:
        if j.level != Level.GROUP or not j.finding:
            continue
        b.add(
            f"G-{j.code}",
            "Service contribution to outcomes",
            (f"Grade: {words(j.grade)}. " if j.grade else "") + _sentence(j.finding),
            j.title,
        )
        for code, text in sorted(j.statement_findings.items()):
            b.add(
                f"G-{code}",
                "Service contribution to outcomes",
                f"{_sentence(statements.get(code, code))} {_sentence(text)}",
                j.title,
            )
    for g in gaps:
        if g.kind == GapKind.VERY_GOOD:
            b.add(
                f"P-{g.pk}",
                "Service contribution to outcomes",
                f"{g.service} is very good. {_sentence(g.description)}",
                "Very good services",
            )
        else:
            managed = (
                f" How far the area has managed the gap: {_sentence(g.how_managed)}"
                if g.how_managed
                else ""
            )
            b.add(
                f"P-{g.pk}",
                "Service contribution to outcomes",
                f"{g.service}: {g.get_kind_display().lower()}. {_sentence(g.description)}"
                + managed,
                "Gaps and failures in provision",
            )


def _management(b: "_Builder", r: _Report) -> None:
    """Service management, its aspects, and the capacity to improve."""
    judgements, sm, cap = r.judgements, r.sm, r.cap
    if sm is not None:
        b.add(
            "M-SM",
            "Service management",
            f"Service management is {words(sm.grade)}. {_sentence(sm.finding)}",
        )
    for j in judgements:
        if j.level == Level.ASPECT and j.finding:
            b.add(
                f"M-{j.code}",
                "Service management",
                f"{_sentence(_capital(j.title))} {_sentence(j.finding)}",
                "How services work together",
            )
    if cap is not None:
        b.add(
            "M-capacity",
            "Service management",
            f"The capacity to improve is {words(cap.grade)}. {_sentence(cap.finding)}",
            "Capacity to improve",
        )


def _recommendations(b: "_Builder", r: _Report) -> None:
    """The recommendations, by priority."""
    order = list(Priority.values)
    for n, rec in enumerate(sorted(r.recs, key=lambda x: order.index(x.priority)), 1):
        b.add(
            f"R{n}",
            "Recommendations",
            f"{rec.body} should {rec.text}.",
            str(rec.get_priority_display()),
        )


def report_paragraphs(review: Review) -> list[Paragraph]:
    """The report, paragraph by paragraph, in the proposals' structure."""
    judgements = list(ReviewJudgement.objects.filter(review=review).order_by("order"))
    by_code = {j.code: j for j in judgements}
    report = _Report(
        review=review,
        judgements=judgements,
        by_code=by_code,
        gaps=list(Gap.objects.filter(review=review).order_by("pk")),
        recs=list(Recommendation.objects.filter(review=review)),
        area=review.area,
        outcomes=[j for j in judgements if j.level == Level.OUTCOME],
        sm=by_code.get("SM"),
        cap=by_code.get("capacity"),
    )
    b = _Builder()
    for section in (_summary, _context, _outcomes, _contribution, _management, _recommendations):
        section(b, report)
    return b.paras


# -- what children and young people told the inspectors ------------------------------------


def _survey_results(review: Review) -> Any:
    """The review's survey results as published (small cells suppressed), if it has enough
    answers to say anything outside the team."""

    survey = Survey.objects.filter(review=review).first()
    if survey is None:
        return None
    results = survey_results(survey, audience="published")
    return results if results.respondents >= min_cell() else None


def survey_told(review: Review) -> str | None:
    """One paragraph of the survey's published figures: a positive share per outcome, beside
    the reference survey where there is one. Never a figure resting on fewer than ten."""
    results = _survey_results(review)
    if results is None:
        return None
    parts = []
    for page in results.pages:
        shown = [i for i in page.items if i.positive is not None and i.positive.shown]
        if not page.outcome or not shown:
            continue
        item = max(shown, key=lambda i: i.base)
        answers = " or ".join(item.item.choice_label(v).lower() for v in item.item.positive)
        reference = (
            f" (reference survey {item.reference_percent:.0f}%)"
            if item.reference_percent is not None
            else ""
        )
        parts.append(
            f"{item.positive.percent:.0f}% answered {answers} to “{item.label}”{reference}"
        )
    schools = len(results.schools)
    return (
        f"{results.respondents:,} children and young people in {schools} schools and colleges "
        "answered the inspectors' survey of what it is like to live in the area"
        + (": " + "; ".join(parts) + "." if parts else ".")
    )


def survey_told_children(review: Review) -> str | None:
    results = _survey_results(review)
    if results is None:
        return None
    return f"{results.respondents:,} of you answered our questions about where you live."


# -- the version for children and young people ---------------------------------------------

PLAIN = {4: "very well", 3: "well", 2: "well in some ways, but not all", 1: "not well enough"}
TOPICS = {
    "BH": "keep you healthy",
    "SS": "keep you safe",
    "EA": "help you learn and have fun",
    "PC": "help you have your say",
    "EW": "help you get ready for work and money",
}
WHEN = {
    Priority.IMMEDIATELY: "now",
    Priority.SIX_MONTHS: "in the next six months",
    Priority.LONGER_TERM: "over the next few years",
}


def children_paragraphs(review: Review) -> list[str]:
    """What the inspectors found and what will change: short sentences, plain words. The
    recommendations keep their own words only as "what will change", said simply."""
    judgements = {j.code: j for j in ReviewJudgement.objects.filter(review=review)}
    out = [
        f"We are inspectors. We looked at how people in {review.area.name} help children and "
        "young people.",
        "We read lots of papers. We talked to children, parents, carers and staff.",
        "Here is what we found.",
    ]
    for code, topic in TOPICS.items():
        j = judgements.get(code)
        if j and j.grade:
            out.append(f"They work {PLAIN[j.grade]} to {topic}.")
    for slug, who in (
        ("children_in_care", "children in care"),
        ("ldd", "children with special needs or disabilities"),
    ):
        j = judgements.get(slug)
        if j and j.grade:
            out.append(f"We looked hard at help for {who}. It works {PLAIN[j.grade]}.")
    good = [g for g in Gap.objects.filter(review=review, kind=GapKind.VERY_GOOD)]
    for g in good[:2]:
        out.append(f"One thing is very good: {g.service.lower()}.")
    recs = list(Recommendation.objects.filter(review=review))
    if recs:
        out.append("Here is what will change.")
        for priority, when in WHEN.items():
            bodies = sorted({r.body for r in recs if r.priority == priority})
            if bodies:
                out.append(f"{' and '.join(bodies)} must make things better {when}.")
    said = survey_told_children(review)
    if said:
        out.append(said)
    out.append("We will check that they do it.")
    out.append("Thank you for telling us what you think. It helped us a lot.")
    return out


def reading_grade(paragraphs: list[str]) -> float:
    """The Flesch-Kincaid grade of the text (textstat, offline)."""
    import textstat  # type: ignore[import-untyped]

    return float(textstat.flesch_kincaid_grade(" ".join(paragraphs)))


# -- rendering -----------------------------------------------------------------------------


def render_html(review: Review, *, draft: bool = False) -> str:
    """The report's body as HTML (the web page and the PDF both wrap it)."""
    paras = report_paragraphs(review)
    sections: dict[str, list[tuple[str, list[tuple[int, Paragraph]]]]] = {s: [] for s in SECTIONS}
    for n, p in enumerate(paras, 1):
        groups = sections.setdefault(p.heading, [])
        if not groups or groups[-1][0] != p.subheading:
            groups.append((p.subheading, []))
        groups[-1][1].append((n, p))
    graded = [
        j
        for j in ReviewJudgement.objects.filter(review=review).order_by("order")
        if j.level in GRADED_LEVELS
    ]
    positions = indicator_positions(review=review)
    name = review.area.name
    return render_to_string(
        "reports/report_body.html",
        {
            "review": review,
            "sections": {k: v for k, v in sections.items() if v},
            "graded": graded,
            "draft": draft,
            "grades_chart": grades_svg(graded, f"Grades of the joint area review of {name}"),
            "positions": positions,
            "indicators_chart": indicators_svg(
                positions, f"{name} against its statistical neighbours and England", name
            ),
        },
    )


def render_children(review: Review) -> str:
    return render_to_string(
        "reports/children_body.html",
        {"review": review, "paragraphs": children_paragraphs(review)},
    )


# Tagged for accessibility: PDF/UA-1 gives the document a structure tree (headings, paragraphs,
# tables, lists in reading order), its language and title, so screen readers can read it.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(body: str, title: str, *, published_on: date | None = None) -> bytes:
    """A printable A4 document (running header, page numbers) around a report's HTML body,
    tagged for accessibility (PDF/UA-1). A published document says the day it was published,
    under its title and at the foot of every page, and carries it as its creation date."""
    from weasyprint import HTML

    document = print_html(body, title, published_on=published_on)
    return bytes(HTML(string=document).write_pdf(pdf_variant=PDF_VARIANT))


def print_html(body: str, title: str, *, published_on: date | None = None) -> str:
    """The HTML that `render_pdf` prints."""
    return render_to_string(
        "reports/print.html", {"body": body, "title": title, "published_on": published_on}
    )
