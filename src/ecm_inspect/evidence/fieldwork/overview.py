"""What the team sees of all its fieldwork (a tally by outcome, a chart, how far it has got),
and everything written in the confidential area, for the checks that none of it is published."""

from dataclasses import dataclass
from typing import Any

from ecm_inspect.framework.models import Outcome
from ecm_inspect.reviews.models import Review

from ..models import (
    CaseFile,
    CaseFileNote,
    FieldworkFinding,
    FieldworkMeeting,
    FindingSource,
    Indication,
    NeighbourhoodStudy,
    Severity,
    TrackedChild,
)


def confidential_pseudonyms(review: Review) -> set[str]:
    """Every pseudonym the team uses: of case files and of children tracked outside them."""
    return set(CaseFile.objects.filter(review=review).values_list("pseudonym", flat=True)) | set(
        TrackedChild.objects.filter(review=review).values_list("pseudonym", flat=True)
    )


def confidential_writing(review: Review) -> list[tuple[str, str]]:
    """Everything the team wrote in its confidential area, as (what it is, its text): case-file
    notes and readings, other fieldwork findings, tracked children's summaries and journeys,
    meeting notes, neighbourhood descriptions. For the checks that nothing of it is published."""
    out: list[tuple[str, str]] = [
        ("a case-file note", text)
        for text in CaseFileNote.objects.filter(case_file__review=review).values_list(
            "text", flat=True
        )
    ]
    for source, text in FieldworkFinding.objects.filter(review=review).values_list(
        "source", "found"
    ):
        out.append((f"a fieldwork finding ({FindingSource(source).label.lower()})", text))
    for child in TrackedChild.objects.filter(review=review).prefetch_related("journey"):
        out.append(("a tracked child's summary", child.summary))
        out += [
            ("a step of a tracked child's journey", s.what_happened) for s in child.journey.all()
        ]
    out += [
        ("the notes of a meeting", notes)
        for notes in FieldworkMeeting.objects.filter(review=review).values_list("notes", flat=True)
    ]
    for study in NeighbourhoodStudy.objects.filter(review=review):
        for text in (study.context, study.provision, study.visits, study.discussions):
            out.append(("a neighbourhood study", text))
    return [(what, text) for what, text in out if text.strip()]


@dataclass
class OutcomeTally:
    code: str
    title: str
    strengths: int = 0
    neither: int = 0
    weaknesses: int = 0
    serious: int = 0

    @property
    def total(self) -> int:
        return self.strengths + self.neither + self.weaknesses


def findings_tally(review: Review) -> list[OutcomeTally]:
    """Per outcome in the Framework's order, how many findings bear on it and which way (a
    finding on two key judgements of one outcome counts once for that outcome)."""
    tallies = {
        o.code: OutcomeTally(o.code, o.title)
        for o in Outcome.objects.filter(version__code=review.framework_code).order_by("order")
    }
    for finding in FieldworkFinding.objects.filter(review=review).prefetch_related(
        "key_judgements__outcome"
    ):
        for code in sorted({k.outcome.code for k in finding.key_judgements.all()}):
            tally = tallies.get(code)
            if tally is None:
                continue
            if finding.indication == Indication.STRENGTH:
                tally.strengths += 1
            elif finding.indication == Indication.WEAKNESS:
                tally.weaknesses += 1
                tally.serious += finding.severity == Severity.SERIOUS
            else:
                tally.neither += 1
    return list(tallies.values())


TALLY_LABEL = 220
TALLY_BAR = 360
TALLY_ROW = 30


def findings_chart(tallies: list[OutcomeTally]) -> dict[str, Any]:
    """A stacked bar per outcome (strengths, neither, weaknesses) for a server-drawn SVG."""
    most = max((t.total for t in tallies), default=0) or 1
    rows = []
    for n, t in enumerate(tallies):
        unit = TALLY_BAR / most
        parts = []
        x = float(TALLY_LABEL)
        for count, colour, what in (
            (t.strengths, "#00703c", "strength,strengths"),
            (t.neither, "#b1b4b6", "neither,neither"),
            (t.weaknesses, "#d4351c", "weakness,weaknesses"),
        ):
            if count:
                parts.append({"x": round(x, 1), "width": round(count * unit, 1), "fill": colour,
                              "count": count, "what": what})  # fmt: skip
                x += count * unit
        rows.append({"y": n * TALLY_ROW + 30, "tally": t, "parts": parts, "end": round(x, 1)})
    return {
        "rows": rows,
        "label_width": TALLY_LABEL,
        "width": TALLY_LABEL + TALLY_BAR + 40,
        "height": len(rows) * TALLY_ROW + 36,
        "bar_height": TALLY_ROW - 10,
    }


@dataclass(frozen=True)
class FieldworkDone:
    """How far fieldwork has got, against the specification."""

    case_files_read: int
    children_tracked: int
    neighbourhoods_studied: int
    meetings_held: int
    findings: int
    findings_by_judgement: dict[str, int]


def fieldwork_done(review: Review) -> FieldworkDone:
    findings = FieldworkFinding.objects.filter(review=review)
    by_kj: dict[str, int] = {}
    for code in findings.values_list("key_judgements__code", flat=True):
        if code:
            by_kj[code] = by_kj.get(code, 0) + 1
    return FieldworkDone(
        case_files_read=findings.exclude(case_file=None).values("case_file").distinct().count(),
        children_tracked=TrackedChild.objects.filter(review=review).count(),
        neighbourhoods_studied=findings.exclude(neighbourhood=None)
        .values("neighbourhood")
        .distinct()
        .count(),
        meetings_held=FieldworkMeeting.objects.filter(review=review).count(),
        findings=findings.count(),
        findings_by_judgement=by_kj,
    )
