"""The fund dashboard's figures: per scheme and cooperating bank — filed balance, loans
and firms served, non-performing balance and ratio, compensation claimed, approved and
paid, refunds, subsidies paid — beside the scheme's fund, leverage used and headroom.

Who sees which rows: a fund manager their schemes (every bank); a zone official the
schemes its zones own; a bank manager their bank's rows; the platform admin all."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from ecosystem.accounts.scope import scope_of
from ecosystem.funds.models import CompensationClaim, Filing, Scheme, SubsidyApplication
from ecosystem.funds.selectors import non_performing_q, scheme_figures
from ecosystem.funds.services.common import cents
from ecosystem.funds.workflow import CLAIM_COMMITTED, FILING_HOLDS_HEADROOM

ZERO = Decimal("0.00")
MONEY = (
    "fund",
    "headroom",
    "filed_balance",
    "non_performing",
    "claimed",
    "approved",
    "paid",
    "subsidies_paid",
)


def _rows_filter(scope) -> tuple[Q, set | None]:
    """(schemes seen, banks seen or None for every bank)."""
    if scope.admin_may("view_platform_dashboard"):
        return Q(), None
    schemes = Q(pk__in=scope.scheme_ids) | Q(owner_zone_id__in=scope.zone_ids)
    if scope.managed_bank_ids:
        schemes |= Q(banks__bank_id__in=scope.managed_bank_ids)
        if not (scope.scheme_ids or scope.zone_ids):
            return schemes, set(scope.managed_bank_ids)
    return schemes, None


def fund_dashboard(*, user) -> list[dict]:
    scope = scope_of(user)
    if not scope.is_authenticated:
        return []
    schemes_q, banks = _rows_filter(scope)
    rows = []
    for scheme in Scheme.objects.filter(schemes_q).distinct().order_by("name"):
        figures = scheme_figures(scheme)
        filings = Filing.objects.filter(scheme=scheme, status__in=FILING_HOLDS_HEADROOM)
        claims = CompensationClaim.objects.filter(filing__scheme=scheme).exclude(status="refused")
        subsidies = SubsidyApplication.objects.filter(scheme=scheme, status="paid")
        if banks is not None:
            filings = filings.filter(loan__bank_id__in=banks)
            claims = claims.filter(filing__loan__bank_id__in=banks)
            subsidies = subsidies.filter(loan__bank_id__in=banks)
        by_bank: dict = {}

        def row(bank_id, by_bank=by_bank, scheme=scheme, figures=figures):
            return by_bank.setdefault(
                bank_id,
                {
                    "scheme": scheme,
                    "bank": bank_id,
                    "fund": figures["terms"].fund_size if figures["terms"] else ZERO,
                    "leverage_used": figures.get("leverage_used", ZERO),
                    "headroom": figures.get("headroom", ZERO),
                    "filed_balance": ZERO,
                    "loans": 0,
                    "firms": 0,
                    "non_performing": ZERO,
                    "claimed": ZERO,
                    "approved": ZERO,
                    "paid": ZERO,
                    "subsidies_paid": ZERO,
                },
            )

        for r in filings.values("loan__bank_id").annotate(
            balance=Sum("loan__outstanding_principal"),
            loans=Count("loan", distinct=True),
            firms=Count("loan__enterprise", distinct=True),
            bad=Sum("loan__outstanding_principal", filter=non_performing_q("loan__")),
        ):
            target = row(r["loan__bank_id"])
            target.update(
                filed_balance=r["balance"] or ZERO,
                loans=r["loans"],
                firms=r["firms"],
                non_performing=r["bad"] or ZERO,
            )
        for r in claims.values("filing__loan__bank_id").annotate(
            claimed=Sum("requested"),
            approved=Sum("amount", filter=Q(status__in=CLAIM_COMMITTED)),
            paid=Sum("amount", filter=Q(status="paid")),
        ):
            target = row(r["filing__loan__bank_id"])
            target.update(
                claimed=r["claimed"] or ZERO,
                approved=r["approved"] or ZERO,
                paid=r["paid"] or ZERO,
            )
        for r in subsidies.values("loan__bank_id").annotate(paid=Sum("amount")):
            row(r["loan__bank_id"])["subsidies_paid"] = r["paid"] or ZERO
        if not by_bank:
            row(None)
        for target in by_bank.values():
            balance = target["filed_balance"]
            target["npl_ratio"] = (
                (target["non_performing"] / balance).quantize(Decimal("0.0001"))
                if balance
                else ZERO
            )
        rows.extend(by_bank.values())
    from ecosystem.financing.models import Bank

    names = Bank.objects.in_bulk({row["bank"] for row in rows if row["bank"]})
    for row in rows:
        row["bank"] = names[row["bank"]].name if row["bank"] else ""
        for key in MONEY:
            row[key] = cents(row[key])
    return rows
