"""Loading everything the demo shows: the Framework now; each feature adds its data here."""

from collections.abc import Callable

from django.conf import settings

from ecm_inspect.accounts.demo import demo_users_ensure
from ecm_inspect.evidence.demo import demo_evidence_ensure
from ecm_inspect.followup.demo import demo_followup_ensure
from ecm_inspect.framework.services import framework_load
from ecm_inspect.performance.demo import demo_performance_ensure
from ecm_inspect.programme.demo import demo_programme_ensure
from ecm_inspect.provision.demo import demo_outcomes_load
from ecm_inspect.quality.demo import demo_quality_ensure
from ecm_inspect.registry.demo import demo_inspectors_ensure
from ecm_inspect.registry.services import areas_load, inspectorates_load, providers_load
from ecm_inspect.reports.demo import demo_reports_ensure
from ecm_inspect.reviews.demo import demo_reviews_ensure
from ecm_inspect.voices.demo import demo_voices_ensure

Step = tuple[str, Callable[[], object]]


def demo_steps() -> list[Step]:
    """What `ecm demo` loads, in order. Every step is idempotent: running it again is fast and
    changes nothing that is already there."""
    steps: list[Step] = [
        (
            "Framework catalogue (2005 Framework, 2004 proposals, relevance matrix, "
            "ECM Inspect's grade descriptors)",
            framework_load,
        ),
        ("The ten inspectorates and their remits", inspectorates_load),
        ("Every English children's services authority (153 areas)", areas_load),
        ("Providers of the North East (Ofsted social care, schools register)", providers_load),
        ("Their published inspection outcomes, and area SEND inspections", demo_outcomes_load),
        ("Demo inspectors, two or three per inspectorate (made-up people)", demo_inspectors_ensure),
    ]
    # The demo accounts belong to organisations loaded above.
    if settings.ECM_DEMO_USERS:
        steps.append(("Demo accounts, one per role (two inspectors)", demo_users_ensure))
    steps.append(
        ("Joint area reviews: Gateshead's complete, Sunderland's in fieldwork", demo_reviews_ensure)
    )
    steps.append(
        (
            "Performance indicators (DfE LAIT) and the APA of the two latest years",
            demo_performance_ensure,
        )
    )
    steps.append(
        ("Evidence and analysis of the demo reviews (made-up fieldwork)", demo_evidence_ensure)
    )
    steps.append(
        (
            "Surveys of children and young people: 15 real schools each (made-up answers)",
            demo_voices_ensure,
        )
    )
    steps.append(
        (
            "Judgements and the published report of Gateshead's review; Sunderland's drafts",
            demo_reports_ensure,
        )
    )
    steps.append(
        (
            "An indicative programme of reviews from September 2026 (synthetic workforce)",
            demo_programme_ensure,
        )
    )
    steps.append(
        (
            "The statement of proposed action, its progress, and the APA that follows it up",
            demo_followup_ensure,
        )
    )
    steps.append(
        ("Evaluation of inspection and a complaint handled end to end", demo_quality_ensure)
    )
    return steps
