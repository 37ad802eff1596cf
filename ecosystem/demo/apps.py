from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data (``manage.py seed_demo``): each app seeds its own objects in its
    ``demo.py``; this app, on top of the layering and imported by nobody, runs them in
    order and adds what joins apps (the demo people and their memberships)."""

    name = "ecosystem.demo"
    label = "demo"
    verbose_name = _("demo data")
