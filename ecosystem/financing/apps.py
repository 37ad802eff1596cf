from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "ecosystem.financing"
    label = "financing"
    verbose_name = _("financing")

    def ready(self):
        from ecosystem.financing.labels import register_labels

        register_labels()
        from ecosystem.core import events
        from ecosystem.financing.services import enterprise_changed

        events.subscribe(events.ENTERPRISE_CHANGED, enterprise_changed)
        from ecosystem.financing import coverage_summary

        # placements, claims, zone: the chain view's counters follow in the transaction
        events.subscribe(events.ENTERPRISE_CHANGED, coverage_summary.enterprise_changed)
        from ecosystem.financing import ecosystem_summary

        # a new enterprise, its zone; its stored stage or verified flag: the ecosystem
        # page's cells follow in the transaction
        events.subscribe(events.ENTERPRISE_CHANGED, ecosystem_summary.enterprise_changed)
        events.subscribe(events.ENTERPRISE_SUMMARY_CHANGED, ecosystem_summary.summary_changed)
        from ecosystem.financing.summary import summary_placed, summary_zone_moved

        events.subscribe(events.ENTERPRISE_ZONE_MOVED, summary_zone_moved)
        events.subscribe(events.ENTERPRISE_PLACED, summary_placed)
        from ecosystem.financing.exports import register_exports

        register_exports()
