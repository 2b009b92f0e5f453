from typing import Any

from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "ecm_inspect.performance"
    label = "performance"
    verbose_name = "Performance indicators and annual performance assessment"
    default_auto_field = "django.db.models.BigAutoField"
    # Subcommands this app adds to `ecm import`: name -> (help, import function).
    imports: dict[str, tuple[str, Any]] = {}

    def ready(self) -> None:
        from .area_inspections import area_inspections_import
        from .indicators import indicators_import

        self.imports = {
            "indicators": (
                "Performance indicator values, long format: area_code, indicator, period, "
                "value, numerator, denominator (optionally year).",
                indicators_import,
            ),
            "area-inspections": (
                "Earlier inspections of each area's children's services: Ofsted's ILACS file "
                "or the historical APA and rating results (the header says which).",
                area_inspections_import,
            ),
        }
