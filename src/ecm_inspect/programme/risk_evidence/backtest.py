"""The back-test of the risk model: fitted on what was published by the end of a year, tested
on the inspections after it, against single-input baselines."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from ..risk import DEFAULT_SEED, RiskModel, risk_chance
from .model import risk_model, risk_outcomes

BASELINES = {
    "model": ("The fitted model", None),
    "deprivation": ("Deprivation alone", ("deprivation",)),
    "previous": ("The previous inspection alone", ("previous", "previous_age")),
}
DECILES = 10


@dataclass(frozen=True)
class Calibration:
    """One tenth of the outcomes tested, by predicted chance: how many, the mean chance
    predicted, and the share found wanting."""

    outcomes: int
    predicted: float
    found_wanting: float


@dataclass(frozen=True)
class BacktestResult:
    name: str
    label: str
    model: RiskModel
    auc: float | None  # None: not fitted, or the tested were all of one kind
    brier: float | None  # None: not fitted
    calibration: tuple[Calibration, ...]


@dataclass(frozen=True)
class Backtest:
    """Models fitted on the outcomes published by the end of `train_until`, tested on the
    inspections that took place after it: none of them was fitted on."""

    train_until: int
    seed: int
    tested: int
    wanting: int
    first_year: int | None
    last_year: int | None
    results: tuple[BacktestResult, ...]

    def as_data(self) -> dict[str, Any]:
        return {
            "train_until": self.train_until,
            "seed": self.seed,
            "tested": self.tested,
            "wanting": self.wanting,
            "years": [self.first_year, self.last_year],
            "results": {
                r.name: {
                    "label": r.label,
                    "auc": None if r.auc is None else round(r.auc, 3),
                    "brier": None if r.brier is None else round(r.brier, 3),
                    "trained_on": r.model.outcomes,
                    "fitted": r.model.fitted,
                    "calibration": [
                        {
                            "outcomes": c.outcomes,
                            "predicted": round(c.predicted, 3),
                            "found_wanting": round(c.found_wanting, 3),
                        }
                        for c in r.calibration
                    ],  # fmt: skip
                    "model": r.model.as_data(),
                }
                for r in self.results
            },
        }


def _calibration(chances: list[float], wanting: list[bool]) -> tuple[Calibration, ...]:
    pairs = sorted(zip(chances, wanting, strict=True), key=lambda p: p[0])
    out = []
    for k in range(DECILES):
        part = pairs[k * len(pairs) // DECILES : (k + 1) * len(pairs) // DECILES]
        if part:
            out.append(
                Calibration(
                    outcomes=len(part),
                    predicted=statistics.fmean(c for c, _ in part),
                    found_wanting=sum(w for _, w in part) / len(part),
                )
            )
    return tuple(out)


def risk_backtest(*, train_until: int, seed: int = DEFAULT_SEED, progress: Any = None) -> Backtest:
    """Fit the model, and the single-input baselines, on what was published by the end of
    `train_until`; score each later inspection on what was known the year before it; report
    AUC (found wanting: requires improvement or inadequate), Brier score and calibration."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    tested = risk_outcomes(after_year=train_until)
    wanting = [o.wanting for o in tested]
    results = []
    for step, (name, (label, only)) in enumerate(BASELINES.items()):
        model = risk_model(year=train_until, seed=seed, only=only)
        if not model.fitted or not tested:
            results.append(BacktestResult(name, label, model, None, None, ()))
        else:
            chances = [risk_chance(model, o.inputs.features) for o in tested]
            auc = (
                float(roc_auc_score(wanting, chances)) if 0 < sum(wanting) < len(wanting) else None
            )
            brier = float(brier_score_loss(wanting, chances))
            results.append(
                BacktestResult(name, label, model, auc, brier, _calibration(chances, wanting))
            )
        if progress is not None:
            progress(step + 1, len(BASELINES))
    years = [o.inspection.year for o in tested]
    return Backtest(
        train_until=train_until, seed=seed, tested=len(tested), wanting=sum(wanting),
        first_year=min(years) if years else None, last_year=max(years) if years else None,
        results=tuple(results),
    )  # fmt: skip
