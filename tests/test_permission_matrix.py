"""The permission matrix: every role x every page and API endpoint x (own object, other object).

One table, ENDPOINTS, says who may use each endpoint. `test_every_endpoint_is_in_the_table`
fails when a URL exists that the table does not name, so a new page or endpoint cannot ship
without its row. Each row is then checked for each role, signed in through the second factor
(or anonymous), against an object of the user's own organisation and one of another; and for
each role signed in with a password only (the second factor not passed), which must get what
the public gets: the row's answer where the public may use it, refused everywhere else.

Own objects: for inspectorate staff, Ofsted's (the test users work for Ofsted); for council
and partner staff, Gateshead's. Other objects: CSCI's, Sunderland's, another user's.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ecm_inspect.accounts.models import INSPECTORATE_ROLES, Role, User
from ecm_inspect.accounts.services import download_link_issue
from ecm_inspect.accounts.tests.world import ANONYMOUS, ROLES, World, client_for, world_build
from ecm_inspect.evidence.case_files import case_files_import, child_track
from ecm_inspect.evidence.fieldwork import finding_record, meeting_record
from ecm_inspect.evidence.models import CaseFile
from ecm_inspect.evidence.neighbourhoods import neighbourhood_study_add, neighbourhoods_of
from ecm_inspect.evidence.services import attachment_add, evidence_record, request_make
from ecm_inspect.framework.models import Outcome, ProviderKind
from ecm_inspect.framework.services import framework_load
from ecm_inspect.performance.models import (
    Assessment,
    CouncilDocument,
    InterventionAlert,
    LetterStatus,
    Representation,
)
from ecm_inspect.performance.self_assessment import council_document_add, self_assessment_for
from ecm_inspect.performance.services import apa_run
from ecm_inspect.quality.services import complaint_receive, questionnaire_send
from ecm_inspect.registry.models import Inspector, Inspectorate, Provider
from ecm_inspect.reports.models import Publication, ReportDraft
from ecm_inspect.reports.services import judgements_propose
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.services import (
    national_themes_ensure,
    review_advance,
    review_create,
    review_team_set,
)
from ecm_inspect.voices.parents import parents_proforma_create, parents_proforma_open
from ecm_inspect.voices.sampling import FrameSchool
from ecm_inspect.voices.services import survey_create, survey_open, survey_sample

OWN, OTHER = "own", "other"
APA_YEAR = 2024
Rule = Callable[[str, str], bool]


def everyone(role: str, which: str) -> bool:
    return True


def signed_in(role: str, which: str) -> bool:
    return role != ANONYMOUS


def inspectorate_staff(role: str, which: str) -> bool:
    return role in INSPECTORATE_ROLES


def manages_inspector(role: str, which: str) -> bool:
    """National lead: any body's; inspectorate lead: their own body's only."""
    return role == Role.NATIONAL_LEAD or (role == Role.INSPECTORATE_LEAD and which == OWN)


def audit_reader(role: str, which: str) -> bool:
    return role in {Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD, Role.DCS}


def own_download(role: str, which: str) -> bool:
    """A download link works only for the person it was issued to, who may export."""
    return audit_reader(role, which) and which == OWN


def nobody(role: str, which: str) -> bool:
    return False


def national_lead(role: str, which: str) -> bool:
    return role == Role.NATIONAL_LEAD


TEAM_ROLES = {Role.REVIEW_TEAM_LEADER, Role.INSPECTOR}  # the test users on the own review's team
AREA_ROLES = {Role.DCS, Role.PARTNER_CONTRIBUTOR}


def sees_review(role: str, which: str) -> bool:
    """Leads see every review; its team and (once notified) its area's staff see their own."""
    if role in {Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD}:
        return True
    return which == OWN and (role in TEAM_ROLES or role in AREA_ROLES)


def sees_review_workings(role: str, which: str) -> bool:
    """The team's working material: not the area's."""
    return sees_review(role, which) and role not in AREA_ROLES


def area_staff_own_or_inspectorate(role: str, which: str) -> bool:
    """Inspectorate staff see every area's; the area's own DCS and partners their own."""
    return role in INSPECTORATE_ROLES or (role in AREA_ROLES and which == OWN)


def records_apa_grades(role: str, which: str) -> bool:
    """The national lead, and Ofsted's (or CSCI's) inspectors and lead: the test users' body."""
    return role in {Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD, Role.INSPECTOR}


def logs_incidents(role: str, which: str) -> bool:
    return role in {Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD}


def on_review_team(role: str, which: str) -> bool:
    """The review team's confidential area: its team only, while on it."""
    return role in TEAM_ROLES and which == OWN


def records_views(role: str, which: str) -> bool:
    """Views gathered (and the groups the review means to hear): the national lead, the team."""
    return role == Role.NATIONAL_LEAD or on_review_team(role, which)


def sees_requests(role: str, which: str) -> bool:
    return sees_review(role, which)


def published_only(role: str, which: str) -> bool:
    """Anyone may read a published report; nobody an unpublished one."""
    return which == OWN


def runs_review(role: str, which: str) -> bool:
    return role == Role.NATIONAL_LEAD or (role == Role.REVIEW_TEAM_LEADER and which == OWN)


Args = Callable[[World, str, Any], list[Any]]
Body = Callable[[World, str, Any], dict[str, Any]]


def no_args(world: World, which: str, user: Any) -> list[Any]:
    return []


def inspector_arg(world: World, which: str, user: Any) -> list[Any]:
    return [(world.own_inspector if which == OWN else world.other_inspector).pk]


def area_arg(world: World, which: str, user: Any) -> list[Any]:
    return [(world.own_area if which == OWN else world.other_area).gss_code]


def provider_arg(world: World, which: str, user: Any) -> list[Any]:
    return [world.extra["providers"][which].urn]


def review_arg(world: World, which: str, user: Any) -> list[Any]:
    return [world.extra["reviews"][which].pk]


def intervention_arg(world: World, which: str, user: Any) -> list[Any]:
    """An intervention case on the review of the area (national, not the area's to see)."""
    from datetime import date

    from ecm_inspect.followup.models import InterventionCase

    case, _ = InterventionCase.objects.get_or_create(
        review=world.extra["reviews"][which],
        defaults={"reason": "Found inadequate: Staying safe.", "opened_on": date(2027, 2, 1)},
    )
    return [case.pk]


def published_arg(world: World, which: str, user: Any) -> list[Any]:
    """Own: a published review of the own area; other: a review not published."""
    return [world.extra["published"][which].pk]


def review_stage_args(world: World, which: str, user: Any) -> list[Any]:
    review = world.extra["reviews"][which]
    return [review.pk, review.stage]


def records_own_inspection(role: str, which: str) -> bool:
    """Inspectors and inspectorate leads of a body taking part (the users work for Ofsted)."""
    return role in {Role.INSPECTOR, Role.INSPECTORATE_LEAD} and which == OWN


def records_inspections(role: str, which: str) -> bool:
    return role in {Role.INSPECTOR, Role.INSPECTORATE_LEAD}


def setting_inspection_arg(world: World, which: str, user: Any) -> list[Any]:
    """A published setting inspection: own is Ofsted's (of a special school), other CSCI's."""
    from ecm_inspect.provision.models import InspectionStatus
    from ecm_inspect.provision.services import setting_inspection_create

    found = world.extra.setdefault("setting_inspections", {})
    if which not in found:
        home = world.extra["providers"][which]
        school, _ = Provider.objects.get_or_create(
            urn="SP1",
            defaults={
                "name": "Own special school",
                "kind": ProviderKind.objects.get(code="special_school"),
                "area": world.own_area,
            },
        )
        found[which] = setting_inspection_create(
            providers=[school if which == OWN else home],
            lead_inspectorate=Inspectorate.objects.get(code="OFSTED" if which == OWN else "CSCI"),
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 5, 2),
            statutory_framework="test",
            status=InspectionStatus.PUBLISHED,
        )
    return [found[which].pk]


def draft_setting_inspection_arg(world: World, which: str, user: Any) -> list[Any]:
    """An inspection not yet published (judgements may still be recorded): own is Ofsted's (of
    the special school), other CSCI's."""
    from ecm_inspect.provision.models import InspectionStatus
    from ecm_inspect.provision.services import setting_inspection_create

    setting_inspection_arg(world, OWN, user)  # creates the special school
    found = world.extra.setdefault("draft_setting_inspections", {})
    if which not in found:
        found[which] = setting_inspection_create(
            providers=[Provider.objects.get(urn="SP1" if which == OWN else "SC1")],
            lead_inspectorate=Inspectorate.objects.get(code="OFSTED" if which == OWN else "CSCI"),
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 6, 2),
            statutory_framework="test",
            status=InspectionStatus.COMPLETED,
        )
    return [found[which].pk]


def publishable_setting_inspection_arg(world: World, which: str, user: Any) -> list[Any]:
    """A new completed inspection with one judgement, for each request (publishing it once
    leaves nothing to publish for the next role): own led by Ofsted, other by CSCI."""
    from ecm_inspect.framework.grades import Grade
    from ecm_inspect.framework.models import KeyJudgement
    from ecm_inspect.provision.models import InspectionStatus
    from ecm_inspect.provision.services import judgement_record, setting_inspection_create

    setting_inspection_arg(world, OWN, user)  # creates the special school
    provider = Provider.objects.get(urn="SP1" if which == OWN else "SC1")
    body = Inspectorate.objects.get(code="OFSTED" if which == OWN else "CSCI")
    inspection = setting_inspection_create(
        providers=[provider],
        lead_inspectorate=body,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 2),
        statutory_framework="test",
        status=InspectionStatus.COMPLETED,
    )
    judgement_record(
        inspection=inspection,
        provider=provider,
        inspectorate=body,
        key_judgement=KeyJudgement.objects.get(code="EA.3" if which == OWN else "SS.7"),
        grade=Grade.ADEQUATE,
    )
    return [inspection.pk]


def contact_body(world: World, which: str, user: Any) -> dict[str, Any]:
    return {"kind": "visit", "starts_on": "2026-06-01", "description": "Matrix test visit"}


def setting_inspection_body(world: World, which: str, user: Any) -> dict[str, Any]:
    setting_inspection_arg(world, OWN, user)  # creates the special school
    return {
        "providers": ["SP1"],
        "starts_on": "2026-07-01",
        "ends_on": "2026-07-02",
        "statutory_framework": "Education Act 2005, section 5",
    }


def judgement_body(world: World, which: str, user: Any) -> dict[str, Any]:
    # Each role records a different key judgement: a second record of one is refused (422).
    code = "EA.4" if user is not None and user.role == Role.INSPECTORATE_LEAD else "EA.3"
    return {"provider_urn": "SP1", "key_judgement": code, "grade": 3}


def apa_args(world: World, which: str, user: Any) -> list[Any]:
    return [APA_YEAR, *area_arg(world, which, user)]


def council_document_args(world: World, which: str, user: Any) -> list[Any]:
    """A document the council attached to its self-assessment (made the first time asked)."""
    area = world.own_area if which == OWN else world.other_area
    document = CouncilDocument.objects.filter(
        self_assessment__area=area, self_assessment__year=APA_YEAR
    ).first()
    if document is None:
        with TestCase.captureOnCommitCallbacks(execute=True):  # the file is stored on commit
            document = council_document_add(
                self_assessment=self_assessment_for(area=area, year=APA_YEAR),
                kind="plan", title="Plan", content=io.BytesIO(b"our plan"), name="plan.txt",
            )  # fmt: skip
    return [*apa_args(world, which, user), document.pk]


def representation_args(world: World, which: str, user: Any) -> list[Any]:
    """A representation on the area's letter (made the first time asked)."""
    area = world.own_area if which == OWN else world.other_area
    assessment = Assessment.objects.get(area=area, year=APA_YEAR)
    found = assessment.representations.first() or Representation.objects.create(
        assessment=assessment, text="A wrong figure."
    )
    return [*apa_args(world, which, user), found.pk]


def published_letter_args(world: World, which: str, user: Any) -> list[Any]:
    """Own: a letter of the year before, published; other: this year's draft (not public)."""
    if which != OWN:
        return [APA_YEAR, world.other_area.gss_code]
    Assessment.objects.get_or_create(
        area=world.own_area,
        year=APA_YEAR - 1,
        defaults={"letter_status": LetterStatus.PUBLISHED, "letter_published_at": timezone.now()},
    )
    return [APA_YEAR - 1, world.own_area.gss_code]


def apa_record_args(world: World, which: str, user: Any) -> list[Any]:
    return [*apa_args(world, which, user), "overall"]


def alert_arg(world: World, which: str, user: Any) -> list[Any]:
    area = world.own_area if which == OWN else world.other_area
    alert = InterventionAlert.objects.create(
        area=area,
        kind="deterioration",
        year=APA_YEAR + len(InterventionAlert.objects.all()),
        message="test alert",
    )
    return [alert.pk]


def evidence_args(world: World, which: str, user: Any) -> list[Any]:
    return [world.extra["reviews"][which].pk, world.extra["evidence"][which].pk]


def attachment_args(world: World, which: str, user: Any) -> list[Any]:
    item = world.extra["evidence"][which]
    return [item.review_id, item.pk, item.attachments.get().pk]


def request_args(world: World, which: str, user: Any) -> list[Any]:
    request = world.extra["requests"][which]
    return [request.review_id, request.pk, "accept"]


def case_file_args(world: World, which: str, user: Any) -> list[Any]:
    case = world.extra["case_files"][which]
    return [case.review_id, case.pk]


def fieldwork_args(kind: str) -> Callable[[World, str, Any], list[Any]]:
    """A tracked child's, neighbourhood study's, meeting's or finding's page of a review."""

    def args(world: World, which: str, user: Any) -> list[Any]:
        record = world.extra[kind][which]
        return [record.review_id, record.pk]

    return args


def programme_leads(role: str, which: str) -> bool:
    """The programme: the national lead, and inspectorate leads (their share of the teams)."""
    return role in {Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD}


def programme_version_arg(world: World, which: str, user: Any) -> list[Any]:
    """One approved, published version of a two-area programme (the programme is national:
    own and other are the same version)."""
    from django.utils import timezone

    from ecm_inspect.programme.models import Programme, ProgrammeVersion

    if "programme_version" not in world.extra:
        team = [
            {"inspector": world.own_inspector.pk, "body": "OFSTED"},
            {"inspector": world.other_inspector.pk, "body": "CSCI"},
        ]
        reviews = [
            {
                "area": area.gss_code,
                "analysis_start": "2026-10-05",
                "fieldwork_start": "2026-10-26",
                "fieldwork_end": "2026-11-06",
                "leader": world.own_inspector.pk,
                "team": team,
            }
            for area in (world.own_area, world.other_area)
        ]
        world.extra["programme_version"] = ProgrammeVersion.objects.create(
            programme=Programme.objects.create(starts_on=date(2026, 9, 1)),
            number=1,
            status="approved",
            method="greedy",
            solver_status="GREEDY",
            document={"reviews": reviews, "inspectors": [], "objective": 0, "bound": None},
            published_at=timezone.now(),
        )
    return [world.extra["programme_version"].pk]


def assessment_run_arg(world: World, which: str, user: Any) -> list[Any]:
    """A finished APA run (national: own and other are the same)."""
    from ecm_inspect.performance.models import AssessmentRun

    if "assessment_run" not in world.extra:
        world.extra["assessment_run"] = AssessmentRun.objects.create(year=2024, status="done")
    return [world.extra["assessment_run"].pk]


def programme_job_arg(world: World, which: str, user: Any) -> list[Any]:
    """A finished planning job (the programme is national: own and other are the same)."""
    from ecm_inspect.programme.models import PlanningJob

    if "programme_job" not in world.extra:
        world.extra["programme_job"] = PlanningJob.objects.create(
            kind="plan", status="done", parameters={}, time_limit=5, progress=100
        )
    return [world.extra["programme_job"].pk]


def programme_area_args(world: World, which: str, user: Any) -> list[Any]:
    return [*programme_version_arg(world, which, user), *area_arg(world, which, user)]


def download_token(world: World, which: str, user: Any) -> list[Any]:
    owner = user if (which == OWN and user is not None) else world.users[Role.NATIONAL_LEAD]
    if which == OTHER and owner == user:
        owner = world.users[Role.DCS]
    return [download_link_issue(user=owner, what="Audit trail (CSV)", parameters={}).token]


def inspector_version(world: World, which: str, user: Any) -> dict[str, Any]:
    inspector = world.own_inspector if which == OWN else world.other_inspector
    inspector.refresh_from_db()
    return {"version": inspector.version, "days_per_week": 4}


def leads_own_review(role: str, which: str) -> bool:
    """Only the review's own team leader signs its judgements off."""
    return role == Role.REVIEW_TEAM_LEADER and which == OWN


def judgement_code_args(world: World, which: str, user: Any) -> list[Any]:
    return [world.extra["reviews"][which].pk, "SS"]


def report_judgement_body(world: World, which: str, user: Any) -> dict[str, Any]:
    judgement = world.extra["reviews"][which].judgements.get(code="SS")
    return {
        "grade": 3,
        "finding": "Children are safe.",
        "rationale": "The evidence.",
        "evidence": [world.extra["evidence"][which].pk],
        "evidence_reasons": {str(world.extra["evidence"][which].pk): "Weighed across the review."},
        "version": judgement.version,
    }


def recorded_judgement_args(world: World, which: str, user: Any) -> list[Any]:
    from ecm_inspect.reports.services import judgement_record

    judgement = world.extra["reviews"][which].judgements.get(code="SS")
    if not judgement.finding:
        judgement_record(
            judgement=judgement,
            by=None,
            seen_version=judgement.version,
            **{
                k: v
                for k, v in report_judgement_body(world, which, user).items()
                if k in {"grade", "finding", "rationale"}
            },
            evidence_ids=[world.extra["evidence"][which].pk],
            evidence_reasons={
                i: "Weighed across the review." for i in [world.extra["evidence"][which].pk]
            },
        )
    return judgement_code_args(world, which, user)


def school_code_arg(world: World, which: str, user: Any) -> list[Any]:
    return [world.extra["surveys"][which].schools.first().code]


def parents_code_arg(world: World, which: str, user: Any) -> list[Any]:
    return [world.extra["parents"][which].code]


def survey_page_args(world: World, which: str, user: Any) -> list[Any]:
    return [*school_code_arg(world, which, user), "secondary", 1]


@dataclass(frozen=True)
class Endpoint:
    name: str
    allowed: Rule
    method: str = "GET"
    args: Args = no_args
    body: Body | None = None
    # Status a permitted request gets when it is not simply 200 (e.g. a redirect after a POST).
    ok: frozenset[int] = field(default_factory=lambda: frozenset({200}))
    # Who may use it signed in with a password only, when not simply as the public may: the
    # second step of signing in itself.
    password_only: Rule | None = None

    def allowed_password_only(self, role: str, which: str) -> bool:
        if self.password_only is not None:
            return self.password_only(role, which)
        return self.allowed(ANONYMOUS, which)


ENDPOINTS: list[Endpoint] = [
    # Public pages: the Framework is a published document.
    Endpoint("web:home", everyone),
    Endpoint("web:accessibility", everyone),
    Endpoint("web:privacy", everyone),
    Endpoint("web:cookies", everyone),
    Endpoint("framework:index", everyone),
    Endpoint("framework:outcome", everyone, args=lambda w, which, u: ["BH"]),
    Endpoint("framework:principles", everyone),
    Endpoint("framework:relevance", everyone),
    Endpoint("framework:proposals_2004", everyone),
    Endpoint("api:framework", everyone),
    Endpoint("api:outcome", everyone, args=lambda w, which, u: ["BH"]),
    Endpoint("api:relevance", everyone),
    Endpoint("api:export", everyone),
    Endpoint("api:openapi-json", everyone),
    Endpoint("api:openapi-view", everyone),
    # Signing in and one's own account.
    Endpoint("accounts:sign-in", everyone),
    Endpoint(
        "accounts:sign-out",
        everyone,
        method="POST",
        body=lambda w, which, u: {},
        ok=frozenset({302}),
    ),
    Endpoint("accounts:two-factor", signed_in, password_only=signed_in),
    Endpoint("accounts:two-factor-setup", signed_in),
    Endpoint("accounts:account", signed_in),
    Endpoint("accounts:backup-codes", signed_in, method="POST", body=lambda w, which, u: {}),
    Endpoint("api:accounts_me", signed_in),
    # Inspectors: seen by inspectorate staff, changed by their own body's lead.
    Endpoint("accounts:inspectors", inspectorate_staff),
    Endpoint("accounts:inspector-edit", manages_inspector, args=inspector_arg),
    Endpoint("api:accounts_inspectors", inspectorate_staff),
    Endpoint("api:accounts_inspector", inspectorate_staff, args=inspector_arg),
    Endpoint(
        "api:accounts_inspector_change",
        manages_inspector,
        method="PATCH",
        args=inspector_arg,
        body=inspector_version,
    ),
    # The audit trail and its exports.
    Endpoint("accounts:audit", audit_reader),
    Endpoint("api:accounts_audit", audit_reader),
    Endpoint("accounts:audit-export", audit_reader, method="POST", body=lambda w, which, u: {}),
    Endpoint("accounts:download", own_download, args=download_token),
    # The registry: public records.
    Endpoint("registry:areas", everyone),
    Endpoint("registry:area", everyone, args=area_arg),
    Endpoint("registry:providers", everyone),
    Endpoint("registry:provider", everyone, args=provider_arg),
    Endpoint("api:registry_areas", everyone),
    Endpoint("api:registry_area", everyone, args=area_arg),
    Endpoint("api:registry_providers", everyone),
    Endpoint("api:registry_provider", everyone, args=provider_arg),
    Endpoint("api:registry_inspectorates", everyone),
    # Joint area reviews: own = Gateshead's (notified; the test team leader leads it, the test
    # inspector is on it); other = Sunderland's (no test user on its team).
    Endpoint("reviews:list", signed_in),
    Endpoint("reviews:new", national_lead),
    Endpoint("reviews:detail", sees_review, args=review_arg),
    Endpoint("reviews:calendar", sees_review, args=review_arg),
    Endpoint("reviews:team", sees_review_workings, args=review_arg),
    Endpoint("reviews:stage", sees_review_workings, args=review_stage_args),
    # The "check your answers" page of a move that leaves the team (publishing: refused for
    # these reviews, shown with its reasons).
    Endpoint(
        "reviews:confirm",
        runs_review,
        args=lambda w, which, u: [w.extra["reviews"][which].pk, "published"],
    ),
    Endpoint(
        "reviews:advance",
        runs_review,
        method="POST",
        args=review_arg,
        body=lambda w, which, u: {"to": "set_up"},
        ok=frozenset({302, 409}),  # moved on, or refused with its reasons
    ),
    Endpoint("api:reviews", signed_in),
    Endpoint("api:review", sees_review, args=review_arg),
    Endpoint(
        "api:review_advance",
        runs_review,
        method="POST_JSON",
        args=review_arg,
        body=lambda w, which, u: {"to": "set_up"},
        ok=frozenset({200, 409}),
    ),
    # The annual performance assessment.
    Endpoint("performance:list", inspectorate_staff),
    Endpoint("performance:detail", area_staff_own_or_inspectorate, args=apa_args),
    # The letters here are drafts: the inspectorate's until issued to the council (the area's
    # staff see issued ones: performance/tests/test_letter.py).
    Endpoint("performance:letter", inspectorate_staff, args=apa_args),
    Endpoint("performance:letter-pdf", inspectorate_staff, args=apa_args),
    Endpoint(
        "performance:letter-move",
        records_apa_grades,
        args=lambda w, which, u: [*apa_args(w, which, u), "issue"],
    ),
    Endpoint(
        "performance:representation-answer",
        records_apa_grades,
        method="POST",
        args=representation_args,
        body=lambda w, which, u: {},
        ok=frozenset({422}),  # nothing chosen: the form comes back with its errors
    ),
    Endpoint("performance:calendar", inspectorate_staff, args=lambda w, which, u: [APA_YEAR]),
    Endpoint("performance:cpa-block-scores-csv", inspectorate_staff),
    Endpoint("api:apa_cpa_block_scores", inspectorate_staff, args=lambda w, which, u: [APA_YEAR]),
    Endpoint("performance:letter-public", published_only, args=published_letter_args),
    Endpoint("performance:letter-public-pdf", published_only, args=published_letter_args),
    Endpoint("performance:self-assessment", area_staff_own_or_inspectorate, args=apa_args),
    Endpoint(
        "performance:council-document",
        area_staff_own_or_inspectorate,
        args=council_document_args,
    ),
    Endpoint("performance:incident-new", logs_incidents),
    Endpoint(
        "performance:run-new",
        national_lead,
        method="POST",
        body=lambda w, which, u: {"year": "next"},  # refused with an error: nothing queued
        ok=frozenset({302}),
    ),
    Endpoint("performance:run", national_lead, args=assessment_run_arg),
    Endpoint(
        "performance:alert-acknowledge",
        national_lead,
        method="POST",
        args=alert_arg,
        body=lambda w, which, u: {},
        ok=frozenset({302}),
    ),
    Endpoint("api:apa_year", inspectorate_staff, args=lambda w, which, u: [APA_YEAR]),
    Endpoint("api:apa_area", area_staff_own_or_inspectorate, args=apa_args),
    Endpoint(
        "api:apa_record",
        records_apa_grades,
        method="POST_JSON",
        args=apa_record_args,
        body=lambda w, which, u: {"grade": 3, "rationale": "Matrix test.", "version": 1},
        ok=frozenset({200, 409}),  # recorded, or someone recorded it first
    ),
    # A review's evidence base: the team's working material; case files for the team only.
    Endpoint("evidence:list", sees_review_workings, args=review_arg),
    Endpoint(
        "evidence:pull",
        on_review_team,
        method="POST",
        args=review_arg,
        body=lambda w, which, u: {},
        ok=frozenset({302}),
    ),
    Endpoint("evidence:detail", sees_review_workings, args=evidence_args),
    Endpoint("evidence:attachment", sees_review_workings, args=attachment_args),
    Endpoint("evidence:analysis", sees_review_workings, args=review_arg),
    Endpoint("evidence:analysis-csv", sees_review_workings, args=review_arg),
    Endpoint("evidence:specification", sees_review_workings, args=review_arg),
    Endpoint("evidence:neighbourhoods", on_review_team, args=review_arg),
    Endpoint("evidence:requests", sees_requests, args=review_arg),
    Endpoint(
        "evidence:request-answer",
        on_review_team,
        method="POST",
        args=request_args,
        body=lambda w, which, u: {},
        ok=frozenset({302}),
    ),
    Endpoint("evidence:case-files", on_review_team, args=review_arg),
    Endpoint("evidence:case-file", on_review_team, args=case_file_args),
    Endpoint("evidence:tracked-children", on_review_team, args=review_arg),
    Endpoint("evidence:tracked-child", on_review_team, args=fieldwork_args("tracked_children")),
    Endpoint("evidence:neighbourhood", on_review_team, args=fieldwork_args("neighbourhoods")),
    Endpoint("evidence:meetings", on_review_team, args=review_arg),
    Endpoint("evidence:findings", on_review_team, args=review_arg),
    Endpoint("evidence:meeting", on_review_team, args=fieldwork_args("meetings")),
    Endpoint("evidence:finding-withdraw", on_review_team, args=fieldwork_args("findings")),
    Endpoint("api:analysis", sees_review_workings, args=review_arg),
    Endpoint("api:analysis-share", sees_review_workings, args=review_arg),
    Endpoint("api:evidence", sees_review_workings, args=review_arg),
    Endpoint("api:fieldwork_findings", on_review_team, args=review_arg),
    Endpoint("api:fieldwork_meetings", on_review_team, args=review_arg),
    Endpoint("api:fieldwork_tracked_children", on_review_team, args=review_arg),
    Endpoint("api:fieldwork_neighbourhoods", on_review_team, args=review_arg),
    Endpoint(
        "api:fieldwork_finding_record",
        on_review_team,
        method="POST_JSON",
        args=review_arg,
        body=lambda w, which, u: {
            "source": "case_file",
            "source_id": w.extra["case_files"][which].pk,
            "found": "Plan reviewed on time.",
            "key_judgements": ["SS.4"],
            "indication": "strength",
            "found_on": "2026-09-30",
        },
        ok=frozenset({201}),
    ),
    # The quality of inspection: anyone complains and answers a questionnaire by its link.
    # The children's survey: children need no account (their school's code is the key); the
    # set-up, exact results and words are the team's; concerns the contact's and the leader's.
    Endpoint("voices:code", everyone),
    *[
        Endpoint(f"voices:{name}", everyone, args=school_code_arg)
        for name in (
            "start",
            "about",
            "check",
            "sent",
            "saved",
            "talk",
            "talk-sent",
            "privacy",
            "summary",
        )
    ],
    Endpoint("voices:page", everyone, args=survey_page_args),
    Endpoint("voices:survey", sees_review_workings, args=review_arg),
    Endpoint("voices:results", sees_review, args=review_arg),
    Endpoint("voices:concerns", on_review_team, args=review_arg),
    Endpoint("voices:feedback", sees_review_workings, args=review_arg),
    Endpoint("voices:views", sees_review_workings, args=review_arg),
    Endpoint("api:voices_survey", sees_review_workings, args=review_arg),
    Endpoint("api:voices_survey_results", sees_review, args=review_arg),
    # The parents' and carers' questionnaire: no account (the review's code is the key); its
    # results and the coverage panel are the team's working material.
    Endpoint("voices:parents-code", everyone),
    *[
        Endpoint(f"voices:parents-{name}", everyone, args=parents_code_arg)
        for name in ("start", "questions", "sent", "privacy")
    ],
    Endpoint("voices:parents", sees_review_workings, args=review_arg),
    Endpoint(
        "voices:hard-to-reach",
        records_views,
        method="POST",
        args=review_arg,
        body=lambda w, which, u: {},
        ok=frozenset({302}),
    ),
    Endpoint("api:voices_parents_results", sees_review_workings, args=review_arg),
    Endpoint("api:voices_coverage", sees_review_workings, args=review_arg),
    Endpoint("quality:complaint-new", everyone),
    Endpoint("quality:complaints", logs_incidents),
    Endpoint("quality:complaint", logs_incidents, args=lambda w, which, u: [w.extra["complaint"]]),
    Endpoint("quality:evaluation", inspectorate_staff),
    Endpoint(
        "quality:questionnaire", everyone, args=lambda w, which, u: [w.extra["questionnaire"]]
    ),
    # Setting inspections: published outcomes and pooled evidence are public; recording needs
    # an inspector or inspectorate lead of a body taking part; the burden ledger and the
    # calendar of planned (often unannounced) inspections are for inspectorate staff.
    Endpoint("provision:index", everyone),
    Endpoint("provision:area", everyone, args=area_arg),
    Endpoint("provision:provider", everyone, args=provider_arg),
    Endpoint("provision:inspection", everyone, args=setting_inspection_arg),
    Endpoint("provision:inspection", inspectorate_staff, args=draft_setting_inspection_arg),
    Endpoint("provision:burden", inspectorate_staff, args=provider_arg),
    Endpoint("provision:calendar", inspectorate_staff),
    Endpoint("provision:inspection-new", records_inspections),
    Endpoint("provision:judgement-new", records_own_inspection, args=draft_setting_inspection_arg),
    # Publishing: the lead body's inspectors and leads; once published nobody changes it.
    Endpoint(
        "provision:inspection-publish",
        records_own_inspection,
        args=publishable_setting_inspection_arg,
    ),
    Endpoint(
        "provision:inspection-publish",
        records_own_inspection,
        method="POST",
        args=publishable_setting_inspection_arg,
        body=lambda w, which, u: {"version": 1},
        ok=frozenset({302}),
    ),
    Endpoint("provision:contact-new", records_inspections, args=provider_arg),
    Endpoint(
        "provision:contact-new",
        records_inspections,
        method="POST",
        args=provider_arg,
        body=contact_body,
        ok=frozenset({302}),
    ),
    Endpoint("api:provision_area_pool", everyone, args=area_arg),
    Endpoint("api:provision_provider_inspections", everyone, args=provider_arg),
    Endpoint("api:provision_inspections", everyone),
    Endpoint("api:provision_inspection", everyone, args=setting_inspection_arg),
    Endpoint("api:provision_inspection", inspectorate_staff, args=draft_setting_inspection_arg),
    Endpoint("api:provision_judgements", everyone, args=setting_inspection_arg),
    Endpoint("api:provision_judgements", inspectorate_staff, args=draft_setting_inspection_arg),
    Endpoint("api:provision_burden", inspectorate_staff, args=provider_arg),
    Endpoint("api:provision_calendar", inspectorate_staff),
    Endpoint(
        "api:provision_inspection_create",
        records_inspections,
        method="POST_JSON",
        body=setting_inspection_body,
    ),
    Endpoint(
        "api:provision_judgement_record",
        records_own_inspection,
        method="POST_JSON",
        args=draft_setting_inspection_arg,
        body=judgement_body,
    ),
    Endpoint(
        "api:provision_inspection_publish",
        records_own_inspection,
        method="POST_JSON",
        args=publishable_setting_inspection_arg,
        body=lambda w, which, u: {"version": 1},
    ),
    Endpoint(
        "api:provision_contact_create",
        records_inspections,
        method="POST_JSON",
        args=provider_arg,
        body=contact_body,
    ),
    # Judgements and the report: the team's; the published report is everyone's (own review
    # published, other not).
    Endpoint("reports:judgements", sees_review_workings, args=review_arg),
    # One page per outcome (and the rest of the report); outcome leads; errata after publication
    # (the team leader or the national lead).
    Endpoint("reports:judgements-part", sees_review_workings, args=judgement_code_args),
    Endpoint("reports:judgement-leads", sees_review_workings, args=review_arg),
    Endpoint("reports:judgements-gaps", sees_review_workings, args=review_arg),
    Endpoint("reports:judgement-correct", runs_review, args=judgement_code_args),
    Endpoint("reports:report", sees_review_workings, args=review_arg),
    Endpoint("reports:compare", sees_review_workings, args=review_arg),
    Endpoint("reports:area", published_only, args=area_arg),
    Endpoint("api:reports_judgements", sees_review_workings, args=review_arg),
    Endpoint(
        "api:reports_judgement_record",
        runs_review,
        method="POST_JSON",
        args=judgement_code_args,
        body=report_judgement_body,
    ),
    Endpoint(
        "api:reports_judgement_sign_off",
        leads_own_review,
        method="POST_JSON",
        args=recorded_judgement_args,
        body=lambda w, which, u: {},
    ),
    Endpoint("api:reports_drafts", sees_review_workings, args=review_arg),
    Endpoint("api:reports_drafts_compare", sees_review_workings, args=review_arg),
    # The own review is only notified: nobody comments on a draft that is not out.
    Endpoint(
        "api:reports_comment",
        nobody,
        method="POST_JSON",
        args=review_arg,
        body=lambda w, which, u: {"paragraph": "S1", "text": "A figure is out of date."},
    ),
    Endpoint("api:reports_published", everyone),
    Endpoint("api:reports_published_one", published_only, args=published_arg),
    Endpoint("api:reports_open_data", everyone),
    Endpoint("reports:published-list", everyone),
    Endpoint("reports:open-data-csv", everyone),
    Endpoint("reports:open-data-json", everyone),
    Endpoint("reports:published", published_only, args=published_arg),
    Endpoint("reports:published-children", published_only, args=published_arg),
    Endpoint("reports:published-pdf", published_only, args=published_arg),
    # Follow-up: the review's statement of action (the area's staff report progress).
    Endpoint("followup:actions", sees_review, args=review_arg),
    Endpoint("followup:overview", logs_incidents),
    Endpoint("followup:case", logs_incidents, args=intervention_arg),
    Endpoint(
        "followup:case",
        national_lead,
        method="POST",
        args=intervention_arg,
        body=lambda w, which, u: {"step": "refer", "text": "Referred.", "confirm": "yes"},
        ok=frozenset({302, 422}),
    ),
    # The annual composite report: published, for everyone.
    Endpoint("national:latest", everyone),
    Endpoint("national:planning", inspectorate_staff),
    # E-mails never delivered (safeguarding alerts among them): the national lead.
    Endpoint("national:undelivered-email", national_lead),
    Endpoint("national:framework-versions", inspectorate_staff),
    Endpoint("national:framework-version", inspectorate_staff, args=lambda w, which, u: ["2005"]),
    Endpoint("national:composite", everyone, args=lambda w, which, u: [2026]),
    Endpoint("national:composite-pdf", everyone, args=lambda w, which, u: [2026]),
    Endpoint("national:composite-json", everyone, args=lambda w, which, u: [2026]),
    # The programme of joint area reviews: the national lead plans, approves, confirms and
    # publishes; inspectorate leads see it with their share; everyone the published version.
    Endpoint("programme:index", programme_leads),
    Endpoint("programme:version", programme_leads, args=programme_version_arg),
    Endpoint("programme:area", programme_leads, args=programme_area_args),
    Endpoint(
        "programme:export",
        programme_leads,
        args=lambda w, which, u: [*programme_version_arg(w, which, u), "csv"],
    ),
    Endpoint(
        "programme:approve",
        national_lead,
        method="POST",
        args=programme_version_arg,
        body=lambda w, which, u: {},
        ok=frozenset({302}),
    ),
    Endpoint(
        "programme:publish",
        national_lead,
        method="POST",
        args=programme_version_arg,
        body=lambda w, which, u: {},
        ok=frozenset({302}),
    ),
    Endpoint(
        "programme:confirm",
        national_lead,
        method="POST",
        body=lambda w, which, u: {"financial_year": "2027"},
        ok=frozenset({302, 422}),  # 422: refused, the page again with the reason
    ),
    # Planning runs in the background: the national lead starts it and follows the job.
    Endpoint(
        "programme:plan-start",
        national_lead,
        method="POST",
        body=lambda w, which, u: {"starts_on": "2026-09-01", "years": "1", "time_limit": "5"},
        ok=frozenset({302, 422}),  # 422: refused, the page again with the reason
    ),
    Endpoint(
        "programme:replan-start",
        national_lead,
        method="POST",
        body=lambda w, which, u: {"time_limit": "5"},
        ok=frozenset({302, 422}),  # 422: refused, the page again with the reason
    ),
    Endpoint("programme:job", national_lead, args=programme_job_arg),
    Endpoint("programme:risk", programme_leads, args=lambda w, which, u: [2025]),
    Endpoint("programme:published", everyone),
    Endpoint("programme:published-export", everyone, args=lambda w, which, u: ["csv"]),
    Endpoint("api:programme_versions", programme_leads),
    Endpoint("api:programme_version", programme_leads, args=programme_version_arg),
    Endpoint("api:programme_check", programme_leads, args=programme_version_arg),
    Endpoint("api:programme_job", national_lead, args=programme_job_arg),
    Endpoint(
        "api:programme_job_start",
        national_lead,
        method="POST_JSON",
        body=lambda w, which, u: {"starts_on": "never"},  # refused: nothing queued
        ok=frozenset({422}),
    ),
    Endpoint("api:programme_risk", programme_leads, args=lambda w, which, u: [2025]),
    Endpoint("api:programme_risk_model", programme_leads, args=lambda w, which, u: [2025]),
    Endpoint("api:programme_published", everyone),
    # Corporate assessments and CPA categories: seen by the programme's leads, recorded by the
    # national lead (refused here: an area that does not exist).
    Endpoint("programme:corporate-assessments", programme_leads),
    Endpoint(
        "programme:corporate-assessments",
        national_lead,
        method="POST",
        body=lambda w, which, u: {"area": "E99999999"},
        ok=frozenset({422}),
    ),
    Endpoint("programme:cpa-categories", programme_leads),
    Endpoint(
        "programme:cpa-categories",
        national_lead,
        method="POST",
        body=lambda w, which, u: {"area": "E99999999"},
        ok=frozenset({422}),
    ),
    Endpoint("programme:area-assessments", programme_leads, args=area_arg),
    Endpoint("api:programme_corporate_assessments", programme_leads),
    Endpoint(
        "api:programme_corporate_assessment_record",
        national_lead,
        method="POST_JSON",
        body=lambda w, which, u: {
            "area": "E99999999",
            "starts_on": "2027-01-04",
            "ends_on": "2027-01-15",
            "option": 1,
        },
        ok=frozenset({422}),
    ),
    Endpoint("api:programme_cpa_categories", programme_leads),
    Endpoint(
        "api:programme_cpa_category_record",
        national_lead,
        method="POST_JSON",
        body=lambda w, which, u: {"area": "E99999999", "year": 2026, "stars": 2},
        ok=frozenset({422}),
    ),
    # Django's admin: superusers only (none of the roles), through the second factor.
    Endpoint("admin:index", nobody),
]

# URL names not in the table, each with the reason it needs no row of its own.
NOT_IN_TABLE = {
    "api:api-root": "django-ninja's index of the API's URL names; lists no data",
}
ADMIN_PREFIX = "admin:"  # every admin page is guarded like admin:index (OTPAdminSite, is_staff)


def _url_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _url_names(p.url_patterns, inner or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_endpoint_is_in_the_table() -> None:
    named = {e.name for e in ENDPOINTS}
    missing = sorted(
        name
        for name in set(_url_names(get_resolver().url_patterns))
        if name not in named and name not in NOT_IN_TABLE and not name.startswith(ADMIN_PREFIX)
    )
    assert missing == [], f"add these to ENDPOINTS in {__file__}: {missing}"


@pytest.fixture
def world(db: None) -> World:
    framework_load()
    world = world_build()
    world.extra["providers"] = {
        which: Provider.objects.create(
            urn=f"SC{n}",
            name=f"{area.name} children's home",
            kind=ProviderKind.objects.get(code="childrens_home"),
            area=area,
        )
        for n, (which, area) in enumerate(((OWN, world.own_area), (OTHER, world.other_area)))
    }
    world.extra["reviews"] = _reviews(world)
    apa_run(year=APA_YEAR)  # assessments (with insufficient evidence) for both areas
    _evidence(world)
    # Own: an earlier review of the area, published. Other: a report frozen for a review that is
    # not published (which should never be): not public either.
    published = review_create(
        area=world.own_area,
        analysis_starts_on=date(2025, 9, 8),
        dcs_name="DCS",
        dcs_email="dcs@example.org",
    )
    Review.objects.filter(pk=published.pk).update(stage=Stage.PUBLISHED)
    world.extra["published"] = {OWN: published, OTHER: world.extra["reviews"][OTHER]}
    for review in world.extra["published"].values():
        Publication.objects.create(
            review=review,
            published_on=date(2026, 11, 1),
            html="<p>Report</p>",
            children_html="<p>For you</p>",
            grades={"SS": 3},
            reading_grade=3.0,
        )
    for review in world.extra["reviews"].values():  # judgements; two drafts to compare
        judgements_propose(review=review)
        for number in (1, 2):
            ReportDraft.objects.create(
                review=review, number=number, paragraphs=[["S1", "Summary", f"Draft {number}."]]
            )
    _surveys(world)
    ofsted = Inspectorate.objects.get(code="OFSTED")
    world.extra["complaint"] = complaint_receive(
        name="A parent", email="", inspectorate=ofsted, about="A review", description="Late."
    ).reference
    world.extra["questionnaire"] = questionnaire_send(
        inspectorate=ofsted, inspection_label="A review", respondent="child", stage="process"
    ).token
    return world


def _surveys(world: World) -> None:
    """An open survey per review; the own one's safeguarding contact is the test inspector."""
    contacts = {
        OWN: world.users[Role.INSPECTOR],
        OTHER: User.objects.create(username="other-contact", email="contact@example.org"),
    }
    world.extra["surveys"] = {}
    for which, review in world.extra["reviews"].items():
        contact = contacts[which]
        contact.email = contact.email or f"{contact.username}@example.org"
        contact.save(update_fields=["email"])
        survey = survey_create(
            review=review,
            opens_on=date(2020, 1, 1),
            closes_on=date(2099, 1, 1),
            safeguarding_contact=contact,
            seed=1,
        )
        frame = [
            FrameSchool(f"{which}{n}", f"School {n}", phase, False, 300, Decimal(n), "unknown")
            for n, phase in enumerate(["primary"] * 4 + ["secondary"] * 3)
        ]
        survey_sample(survey=survey, size=5, frame=frame)
        world.extra["surveys"][which] = survey_open(survey=survey, by=None)
        world.extra.setdefault("parents", {})[which] = parents_proforma_open(
            proforma=parents_proforma_create(survey=survey), by=None
        )


def _evidence(world: World) -> None:
    """An evidence item with a file, a request to the area and a case-file list per review."""
    keys = ("evidence", "requests", "case_files", "tracked_children", "neighbourhoods", "meetings")
    for key in (*keys, "findings"):
        world.extra[key] = {}
    for which, review in world.extra["reviews"].items():
        item = evidence_record(
            review=review, kind="plan", title="Plan", source="Council", dated=date(2026, 6, 1)
        )
        with TestCase.captureOnCommitCallbacks(execute=True):  # the file is stored on commit
            attachment_add(item=item, name="plan.txt", content=io.BytesIO(b"the plan"))
        world.extra["evidence"][which] = item
        world.extra["requests"][which] = request_make(
            review=review, kind="self_assessment", what="Self-assessment", due_on=date(2026, 8, 1)
        )
        case_files_import(
            review=review, text="reference,age,categories,services\nA1,7,looked_after,school\n"
        )
        case = world.extra["case_files"][which] = CaseFile.objects.get(review=review)
        world.extra["tracked_children"][which] = child_track(review=review, case_file=case)
        world.extra["neighbourhoods"][which] = neighbourhood_study_add(
            review=review, lsoa_code=neighbourhoods_of(review.area)[0]["lsoa11cd"], why_chosen="x"
        )
        meeting = world.extra["meetings"][which] = meeting_record(
            review=review, kind="staff", title="Social workers", held_on=date(2026, 10, 1),
            attendees=6,
        )  # fmt: skip
        world.extra["findings"][which] = finding_record(
            review=review, meeting=meeting, found="Thresholds understood.", indication="strength",
            key_judgement_codes=["SS.3"], found_on=date(2026, 10, 1),
        )  # fmt: skip


def _reviews(world: World) -> dict[str, Review]:
    """Gateshead's review, notified, led by the test team leader with the test inspector on it;
    Sunderland's, planned, with nobody the test users are."""
    national_themes_ensure()

    def pool(prefix: str, users: list[Any]) -> list[Inspector]:
        out = []
        for n, body in enumerate(["OFSTED", "OFSTED", "CSCI", "CSCI"]):
            inspector = Inspector.objects.create(
                full_name=f"{prefix} {n}",
                inspectorate=Inspectorate.objects.get(code=body),
                grade="lead",
                user=users[n] if n < len(users) else None,
            )
            inspector.outcome_expertise.set(Outcome.objects.filter(version__code="2005"))
            out.append(inspector)
        return out

    reviews = {}
    on_team = [world.users[Role.REVIEW_TEAM_LEADER], world.users[Role.INSPECTOR]]
    for which, area, start, users in (
        (OWN, world.own_area, date(2026, 9, 14), on_team),
        (OTHER, world.other_area, date(2027, 1, 11), []),
    ):
        review = review_create(
            area=area, analysis_starts_on=start, dcs_name="DCS", dcs_email="dcs@example.org"
        )
        team = pool(f"{area.name} inspector", users)
        review_team_set(review=review, leader=team[0], members=team[1:])
        reviews[which] = review
    reviews[OWN] = review_advance(review=reviews[OWN], to=Stage.NOTIFIED, confirmed=True)
    return reviews


def _request(
    endpoint: Endpoint, world: World, role: str, which: str, *, verified: bool = True
) -> Any:
    user = None if role == ANONYMOUS else world.users[role]
    client = client_for(user, verified=verified)
    url = reverse(endpoint.name, args=endpoint.args(world, which, user))
    body = endpoint.body(world, which, user) if endpoint.body else None
    if endpoint.method == "GET":
        return client.get(url)
    if endpoint.method == "POST":
        return client.post(url, body or {})
    if endpoint.method == "POST_JSON":
        return client.post(url, body or {}, content_type="application/json")
    return client.generic(
        endpoint.method,
        url,
        data=__import__("json").dumps(body or {}),
        content_type="application/json",
    )


def _is_denied(response: Any, name: str) -> bool:
    if response.status_code in {401, 403, 404, 410}:
        return True
    if response.status_code == 302:
        target = response["Location"]
        # To sign in, or to its second step (or to set one up): `staff_required`.
        return target.startswith(("/sign-in/", "/admin/login/", "/account/two-factor/"))
    return False


def _check(wrong: list[str], who: str, endpoint: Endpoint, response: Any, expected: bool) -> None:
    if expected and response.status_code not in endpoint.ok:
        wrong.append(f"{who}: expected {set(endpoint.ok)}, got {response.status_code}")
    elif not expected and not _is_denied(response, endpoint.name):
        wrong.append(f"{who}: expected denied, got {response.status_code}")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.name}")
def test_who_may_use_it(endpoint: Endpoint, world: World) -> None:
    wrong: list[str] = []
    for role in ROLES:
        for which in (OWN, OTHER):
            # Password only first: were it let through to change something, the verified
            # request after it would not see what the row expects either.
            if role != ANONYMOUS:
                response = _request(endpoint, world, role, which, verified=False)
                expected = endpoint.allowed_password_only(role, which)
                _check(wrong, f"{role}/{which}/password only", endpoint, response, expected)
            response = _request(endpoint, world, role, which)
            _check(wrong, f"{role}/{which}", endpoint, response, endpoint.allowed(role, which))
    assert wrong == []
