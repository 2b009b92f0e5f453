"""Whose views the review has gathered, against the groups in its scope (issue 19, part 6).

The groups in scope of every joint area review (2004 proposals, "Focus on outcomes"): children
in care, children with learning difficulties and/or disabilities; the review's local groups
(reviews.ReviewGroup); under-8s (the survey's youngest version, and the early years); the
hard-to-reach groups the team names on the survey (`Survey.hard_to_reach`); and parents and
carers (section 5: "as well as of their parents and carers").

Each source of views is a function `(review) -> list[CoverageCount]`, registered with
`@register`. The children's survey, the parents' and carers' proforma, the other views
gathered (GatheredViews) and the team's fieldwork meetings with children or with parents and
carers (evidence.FieldworkMeeting) are registered here; another kind of record adds its own
function the same way. A group no source has heard from is a gap,
flagged until the findings are agreed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ecm_inspect.evidence.models import FieldworkMeeting, MeetingKind
from ecm_inspect.reviews.models import STAGE_ORDER, LocalGroup, Review, Stage

from .models import GatheredViews, InCare, ParentResponse, Response

IN_CARE = "children_in_care"
LDD = "ldd"
UNDER_8 = "under_8"
PARENTS = "parents_carers"
HARD_TO_REACH = "hard_to_reach"
LOCAL = "local:"  # + a LocalGroup value


@dataclass(frozen=True)
class CoverageCount:
    """`heard` people of `group` gave their views through `source` (words, e.g. "Children's
    survey")."""

    group: str
    source: str
    heard: int


CoverageSource = Callable[[Review], list[CoverageCount]]
coverage_sources: list[CoverageSource] = []


def register(source: CoverageSource) -> CoverageSource:
    """Add a source of views to the coverage panel (once, however often it is imported)."""
    if source not in coverage_sources:
        coverage_sources.append(source)
    return source


@dataclass(frozen=True)
class CoverageGroup:
    key: str
    label: str  # as the panel says it: "children in care"


@dataclass
class GroupCoverage:
    group: CoverageGroup
    sources: list[tuple[str, int]] = field(default_factory=list)

    @property
    def heard(self) -> int:
        return sum(n for _, n in self.sources)

    @property
    def gap(self) -> str:
        return f"No views gathered from {self.group.label} yet." if not self.heard else ""


@dataclass
class Coverage:
    review: Review
    rows: list[GroupCoverage]
    flag_gaps: bool  # before the findings are agreed

    @property
    def gaps(self) -> list[str]:
        return [row.gap for row in self.rows if row.gap]


def _hard_to_reach_named(review: Review) -> list[str]:
    survey = getattr(review, "survey", None)
    text = survey.hard_to_reach if survey is not None else ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def coverage_groups(review: Review) -> list[CoverageGroup]:
    groups = [
        CoverageGroup(IN_CARE, "children in care"),
        CoverageGroup(LDD, "children with learning difficulties and/or disabilities"),
        CoverageGroup(UNDER_8, "children under 8"),
    ]
    for local in review.local_groups.all():
        label = local.reason if local.group == LocalGroup.OTHER else local.get_group_display()
        groups.append(CoverageGroup(LOCAL + local.group, label[0].lower() + label[1:]))
    named = _hard_to_reach_named(review)
    groups += [CoverageGroup(f"{HARD_TO_REACH}:{n.lower()}", n) for n in named] or [
        CoverageGroup(HARD_TO_REACH, "hard-to-reach groups")
    ]
    groups.append(CoverageGroup(PARENTS, "parents and carers"))
    return groups


def review_coverage(review: Review) -> Coverage:
    groups = coverage_groups(review)
    rows = {g.key: GroupCoverage(g) for g in groups}
    for source in coverage_sources:
        for count in source(review):
            row = rows.get(count.group)
            if row is not None and count.heard:
                row.sources.append((count.source, count.heard))
    stage = Stage(review.stage)
    before_findings = STAGE_ORDER.index(stage) < STAGE_ORDER.index(Stage.FINDINGS_AGREED)
    return Coverage(review, list(rows.values()), flag_gaps=before_findings)


# -- the sources of the voices app ----------------------------------------------------------


@register
def from_survey(review: Review) -> list[CoverageCount]:
    """Children who sent their answers (possible duplicates left out), by what they said about
    themselves."""
    sent = Response.objects.filter(
        survey__review=review, submitted_on__isnull=False, possible_duplicate=False
    )
    source = "Children's survey"
    return [
        CoverageCount(IN_CARE, source, sent.filter(in_care=InCare.YES).count()),
        CoverageCount(LDD, source, sent.filter(disability=InCare.YES).count()),
        CoverageCount(UNDER_8, source, sent.filter(age_band="under_8").count()),
    ]


@register
def from_parents(review: Review) -> list[CoverageCount]:
    answered = ParentResponse.objects.filter(proforma__survey__review=review)
    about = "Parents' and carers' proforma (about their child)"
    return [
        CoverageCount(PARENTS, "Parents' and carers' proforma", answered.count()),
        CoverageCount(IN_CARE, about, answered.filter(child_in_care=InCare.YES).count()),
        CoverageCount(LDD, about, answered.filter(child_disabled=InCare.YES).count()),
        CoverageCount(UNDER_8, about, answered.filter(child_age_band="under_8").count()),
    ]


# The words in a record of other views gathered (its free-text group and age group) that say
# which group was heard. Recorded by inspectors and services, so matched loosely.
GROUP_WORDS: dict[str, tuple[str, ...]] = {
    IN_CARE: (r"in care", r"looked[- ]after", r"care leavers?", r"foster"),
    LDD: (r"disab\w*", r"learning difficult\w*", r"special educational", r"SEND?", r"LDD"),
    LOCAL + LocalGroup.MINORITY_ETHNIC: (r"minority ethnic", r"BME", r"black", r"asian"),
    LOCAL + LocalGroup.CHRONIC_ILLNESS: (r"chronic", r"illness", r"long[- ]term condition"),
    LOCAL + LocalGroup.YOUNG_PARENTS: (r"young (?:parent|mother|father)s?", r"teenage parents?"),
    LOCAL + LocalGroup.IN_TRANSITION: (r"transition\w*",),
    LOCAL + LocalGroup.YOUNG_OFFENDERS: (r"offend\w*", r"youth offending", r"YOT"),
    HARD_TO_REACH: (
        r"hard[- ]to[- ]reach",
        r"travell?ers?",
        r"gypsy",
        r"roma",
        r"asylum",
        r"refugees?",
        r"homeless",
        r"young carers?",
        r"excluded",
        r"NEET",
    ),
}
UNDER_8_WORDS = re.compile(
    r"\b(?:under[- ]?[5-8]s?|early years|nursery|infants?|reception)\b", re.I
)


def _mentions(key: str, text: str) -> bool:
    words = GROUP_WORDS.get(key, ())
    return any(re.search(rf"\b{w}\b", text, re.IGNORECASE) for w in words)


def _under_8(age_group: str) -> bool:
    ages = [int(n) for n in re.findall(r"\d+", age_group)]
    return bool(UNDER_8_WORDS.search(age_group)) or bool(ages and min(ages) < 8)


@register
def from_gathered_views(review: Review) -> list[CoverageCount]:
    """Other views gathered, by the group and age group they were recorded with."""
    groups = coverage_groups(review)
    counts: list[CoverageCount] = []
    for views in GatheredViews.objects.filter(review=review):
        source = views.get_kind_display()
        text = f"{views.group} {views.title}"
        for g in groups:
            if g.key.startswith(HARD_TO_REACH + ":"):
                hit = g.key.split(":", 1)[1] in text.lower()
            elif g.key == UNDER_8:
                hit = _under_8(views.age_group)
            else:
                hit = _mentions(g.key, text)
            if hit:
                counts.append(CoverageCount(g.key, source, views.children))
    return counts


@register
def from_fieldwork_meetings(review: Review) -> list[CoverageCount]:
    """Meetings and focus groups the team held with children and young people or with parents
    and carers (evidence.FieldworkMeeting), by the groups recorded as spoken for."""
    groups = coverage_groups(review)
    counts: list[CoverageCount] = []
    meetings = FieldworkMeeting.objects.filter(
        review=review, kind__in=[MeetingKind.CHILDREN, MeetingKind.PARENTS]
    ).prefetch_related("vulnerable_groups")
    for meeting in meetings:
        parents = meeting.kind == MeetingKind.PARENTS
        source = "Fieldwork meeting with " + (
            "parents and carers (about their children)" if parents else "children and young people"
        )
        if parents:
            counts.append(CoverageCount(PARENTS, "Fieldwork meeting with parents and carers",
                                        meeting.attendees))  # fmt: skip
        slugs = {g.slug for g in meeting.vulnerable_groups.all()}
        for g in groups:
            if g.key in {IN_CARE, LDD}:
                hit = g.key in slugs
            elif g.key == UNDER_8:
                hit = meeting.under_eights
            elif g.key.startswith(HARD_TO_REACH + ":"):
                hit = g.key.split(":", 1)[1] in meeting.hard_to_reach.lower()
            elif g.key == HARD_TO_REACH:
                hit = bool(meeting.hard_to_reach)
            else:
                hit = _mentions(g.key, meeting.hard_to_reach)
            if hit:
                counts.append(CoverageCount(g.key, source, meeting.attendees))
    return counts
