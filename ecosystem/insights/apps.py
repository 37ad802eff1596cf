from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Every dashboard and its figures (read-only). It sits on top of the layering: it may
    read every app, and no app imports it."""

    name = "ecosystem.insights"
    label = "insights"
    verbose_name = _("insights")
