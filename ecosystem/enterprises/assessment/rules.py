"""The thresholds of the 2017 evaluation rules, held as data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

Bands = tuple[tuple[Decimal, int], ...]


@dataclass(frozen=True)
class TsmeRules:
    """Thresholds of the evaluation rules. Shares are fractions (``0.30`` is 30%);
    each band is ``(inclusive lower bound, points)``, highest first."""

    max_employees: int = 500
    max_revenue: Decimal = Decimal("200000000")
    max_total_assets: Decimal = Decimal("200000000")
    staff_share_bands: Bands = (
        (Decimal("0.30"), 20),
        (Decimal("0.25"), 16),
        (Decimal("0.20"), 12),
        (Decimal("0.15"), 8),
        (Decimal("0.10"), 4),
    )
    rd_revenue_bands: Bands = (
        (Decimal("0.06"), 50),
        (Decimal("0.05"), 40),
        (Decimal("0.04"), 30),
        (Decimal("0.03"), 20),
        (Decimal("0.02"), 10),
    )
    rd_cost_bands: Bands = (
        (Decimal("0.30"), 50),
        (Decimal("0.25"), 40),
        (Decimal("0.20"), 30),
        (Decimal("0.15"), 20),
        (Decimal("0.10"), 10),
    )
    class_i_ip_points: int = 30
    class_ii_ip_bands: tuple[tuple[int, int], ...] = ((4, 24), (3, 18), (2, 12), (1, 6))
    staff_max_points: int = 20
    rd_max_points: int = 50
    results_max_points: int = 30
    pass_score: int = 60


TSME_RULES_2017 = TsmeRules()

ROUTE_SCORE = "score"
ROUTE_DIRECT = "direct"
RD_BASIS_REVENUE = "revenue"
RD_BASIS_COSTS = "costs"
