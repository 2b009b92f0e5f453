from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "ecm_inspect.quality"
    label = "quality"
    verbose_name = "The quality of inspection: evaluation and complaints"
    default_auto_field = "django.db.models.BigAutoField"
