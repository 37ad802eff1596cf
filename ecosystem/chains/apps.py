from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "ecosystem.chains"
    label = "chains"
    verbose_name = _("chains")

    def ready(self):
        from ecosystem.chains.labels import register_labels

        register_labels()
