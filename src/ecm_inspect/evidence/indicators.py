"""An area's indicators beside England and its statistical neighbours, for the evidence pulled
in at analysis: the DfE's statistical neighbours (the registry) give a fairer comparison than
England alone for an area whose circumstances differ from the average."""

from collections import defaultdict
from statistics import median

from ecm_inspect.performance.models import IndicatorValue
from ecm_inspect.performance.proposals import (
    MIN_INDICATORS,
    MIN_NEIGHBOURS,
    IndicatorReading,
    indicator_signal,
)
from ecm_inspect.registry.models import Area

from .models import Indication

# An outcome's indicators point one way when that side outnumbers the other and holds at least
# this share of the indicators compared: one worse indicator of eight, the rest in line, is an
# area in line with England and its neighbours, not a weakness.
POINTING_SHARE = 1 / 3


def neighbours_median(*, area: Area, year: int) -> dict[int, float]:
    """The median value of each indicator over the area's statistical neighbours that year,
    where at least MIN_NEIGHBOURS have data (keyed by indicator definition id)."""
    neighbours = list(area.neighbour_links.values_list("neighbour_id", flat=True))
    values: dict[int, list[float]] = defaultdict(list)
    for indicator_id, value in IndicatorValue.objects.filter(
        area_id__in=neighbours, year=year
    ).values_list("indicator_id", "value"):
        values[indicator_id].append(value)
    return {i: median(v) for i, v in values.items() if len(v) >= MIN_NEIGHBOURS}


def indicator_position(
    *, value: float, england: float, neighbours: float | None, polarity: str
) -> str:
    """ "better" (better than England or the statistical neighbours' median, and worse than
    neither), "worse" (worse than both; than England where the neighbours are unknown) or "in
    line", each within the APA rule's tolerance (performance/proposals.py)."""
    signal = indicator_signal(IndicatorReading("", "", polarity, value, england, neighbours, None))
    signs = [s for s in (signal.england, signal.neighbours) if s is not None]
    if any(s > 0 for s in signs) and not any(s < 0 for s in signs):
        return "better"
    if signs and all(s < 0 for s in signs):
        return "worse"
    return "in line"


def indicators_indication(*, better: int, worse: int, compared: int) -> str:
    """A strength or a weakness when that side outnumbers the other and holds at least
    POINTING_SHARE of the indicators compared, and at least MIN_INDICATORS (2) were compared
    (as the APA rule asks); else neither."""
    if compared < MIN_INDICATORS:
        return Indication.NEUTRAL
    if better > worse and better >= POINTING_SHARE * compared:
        return Indication.STRENGTH
    if worse > better and worse >= POINTING_SHARE * compared:
        return Indication.WEAKNESS
    return Indication.NEUTRAL
