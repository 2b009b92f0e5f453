"""What each area's risk is read from, as known at the end of a year, and the model fitted on
earlier inspection outcomes (risk.py holds the rule and the model; this package reads the
records). Nothing published after the year scored is read: the previous inspection by its
publication date, indicators by their year (child low income the year after, when DWP
publishes it), the APA and CPA by their year, incidents and reviews by their dates.

The records are read in `inputs`, the model is fitted and areas scored in `model`, and the
model is tested out of time in `backtest`.
"""

from .backtest import (
    BASELINES,
    DECILES,
    Backtest,
    BacktestResult,
    Calibration,
    risk_backtest,
)
from .inputs import (
    AGE_CAP_YEARS,
    DEPRIVATION,
    GRADE_WORDS,
    NEIGHBOURS_NEEDED,
    OVERALL_JUDGEMENTS,
    WORSENED_BY,
    IndicatorSignals,
    cpa_stars,
    risk_inputs,
)
from .model import MODEL_CACHE_SECONDS, RiskOutcome, area_risks, risk_model, risk_outcomes

__all__ = [
    "AGE_CAP_YEARS",
    "BASELINES",
    "DECILES",
    "DEPRIVATION",
    "GRADE_WORDS",
    "MODEL_CACHE_SECONDS",
    "NEIGHBOURS_NEEDED",
    "OVERALL_JUDGEMENTS",
    "WORSENED_BY",
    "Backtest",
    "BacktestResult",
    "Calibration",
    "IndicatorSignals",
    "RiskOutcome",
    "area_risks",
    "cpa_stars",
    "risk_backtest",
    "risk_inputs",
    "risk_model",
    "risk_outcomes",
]
