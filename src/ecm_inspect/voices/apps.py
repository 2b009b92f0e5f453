from django.apps import AppConfig


class VoicesConfig(AppConfig):
    """The views of children and young people: the area survey and other views gathered."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ecm_inspect.voices"
    verbose_name = "Views of children and young people"

    def ready(self) -> None:
        # Publication waits for every safeguarding concern of the survey to be handled.
        from . import guards  # noqa: F401
