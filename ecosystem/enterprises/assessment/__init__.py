"""Technology-based SME self-assessment (科技型中小企业评价办法, MOST 2017).

**Advisory only.** This package scores figures the firm types in, so the firm can see
whether it is likely to qualify and why. It verifies nothing: the official evaluation
is made by the provincial science and technology authorities on the national service
platform, and only that result counts.

The rules, all held as data in :data:`TSME_RULES_2017`:

* **Gates** (article 6): at most 500 employees, yearly sales revenue at most
  ¥200,000,000 and total assets at most ¥200,000,000.
* **Score** (article 7 and the annex), out of 100:

  - S&T staff as a share of employees, up to 20 points;
  - R&D intensity, up to 50 points: the higher of R&D expense against sales revenue
    and R&D expense against total costs;
  - technical results, up to 30 points: any class I intellectual property right, or
    else the count of class II rights.

* **Pass** when every gate holds, the score is at least 60 and the staff score is not 0
  (the *score route*), or when every gate holds and the firm has a valid high-tech
  enterprise certificate (the *direct route*; the score is still shown). When both
  routes are open the direct one is reported, since it needs no scoring.

Every band boundary is inclusive ("at least"). Ratios are compared exactly, by
cross-multiplication in ``Decimal``; a zero denominator gives 0 points for that
ratio rather than an error. Ratios are reported in percent, truncated to two decimals
so a shown figure never rounds up past a band boundary.

The package: :mod:`.rules` holds the thresholds, :mod:`.scoring` applies them
(:func:`assess`, :func:`assess_year`) and :mod:`.reasons` words the outcome.
"""

from ecosystem.enterprises.assessment.rules import (
    RD_BASIS_COSTS,
    RD_BASIS_REVENUE,
    ROUTE_DIRECT,
    ROUTE_SCORE,
    TSME_RULES_2017,
    Bands,
    TsmeRules,
)
from ecosystem.enterprises.assessment.scoring import (
    Assessment,
    GateResult,
    assess,
    assess_year,
)

__all__ = [
    "RD_BASIS_COSTS",
    "RD_BASIS_REVENUE",
    "ROUTE_DIRECT",
    "ROUTE_SCORE",
    "TSME_RULES_2017",
    "Assessment",
    "Bands",
    "GateResult",
    "TsmeRules",
    "assess",
    "assess_year",
]
