"""The risk of each area, for the programme: a score from 0 to 100 made of parts, each shown
with its reason (principle (4) of the 2005 Framework: "Inspection is proportionate to risk";
2004 proposals, "Selection of areas": weaknesses in outcomes for children "including those
in health, care, education and crime"; "the findings of annual performance assessment"; "the
categorisation of councils under the CPA"; "the demands made on the organisations by
inspection or audit of other functions").

- outcomes, 0 to 30 points: the share of the area's graded indicators of health (BH), care
  (SS), education (EA) and crime (PC) more than 10% worse than England; the mean of the four,
  times 30;
- APA, 0 to 25: the latest APA overall grade, (4 - grade) / 3 x 25; none yet: 12.5;
- CPA, 0 to 15: the latest CPA category recorded, (4 - stars) / 4 x 15; none recorded: 7.5
  (the APA is never read again as the CPA: each input counts once, in its own part);
- time since the last review, 0 to 15: never reviewed 15; else the years since its fieldwork
  / 3 x 15, at most 15;
- critical incidents, 0 to 15: 5 for each in the two years before, at most 15;
- recent inspection, -10 to 0: other inspection of the area's organisations in the last three
  years (the burden ledger) against the national median, up to 10 points fewer (the evidence
  is fresh, and the area has borne that burden already).

The score is the sum, between 0 and 100, rounded to a whole number (the solver's weights).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WORSE_BY = 0.10  # "significant weakness": more than 10% worse than England
OUTCOME_GROUPS = {"BH": "health", "SS": "care", "EA": "education", "PC": "crime"}
POINTS = {
    "outcomes": 30.0,
    "apa": 25.0,
    "cpa": 15.0,
    "since_review": 15.0,
    "incidents": 15.0,
    "recent_inspection": -10.0,
}
INCIDENT_POINTS = 5.0
INCIDENT_YEARS = 2
REVIEW_CYCLE_YEARS = 3


@dataclass(frozen=True)
class RiskPart:
    name: str
    points: float
    reason: str


@dataclass(frozen=True)
class RiskInputs:
    """What the rule reads for one area (selectors.risk_inputs gathers it)."""

    weak_share: dict[str, float | None] = field(default_factory=dict)  # per outcome group
    apa_overall: int | None = None
    apa_year: int | None = None
    cpa_stars: int | None = None
    cpa_source: str = ""
    years_since_review: float | None = None
    incidents: int = 0
    recent_inspections: int = 0
    national_median_inspections: float = 0.0


@dataclass(frozen=True)
class RiskScore:
    score: int
    parts: list[RiskPart]

    def as_data(self) -> dict[str, object]:
        return {
            "score": self.score,
            "parts": {
                p.name: {"points": round(p.points, 2), "reason": p.reason} for p in self.parts
            },
        }


def risk_score(inputs: RiskInputs) -> RiskScore:
    parts = []
    shares = {k: v for k, v in inputs.weak_share.items() if v is not None}
    if shares:
        mean = sum(shares.values()) / len(shares)
        described = ", ".join(f"{OUTCOME_GROUPS[k]} {v:.0%}" for k, v in shares.items())
        parts.append(
            RiskPart(
                "outcomes",
                POINTS["outcomes"] * mean,
                f"indicators more than {WORSE_BY:.0%} worse than England: {described}",
            )
        )
    else:
        parts.append(RiskPart("outcomes", POINTS["outcomes"] / 2, "no indicators: half"))
    if inputs.apa_overall is not None:
        parts.append(
            RiskPart(
                "apa",
                POINTS["apa"] * (4 - inputs.apa_overall) / 3,
                f"APA {inputs.apa_year} overall grade {inputs.apa_overall}",
            )
        )
    else:
        parts.append(RiskPart("apa", POINTS["apa"] / 2, "no APA overall grade yet: half"))
    if inputs.cpa_stars is not None:
        parts.append(
            RiskPart(
                "cpa",
                POINTS["cpa"] * (4 - inputs.cpa_stars) / 4,
                f"CPA {inputs.cpa_stars} stars ({inputs.cpa_source})",
            )
        )
    else:
        parts.append(RiskPart("cpa", POINTS["cpa"] / 2, "no CPA category recorded: half"))
    if inputs.years_since_review is None:
        parts.append(RiskPart("since_review", POINTS["since_review"], "never reviewed"))
    else:
        years = inputs.years_since_review
        parts.append(
            RiskPart(
                "since_review",
                POINTS["since_review"] * min(years / REVIEW_CYCLE_YEARS, 1.0),
                f"last review's fieldwork {years:.1f} years before",
            )
        )
    parts.append(
        RiskPart(
            "incidents",
            min(inputs.incidents * INCIDENT_POINTS, POINTS["incidents"]),
            f"{inputs.incidents} critical incidents in the {INCIDENT_YEARS} years before",
        )
    )
    median = inputs.national_median_inspections
    ratio = inputs.recent_inspections / (2 * median) if median > 0 else 0.0
    parts.append(
        RiskPart(
            "recent_inspection",
            POINTS["recent_inspection"] * min(ratio, 1.0),
            f"{inputs.recent_inspections} inspections and visits of its organisations in 3 "
            f"years (national median {median:g})",
        )
    )
    total = sum(p.points for p in parts)
    return RiskScore(score=int(round(min(max(total, 0.0), 100.0))), parts=parts)
