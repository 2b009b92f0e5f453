from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site shell: base layout, home page, accessibility statement and admin commands."""

    name = "ecm_inspect.web"
    label = "web"
    verbose_name = "Web"
