from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "ecm_inspect.provision"
    label = "provision"
    verbose_name = "Setting inspections"
