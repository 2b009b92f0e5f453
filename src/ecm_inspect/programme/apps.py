from typing import Any

from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "ecm_inspect.programme"
    label = "programme"
    verbose_name = "Programme of joint area reviews"
    default_auto_field = "django.db.models.BigAutoField"
    # Subcommands this app adds to `ecm import`: name -> (help, import function).
    imports: dict[str, tuple[str, Any]] = {}

    def ready(self) -> None:
        from .imports import corporate_assessments_import, cpa_categories_import

        self.imports = {
            "corporate-assessments": (
                "Corporate assessments: area_code, starts_on, ends_on, option (Appendix 3), "
                "shared_team_members.",
                corporate_assessments_import,
            ),
            "cpa-categories": (
                "CPA categories: area_code, year, stars, direction_of_travel, source, "
                "block_<block> scores.",
                cpa_categories_import,
            ),
        }
