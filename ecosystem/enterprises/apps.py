from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "ecosystem.enterprises"
    label = "enterprises"
    verbose_name = _("enterprises")

    def ready(self):
        from ecosystem.enterprises.labels import register_labels

        register_labels()
        from ecosystem.core import events
        from ecosystem.enterprises.services.verification import (
            registry_entries_changed,
            registry_entries_preview,
        )

        events.subscribe(events.REGISTRY_ENTRIES_CHANGED, registry_entries_changed)
        events.subscribe(events.REGISTRY_ENTRIES_PREVIEW, registry_entries_preview)
        from ecosystem.enterprises.review.exports import register_exports

        register_exports()
