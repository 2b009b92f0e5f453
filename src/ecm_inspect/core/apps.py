from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ecm_inspect.core"
    label = "core"
    verbose_name = "Shared services"
