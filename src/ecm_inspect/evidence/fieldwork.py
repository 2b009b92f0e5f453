"""Fieldwork that reaches the judgements (2004 proposals, section 5: "priority to exploring
children and young people's experience of services through tracking individuals and through
neighbourhood studies", case files, meetings and focus groups).

Every fieldwork finding (a case-file reading, a finding on a tracked child's services, a
neighbourhood study's or a meeting's) is recorded here with the key judgements it bears on, a
direction and, for a weakness, a severity. Its text is screened for personal data and stays in
the team's confidential area. Each finding has one evidence item (origin "fieldwork") that
carries its tags and direction but none of its text: its title cites the finding by reference
("Case-file reading F12: a serious weakness on SS.4"). The analysis and the proposed judgements
read those items; `fieldwork_weighing` is how they move a proposal.
"""

import csv
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.accounts.concurrency import record_update
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement, VulnerableGroup, VulnerableGroupCode
from ecm_inspect.reviews.models import Review

from .models import (
    CaseCategory,
    CaseFile,
    CaseFileNote,
    EvidenceItem,
    EvidenceKind,
    FieldworkFinding,
    FieldworkMeeting,
    FindingSource,
    Indication,
    JourneyStep,
    MeetingKind,
    NeighbourhoodStudy,
    Origin,
    PlaceKind,
    ServiceAspect,
    Severity,
    StepKind,
    TrackedChild,
)
from .screening import screen
from .services import LSOA_FILE, EvidenceRefused, PersonalDataFound, neighbourhoods_of

# What follows a finding being recorded or withdrawn, registered by the apps above this one
# (the judgements' proposals keep up with the evidence): each is called with the review, in
# the same transaction.
FindingsChanged = Callable[[Review], None]
on_findings_changed: list[FindingsChanged] = []


def when_findings_change(effect: FindingsChanged) -> FindingsChanged:
    on_findings_changed.append(effect)
    return effect


def _findings_changed(review: Review) -> None:
    for effect in on_findings_changed:
        effect(review)


MEETING_EVIDENCE = {
    MeetingKind.CHILDREN: EvidenceKind.MEETING_CHILDREN,
    MeetingKind.PARENTS: EvidenceKind.MEETING_PARENTS,
    MeetingKind.STAFF: EvidenceKind.FOCUS_GROUP_STAFF,
    MeetingKind.PARTNERS: EvidenceKind.MEETING_PARTNERS,
    MeetingKind.MEMBERS: EvidenceKind.MEETING_MEMBERS_OFFICERS,
}
SOURCE_EVIDENCE = {
    FindingSource.CASE_FILE: EvidenceKind.CASE_FILE_READING,
    FindingSource.TRACKED_CHILD: EvidenceKind.TRACKED_CHILD,
    FindingSource.NEIGHBOURHOOD: EvidenceKind.NEIGHBOURHOOD_STUDY,
}
# The groups a child's case-file categories put the reading about.
CATEGORY_GROUPS = {
    CaseCategory.LOOKED_AFTER: VulnerableGroupCode.CHILDREN_IN_CARE,
    CaseCategory.LDD: VulnerableGroupCode.LDD,
}


def _screened(text: str, confirmed: bool) -> bool:
    """Refuse text that may name someone unless the author confirmed it names no one; return
    whether anything was flagged (and so confirmed)."""
    findings = screen(text)
    if findings and not confirmed:
        raise PersonalDataFound(findings)
    return bool(findings)


def _judgements(review: Review, codes: Iterable[str]) -> list[KeyJudgement]:
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    if not wanted:
        raise EvidenceRefused("Say which key judgements the finding bears on, e.g. SS.4.")
    found = list(KeyJudgement.objects.filter(code__in=wanted, version__code=review.framework_code))
    unknown = sorted(set(wanted) - {k.code for k in found})
    if unknown:
        raise EvidenceRefused(f"No such key judgement: {', '.join(unknown)}.")
    return found


def finding_title(finding: FieldworkFinding, codes: list[str]) -> str:
    """The evidence item's title: the finding's reference, direction, severity, what it bears
    on, and the aspect and service it is about; never its text."""
    direction = {
        Indication.STRENGTH: "a strength",
        Indication.WEAKNESS: "a weakness",
        Indication.NEUTRAL: "neither strength nor weakness",
    }[Indication(finding.indication)]
    if finding.severity:
        direction = f"a {finding.get_severity_display().split(':')[0].lower()} weakness"
    about = ", ".join(
        part
        for part in (
            finding.get_aspect_display().lower() if finding.aspect else "",
            finding.service,
        )
        if part
    )
    return f"{finding.reference}: {direction} on {', '.join(codes)}" + (
        f" ({about})" if about else ""
    )


def _evidence_kind(finding: FieldworkFinding) -> str:
    if finding.meeting is not None:
        return MEETING_EVIDENCE[MeetingKind(finding.meeting.kind)]
    return SOURCE_EVIDENCE[FindingSource(finding.source)]


def _groups(finding: FieldworkFinding) -> list[VulnerableGroup]:
    slugs: set[str] = set()
    if finding.case_file is not None:
        slugs |= {CATEGORY_GROUPS[c] for c in finding.case_file.categories if c in CATEGORY_GROUPS}
    if finding.tracked_child is not None and finding.tracked_child.case_file is not None:
        categories = finding.tracked_child.case_file.categories
        slugs |= {CATEGORY_GROUPS[c] for c in categories if c in CATEGORY_GROUPS}
    if finding.meeting is not None:
        slugs |= set(finding.meeting.vulnerable_groups.values_list("slug", flat=True))
    return list(VulnerableGroup.objects.filter(slug__in=sorted(slugs)))


def _evidence_write(finding: FieldworkFinding, judgements: list[KeyJudgement]) -> EvidenceItem:
    codes = [k.code for k in sorted(judgements, key=lambda k: (k.outcome.order, k.order))]
    fields: dict[str, Any] = {
        "kind": _evidence_kind(finding),
        "title": finding_title(finding, codes),
        "source": "The review team's fieldwork",
        "dated": finding.found_on,
        "author": finding.recorded_by,
        "grade": None,
        "indication": finding.indication,
        "summary": "What was found is kept in the team's confidential area.",
        "is_synthetic": finding.is_synthetic,
    }
    item = finding.evidence
    if item is None:
        item = EvidenceItem(
            review=finding.review, origin=Origin.FIELDWORK, origin_key=f"finding:{finding.pk}"
        )
    elif any(getattr(item, k) != v for k, v in fields.items()):
        item.version += 1
    for k, v in fields.items():
        setattr(item, k, v)
    if finding.recorded_by is not None:
        item._history_user = finding.recorded_by  # type: ignore[attr-defined]
    item.save()
    item.key_judgements.set(judgements)
    item.vulnerable_groups.set(_groups(finding))
    return item


@transaction.atomic
def finding_record(
    *,
    review: Review,
    found: str,
    key_judgement_codes: Iterable[str],
    indication: str,
    found_on: datetime.date,
    severity: str = "",
    case_file: CaseFile | None = None,
    tracked_child: TrackedChild | None = None,
    neighbourhood: NeighbourhoodStudy | None = None,
    meeting: FieldworkMeeting | None = None,
    service: str = "",
    aspect: str = "",
    confirm_no_personal_data: bool = False,
    is_synthetic: bool = False,
    by: Any = None,
) -> FieldworkFinding:
    """Record what fieldwork found and give it its evidence item. Exactly one of case_file,
    tracked_child, neighbourhood and meeting says where it was found; each must belong to the
    review. A severity is given for a weakness and only for one."""
    targets = {
        FindingSource.CASE_FILE: case_file,
        FindingSource.TRACKED_CHILD: tracked_child,
        FindingSource.NEIGHBOURHOOD: neighbourhood,
        FindingSource.MEETING: meeting,
    }
    given = [(source, target) for source, target in targets.items() if target is not None]
    if len(given) != 1:
        raise EvidenceRefused(
            "A finding comes from one case file, tracked child, neighbourhood or meeting."
        )
    source, target = given[0]
    if target.review_id != review.pk:
        raise EvidenceRefused(f"That {source.label.lower()} belongs to another review.")
    if not found.strip():
        raise EvidenceRefused("Say what was found.")
    if indication not in Indication.values:
        raise EvidenceRefused(f"No direction {indication!r}: a strength, a weakness or neither.")
    if indication == Indication.WEAKNESS and severity not in Severity.values:
        raise EvidenceRefused("Say how serious the weakness is: minor, significant or serious.")
    if indication != Indication.WEAKNESS and severity:
        raise EvidenceRefused("Only a weakness has a severity.")
    if aspect and aspect not in ServiceAspect.values:
        raise EvidenceRefused(f"No aspect of a service {aspect!r}.")
    if found_on > timezone.localdate():
        raise EvidenceRefused("A finding cannot be dated in the future.")
    judgements = _judgements(review, key_judgement_codes)
    flagged = _screened(f"{service}\n{found}", confirm_no_personal_data)
    finding = FieldworkFinding.objects.create(
        review=review,
        source=source,
        case_file=case_file,
        tracked_child=tracked_child,
        neighbourhood=neighbourhood,
        meeting=meeting,
        service=service.strip(),
        aspect=aspect,
        found=found.strip(),
        indication=indication,
        severity=severity if indication == Indication.WEAKNESS else "",
        found_on=found_on,
        recorded_by=by,
        screening_confirmed=flagged,
        is_synthetic=is_synthetic,
    )
    finding.key_judgements.set(judgements)
    finding.evidence = _evidence_write(finding, judgements)
    finding.save(update_fields=["evidence"])
    _findings_changed(review)
    return finding


@transaction.atomic
def finding_withdraw(*, finding: FieldworkFinding, confirmed: bool = False) -> None:
    """Withdraw a finding recorded in error: it and its evidence item go, and any judgement
    resting on the item loses it (its sign-off no longer stands). Asks for confirmation."""
    if not confirmed:
        raise EvidenceRefused(
            f"Withdrawing {finding.reference} removes it and its evidence item from every "
            "judgement resting on it. Confirm that you mean to."
        )
    item, review = finding.evidence, finding.review
    finding.delete()
    if item is not None:
        item.delete()
    _findings_changed(review)


# -- tracked children ---------------------------------------------------------------------


def journey_step_add(
    *,
    child: TrackedChild,
    on: datetime.date,
    kind: str,
    service: str,
    what_happened: str,
    confirm_no_personal_data: bool = False,
) -> JourneyStep:
    """A dated step of the child's journey (referral, assessment, plan, placement...)."""
    if kind not in StepKind.values:
        raise EvidenceRefused(f"No kind of step {kind!r}.")
    if not service.strip():
        raise EvidenceRefused("Say which service.")
    if not what_happened.strip():
        raise EvidenceRefused("Say what happened.")
    if on > timezone.localdate():
        raise EvidenceRefused("A step of the journey cannot be in the future.")
    _screened(what_happened, confirm_no_personal_data)
    return JourneyStep.objects.create(
        child=child, on=on, kind=kind, service=service.strip(), what_happened=what_happened.strip()
    )


@dataclass(frozen=True)
class JourneyGap:
    """Time between two steps of a journey, for the timeline: long waits stand out."""

    after: str
    before: str
    days: int


def journey_waits(child: TrackedChild) -> list[JourneyGap]:
    steps = list(child.journey.all())
    return [
        JourneyGap(a.get_kind_display(), b.get_kind_display(), (b.on - a.on).days)
        for a, b in zip(steps, steps[1:], strict=False)
    ]


# -- neighbourhood studies ----------------------------------------------------------------


@dataclass(frozen=True)
class PlaceDeprivation:
    lsoas: int
    most_deprived_decile: int
    mean_decile: float
    children: int
    unknown: list[str]


def place_deprivation(codes: list[str]) -> PlaceDeprivation:
    """The deprivation of a place made of LSOAs (2019 Indices of Deprivation): how many, the
    most deprived decile among them, the child-weighted mean decile, the children 0-15."""
    wanted = set(codes)
    rows = {}
    with LSOA_FILE.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["lsoa11cd"] in wanted:
                rows[r["lsoa11cd"]] = r
    deciles = [(int(r["imd_decile"]), int(r["children_0_15_mid2015"] or 0)) for r in rows.values()]
    children = sum(n for _, n in deciles)
    mean = (
        sum(d * n for d, n in deciles) / children
        if children
        else (sum(d for d, _ in deciles) / len(deciles) if deciles else 0.0)
    )
    return PlaceDeprivation(
        len(rows),
        min((d for d, _ in deciles), default=0),
        round(mean, 1),
        children,
        sorted(wanted - set(rows)),
    )


@transaction.atomic
def neighbourhood_describe(
    *,
    study: NeighbourhoodStudy,
    seen_version: int,
    name: str,
    place_kind: str,
    lsoa_codes: Iterable[str],
    context: str,
    provision: str,
    visits: str,
    discussions: str,
    confirm_no_personal_data: bool = False,
    by: Any = None,
) -> NeighbourhoodStudy:
    """Describe the place studied and what the team found there (edits never overwrite another
    inspector's: an EditConflict if someone saved since `seen_version`)."""
    if place_kind not in PlaceKind.values:
        raise EvidenceRefused(f"No kind of place {place_kind!r}.")
    if not name.strip():
        raise EvidenceRefused("Give the place a name (the estate, ward or district).")
    codes = [c.strip().upper() for c in lsoa_codes if c.strip()]
    mine = {r["lsoa11cd"] for r in neighbourhoods_of(study.review.area)}
    foreign = [c for c in codes if c not in mine]
    if foreign:
        raise EvidenceRefused(
            f"Not neighbourhoods of {study.review.area.name}: {', '.join(foreign)}."
        )
    _screened("\n".join((context, provision, visits, discussions)), confirm_no_personal_data)
    codes = [study.lsoa_code, *[c for c in dict.fromkeys(codes) if c != study.lsoa_code]]
    depth = place_deprivation(codes)
    return record_update(
        record=study,
        seen_version=seen_version,
        changes={
            "name": name.strip()[:100],
            "place_kind": place_kind,
            "lsoa_codes": codes,
            "imd_decile": depth.most_deprived_decile or study.imd_decile,
            "context": context.strip(),
            "provision": provision.strip(),
            "visits": visits.strip(),
            "discussions": discussions.strip(),
        },
        by=by,
    )


# -- meetings and focus groups ------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    review: Review,
    kind: str,
    title: str,
    held_on: datetime.date,
    attendees: int,
    group_slugs: Iterable[str] = (),
    under_eights: bool = False,
    hard_to_reach: str = "",
    notes: str = "",
    confirm_no_personal_data: bool = False,
    is_synthetic: bool = False,
    by: Any = None,
) -> FieldworkMeeting:
    """A meeting or focus group held in fieldwork: who (described), how many, for which
    groups, and notes screened for personal data."""
    if kind not in MeetingKind.values:
        raise EvidenceRefused(f"No kind of meeting {kind!r}.")
    if not title.strip():
        raise EvidenceRefused("Say who the meeting was with, e.g. foster carers' group.")
    if attendees < 1:
        raise EvidenceRefused("A meeting has at least one person at it.")
    if held_on > timezone.localdate():
        raise EvidenceRefused("Record a meeting once it has been held.")
    flagged = _screened(f"{title}\n{hard_to_reach}\n{notes}", confirm_no_personal_data)
    meeting = FieldworkMeeting.objects.create(
        review=review,
        kind=kind,
        title=title.strip()[:200],
        held_on=held_on,
        attendees=attendees,
        under_eights=under_eights,
        hard_to_reach=hard_to_reach.strip()[:200],
        notes=notes.strip(),
        screening_confirmed=flagged,
        recorded_by=by,
        is_synthetic=is_synthetic,
    )
    meeting.vulnerable_groups.set(VulnerableGroup.objects.filter(slug__in=list(group_slugs)))
    return meeting


# -- how fieldwork moves a proposal -------------------------------------------------------


def is_fieldwork_finding(item: EvidenceItem) -> bool:
    return item.origin == Origin.FIELDWORK


@dataclass(frozen=True)
class Weighing:
    """How the fieldwork findings on a key judgement move the grade the other evidence
    proposes, with the findings cited by reference."""

    grade: int | None
    reasons: list[str]


def _severity_of(item: EvidenceItem) -> str:
    finding = getattr(item, "fieldwork_finding", None)
    return finding.severity if finding is not None else ""


def fieldwork_weighing(before: int | None, findings: list[EvidenceItem]) -> Weighing:
    """The fieldwork rule (pure, given the items and their findings):
    - the balance is the strengths less the weaknesses, a serious weakness counting twice;
    - a balance of -2 or less moves the grade one lower; +2 or more, one higher (at most
      outstanding); between, the findings confirm the grade;
    - a serious weakness leaves the grade at adequate at best;
    - with no grade from other evidence, the findings alone propose: good if strengths
      outweigh weaknesses, adequate if weaknesses do (inadequate with a serious weakness).
    Every finding is cited by its reference."""
    if not findings:
        return Weighing(before, [])
    strengths = [i for i in findings if i.indication == Indication.STRENGTH]
    weaknesses = [i for i in findings if i.indication == Indication.WEAKNESS]
    serious = [i for i in weaknesses if _severity_of(i) == Severity.SERIOUS]
    balance = len(strengths) - len(weaknesses) - len(serious)
    cited = "; ".join(i.title for i in findings)
    counted = (
        f"Fieldwork: {len(strengths)} strength{'s' if len(strengths) != 1 else ''}, "
        f"{len(weaknesses)} weakness{'es' if len(weaknesses) != 1 else ''}"
        + (f" ({len(serious)} serious)" if serious else "")
        + f" — {cited}."
    )
    if before is None:
        if balance > 0:
            grade: int | None = 3
        elif balance < 0:
            grade = 1 if serious else 2
        else:
            grade = None
        how = (
            f"With no graded evidence, the findings alone propose {_words(grade)}."
            if grade
            else "With no graded evidence and the findings balanced, no grade is proposed."
        )
        return Weighing(grade, [counted, how])
    grade = before
    if balance <= -2:
        grade = max(1, before - 1)
    elif balance >= 2:
        grade = min(4, before + 1)
    if serious and grade > 2:
        grade = 2
    if grade == before:
        how = f"The findings confirm {_words(before)}."
    else:
        why = "a serious weakness leaves it at adequate at best" if serious else (
            "weaknesses outweigh strengths by two or more"
            if grade < before
            else "strengths outweigh weaknesses by two or more"
        )  # fmt: skip
        how = f"Moved from {_words(before)} to {_words(grade)}: {why}."
    return Weighing(grade, [counted, how])


def _words(grade: int | None) -> str:
    return str(Grade(grade).label).lower() if grade else "no grade"


# -- what must never leave the confidential area ------------------------------------------


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


# -- the team's view of all its findings --------------------------------------------------


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
    from ecm_inspect.framework.models import Outcome

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
            (t.strengths, "#00703c", "strengths"),
            (t.neither, "#b1b4b6", "neither"),
            (t.weaknesses, "#d4351c", "weaknesses"),
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
