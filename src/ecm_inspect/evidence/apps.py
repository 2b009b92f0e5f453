from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "ecm_inspect.evidence"
    label = "evidence"
    verbose_name = "Evidence, analysis and fieldwork"
    default_auto_field = "django.db.models.BigAutoField"
