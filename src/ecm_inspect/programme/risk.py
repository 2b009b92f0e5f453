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

These stated points are the fallback. Where enough earlier inspections of areas were published
by the end of the year scored, the score is instead a chance fitted to them (`risk_model_fit`,
`fitted_risk_score`): a logistic regression of "found wanting" (requires improvement or
inadequate; 2 or 1 on the Framework's scale) on what was known the year before each of those
inspections, its weights and their uncertainty shown, and each area's parts with reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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


# Each part's name in words, for pages (the JSON keeps the names).
PART_LABELS = {
    "base": "An average area",
    "previous": "Previous inspection",
    "previous_age": "Age of the previous inspection",
    "outcomes": "Indicators of health, care, education and crime",
    "trend": "Indicators getting worse",
    "deprivation": "Deprivation",
    "apa": "Annual performance assessment",
    "cpa": "CPA category",
    "incidents": "Critical incidents",
    "since_review": "Time since the last review",
    "recent_inspection": "Recent inspection of its services",
}


@dataclass(frozen=True)
class RiskPart:
    name: str
    points: float
    reason: str

    @property
    def label(self) -> str:
        return PART_LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class RiskInputs:
    """What the rule and the model read for one area (risk_evidence.risk_inputs gathers it)."""

    weak_share: dict[str, float | None] = field(default_factory=dict)  # per outcome group
    apa_overall: int | None = None
    apa_year: int | None = None
    cpa_stars: int | None = None
    cpa_source: str = ""
    years_since_review: float | None = None
    incidents: int = 0
    recent_inspections: int = 0
    national_median_inspections: float = 0.0
    # The fitted model's inputs (FEATURES): each value, or None when unknown, and in words.
    features: dict[str, float | None] = field(default_factory=dict)
    described: dict[str, str] = field(default_factory=dict)


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


# -- the fitted model ------------------------------------------------------------------------

# What the model reads, in order: name -> what it is (each value is "more is riskier" or a
# plain quantity; the fitted weight says which way it pulls).
FEATURES = {
    "previous": "previous inspection's overall grade (0 outstanding to 1 inadequate)",
    "previous_age": "years since the previous inspection was published",
    "apa": "APA overall grade (0 outstanding to 1 inadequate)",
    "cpa": "CPA category (0 four stars to 1 none)",
    "outcomes": "share of indicators more than 10% worse than the statistical neighbours",
    "trend": "share of indicators more than 5% worse than a year before",
    "deprivation": "children in relative low income per 100 children",
    "incidents": "critical incidents in the two years before",
    "since_review": "years since the last joint area review's fieldwork",
}
# Fewer outcomes than this, or fewer of either kind than MIN_OF_EACH, and nothing is fitted:
# the stated points stand, and the page says why.
MIN_OUTCOMES = 20
MIN_OF_EACH = 5
# An outcome is trained on only when these were known the year before it: outcomes from before
# the indicators were published say more about their era than about their area.
REQUIRED_KNOWN = ("outcomes",)
# L2 regularisation (scikit-learn's C, on standardised inputs): with a few dozen outcomes a
# weight must earn its size. 0.1 did best out of time among 0.1, 0.3 and 1 (docs/programme.md).
REGULARISATION_C = 0.1
SOLVER = "newton-cholesky"  # exact and quick for a few columns
BOOTSTRAP_SAMPLES = 200
INTERVAL = (5.0, 95.0)  # a 90% interval of each weight, from the bootstrap
DEFAULT_SEED = 2005


@dataclass(frozen=True)
class RiskWeight:
    """One column of the fitted model: a feature (per standard deviation of the training
    outcomes) or its being unknown; the log-odds weight with a 90% bootstrap interval."""

    column: str
    label: str
    weight: float
    low: float
    high: float

    @property
    def short(self) -> str:
        """The input's name in a few words (for charts)."""
        feature = self.column.removesuffix("_unknown")
        name = PART_LABELS.get(feature, feature)
        return f"{name}: unknown" if self.column.endswith("_unknown") else name


@dataclass(frozen=True)
class RiskModel:
    """The model of the chance an area is found wanting, fitted on the outcomes published by the
    end of `year`, or the reason none could be fitted."""

    year: int
    outcomes: int
    wanting: int
    seed: int
    fitted: bool
    reason: str = ""
    intercept: float = 0.0
    weights: tuple[RiskWeight, ...] = ()
    # Per feature used: its training mean (what an unknown value is taken as) and spread.
    means: dict[str, float] = field(default_factory=dict)
    spreads: dict[str, float] = field(default_factory=dict)
    # Features with a column for being unknown.
    missing_columns: tuple[str, ...] = ()
    # Features left out, with why.
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def not_used(self) -> list[tuple[str, str]]:
        """The inputs left out, by name in words, with why."""
        return [(PART_LABELS.get(f, f), why) for f, why in self.dropped.items()]

    @property
    def base_chance(self) -> float:
        """The chance of an area at the training outcomes' average with every input known."""
        return _sigmoid(self.intercept)

    def as_data(self) -> dict[str, object]:
        return {
            "year": self.year,
            "fitted": self.fitted,
            "reason": self.reason,
            "outcomes": self.outcomes,
            "wanting": self.wanting,
            "seed": self.seed,
            "intercept": round(self.intercept, 4),
            "weights": [
                {
                    "column": w.column,
                    "label": w.label,
                    "weight": round(w.weight, 4),
                    "low": round(w.low, 4),
                    "high": round(w.high, 4),
                }
                for w in self.weights
            ],  # fmt: skip
            "dropped": self.dropped,
        }


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _columns(model: RiskModel) -> list[str]:
    return [*model.means, *(f"{f}_unknown" for f in model.missing_columns)]


def _row(model: RiskModel, values: dict[str, float | None]) -> list[float]:
    row = []
    for f, mean in model.means.items():
        v = values.get(f)
        row.append(0.0 if v is None else (v - mean) / model.spreads[f])
    row += [float(values.get(f) is None) for f in model.missing_columns]
    return row


def trainable(values: dict[str, float | None]) -> bool:
    return all(values.get(f) is not None for f in REQUIRED_KNOWN)


def _regression() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=REGULARISATION_C, solver=SOLVER, max_iter=1000)


def risk_model_fit(
    training: list[tuple[dict[str, float | None], bool]],
    *,
    year: int,
    seed: int = DEFAULT_SEED,
    only: tuple[str, ...] | None = None,
) -> RiskModel:
    """Fit the model on `training`: each outcome's feature values (as known the year before
    it) and whether it was found wanting. The same training and seed give the same model.
    `only` fits on those features alone (the back-test's single-input baselines), on the same
    outcomes."""
    used = [(v, w) for v, w in training if trainable(v)]
    wanting = sum(w for _, w in used)
    base: dict[str, Any] = {"year": year, "outcomes": len(used), "wanting": wanting, "seed": seed}
    if len(used) < MIN_OUTCOMES or min(wanting, len(used) - wanting) < MIN_OF_EACH:
        return RiskModel(**base, fitted=False, reason=(
            f"{len(used)} earlier inspection outcomes ({wanting} found wanting) were published "
            f"by the end of {year} with indicators known before them; the model needs "
            f"{MIN_OUTCOMES}, at least {MIN_OF_EACH} of each kind, so the stated points stand"
        ))  # fmt: skip
    means: dict[str, float] = {}
    spreads: dict[str, float] = {}
    missing: list[str] = []
    unknown_patterns: list[tuple[bool, ...]] = []
    dropped: dict[str, str] = {}
    for f in FEATURES:
        known = [value for v, _ in used if (value := v.get(f)) is not None]
        if only is not None and f not in only:
            dropped[f] = "not in this model"
            continue
        if len(set(known)) < 2:
            dropped[f] = (
                "no training outcome had it known"
                if not known
                else f"the same for every training outcome ({known[0]:g})"
            )
            continue
        means[f] = float(np.mean(known))
        spreads[f] = float(np.std(known)) or 1.0
        unknown = tuple(v.get(f) is None for v, _ in used)
        # A column for being unknown, unless another input is unknown for the same outcomes
        # (the previous inspection's grade and age): one weight says it once.
        if 0 < len(known) < len(used) and unknown not in unknown_patterns:
            missing.append(f)
            unknown_patterns.append(unknown)
    if not means:
        return RiskModel(**base, fitted=False, dropped=dropped, reason=(
            "no input varies among the training outcomes, so the stated points stand"
        ))  # fmt: skip
    shell = RiskModel(**base, fitted=True, means=means, spreads=spreads,
                      missing_columns=tuple(missing), dropped=dropped)  # fmt: skip
    x = np.array([_row(shell, v) for v, _ in used])
    y = np.array([int(w) for _, w in used])
    fitted = _regression().fit(x, y)
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(BOOTSTRAP_SAMPLES):
        pick = rng.integers(0, len(y), len(y))
        if 0 < y[pick].sum() < len(y):
            again = _regression().fit(x[pick], y[pick])
            samples.append(again.coef_[0])
    low, high = np.percentile(np.array(samples), INTERVAL, axis=0)
    labels = {**FEATURES, **{f"{f}_unknown": f"{FEATURES[f]}: unknown" for f in missing}}
    weights = tuple(
        RiskWeight(c, labels[c], float(fitted.coef_[0][i]), float(low[i]), float(high[i]))
        for i, c in enumerate(_columns(shell))
    )
    return RiskModel(
        **base, fitted=True, intercept=float(fitted.intercept_[0]), weights=weights,
        means=means, spreads=spreads, missing_columns=tuple(missing), dropped=dropped,
        reason=(
            f"fitted on {len(used)} inspection outcomes published by the end of {year}, "
            f"{wanting} found wanting"
        ),
    )  # fmt: skip


def risk_chance(model: RiskModel, values: dict[str, float | None]) -> float:
    """The fitted chance that the area is found wanting, 0 to 1."""
    pulls = (w.weight * x for w, x in zip(model.weights, _row(model, values), strict=True))
    return _sigmoid(model.intercept + sum(pulls))


def fitted_risk_score(model: RiskModel, inputs: RiskInputs) -> RiskScore:
    """The score is the fitted chance in percent. Its parts: the chance of an area at the
    training average ("base"), then each input's share of the difference, in proportion to
    its pull on the log-odds; they add up to the score. An unknown input says so and pulls by
    the weight of being unknown, never as a silent zero."""
    values = inputs.features
    row = _row(model, values)
    pulls: dict[str, float] = {}
    for w, x in zip(model.weights, row, strict=True):
        feature = w.column.removesuffix("_unknown")
        pulls[feature] = pulls.get(feature, 0.0) + w.weight * x
    total = sum(pulls.values())
    chance = _sigmoid(model.intercept + total)
    base = model.base_chance
    slope = 100 * (chance - base) / total if abs(total) > 1e-9 else 100 * base * (1 - base)
    by_column = {w.column: w for w in model.weights}
    parts = [
        RiskPart(
            "base",
            100 * base,
            f"an area at the average of the {model.outcomes} training outcomes "
            f"({model.wanting} found wanting)",
        )
    ]
    for feature in FEATURES:
        said = inputs.described.get(feature, "unknown")
        if feature in model.dropped:
            parts.append(RiskPart(feature, 0.0, f"{said}; not used: {model.dropped[feature]}"))
            continue
        w = by_column[feature]
        how = f"weight {w.weight:+.2f} per standard deviation (90%: {w.low:+.2f} to {w.high:+.2f})"
        if values.get(feature) is None:
            unknown = by_column.get(f"{feature}_unknown")
            how = (
                f"unknown: weight {unknown.weight:+.2f} for being unknown "
                f"(90%: {unknown.low:+.2f} to {unknown.high:+.2f})"
                if unknown is not None
                else "unknown: taken as the training average (being unknown is weighed once, "
                "with the input unknown for the same areas)"
            )
        parts.append(RiskPart(feature, pulls[feature] * slope, f"{said}; {how}"))
    return RiskScore(score=int(round(min(max(100 * chance, 0.0), 100.0))), parts=parts)
