from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ecm_inspect.registry"
    label = "registry"
    verbose_name = "Registry"
