from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ecm_inspect.accounts"
    label = "accounts"
    verbose_name = "Accounts"
