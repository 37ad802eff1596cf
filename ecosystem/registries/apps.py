from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "ecosystem.registries"
    label = "registries"
    verbose_name = _("registries")

    def ready(self):
        from ecosystem.registries.labels import register_labels

        register_labels()
