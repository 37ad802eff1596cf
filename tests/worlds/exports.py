"""The bank exports' rows for their tests: consenting firms matched or with leads, every
other one with a verified year (the exports read it with the rows)."""

from __future__ import annotations

from decimal import Decimal

from ecosystem.enterprises.models import Enterprise, FinancialYear
from tests.worlds.crawl_flagged import bank_matches, rm_leads
from tests.worlds.leads import World


def verified_years(firms: list[Enterprise]) -> None:
    """Every other firm gets a verified year (the export reads it with the rows)."""
    FinancialYear.objects.bulk_create(
        FinancialYear(
            enterprise=e,
            year=2025,
            revenue=Decimal(50_000_000),
            total_costs=Decimal(40_000_000),
            total_assets=Decimal(60_000_000),
            rd_expense=Decimal(3_000_000),
            net_profit=Decimal(1_000_000),
            employees=120,
            rd_staff=30,
            verification_status="verified",
        )
        for e in firms[::2]
    )


def add_matches(world: World, count: int, *, start: int) -> None:
    """Consenting firms matched on the world's product (``crawl_flagged.bank_matches``)."""
    verified_years(bank_matches(world, count, start=start))


def add_leads(world: World, count: int, *, start: int) -> None:
    """Consenting firms' leads assigned to the RM (``crawl_flagged.rm_leads``)."""
    verified_years(rm_leads(world, count, start=start))
