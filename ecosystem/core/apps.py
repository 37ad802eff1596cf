from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ecosystem.core"
    label = "core"
    verbose_name = _("core")

    def ready(self):
        from django.conf import settings

        from ecosystem.core import fast_datetimes, gc_freeze

        gc_freeze.install(getattr(settings, "GC_FREEZE", True))
        fast_datetimes.install(getattr(settings, "FAST_DATETIMES", True))
