"""Load demo data: idempotent, safe to run on every ``make run``.

Each app may provide ``ecosystem/<app>/demo.py`` with ``seed(out)`` for its own objects;
they run in dependency order, then ``ecosystem/demo/accounts.py`` adds the demo people and
their memberships, which join the apps.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from ecosystem.demo import accounts as people
from ecosystem.demo import fund_book, history
from ecosystem.financing.summary_recount import ecosystem_tables_rebuild

DEMO_APPS = ["zones", "registries", "financing", "enterprises", "chains"]


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
            people.seed(self.stdout)
            history.seed(self.stdout)
            fund_book.seed(self.stdout)
            # the chain view's and the ecosystem page's counters (with the enterprise
            # funnel they read): the demo writes enterprises and places them past the
            # services
            ecosystem_tables_rebuild()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
