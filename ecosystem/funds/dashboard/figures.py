"""The fund dashboard's sums, in SQL: one grouped query per kind of object (live filings,
claims, paid subsidies), grouped by scheme and, for a breakdown, by one dimension of the
loan — its bank, its firm's zone, the industrial chains its firm sits on, or its firm's
lifecycle stage today. The number of queries does not depend on the number of loans.

- **stage**: ``enterprises.stage``'s rule on the declared basis (the latest year the firm
  entered, as the zone dashboard and the ecosystem view count), built as SQL by
  ``stage_sql`` over the columns of that year, joined; a firm without figures is a
  start-up, as ``stage_of`` says.
- **chain**: a firm on two chains counts in both; a firm on two nodes of one chain counts
  once in it (only its first placement in each chain is joined); a firm on no chain has
  the key ``None``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import CharField, Count, F, Min, Q, Sum, Value

from ecosystem.funds.models import CompensationClaim, Filing, SubsidyApplication
from ecosystem.funds.selectors import non_performing_q
from ecosystem.funds.workflow import CLAIM_COMMITTED, FILING_HOLDS_HEADROOM

ZERO = Decimal("0.00")

#: The breakdown dimensions, in the order the page offers them.
DIMENSIONS = ("bank", "zone", "chain", "stage")

#: Every figure summed per group, with its value for a group without objects.
SUMS = {
    "filed_balance": ZERO,
    "loans": 0,
    "firms": 0,
    "non_performing": ZERO,
    "claimed": ZERO,
    "approved": ZERO,
    "paid": ZERO,
    "subsidies_paid": ZERO,
}


def _with_stage(queryset, loan_path: str, *, on: date):
    """``queryset`` keyed ``k`` by its firm's lifecycle stage (declared basis) on ``on``."""
    from ecosystem.enterprises.stage import with_declared_stage

    return with_declared_stage(queryset, on=on, path=f"{loan_path}enterprise__", name="k")


def _keyed(queryset, loan_path: str, by: str | None, *, on: date):
    """``queryset`` with the group key ``k`` of dimension ``by`` (None: no key)."""
    if by is None:
        return queryset.annotate(k=Value(None, output_field=CharField()))
    if by == "bank":
        return queryset.annotate(k=F(f"{loan_path}bank_id"))
    if by == "zone":
        return queryset.annotate(k=F(f"{loan_path}enterprise__zone_id"))
    if by == "stage":
        return _with_stage(queryset, loan_path, on=on)
    if by == "chain":
        from ecosystem.chains.models import EnterpriseNode

        first = (
            EnterpriseNode.objects.values("enterprise_id", "node__chain_id")
            .annotate(first=Min("pk"))
            .values("first")
        )
        nodes = f"{loan_path}enterprise__chain_nodes"
        # One join to the placements, kept by the filter and read by the key: a firm's
        # first placement in each chain, or none at all (a LEFT JOIN: firms on no chain).
        return queryset.filter(
            Q(**{f"{nodes}__isnull": True}) | Q(**{f"{nodes}__in": first})
        ).annotate(k=F(f"{nodes}__node__chain_id"))
    raise ValueError(by)


@dataclass(frozen=True)
class Base:
    """One kind of object summed: its queryset, the path to its scheme and to its loan,
    and the sums it gives."""

    queryset: object
    scheme: str
    loan: str
    sums: dict


def bases() -> list[Base]:
    """Live filings (balance, loans, firms, non-performing), claims not refused (requested,
    approved or paid, paid) and paid subsidy applications."""
    return [
        Base(
            Filing.objects.filter(status__in=FILING_HOLDS_HEADROOM),
            "scheme_id",
            "loan__",
            {
                "filed_balance": Sum("loan__outstanding_principal"),
                "loans": Count("loan_id", distinct=True),
                "firms": Count("loan__enterprise_id", distinct=True),
                "non_performing": Sum(
                    "loan__outstanding_principal", filter=non_performing_q("loan__")
                ),
            },
        ),
        Base(
            CompensationClaim.objects.exclude(status="refused"),
            "filing__scheme_id",
            "filing__loan__",
            {
                "claimed": Sum("requested"),
                "approved": Sum("amount", filter=Q(status__in=CLAIM_COMMITTED)),
                "paid": Sum("amount", filter=Q(status="paid")),
            },
        ),
        Base(
            SubsidyApplication.objects.filter(status="paid"),
            "scheme_id",
            "loan__",
            {"subsidies_paid": Sum("amount")},
        ),
    ]


def grouped_sums(
    *, scheme_ids, bank_ids=None, by: str | None = None, on: date
) -> dict[tuple, dict]:
    """``{(scheme_id, key): {figure: value}}`` for the schemes ``scheme_ids``, counting
    only loans of ``bank_ids`` (every bank when None), grouped by ``by`` (key None when
    ``by`` is None). Three queries whatever the number of loans."""
    groups: dict[tuple, dict] = defaultdict(lambda: dict(SUMS))
    for base in bases():
        queryset = base.queryset.filter(**{f"{base.scheme}__in": list(scheme_ids)})
        if bank_ids is not None:
            queryset = queryset.filter(**{f"{base.loan}bank_id__in": list(bank_ids)})
        queryset = _keyed(queryset, base.loan, by, on=on)
        for row in queryset.values(base.scheme, "k").annotate(**base.sums).order_by():
            target = groups[(row[base.scheme], row["k"])]
            for name in base.sums:
                target[name] = row[name] or SUMS[name]
    return dict(groups)
