"""The product terms the benches cycle through: stages, programs, R&D intensity, headcount
and the three limit bases, so the versions of a bench world match different enterprises
(``match_bench`` and the national world, ``bench/world``)."""

from __future__ import annotations

from decimal import Decimal

STAGES = [["startup"], ["growth"], ["maturity"], ["startup", "growth"], []]
BASES = ["rd_multiple", "revenue_share", "fixed"]


def varied_terms(j: int) -> dict:
    """The ``j``-th terms of the cycle, as ``product_save`` takes them."""
    return {
        "kind": "unsecured",
        "amount_min": Decimal(500_000),
        "amount_max": Decimal(30_000_000),
        "term_min_months": 6,
        "term_max_months": 36,
        "rate_min": Decimal("3.0"),
        "rate_max": Decimal("4.5"),
        "stages": STAGES[j % 5],
        "programs_any": [["hte"], ["tsme", "srdi"], []][j % 3],
        "min_rd_intensity": [None, Decimal("0.03"), Decimal("0.05")][j % 3],
        "max_employees": [None, 500][j % 2],
        "limit_basis": BASES[j % 3],
        "limit_factor": [Decimal("2"), Decimal("0.15"), Decimal("3000000")][j % 3],
        "uplift_per_qualification": Decimal(500_000),
    }
