from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "ecm_inspect.reviews"
    verbose_name = "Joint area reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What the confirmed moves say they will do, on their "check your answers" pages.
        # The APA letter names the DCS on the area's latest review where the council has no
        # DCS account (performance sits below reviews, so it is told, not asked).
        from ecm_inspect.performance.selectors import DCS_NAMED

        from . import confirmations  # noqa: F401
        from .selectors import dcs_named_on_latest_review

        if dcs_named_on_latest_review not in DCS_NAMED:
            DCS_NAMED.append(dcs_named_on_latest_review)
