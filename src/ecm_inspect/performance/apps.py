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
        from .indicators import indicators_import

        self.imports = {
            "indicators": (
                "Performance indicator values, long format: area_code, indicator, period, "
                "value, numerator, denominator (optionally year).",
                indicators_import,
            )
        }
