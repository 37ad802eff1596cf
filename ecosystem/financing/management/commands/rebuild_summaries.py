"""Rebuild the lead summary tables from the leads, or only compare them (--check)."""

import json

from django.core.management.base import BaseCommand, CommandError

from ecosystem.enterprises import verified_programs, waiting
from ecosystem.financing import match_totals
from ecosystem.financing.summary_recount import (
    ecosystem_tables_rebuild,
    summaries_drift,
    summaries_rebuild,
)
from ecosystem.financing.summary_rollup import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every lead's stored facts (furthest stage, working hours) and recount "
        "the dashboards' summary tables (leads, enterprise funnel, enterprises' stages and "
        "verified counts, the chain pages' coverage counters, the claims and yearly "
        "figures waiting per zone, the verified enterprises per zone and program, the "
        "products' match totals); with --check, only report how they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare with a recount, change nothing"
        )
        parser.add_argument(
            "--rollup-only",
            action="store_true",
            help="only refill the duration histograms summed per breakdown from the stored "
            "histograms (after migrating to financing 0023)",
        )
        parser.add_argument(
            "--keep-facts",
            action="store_true",
            help="trust the leads' stored facts (skip recomputing working hours)",
        )
        parser.add_argument(
            "--waiting",
            action="store_true",
            help=(
                "only the claims and yearly figures waiting per zone and day (after "
                "migrating to enterprises 0013 or 0019)"
            ),
        )
        parser.add_argument(
            "--verified-programs",
            action="store_true",
            help=(
                "only the verified enterprises per zone and program (after migrating to "
                "enterprises 0015)"
            ),
        )
        parser.add_argument(
            "--match-totals",
            action="store_true",
            help="only the products' match totals (after migrating to financing 0027)",
        )
        parser.add_argument(
            "--ecosystem",
            action="store_true",
            help=(
                "only the ecosystem page's counters and what they read that a world built "
                "before them lacks (enterprise funnel, chain coverage counters)"
            ),
        )

    def handle(self, *args, **options):
        if options["check"]:
            drift = summaries_drift()
            self.stdout.write(json.dumps(drift, indent=2))
            if any(part["differing"] for part in drift.values()):
                raise CommandError("the summary tables differ from a recount")
            return
        if options["ecosystem"]:
            built = ecosystem_tables_rebuild()
            self.stdout.write(", ".join(f"{n} {name}" for name, n in built.items()))
            return
        if options["match_totals"]:
            built = match_totals.rebuild()
            self.stdout.write(", ".join(f"{n} {name}" for name, n in built.items()))
            return
        if options["waiting"]:
            built = waiting.rebuild()
            self.stdout.write(", ".join(f"{n} {name}" for name, n in built.items()))
            return
        if options["verified_programs"]:
            built = verified_programs.rebuild()
            self.stdout.write(", ".join(f"{n} {name}" for name, n in built.items()))
            return
        if options["rollup_only"]:
            self.stdout.write(f"{rollup_rebuild()} duration rollup rows")
            return
        built = summaries_rebuild(refresh_facts=not options["keep_facts"])
        self.stdout.write(
            f"{built['leads_refreshed']} leads refreshed, "
            f"{built['lead_zones_refreshed']} leads' zones set to their firms', "
            f"{built['summary_rows']} summary rows, "
            f"{built['duration_rows']} duration rows, {built['enterprise_rows']} enterprise "
            f"rows, {built['zone_rows']} zone rows, {built['enterprise_summary_rows']} "
            f"enterprise stage rows, {built['zone_summary_rows']} zone stage rows, "
            f"{built['chain_summary_rows']} chain summary rows, "
            f"{built['chain_duration_rows']} chain duration rows, "
            f"{built['duration_rollup_rows']} duration rollup rows, "
            f"{built['coverage_counter_rows']} chain coverage rows, "
            f"{built['ecosystem_cell_rows']} ecosystem cells, "
            f"{built['claims_waiting_zone_rows']} rows of claims waiting per zone and day, "
            f"{built['years_waiting_zone_rows']} rows of years waiting per zone and day, "
            f"{built['verified_program_zone_rows']} rows of verified enterprises per zone "
            f"and program, {built['match_total_rows']} products' match totals"
        )
