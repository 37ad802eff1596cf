from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ecosystem.accounts"
    label = "accounts"
    verbose_name = _("accounts")

    def ready(self):
        from ecosystem.accounts.labels import register_labels

        register_labels()
