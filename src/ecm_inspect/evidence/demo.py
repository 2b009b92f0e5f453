"""The demo's evidence: existing evidence pulled into both demo reviews, and for Gateshead's
(complete) review made-up fieldwork evidence, a synthetic pseudonymised case-file list with a
sample and notes, a neighbourhood study and a tracked child; for Sunderland's (in fieldwork)
made-up fieldwork findings: case-file readings, two tracked children with their journeys, two
neighbourhood studies and four meetings, chosen so that they move some proposals (SS.4 and BH.6
down to adequate). Then the analysis. All marked as demo. Idempotent."""

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.reviews.models import Milestone, MilestoneKind, Review, Stage

from .analysis import analysis_run
from .case_files import (
    case_files_import,
    case_note_write,
    case_sample_draw,
    child_track,
    journey_add,
)
from .fieldwork import finding_record, journey_step_add, meeting_record, neighbourhood_describe
from .models import (
    CaseCategory,
    CaseFile,
    EvidenceItem,
    EvidenceKind,
    FieldworkFinding,
    Indication,
    TrackedChild,
)
from .neighbourhoods import neighbourhood_study_add, neighbourhoods_of, neighbourhoods_suggest
from .pulling import evidence_pull
from .services import evidence_record

MADE_UP = "Demo: made up for the demonstration."
FIELDWORK = (
    (EvidenceKind.MEETING_MEMBERS_OFFICERS, "Meeting with the lead member and senior officers",
     ["SS.4", "EA.1"], 3, Indication.STRENGTH),
    (EvidenceKind.FOCUS_GROUP_STAFF, "Focus group of social workers on thresholds",
     ["SS.3", "SS.4"], 2, Indication.WEAKNESS),
    (EvidenceKind.MEETING_SERVICE_USERS, "Meeting with parents and young people's representatives",
     ["PC.1", "BH.1"], None, Indication.STRENGTH),
    (EvidenceKind.SETTING_VISIT, "Visit to a children's home", ["SS.7"], 3, Indication.STRENGTH),
    (EvidenceKind.FIRST_HAND_IMPACT, "First-hand evidence: transition plans for disabled youth",
     ["SS.8", "EW.6"], 2, Indication.WEAKNESS),
)  # fmt: skip
SERVICES = ["children's social care", "health visiting", "school", "CAMHS", "youth offending team"]


def _case_list(seed: int, prefix: str = "GH") -> str:
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    lines = ["reference,age,categories,services"]
    for n in range(80):
        categories = rng.sample(list(CaseCategory.values), k=rng.choice([1, 1, 2]))
        services = rng.sample(SERVICES, k=rng.choice([1, 2, 3]))
        lines.append(
            f"{prefix}{n:04d},{rng.randint(0, 17)},{';'.join(categories)},{';'.join(services)}"
        )
    return "\n".join(lines) + "\n"


def demo_evidence_ensure() -> None:
    for review in Review.objects.filter(is_synthetic=True):
        evidence_pull(review=review)
        if review.area.gss_code == "E08000024":
            demo_sunderland_fieldwork_ensure(review)
        if review.area.gss_code != "E08000037":
            analysis_run(review=review)
            continue
        start = review.analysis_starts_on
        if not EvidenceItem.objects.filter(review=review, is_synthetic=True).exists():
            for n, (kind, title, codes, grade, indication) in enumerate(FIELDWORK):
                evidence_record(
                    review=review, kind=kind, title=f"{title} (demo)", source="Review team",
                    dated=start + timedelta(days=21 + n), key_judgement_codes=codes, grade=grade,
                    indication=indication, summary=MADE_UP, is_synthetic=True,
                )  # fmt: skip
        if not CaseFile.objects.filter(review=review).exists():
            case_files_import(review=review, text=_case_list(review.pk))
            sample = case_sample_draw(review=review, size=24)
            case_note_write(
                case_file=sample[0], key_judgement_codes=["SS.3"], indication=Indication.WEAKNESS,
                text="Referral accepted within a day; the assessment took 14 weeks, beyond the "
                "timescale, and the plan was not reviewed. " + MADE_UP,
            )  # fmt: skip
            case_note_write(
                case_file=sample[1], key_judgement_codes=["SS.7"], indication=Indication.STRENGTH,
                text="Stable placement for two years; the child's views are recorded at every "
                "review. " + MADE_UP,
            )  # fmt: skip
            child = child_track(review=review, case_file=sample[2], summary=MADE_UP)
            for days, service, what in (
                (0, "Children's social care", "Referral from school about neglect."),
                (30, "Health visiting", "Developmental check; concerns shared."),
                (90, "Children's social care", "Child protection plan; core group met monthly."),
            ):
                journey_add(child=child, on=start - timedelta(days=200 - days), service=service,
                            what_happened=f"{what} {MADE_UP}")  # fmt: skip
            for row in neighbourhoods_suggest(area=review.area, count=2):
                neighbourhood_study_add(
                    review=review, lsoa_code=row["lsoa11cd"], why_chosen=row["why"]
                )
        analysis_run(review=review)


# -- Sunderland's fieldwork ---------------------------------------------------------------
# Made up, and chosen to move proposals visibly: on SS.4 a serious and a significant case-file
# weakness, a tracked child's delayed assessment and the social workers' caseloads against the
# partners' joint protocol (the serious weakness leaves SS.4 at adequate at best); on BH.6 a
# disabled child's and the parents' waits for short breaks and therapy (two weaknesses: one
# grade lower). Each entry: (key judgements, direction, severity, service, aspect, found).

Reading = tuple[list[str], str, str, str, str, str]
W, S, N = Indication.WEAKNESS, Indication.STRENGTH, Indication.NEUTRAL
SOCIAL_CARE = "Children's social care"

# Case-file readings, by the category of the file read.
READINGS: list[tuple[str, Reading]] = [
    (CaseCategory.CHILD_PROTECTION, (["SS.4"], W, "serious", SOCIAL_CARE, "coordination",
     "The strategy discussion was held without health or the police, and the child was not "
     "seen for twelve working days after the referral.")),
    (CaseCategory.CHILD_PROTECTION, (["SS.4"], W, "significant", SOCIAL_CARE, "timeliness",
     "The child protection plan was reviewed six weeks late; no core group met in between.")),
    (CaseCategory.CHILD_IN_NEED, (["SS.3"], W, "significant", SOCIAL_CARE, "quality",
     "Three referrals about neglect over a year were each closed without an assessment.")),
    (CaseCategory.LOOKED_AFTER, (["SS.7", "PC.6"], S, "", SOCIAL_CARE, "quality",
     "A stable placement for two years; the child's views are recorded at every review.")),
    (CaseCategory.CHILD_IN_NEED, (["SS.6"], W, "minor", "Family support", "coordination",
     "Family support was offered promptly but without a written plan shared with the school.")),
]  # fmt: skip

# Two tracked children: the category of the file, the journey (days before fieldwork, kind,
# service, what happened) and the findings on their services.
TRACKED: list[tuple[str, str, list[tuple[int, str, str, str]], list[Reading]]] = [
    (
        CaseCategory.LOOKED_AFTER,
        "Referred by the school for neglect; now looked after.",
        [
            (330, "referral", SOCIAL_CARE, "Referral from the primary school about neglect."),
            (260, "assessment", SOCIAL_CARE, "Core assessment completed ten weeks after the "
             "referral, beyond the timescale."),
            (240, "plan", SOCIAL_CARE, "Child protection plan; health visiting in the core "
             "group."),
            (150, "placement", SOCIAL_CARE, "Placed with foster carers outside the area: no "
             "local placement was free."),
            (60, "review", "Independent reviewing officer", "Looked after review; the child "
             "took part and the plan was updated."),
            (20, "transition", "School", "Moved to a secondary school near the placement, with "
             "a personal education plan."),
        ],
        [
            (["SS.4"], W, "significant", SOCIAL_CARE, "timeliness",
             "The assessment took ten weeks from referral, and the plan came a month after it."),
            (["SS.7"], S, "", "Health visiting", "coordination",
             "Health visiting and social care shared information well once the plan was made."),
            (["SS.7", "EA.7"], W, "minor", SOCIAL_CARE, "sufficiency",
             "No local foster placement was free, so the child moved schools."),
            (["BH.5"], S, "", "Health", "access",
             "The health assessment on entering care was done within the month."),
        ],
    ),
    (
        CaseCategory.LDD,
        "A disabled child moving towards adult services.",
        [
            (400, "referral", "Children with disabilities team", "Referral from the child "
             "development centre."),
            (320, "assessment", "Children with disabilities team", "Assessment of needs, with "
             "the family and the special school."),
            (280, "plan", "Children with disabilities team", "Plan for short breaks and "
             "therapy."),
            (120, "service", "Short breaks", "Short breaks began eight months after they were "
             "agreed."),
            (30, "transition", "Adult social care", "First transition review at seventeen; "
             "adult services not yet at the table."),
        ],
        [
            (["BH.6"], W, "significant", "Short breaks", "access",
             "Short breaks began eight months after they were agreed."),
            (["EA.8"], S, "", "Special school", "sufficiency",
             "The special school meets the child's needs well and knows the family."),
            (["EW.7", "PC.7"], W, "minor", "Adult social care", "coordination",
             "Transition planning started late and without adult services."),
            (["SS.8"], N, "", "Children with disabilities team", "timeliness",
             "Reviews of the plan were on time."),
        ],
    ),
]  # fmt: skip

# Two neighbourhood studies: the most deprived (an estate of three LSOAs) and a less deprived
# ward for contrast. Each: name, kind, context, provision, visits, discussions, findings.
PLACES: list[tuple[str, str, str, str, str, str, list[Reading]]] = [
    (
        "The estate (demo)", "estate",
        "Among the most deprived 10% in England; many young families; high unemployment.",
        "A children's centre, two primary schools, a health centre; no youth club since last "
        "year.",
        "The children's centre, a primary school, the health centre.",
        "Parents at the children's centre; youth workers; a residents' group.",
        [
            (["BH.1", "EA.2"], S, "", "Children's centre", "access",
             "The children's centre is well used by young families and runs outreach."),
            (["EA.6", "PC.4"], W, "significant", "Youth service", "sufficiency",
             "Nothing for young people on the estate in the evenings since the youth club "
             "closed."),
            (["SS.4"], N, "", "Children's centre", "coordination",
             "Centre staff know how to refer to social care but rarely hear back."),
        ],
    ),
    (
        "The ward (demo)", "ward",
        "Among the least deprived in the area, for contrast; mostly owner-occupied.",
        "Sports clubs, a library, uniformed groups; the nearest children's centre is on the "
        "estate.",
        "The library and a sports club.",
        "Parents at the library; a sports club's volunteers.",
        [
            (["EA.6"], S, "", "Voluntary clubs", "sufficiency",
             "Plenty of clubs and activities, most of them run by volunteers."),
            (["BH.2"], N, "", "Health", "access",
             "Families know where to go, though few use the children's centre on the estate."),
        ],
    ),
]  # fmt: skip

# Meetings: kind, title, attendees, groups, under-8s, hard to reach, notes, findings.
MEETINGS: list[tuple[str, str, int, list[str], bool, str, str, list[Reading]]] = [
    (
        "children", "Children in care council", 9, ["children_in_care"], False, "",
        "Nine young people in care, aged 11 to 17, met two inspectors.",
        [
            (["PC.6"], S, "", "Participation", "quality",
             "The council meets the lead member every term and has changed how reviews run."),
            (["SS.7"], W, "minor", SOCIAL_CARE, "coordination",
             "Several have had four or more social workers in two years."),
            (["EW.6"], W, "significant", "Leaving care", "timeliness",
             "Pathway plans were written late, some after the young person turned eighteen."),
        ],
    ),
    (
        "parents", "Parents of disabled children", 7, ["ldd"], True, "",
        "Seven parents of disabled children, some of under-fives, at a support group.",
        [
            (["BH.6"], W, "significant", "Therapy services", "timeliness",
             "Waits of a year for speech and language therapy."),
            (["EA.2"], S, "", "Portage", "access",
             "Portage and the special nursery give families confidence early on."),
        ],
    ),
    (
        "staff", "Focus group of front-line social workers", 8, [], False, "",
        "Eight social workers from the referral and assessment and child protection teams.",
        [
            (["SS.4"], W, "significant", SOCIAL_CARE, "timeliness",
             "Caseloads of thirty and more delay initial assessments; managers know."),
            (["SS.3"], W, "significant", SOCIAL_CARE, "access",
             "Thresholds for referral are applied differently by each agency."),
            (["SS.6"], S, "", "Family support", "quality",
             "The family support team is valued and takes referrals quickly."),
        ],
    ),
    (
        "partners", "Partners: health and the police", 6, [], False, "",
        "The designated nurse, a paediatrician and two officers of the public protection unit.",
        [
            (["SS.4"], S, "", "Police and health", "coordination",
             "A joint protocol for child abuse investigations is in place and used."),
            (["BH.4"], W, "significant", "CAMHS", "timeliness",
             "Waits for a first appointment at CAMHS of up to six months."),
        ],
    ),
]  # fmt: skip


def _fieldwork_days(review: Review) -> list[date]:
    """The days of fieldwork so far, from its first day up to today."""
    row = Milestone.objects.filter(review=review, kind=MilestoneKind.FIELDWORK_START).first()
    if row is None:
        return []
    first, today = row.actual or row.planned, timezone.localdate()
    return [first + timedelta(days=n) for n in range((today - first).days + 1)][:10]


def _record(review: Review, where: dict[str, Any], reading: Reading, on: date) -> None:
    codes, indication, severity, service, aspect, found = reading
    finding_record(
        review=review, found=f"{found} {MADE_UP}", key_judgement_codes=codes,
        indication=indication, severity=severity, found_on=on, service=service, aspect=aspect,
        is_synthetic=True, **where,
    )  # fmt: skip


@transaction.atomic
def demo_sunderland_fieldwork_ensure(review: Review) -> None:
    """Sunderland's fieldwork so far (once it is in fieldwork): a case-file list and sample with
    readings, two tracked children, two neighbourhood studies and four meetings, each with
    findings dated within the fieldwork days up to today."""
    days = _fieldwork_days(review)
    if review.stage != Stage.FIELDWORK or not days:
        return
    if FieldworkFinding.objects.filter(review=review, is_synthetic=True).exists():
        return

    def on(n: int) -> date:
        return days[min(n, len(days) - 1)]

    if not CaseFile.objects.filter(review=review).exists():
        case_files_import(review=review, text=_case_list(review.pk, prefix="SD"))
    sample = list(CaseFile.objects.filter(review=review, in_sample=True)) or case_sample_draw(
        review=review, size=24
    )
    used: set[int] = set()

    def pick(category: str) -> CaseFile:
        chosen = next(
            (c for c in sample if c.pk not in used and category in c.categories),
            next(c for c in sample if c.pk not in used),
        )
        used.add(chosen.pk)
        return chosen

    for n, (category, reading) in enumerate(READINGS):
        _record(review, {"case_file": pick(category)}, reading, on(n % 3))
    for n, (category, summary, journey, findings) in enumerate(TRACKED):
        case = pick(category)
        child = TrackedChild.objects.filter(review=review, case_file=case).first() or child_track(
            review=review, case_file=case, summary=f"{summary} {MADE_UP}"
        )
        for before, kind, service, what in journey:
            journey_step_add(
                child=child, on=days[0] - timedelta(days=before), kind=kind, service=service,
                what_happened=f"{what} {MADE_UP}",
            )  # fmt: skip
        for reading in findings:
            _record(review, {"tracked_child": child}, reading, on(1 + n))
    for row, place in zip(_places(review), PLACES, strict=False):
        codes, why = row
        name, kind, context, provision, visits, discussions, findings = place
        study = neighbourhood_study_add(review=review, lsoa_code=codes[0], why_chosen=why)
        study = neighbourhood_describe(
            study=study, seen_version=study.version, name=name, place_kind=kind,
            lsoa_codes=codes, context=f"{context} {MADE_UP}", provision=provision,
            visits=visits, discussions=discussions,
        )  # fmt: skip
        for reading in findings:
            _record(review, {"neighbourhood": study}, reading, on(2))
    for n, (kind, title, attendees, groups, under_eights, hard, notes, findings) in enumerate(
        MEETINGS
    ):
        meeting = meeting_record(
            review=review, kind=kind, title=f"{title} (demo)", held_on=on(n + 1),
            attendees=attendees, group_slugs=groups, under_eights=under_eights,
            hard_to_reach=hard, notes=f"{notes} {MADE_UP}", is_synthetic=True,
        )  # fmt: skip
        for reading in findings:
            _record(review, {"meeting": meeting}, reading, on(n + 1))


def _places(review: Review) -> list[tuple[list[str], str]]:
    """The LSOAs of the two places: the suggested most deprived neighbourhood with up to two
    of its most deprived neighbours (same middle-layer area), and the suggested contrast with
    one neighbour."""
    suggested = neighbourhoods_suggest(area=review.area, count=2)
    rows = neighbourhoods_of(review.area)
    out = []
    for chosen, deprived in zip(suggested, (True, False), strict=False):
        middle = chosen["lsoa11nm"][:-1]
        near = [
            r["lsoa11cd"]
            for r in rows
            if r["lsoa11nm"].startswith(middle)
            and r["lsoa11cd"] != chosen["lsoa11cd"]
            and (r["imd_decile"] <= 2 if deprived else r["imd_decile"] >= 6)
        ]
        out.append(([chosen["lsoa11cd"], *near[: 2 if deprived else 1]], chosen["why"]))
    return out
