from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ecm_inspect.reports"
    label = "reports"
    verbose_name = "Judgements and published reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The review's stages ask this app before a draft is sent and before publication; the
        # APA of the review's year takes the review's grades.
        from . import guards  # noqa: F401
