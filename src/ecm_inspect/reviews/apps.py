from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "ecm_inspect.reviews"
    verbose_name = "Joint area reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What the confirmed moves say they will do, on their "check your answers" pages.
        from . import confirmations  # noqa: F401
