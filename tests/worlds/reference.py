"""Reference data that migrations load, restored for tests after a transactional test's
flush has emptied the tables (Django's TransactionTestCase truncates everything)."""

from importlib import import_module

from django.apps import apps

LOADERS = [
    ("zones", "RejectionReason", "ecosystem.zones.migrations.0003_default_rejection_reasons"),
    ("registries", "Program", "ecosystem.registries.migrations.0002_reference_programs"),
    ("enterprises", "IndustrySection", "ecosystem.enterprises.migrations.0002_industry_reference"),
    ("chains", "Chain", "ecosystem.chains.migrations.0002_reference_chains"),
    ("core", "CalendarDay", "ecosystem.core.migrations.0004_calendarday"),
]


def ensure_reference_data() -> None:
    for app_label, model, migration in LOADERS:
        if not apps.get_model(app_label, model).objects.exists():
            import_module(migration).load(apps, None)
