"""Rematch on demand: everything, one product or one enterprise."""

from django.core.management.base import BaseCommand

from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.tasks import rematch_all


class Command(BaseCommand):
    help = "Recompute matches now (in this process), or queue the full rematch with --queue."

    def add_arguments(self, parser):
        parser.add_argument("--product", type=int, help="only this product id")
        parser.add_argument("--enterprise", type=int, help="only this enterprise id")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="split the full rematch into Celery subtasks instead",
        )

    def handle(self, *args, **options):
        if options["queue"]:
            chunks = rematch_all.delay().get()
            self.stdout.write(f"queued {chunks} rematch subtasks")
            return
        written = rematch(
            product_ids=[options["product"]] if options["product"] else None,
            enterprise_ids=[options["enterprise"]] if options["enterprise"] else None,
        )
        self.stdout.write(f"{written} matches written")
