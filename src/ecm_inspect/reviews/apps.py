from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "ecm_inspect.reviews"
    verbose_name = "Joint area reviews"
    default_auto_field = "django.db.models.BigAutoField"
