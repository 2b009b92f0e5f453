from typing import Any

from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "ecm_inspect.provision"
    label = "provision"
    verbose_name = "Setting inspections"
    # Subcommands this app adds to `ecm import`: name -> (help, import function).
    imports: dict[str, tuple[str, Any]] = {}

    def ready(self) -> None:
        from .imports import inspections_import

        self.imports = {
            "inspections": (
                "Published inspection outcomes (Ofsted social care, schools, area SEND), "
                "mapped to the Framework's key judgements.",
                inspections_import,
            )
        }
