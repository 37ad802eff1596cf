"""Load demo data: idempotent, safe to run on every ``make run``.

Each app may provide ``ecosystem/<app>/demo.py`` with ``seed(out)``; they run in
dependency order, so later issues extend the demo by adding their own step.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_APPS = ["zones", "registries", "financing", "enterprises", "chains", "accounts"]


class Command(BaseCommand):
    help = "Create or refresh demo zones, bank, programs, enterprises and one account per role."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    module = import_module(f"ecosystem.{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"ecosystem.{app}.demo":
                        raise
                    continue
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
