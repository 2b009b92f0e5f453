"""The demo's performance data: the real indicators (DfE LAIT), the APA proposed for the two
latest years with data, and a made-up self-assessment for Gateshead (marked as demo)."""

from django.db.models import Max

from ecm_inspect.accounts.models import User
from ecm_inspect.registry.models import Area

from .indicators import indicators_load
from .models import Assessment, IndicatorValue
from .services import self_assessment_for, self_assessment_part_write, self_assessment_submit

MADE_UP = "(Demo: made up for the demonstration.)"


def demo_performance_ensure() -> None:
    indicators_load()
    latest = IndicatorValue.objects.filter(area__isnull=False).aggregate(y=Max("year"))["y"]
    if latest is None:
        return
    from .services import apa_run

    for year in (latest - 1, latest):
        if not Assessment.objects.filter(year=year).exists():
            apa_run(year=year)
    gateshead = Area.objects.filter(gss_code="E08000037").first()
    dcs = User.objects.filter(username="demo-dcs").first()
    if gateshead is None:
        return
    found = self_assessment_for(area=gateshead, year=latest)
    if found.parts.exists():
        return
    for section, strengths, weaknesses, grade in (
        ("SS", "Multi-agency safeguarding hub answers every contact within a day.",
         "Re-referrals within a year remain above similar areas.", 3),
        ("EA", "Attainment at 16 of children in care is rising.",
         "Persistent absence in secondary schools.", 3),
        ("SM", "Stable leadership; social worker turnover below the region.",
         "Reliance on agency staff in the assessment teams.", 4),
    ):  # fmt: skip
        self_assessment_part_write(
            self_assessment=found, section=section, organisation="Gateshead council",
            strengths=f"{strengths} {MADE_UP}", weaknesses=weaknesses, self_grade=grade, by=dcs,
        )  # fmt: skip
    found.cooperation = f"Partners meet monthly in the children's trust board. {MADE_UP}"
    found.save(update_fields=["cooperation"])
    self_assessment_submit(self_assessment=found, by=dcs)
