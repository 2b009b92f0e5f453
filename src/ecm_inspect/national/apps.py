from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "ecm_inspect.national"
    label = "national"
    verbose_name = "National reporting"
    default_auto_field = "django.db.models.BigAutoField"
