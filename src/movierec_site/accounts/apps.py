from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "movierec_site.accounts"
    label = "accounts"
