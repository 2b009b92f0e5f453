from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "ecm_inspect.framework"
    label = "framework"
    verbose_name = "Framework"
