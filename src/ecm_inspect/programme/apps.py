from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "ecm_inspect.programme"
    label = "programme"
    verbose_name = "Programme of joint area reviews"
    default_auto_field = "django.db.models.BigAutoField"
