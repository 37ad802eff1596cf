from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "ecosystem.funds"
    label = "funds"
    verbose_name = _("policy funds")

    def ready(self):
        from ecosystem.funds.labels import register_labels

        register_labels()
