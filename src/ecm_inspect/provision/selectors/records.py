"""What the pooled evidence of an area holds (per key judgement, vulnerable group and outcome),
and the rules it is pooled by: how recent a finding must be, how far apart findings conflict."""

import datetime
from dataclasses import dataclass, field

from ecm_inspect.framework.grades import Grade

# Evidence older than this is stale: every area has a joint area review "within three years"
# (2004 proposals, "Joint area reviews"), so a finding from before the last cycle says little
# about the area now. The burden ledger looks back as far (principle (5)).
RECENT_YEARS = 3
# Two findings on the same provider and key judgement conflict when they are this many grades
# apart or more (e.g. good and inadequate), both recent.
CONFLICT_GAP = 2

GRADES_BEST_FIRST = sorted(Grade, key=int, reverse=True)
GRADES = {int(g): g for g in Grade}  # a grade from a stored number, without the enum's lookup


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Finding:
    """A provider's latest graded finding on a key judgement."""

    provider_id: int
    provider_name: str
    kind: str
    grade: Grade
    inspected_on: datetime.date
    date_is_estimate: bool
    inspectorate: str
    inspection_id: int
    is_stale: bool
    kind_code: str = field(default="", compare=False)


@dataclass(frozen=True)
class Conflict:
    """Recent findings on the same provider and key judgement that are far apart."""

    provider_id: int
    provider_name: str
    lowest: Grade
    highest: Grade


@dataclass(frozen=True)
class Gap:
    """A kind of provider in the area, relevant to the key judgement, with none of its
    providers judged on it recently."""

    kind: str
    providers: int
    kind_code: str = field(default="", compare=False)


@dataclass
class KeyJudgementPool:
    code: str
    text: str
    outcome_code: str
    vulnerable_group: str
    providers_judged: int = 0
    distribution: dict[Grade, int] = field(default_factory=lambda: dict.fromkeys(Grade, 0))
    not_judged: int = 0
    newest: datetime.date | None = None
    oldest: datetime.date | None = None
    stale: int = 0
    children_covered: int = 0
    children_in_relevant_providers: int | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Of the inspections behind `findings` (one area's page only): how many gave one grade to
    # every key judgement they judged, across several (an overall grade spread by the relevance
    # matrix, as the Ofsted imports do), so the same grade stands on other key judgements too.
    spread: int = 0

    @property
    def distribution_best_first(self) -> list[tuple[Grade, int]]:
        return [(g, self.distribution[g]) for g in GRADES_BEST_FIRST]

    @property
    def inspections(self) -> int:
        """The distinct inspections behind the findings: one per provider, since each
        provider's latest finding is pooled."""
        return self.providers_judged

    @property
    def children_share(self) -> float | None:
        """Share of the children at providers this judgement is relevant to who are at one
        judged on it (where the number of children is known)."""
        total = self.children_in_relevant_providers
        return self.children_covered / total if total else None

    @property
    def has_evidence(self) -> bool:
        return self.providers_judged > 0


@dataclass
class GroupPool:
    """Pooled findings of the key judgements about one vulnerable group."""

    code: str
    title: str
    key_judgements: list[str]
    providers_judged: int = 0
    distribution: dict[Grade, int] = field(default_factory=lambda: dict.fromkeys(Grade, 0))
    conflicts: int = 0
    gaps: int = 0

    @property
    def distribution_best_first(self) -> list[tuple[Grade, int]]:
        return [(g, self.distribution[g]) for g in GRADES_BEST_FIRST]

    @property
    def findings(self) -> int:
        return sum(self.distribution.values())


@dataclass
class OutcomePool:
    """The findings on an outcome's key judgements. `distribution` counts a finding per key
    judgement, so one inspection graded on seven of them counts seven times; for sufficiency
    use `by_inspection`: each inspection of a provider once, at its mean grade over the
    outcome's key judgements (rounded half up)."""

    code: str
    title: str
    distribution: dict[Grade, int] = field(default_factory=lambda: dict.fromkeys(Grade, 0))
    by_inspection: dict[Grade, int] = field(default_factory=lambda: dict.fromkeys(Grade, 0))

    @property
    def distribution_best_first(self) -> list[tuple[Grade, int]]:
        return [(g, self.distribution[g]) for g in GRADES_BEST_FIRST]

    @property
    def findings(self) -> int:
        return sum(self.distribution.values())

    @property
    def inspections(self) -> int:
        """The distinct inspections (of a provider) behind the findings."""
        return sum(self.by_inspection.values())


@dataclass
class AreaPool:
    area_id: int
    as_of: datetime.date
    recent_since: datetime.date
    key_judgements: list[KeyJudgementPool]
    groups: list[GroupPool]
    outcomes: list[OutcomePool]

    @property
    def providers_judged(self) -> int:
        return max((kj.providers_judged for kj in self.key_judgements), default=0)

    @property
    def has_evidence(self) -> bool:
        return any(kj.has_evidence for kj in self.key_judgements)
