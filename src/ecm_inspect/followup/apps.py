from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "ecm_inspect.followup"
    label = "followup"
    verbose_name = "Following up findings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The next APA follows up the council's actions.
        from . import hooks  # noqa: F401
